#pragma once
/// What the rule file declares, resolved: the zone layers, the border lines, the exemptions and
/// one RuleSpec per (rule, zone). Built by load_rule_file()/parse_rule_file() (rule_file.hpp), or
/// filled in directly by tests and generated configurations (add_layer / add_line_* / rules).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/alert.hpp"
#include "core/anomaly.hpp"
#include "core/ids.hpp"
#include "core/measurement.hpp"
#include "core/time.hpp"
#include "geo/zones.hpp"
#include "rules/incident_ledger.hpp"

namespace picket::rules {

inline constexpr double kMetresPerSecondPerKnot = 1852.0 / 3600.0;

/// A zone named by layer and index within it.
struct ZoneRef {
    std::size_t layer{0};
    std::size_t zone{0};
    bool operator==(const ZoneRef&) const = default;
};

/// One zone layer declared in the rule file.
struct ZoneLayer {
    std::string name;
    geo::ZoneSet zones;
};

/// A border line with the names of the zones on either side ("left" as seen walking along it).
struct LineDef {
    std::string name;
    std::string left_zone;   ///< zone on the line's left (empty when unknown)
    std::string right_zone;  ///< zone on the line's right (empty for a single zone's boundary)
    geo::BorderLine line;
};

/// One compiled rule. A rule file entry that names several zones compiles to one RuleSpec per
/// zone, all with the same `name`. Thresholds are SI (m, m/s, ns); the file uses knots where
/// mariners do and says so in the key name. Each field says which kinds read it.
struct RuleSpec {
    std::string name;
    AlertKind kind{AlertKind::zone_entry};
    Severity severity{Severity::medium};
    std::optional<Duration> escalate_after;  ///< escalate when not acknowledged within this

    std::optional<ZoneRef> zone;      ///< the area (entry/exit/presence; optional filter elsewhere)
    std::optional<std::size_t> line;  ///< index into RuleBook::lines
    std::string place;                ///< zone or line name as shown in alerts

    Duration dwell{0};  ///< condition must hold this long before raising
    Duration clear_after = Duration::from_seconds(60);  ///< condition must fail this long to re-arm
    double hysteresis_m{50};  ///< edge band: must be this deep in/out to change side

    double above_speed_mps{0};  ///< speeding: faster than this
    double below_speed_mps{0};  ///< loitering, rendezvous: mean velocity slower than this
    double speed_hysteresis_mps{1.0 * kMetresPerSecondPerKnot};  ///< band around either limit
    double near_m{0};           ///< approach: closer than this to the zone or line
    Duration time_to_reach{0};  ///< approach: predicted to reach the zone or line within this
    double min_speed_mps{0.5 * kMetresPerSecondPerKnot};  ///< approach: ignore slower tracks
    double within_m{0};         ///< dark target, ground detection: this close to the line
    double pair_distance_m{0};  ///< rendezvous: the two tracks this close
    int direction{0};    ///< border crossing, approach to a line: +1 left->right, -1 back, 0 any
    Duration gap{0};     ///< AIS gap: silence longer than this
    bool on_lost{true};  ///< AIS gap: also raise when the track is lost...
    Duration lost_after =
        Duration::from_seconds(180);     ///< ...after radar held it this long
                                         ///< past its last AIS report (3 min: class A at anchor)
    std::vector<AnomalyReason> reasons;  ///< AIS anomaly: accepted reasons (empty = all)
    double min_deviation_m{1000};        ///< AIS anomaly: tracker position reports closer
                                         ///< than this to the track are manoeuvres
    std::vector<SensorKind> sensors;     ///< ground detection: sensor kinds (empty = ugs, camera)
    std::vector<TargetClass> classes;    ///< ground detection: target classes (empty = all)
    double min_confidence{0};            ///< ground detection: camera class confidence

    std::vector<Mmsi> exempt_mmsi;        ///< sorted
    std::optional<bool> exempt_friendly;  ///< unset: the rule book's default
};

struct RuleBook {
    std::vector<ZoneLayer> layers;
    std::vector<LineDef> lines;
    std::vector<RuleSpec> rules;
    std::vector<Mmsi> exempt_mmsi;  ///< sorted; own patrol boats and the like
    bool exempt_friendly{true};     ///< tracks an operator marked friendly raise nothing
    IncidentPolicy incidents;       ///< how findings group into incidents (`incidents:`)

    /// Adds a layer; returns its index.
    std::size_t add_layer(std::string name, geo::ZoneSet zones);
    /// Finds "layer/zone", or "zone" when exactly one layer has it. nullopt when absent or
    /// ambiguous (`why` says which).
    [[nodiscard]] std::optional<ZoneRef> find_zone(const std::string& ref,
                                                   std::string* why = nullptr) const;
    [[nodiscard]] const geo::ZoneSet& zones_of(ZoneRef z) const { return layers[z.layer].zones; }
    [[nodiscard]] const std::string& zone_name(ZoneRef z) const {
        return layers[z.layer].zones.name(z.zone);
    }
    /// The shared boundary of a and b, a on the left. Returns its index.
    std::size_t add_line_between(std::string name, ZoneRef a, ZoneRef b);
    /// The boundary of one zone, the zone on the left; with `except_along`, without the parts
    /// that run along that layer's zones (a territorial sea's seaward limit). Returns its index.
    std::size_t add_line_around(std::string name, ZoneRef z,
                                std::optional<std::size_t> except_along = {});
    [[nodiscard]] std::optional<std::size_t> find_line(const std::string& name) const;
};

}  // namespace picket::rules
