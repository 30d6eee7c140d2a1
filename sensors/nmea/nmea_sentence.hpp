#pragma once
/// NMEA 0183 sentence framing (IEC 61162-1 §7.3): "$ttsss,f1,f2,...*hh". Splits one line into
/// fields without allocating and verifies the checksum (XOR of every character between '$' and
/// '*'). picket requires the checksum: a sentence without one is rejected.
#include <array>
#include <charconv>
#include <cstddef>
#include <optional>
#include <string_view>

#include "core/expected.hpp"

namespace picket::sensors::nmea {

/// IEC 61162-1 §7.3.1: at most 82 characters including '$' and <CR><LF>.
inline constexpr std::size_t kMaxSentenceLength = 82;
inline constexpr std::size_t kMaxFields = 24;

/// Views into the line given to parse_sentence: keep that line alive while using them.
struct Sentence {
    std::string_view talker;                            ///< "RA", "II", ... (2 characters)
    std::string_view formatter;                         ///< "TTM", "TLL", "HDT", ...
    std::array<std::string_view, kMaxFields> fields{};  ///< fields after the address, 0-based
    std::size_t field_count{0};

    /// Field i (0-based after the address), empty when absent.
    [[nodiscard]] std::string_view field(std::size_t i) const {
        return i < field_count ? fields[i] : std::string_view{};
    }
};

/// Frames one line (CR/LF already stripped or not). Reasons: "oversized", "bad_frame",
/// "checksum", "too_many_fields".
Expected<Sentence, DecodeError> parse_sentence(std::string_view line);

/// Decimal number in a field; nullopt when empty or malformed (`ok` false when malformed).
std::optional<double> parse_number(std::string_view field, bool& ok);

/// "hhmmss.ss" -> seconds of day; nullopt if empty or malformed (`ok` false when malformed).
std::optional<double> parse_time_of_day(std::string_view field, bool& ok);

/// "llll.ll" + "N"/"S" (or "yyyyy.yy" + "E"/"W") -> signed degrees; `ok` false when malformed.
std::optional<double> parse_coordinate(std::string_view value, std::string_view hemisphere,
                                       bool latitude, bool& ok);

/// The two-hex-digit checksum of the characters between '$' and '*'.
unsigned nmea_checksum(std::string_view body);

}  // namespace picket::sensors::nmea
