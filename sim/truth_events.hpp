#pragma once
/// The events a perfect rule engine would raise in a scenario, computed from the targets' true
/// paths (not from sensor data): border crossings and zone entries (geometry against the
/// scenario's zones), AIS switched off (ais_gap) and spoofed (ais_anomaly), loitering,
/// rendezvous (two targets stopped or loitering within a distance for a while) and ground sensor
/// triggers (a person/vehicle entering a UGS radius). Sorted by time.
#include <limits>
#include <vector>

#include "geo/local_frame.hpp"
#include "sim/scenario.hpp"
#include "sim/scenario_zones.hpp"
#include "sim/trajectory.hpp"
#include "sim/truth.hpp"

namespace picket::sim {

struct TruthInputs {
    const Scenario& scenario;
    const std::vector<TargetSpec>& targets;  ///< truth id = index + 1
    const std::vector<Trajectory>& paths;    ///< same order
    const geo::LocalFrame& frame;
    const ScenarioZones& zones;
    Timestamp start;
    /// The run's length: behaviour that has not lasted its minimum by then is no event (a
    /// loitering that starts two minutes before the end cannot be seen).
    double duration_s{std::numeric_limits<double>::infinity()};
    /// Per target, when its transponder transmits a position report (AisModel's schedule): AIS
    /// is heard at those instants only. Null: heard every second it transmits (no schedule).
    const std::vector<std::vector<double>>* ais_reports{nullptr};
};

std::vector<TruthEvent> compute_truth_events(const TruthInputs& in);

/// Pieces, exposed for tests.
std::vector<TruthEvent> border_crossing_events(const TruthInputs& in);
std::vector<TruthEvent> rendezvous_events(const TruthInputs& in);

}  // namespace picket::sim
