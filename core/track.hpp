#pragma once
/// The fused picture of one target, as published to rules and outputs. The filter's internal
/// state (IMM modes, sigma points...) stays in filters/; this is the reportable view.
#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/geodetic.hpp"
#include "core/ids.hpp"
#include "core/measurement.hpp"
#include "core/time.hpp"

namespace picket {

enum class TrackStatus : std::uint8_t { tentative, confirmed, coasting, deleted };
std::string_view to_string(TrackStatus s);

/// Operator's judgement of a track (set by command; default unknown).
enum class Standing : std::uint8_t { unknown, friendly, neutral, suspect, hostile };
std::string_view to_string(Standing s);
std::optional<Standing> standing_from_string(std::string_view s);

/// Static identity from AIS (type 5, 19, 24): gpsd field meanings, SI units.
struct Identity {
    Mmsi mmsi{0};
    std::string name;
    std::string callsign;
    std::uint32_t imo{0};
    std::uint8_t ship_type{0};
    double length_m{0};
    double beam_m{0};
    bool operator==(const Identity&) const = default;
};

/// Which kinds of sensor have contributed to a track (bit per SensorKind).
struct SensorMask {
    std::uint8_t bits{0};
    void add(SensorKind k) { bits |= static_cast<std::uint8_t>(1u << static_cast<unsigned>(k)); }
    [[nodiscard]] bool has(SensorKind k) const { return bits >> static_cast<unsigned>(k) & 1u; }
    bool operator==(const SensorMask&) const = default;
};

struct Track {
    TrackId id{0};
    TrackStatus status{TrackStatus::tentative};
    Timestamp updated;  ///< time of the last measurement fused
    Timestamp born;     ///< time the track was initiated
    LatLon position;
    double east_mps{0};
    double north_mps{0};
    /// Covariance of (east, north, v_east, v_north) in the local plane at `position` (m, m/s).
    Eigen::Matrix4d cov = Eigen::Matrix4d::Identity();
    std::optional<Identity> identity;   ///< set when AIS reports associate with the track
    std::optional<Timestamp> last_ais;  ///< last AIS report fused (for AIS-gap rules)
    SensorMask seen_by;
    TargetClass target_class{TargetClass::unknown};
    Standing standing{Standing::unknown};
    std::string label;          ///< operator's label
    bool spoof_suspect{false};  ///< AIS position disagrees with the sensors' track
    bool ais_jump{false};       ///< AIS reported an impossible jump

    [[nodiscard]] double speed_mps() const;
    /// One sigma of the speed along the track's course, from its velocity covariance (0 when
    /// the track is still or the covariance says nothing): how far off its speed may be.
    [[nodiscard]] double speed_sigma_mps() const;
    [[nodiscard]] double course_deg() const;  ///< true north clockwise, [0, 360)
    /// A confirmed track no AIS identity has been attached to: the targets operators look for.
    [[nodiscard]] bool dark() const {
        return status != TrackStatus::tentative && !identity.has_value();
    }
};

}  // namespace picket
