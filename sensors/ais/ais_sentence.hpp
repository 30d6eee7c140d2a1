#pragma once
/// One NMEA 0183 AIVDM/AIVDO sentence, parsed in place (views into the caller's line), and the
/// NMEA 4.10 tag block that may precede it. IEC 61162-1 §7.3 (sentence structure and checksum),
/// ITU-R M.1371-5 Annex 8 §1 / IEC 61993-2 Annex C (the VDM sentence fields), NMEA 4.10 §6.3
/// (TAG blocks: `\s:source,c:unix_time*hh\`).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/expected.hpp"
#include "core/time.hpp"

namespace picket::sensors::ais {

/// Longest payload in one sentence. 82-char sentences hold at most 62; some receivers put a
/// whole 5-slot message in one line, so the reassembled limit (kMaxPayloadChars) applies.
inline constexpr std::size_t kMaxPayloadCharsPerSentence = 168;

struct TagBlock {
    std::optional<Timestamp>
        time;                 ///< `c:` UNIX time (seconds up to 9e9, else milliseconds up to 9e12)
    std::string_view source;  ///< `s:` source / station id, empty when absent
};

struct AisSentence {
    std::string_view talker;   ///< "AIVDM" or "AIVDO" (or another talker's "xxVDM")
    bool own_ship{false};      ///< VDO: our own vessel
    int fragment_count{1};     ///< 1..9
    int fragment_number{1};    ///< 1..fragment_count
    int sequence_id{-1};       ///< 0..9 for multi-sentence messages, -1 when empty
    char channel{'\0'};        ///< 'A', 'B' (or '1'/'2'), '\0' when empty
    std::string_view payload;  ///< armoured characters
    int fill_bits{0};          ///< 0..5
    TagBlock tag;
};

/// Parses one line (without or with trailing CR/LF/spaces). Accepts trailing receiver fields
/// after the checksum (",b003660465"), as many receivers append them. Rejects with a reason:
/// "bad_sentence" (not an AIVDM/AIVDO sentence, wrong field count, bad numbers), "checksum",
/// "truncated" (no checksum), "too_long", "bad_tag_block".
Expected<AisSentence, DecodeError> parse_sentence(std::string_view line);

/// The same parse into `out` (overwritten); returns the reject reason, empty on success. The
/// feed's hot path uses this form: no Expected to build and destroy per sentence.
std::string_view parse_sentence(std::string_view line, AisSentence& out);

namespace detail {
/// parse_sentence without its fast path for the common sentence shape: the reference that the
/// fast path must agree with on every input (checked in tests/unit/ais/ais_sentence_test.cpp).
std::string_view parse_sentence_general(std::string_view line, AisSentence& out);
}  // namespace detail

/// XOR of the bytes, as in the NMEA checksum.
std::uint8_t nmea_checksum(std::string_view body);

}  // namespace picket::sensors::ais
