#pragma once
/// Ground truth of a simulated run: where every target was (sampled per second) and the events
/// the rules ought to find. Event kinds reuse core/alert.hpp's AlertKind so that scoring can match
/// an alert to a truth event of the same kind.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/alert.hpp"
#include "core/geodetic.hpp"
#include "core/measurement.hpp"
#include "core/time.hpp"

namespace picket::sim {

/// Truth ids are 1-based indices into the simulator's target list.
using TruthId = std::uint32_t;

struct TruthSample {
    Timestamp time;
    TruthId truth_id{0};
    std::string_view name;  ///< owned by the Simulator
    LatLon where;
    double east_m{0};  ///< in the scenario's local ENU frame (origin = scenario origin)
    double north_m{0};
    double east_mps{0};
    double north_mps{0};
    TargetClass target_class{TargetClass::unknown};
};

struct TruthEvent {
    Timestamp time;
    AlertKind kind{AlertKind::border_crossing};
    std::vector<TruthId> truth_ids;  ///< the target; two for a rendezvous
    std::vector<std::string> names;  ///< target names, same order
    /// The targets' AIS MMSIs, same order (0: no transponder); empty when not known. Scoring
    /// does not let evidence about one identified vessel explain another's event.
    std::vector<Mmsi> mmsi;
    LatLon where;
    std::string zone;    ///< zone entered (crossing, entry), or the UGS id (ground_detection)
    std::string detail;  ///< e.g. "IDN -> TLS", "ais switched off", "spoofed 12.3 km"
    /// ais_anomaly: the false position the transponder reported (an alert may sit at either).
    std::optional<LatLon> reported;
    /// The rule whose definition this event meets (rule-derived truth, sim/rule_truth.hpp);
    /// empty for the scenario's own events (border_zones, watch_zones...).
    std::string rule;
    /// Every target involved is a scripted one (not generated background traffic).
    bool scripted{false};
    /// A state that holds for a while (approach, speeding, dark target, loitering, AIS gap,
    /// zone presence): the last moment it held. An alert raised any time while it holds finds
    /// it: walkers spawned 700 m from a border on an 800 m approach rule approach it from their
    /// first second, minutes before any sensor sees them; an alert once a camera does is not
    /// late. Empty for an event of one moment (a crossing, an entry, a detection).
    std::optional<Timestamp> until;
};

/// One JSON object, no newline:
/// {"time":"2026-...Z","kind":"border_crossing","truth_ids":[3],"names":["skiff"],
///  "lat":-8.3,"lon":125.1,"zone":"TLS","detail":"IDN -> TLS","rule":"sea-incursion",
///  "scripted":true} (and "until":"2026-...Z" for a state that holds for a while)
std::string to_json(const TruthEvent& e);
/// Parses a line written by to_json; nullopt when it is not one.
std::optional<TruthEvent> truth_event_from_json(std::string_view line);

}  // namespace picket::sim
