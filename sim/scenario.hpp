#pragma once
/// A simulation scenario: where (region, border layers), who (targets with waypoints and
/// behaviours, background traffic generators), which sensors (radar, AIS receivers, cameras,
/// ground sensors) and for how long. Plain structs; read from YAML by scenario_loader.hpp and
/// documented field by field in docs/sim.md and config/scenarios/README.md.
///
/// Times inside a scenario are seconds from the scenario start (`*_s`). Positions are WGS84.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/geodetic.hpp"
#include "core/ids.hpp"
#include "core/measurement.hpp"
#include "core/time.hpp"

namespace picket::sim {

inline constexpr double kKnotToMps = 1852.0 / 3600.0;
inline constexpr double kNever = std::numeric_limits<double>::infinity();

/// What a target is. Drives radar cross-section, antenna height, land/sea and the class a
/// camera should report.
enum class TargetKind : std::uint8_t {
    cargo,
    tanker,
    fishing,
    fast_boat,
    pleasure,
    person,
    vehicle
};
std::string_view to_string(TargetKind k);
std::optional<TargetKind> target_kind_from_string(std::string_view s);
/// The class the tracker and cameras use for this kind.
TargetClass target_class_of(TargetKind k);
/// Typical radar cross-section (m²): Skolnik's marine figures, rounded.
double default_rcs_m2(TargetKind k);
/// Height of the highest reflecting part above the sea/ground (m), for the radar horizon.
double default_height_m(TargetKind k);
[[nodiscard]] inline bool on_land(TargetKind k) {
    return k == TargetKind::person || k == TargetKind::vehicle;
}

/// One leg's destination. The target travels from the previous point at `speed_mps`, then
/// stops for `hold_s` (at anchor / waiting: a rendezvous), then wanders within
/// `loiter_radius_m` for `loiter_s` at `loiter_speed_mps` (fishing, loitering).
struct WaypointSpec {
    LatLon where;
    double speed_mps{5};
    double hold_s{0};
    double loiter_s{0};
    double loiter_radius_m{500};
    double loiter_speed_mps{1.5};
};

enum class AisClass : std::uint8_t { none, a, b };

/// The AIS transponder of a target and what its crew does with it.
struct AisSpec {
    AisClass cls{AisClass::none};
    Mmsi mmsi{0};
    std::string name;
    std::string callsign;
    std::uint32_t imo{0};
    std::uint8_t ship_type{0};  ///< ITU-R M.1371 Table 53 (70 cargo, 80 tanker, 30 fishing...)
    double length_m{0};
    double beam_m{0};
    double off_at_s{kNever};  ///< transponder switched off (goes dark) at this time
    double on_at_s{kNever};   ///< and back on (kNever: stays off)
    /// Spoofing: from `spoof_from_s` to `spoof_to_s` the transponder reports `spoof_position`
    /// instead of the true one.
    double spoof_from_s{kNever};
    double spoof_to_s{kNever};
    LatLon spoof_position;
};

struct TargetSpec {
    std::string name;  ///< unique; the truth id is the index in Scenario::targets + 1
    TargetKind kind{TargetKind::cargo};
    double start_s{0};  ///< appears at the first waypoint at this time
    std::vector<WaypointSpec> waypoints;
    AisSpec ais;
    double rcs_m2{0};    ///< 0: default for the kind
    double height_m{0};  ///< 0: default for the kind
};

/// Random background traffic: `count` targets of one kind, either on a shipping lane (a
/// polyline, travelled back and forth with a lateral spread) or wandering in a box.
struct TrafficSpec {
    std::string name;  ///< prefix of generated target names ("ombai-lane-7")
    int count{0};
    TargetKind kind{TargetKind::cargo};
    std::vector<LatLon> lane;  ///< non-empty: lane traffic
    double lane_width_m{2000};
    LatLon box_min;  ///< lane empty: wander in [box_min, box_max]
    LatLon box_max;
    double speed_min_mps{4};
    double speed_max_mps{8};
    AisClass ais{AisClass::a};
    double ais_fraction{1.0};  ///< share of generated targets that carry AIS at all
    Mmsi first_mmsi{0};        ///< 0: a block of 5xx MMSIs derived from the name
};

struct SensorCommon {
    std::string id;        ///< feed id (must match the server config)
    std::string endpoint;  ///< ZeroMQ endpoint the simulator binds a PUB socket on
    std::string format;    ///< wire format name as in sensors/feed_decoder.hpp
};

/// A rotating surface radar. Detection follows a Swerling 1 target in noise:
/// Pd = Pfa^(1 / (1 + SNR)), with SNR ∝ rcs / range⁴ (radar equation), calibrated so that a
/// target of `rcs_ref_m2` at `range_ref_m` is detected with probability `pd_ref`.
struct RadarSpec {
    SensorCommon feed;
    SensorSite site;
    double range_m{50'000};
    double scan_period_s{4};
    double sigma_range_m{25};
    double sigma_bearing_deg{0.3};
    double pd_ref{0.9};
    double range_ref_m{20'000};
    double rcs_ref_m2{10};
    double pfa{1e-6};
    double clutter_per_km2{0.0};  ///< mean false plots per km² of coverage per scan
    int sectors{8};               ///< ASTERIX datagrams per scan
    std::uint8_t sac{0};
    std::uint8_t sic{1};
    bool sees_land{false};  ///< a coastal radar normally masks land returns
};

/// A shore AIS receiver: hears every transmission within range, loses `dropout` of them.
struct AisReceiverSpec {
    SensorCommon feed;
    LatLon position;
    double range_m{74'000};  ///< ~40 nm, a typical VHF horizon for a mast receiver
    double dropout{0.05};
    std::string station;  ///< tag block source "s:" (empty: the feed id)
};

/// A pan-tilt-zoom or fixed camera with a detector: bearing-only detections with a class.
struct CameraSpec {
    SensorCommon feed;
    SensorSite site;  ///< boresight_deg is the pointing direction
    double fov_deg{60};
    double range_m{5'000};
    double frame_period_s{1};
    double sigma_bearing_deg{0.5};
    double pd{0.9};
    double class_accuracy{0.85};
};

/// An unattended ground sensor (seismic / PIR): fires when a person or vehicle comes within
/// `radius_m`, with probability `pd` per entry, plus Poisson false alarms.
struct UgsSpec {
    SensorCommon feed;
    LatLon position;
    double radius_m{50};
    double pd{0.9};
    double false_alarm_per_hour{0.5};
    double rearm_s{30};  ///< while a target stays in range, re-fires at most this often
};

/// Where zone geometry comes from: a border layer (any OGR source) or inline WKT.
struct ZoneSourceSpec {
    std::string path;  ///< layer file; empty when inline
    std::string layer;
    std::string where;
    std::string name_field;
    std::vector<std::pair<std::string, std::string>> inline_wkt;  ///< (name, WKT lon/lat)
};

/// What counts as a truth event, so that scoring matches the rules' intent.
struct TruthSpec {
    std::vector<std::string> border_zones;  ///< crossing any of their boundaries: border_crossing
    std::vector<std::string> watch_zones;   ///< entering one: zone_entry
    double loiter_min_s{300};               ///< a loiter leg at least this long: loitering
    double rendezvous_distance_m{500};
    double rendezvous_min_s{120};
    double sample_period_s{1};
    /// A rule file (resolved against the scenario file's folder): truth events are then what
    /// each of its rules should raise (sim/rule_truth.hpp) instead of the keys above.
    std::string rules_file;
};

struct Scenario {
    std::string name;
    std::string description;
    std::string source_file;
    LatLon origin;                   ///< local ENU frame origin (truth.csv x,y)
    std::optional<Timestamp> start;  ///< nullopt: "now", supplied by the command
    double duration_s{3600};
    std::uint64_t seed{1};
    std::vector<ZoneSourceSpec> zones;
    TruthSpec truth;
    std::vector<TargetSpec> targets;
    std::vector<TrafficSpec> traffic;
    std::vector<RadarSpec> radars;
    std::vector<AisReceiverSpec> ais_receivers;
    std::vector<CameraSpec> cameras;
    std::vector<UgsSpec> ugs;
};

}  // namespace picket::sim
