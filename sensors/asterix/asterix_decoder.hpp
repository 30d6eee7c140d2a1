#pragma once
/// ASTERIX CAT048 / CAT034 decoding: datagram -> data blocks -> records -> items.
/// Pure, allocation-free on the good path, never throws. Items picket does not use are skipped
/// by their FSPEC and length rules (fixed, extended, repetitive, explicit, compound) so that
/// the items after them still decode.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/expected.hpp"
#include "sensors/asterix/asterix_types.hpp"
#include "sensors/asterix/cat048_encoder.hpp"

namespace picket::sensors::asterix {

/// A decoded CAT048 record: the same fields as the encoder's plot, plus which items came.
struct Cat048Report {
    Cat048Plot plot;
    bool has_source{false};  ///< I048/010 present
    bool has_time{false};    ///< I048/140 present
    bool has_status{false};  ///< I048/170 present
};

/// A decoded CAT034 record.
struct Cat034Report {
    Cat034Message message;
    bool has_source{false};  ///< I034/010 present
    bool has_type{false};    ///< I034/000 present
    bool has_time{false};    ///< I034/030 present
};

/// Decodes one CAT048 record starting at `data` (at most `size` octets: the rest of the block).
/// Returns the number of octets the record used. Reasons: "truncated", "bad_fspec", "bad_item".
Expected<std::size_t, DecodeError> decode_cat048_record(const std::uint8_t* data, std::size_t size,
                                                        Cat048Report& out);
/// Decodes one CAT034 record, as above.
Expected<std::size_t, DecodeError> decode_cat034_record(const std::uint8_t* data, std::size_t size,
                                                        Cat034Report& out);

/// Receives what a datagram holds, record by record.
class AsterixVisitor {
public:
    virtual ~AsterixVisitor() = default;
    virtual void cat048(const Cat048Report& report) = 0;
    virtual void cat034(const Cat034Report& report) = 0;
    /// A block or record was rejected. A bad record abandons the rest of its block (records have
    /// no length of their own); a bad block header abandons the rest of the datagram.
    virtual void rejected(DecodeError error) = 0;
};

/// Walks every data block of a datagram (Part 1 §4.2). Reasons: "truncated" (fewer than 3
/// octets), "bad_length" (LEN < 3 or past the end), "unknown_category" (block skipped by LEN),
/// plus the record reasons above.
void decode_asterix_datagram(std::string_view datagram, AsterixVisitor& visitor);

}  // namespace picket::sensors::asterix
