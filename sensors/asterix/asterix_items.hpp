#pragma once
/// Any record of ASTERIX CAT034, CAT048 or CAT062 -> JSON, every item decoded, driven by the UAP
/// tables of asterix_spec.hpp: the engine of `picket decode --format asterix`. Pure, never
/// throws; a record it cannot walk (truncated, an FRN or compound subfield the edition does not
/// define) is rejected with a reason, and the rest of its block with it (records carry no
/// length), never the next block.
///
/// JSON per record: {"cat":48,"I048/010":{"SAC":25,"SIC":201},"I048/140":27354.6015625,...}:
/// items in FRN order under "I<cat>/<item>"; an item of one element is a plain value, one of
/// several an object of the elements by their spec names; repetitive items are arrays; compound
/// items objects of their subitems; SP and RE hex strings. Values are in the specification's
/// units (NM, degrees, seconds, FL, m/s, ft): LSB times the raw value, printed exactly.
/// Mode 1/2/3/A codes are octal digit strings; ICAO and ASCII characters strings without
/// trailing spaces; Mode S MB data hex strings.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace picket::sensors::asterix {

/// Appends the members of one record's JSON object (without braces: "cat" and the items) to
/// `out`. Returns the octets the record used, or "truncated", "bad_fspec" (an FRN beyond the
/// UAP or not defined), "bad_item" (explicit LEN 0, undefined compound subfield).
Expected<std::size_t, DecodeError> record_json(std::uint8_t category, const std::uint8_t* data,
                                               std::size_t size, std::string& out);

/// Receives a datagram's rejects: a static reason code and a detail (item, category, length).
class RecordRejects {
public:
    virtual ~RecordRejects() = default;
    virtual void rejected(std::string_view reason, const std::string& detail) = 0;
};

/// Every data block of a datagram (or of a file of blocks): one JSON line per record,
/// {"frame":N,"cat":C,...}, appended to `out`; a block of another category is one line with its
/// bytes as "undecoded" hex. Returns the records written. A bad record loses the rest of its
/// block, a bad block header the rest of the datagram (Part 1 §4.2: no other way to resync).
std::size_t datagram_json(std::string_view bytes, std::uint64_t frame, std::string& out,
                          RecordRejects& rejects);

/// Whether record_json knows the category (34, 48, 62).
bool decodable_category(std::uint8_t category);

/// The octets of the item at FRN `frn` of `category`'s UAP starting at `data` (at most `size`):
/// how a hand-written decoder skips the items it does not use. Reasons as record_json.
Expected<std::size_t, DecodeError> item_length(std::uint8_t category, unsigned frn,
                                               const std::uint8_t* data, std::size_t size);

}  // namespace picket::sensors::asterix
