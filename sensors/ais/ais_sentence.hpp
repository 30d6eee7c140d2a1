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

/// Vendor quirks: deviations from IEC 61162-1 / NMEA 4.10 that gpsd accepts and real sources
/// send. The sentence is still decoded; the feed counts each kind (feed health "quirks").
enum SentenceQuirk : std::uint16_t {
    kQuirkLeadingText = 1u << 0,      ///< "leading_text": text before the tag block or '!'
    kQuirkNoChecksum = 1u << 1,       ///< "no_checksum": no (or an incomplete) "*hh"
    kQuirkExtraFields = 1u << 2,      ///< "extra_fields": fields after the fill-bits field
    kQuirkSequenceId = 1u << 3,       ///< "bad_sequence_id": not one digit (treated as empty)
    kQuirkChannel = 1u << 4,          ///< "long_channel": channel field of several characters
    kQuirkNoFillBits = 1u << 5,       ///< "empty_fill_bits": empty fill field (taken as 0)
    kQuirkTagChecksum = 1u << 6,      ///< "tag_checksum": tag block checksum missing or wrong
    kQuirkTagChecksumZero = 1u << 7,  ///< "tag_checksum_zero": the literal "*00", not computed
    kQuirkTagTime = 1u << 8,          ///< "bad_tag_time": unusable `c:` value (time not used)
};
inline constexpr int kSentenceQuirkCount = 9;
/// The counter name of quirk bit `bit` (0 .. kSentenceQuirkCount-1).
std::string_view sentence_quirk_name(int bit);

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
    std::uint16_t quirks{0};  ///< SentenceQuirk bits; 0 for a sentence by the book
};

/// Parses one line (without or with trailing CR/LF/spaces). Accepts trailing receiver fields
/// after the checksum (",b003660465"), as many receivers append them, and every vendor quirk
/// gpsd 3.22 accepts (see SentenceQuirk; docs/ais.md). Rejects with a reason: "bad_sentence"
/// (not a VDM/VDO sentence, fewer than seven fields, bad numbers), "checksum", "too_long",
/// "bad_payload" (empty).
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
