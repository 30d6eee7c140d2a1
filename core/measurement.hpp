#pragma once
/// What a sensor saw, normalised: SI units, radians, an honest covariance, and both the time
/// the sensor observed it and the time picket received it. Produced by sensors/ normalisers,
/// consumed by filters/. A measurement is self-contained (it carries its sensor's site) so that
/// the filters need no lookup tables and stay pure.
#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

#include "core/geodetic.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"

namespace picket {

enum class SensorKind : std::uint8_t { ais, radar, camera, ugs };
inline constexpr int kSensorKindCount = 4;
std::string_view to_string(SensorKind k);
std::optional<SensorKind> sensor_kind_from_string(std::string_view s);

/// What the target is, as far as anyone knows. Drives process noise and map symbols.
enum class TargetClass : std::uint8_t { unknown, vessel, fast_boat, person, vehicle, aircraft };
std::string_view to_string(TargetClass c);
std::optional<TargetClass> target_class_from_string(std::string_view s);

/// How a camera ranged a position from the angle it looks down at the target's foot: the range
/// noise is |dr/de| σ_e, which grows about as the range squared. `cov_en_m2` holds it at the
/// frame's own range; a filter that knows where the target is evaluates it at that range instead
/// (filters/observation.hpp), so that a frame whose noise made it short does not weigh more than
/// one made long (a vehicle 2.8 km from a 15 m camera was tracked 140-400 m short).
struct DepressionRanging {
    LatLon lens;                     ///< the camera's position
    double height_m{0};              ///< the lens above the ground (m)
    double sigma_depression_rad{0};  ///< the depression angle's noise
    double sigma_bearing_rad{0};     ///< the azimuth's noise
};

/// A geodetic point with its covariance in the local east/north plane at that point (m²).
struct PositionZ {
    LatLon where;
    Eigen::Matrix2d cov_en_m2 = Eigen::Matrix2d::Identity();
    std::optional<DepressionRanging> ranged_from;  ///< a camera's depression-angle range
};

/// Range and bearing from the sensor site (radar plots). Bearing is true north, clockwise.
struct PolarZ {
    SensorSite site;
    double range_m{0};
    double bearing_rad{0};
    double sigma_range_m{0};
    double sigma_bearing_rad{0};
};

/// Bearing only (camera azimuth), optionally with elevation below the horizon, from the site.
struct BearingZ {
    SensorSite site;
    double bearing_rad{0};
    double sigma_bearing_rad{0};
    std::optional<double> elevation_rad;  ///< negative looks down
    std::optional<double> sigma_elevation_rad;
};

/// Ground velocity observation (AIS SOG/COG; radar track velocity), east/north, m/s.
struct VelocityZ {
    double east_mps{0};
    double north_mps{0};
    Eigen::Matrix2d cov_m2ps2 = Eigen::Matrix2d::Identity();
};

struct Measurement {
    FeedIndex feed{0};
    SensorKind sensor{SensorKind::radar};
    Timestamp observed;  ///< when the sensor saw it (sensor clock, UTC)
    Timestamp received;  ///< when picket's I/O thread got the bytes (server clock, UTC)
    std::variant<PositionZ, PolarZ, BearingZ> z;
    std::optional<VelocityZ> velocity;
    std::optional<Mmsi> mmsi;  ///< identity claimed by the report (AIS)
    /// Identity claimed by a Mode S reply (radar I048/220), 0: none. Only valid addresses
    /// (valid_aircraft_address) are set: the decoder counts the others as a quirk.
    AircraftAddress aircraft_address{0};
    /// The sensor's own tracker holds this object as a confirmed track (I048/170 CNF).
    bool source_confirmed{false};
    TargetClass target_class{TargetClass::unknown};
    float class_confidence{0};          ///< 0..1, for camera classification
    std::uint64_t source_object_id{0};  ///< the sensor's own id: radar track no., camera object id
};

}  // namespace picket
