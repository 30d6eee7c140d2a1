#pragma once
/// Line-oriented NMEA -> gpsd JSON, the engine behind `picket decode --format ais` and the
/// gpsdecode agreement tests: sentence parsing, reassembly, decoding, gpsd's type 24 pairing
/// (as `gpsdecode -s`), JSON. No time is involved: reassembly has no timeout here, as in
/// gpsdecode reading a file.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "sensors/ais/ais_decode.hpp"
#include "sensors/ais/ais_reassembler.hpp"

namespace picket::sensors::ais {

class GpsdJsonStream {
public:
    explicit GpsdJsonStream(bool raw) : raw_(raw), reassembler_(Duration{INT64_MAX / 2}) {}

    /// Processes one line. Appends one JSON object and '\n' to `out` when the line completes a
    /// message. Returns the reject reason for a bad line ("" otherwise; blank lines and '#'
    /// comments are skipped silently).
    std::string_view line(std::string_view text, std::string& out);

    [[nodiscard]] std::uint64_t messages() const { return messages_; }
    [[nodiscard]] std::uint64_t rejected() const { return rejected_; }
    [[nodiscard]] const std::map<std::string_view, std::uint64_t>& reasons() const {
        return reasons_;
    }
    /// Sentences decoded despite a vendor quirk, per SentenceQuirk bit (sentence_quirk_name).
    [[nodiscard]] const std::array<std::uint64_t, kSentenceQuirkCount>& quirks() const {
        return quirks_;
    }

private:
    std::string_view count_reject(std::string_view reason);

    bool raw_;
    Reassembler reassembler_;
    Type24Merger merger_;
    std::uint64_t messages_{0};
    std::uint64_t rejected_{0};
    std::map<std::string_view, std::uint64_t> reasons_;
    std::array<std::uint64_t, kSentenceQuirkCount> quirks_{};
};

}  // namespace picket::sensors::ais
