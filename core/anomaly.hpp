#pragma once
/// Why a report was flagged: one list shared by the decoders (sensors/feed_decoder.hpp
/// DecodeSink::anomaly), the tracker (filters/ Tracker::Anomaly) and the rules (`ais_anomaly`
/// rules, `reasons:`). Typed, so that the rules can tell which reports are about the same
/// situation: the decoder's impossible jump, the tracker's disagreement with the radar track and
/// its AIS-only jump are three views of one false position (one incident), while a clock that
/// runs off is about a sensor, not a target.
#include <cstdint>
#include <optional>
#include <string_view>

namespace picket {

enum class AnomalyReason : std::uint8_t {
    invalid_mmsi,     ///< decoder: an MMSI no ship station may have (ITU-R M.585 numbering)
    impossible_jump,  ///< decoder: the position implies > 100 kn since the MMSI's last report
    position_disagrees_with_track,  ///< tracker: AIS far from where radar/camera hold the track
    position_jump,   ///< tracker: an AIS-only track's report far outside its gate (restarted)
    clock_off,       ///< decoder: a sensor's time is too far from the receive time
    time_backwards,  ///< decoder: a sensor's time went backwards
};
inline constexpr int kAnomalyReasonCount = 6;
std::string_view to_string(AnomalyReason r);
std::optional<AnomalyReason> anomaly_reason_from_string(std::string_view s);

/// The situation a reason is evidence of, so that its reports join one incident.
enum class AnomalySituation : std::uint8_t {
    false_position,  ///< the reported position is not where the vessel is (spoof, jump)
    invalid_identity,
    sensor_time,  ///< about a sensor's clock, not a target: no rule raises it
};
[[nodiscard]] constexpr AnomalySituation situation_of(AnomalyReason r) {
    switch (r) {
        case AnomalyReason::invalid_mmsi:
            return AnomalySituation::invalid_identity;
        case AnomalyReason::impossible_jump:
        case AnomalyReason::position_disagrees_with_track:
        case AnomalyReason::position_jump:
            return AnomalySituation::false_position;
        case AnomalyReason::clock_off:
        case AnomalyReason::time_backwards:
            return AnomalySituation::sensor_time;
    }
    return AnomalySituation::sensor_time;
}

}  // namespace picket
