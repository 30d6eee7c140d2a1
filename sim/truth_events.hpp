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
    /// Per scenario.ugs, per target, when the sensor fired on it (UgsModel::detection_times):
    /// a ground detection is the sensor firing. Null: whenever the target is within its radius.
    const std::vector<std::vector<std::vector<double>>>* ugs_detections{nullptr};
};

std::vector<TruthEvent> compute_truth_events(const TruthInputs& in);

/// One target's visits to one ground sensor's radius, in time order: detected from the
/// sensor's first firing on it in that visit until it leaves (every second of the visit when
/// the inputs carry no firings).
class UgsVisit {
public:
    UgsVisit(const TruthInputs& in, std::size_t ugs, std::size_t target)
        : fired_(in.ugs_detections ? &(*in.ugs_detections)[ugs][target] : nullptr) {}
    /// Whether the target, `inside` the radius or not at `t_s` (called with t_s ascending), has
    /// been detected in this visit.
    bool detected(bool inside, double t_s) {
        if (fired_ == nullptr) return inside;
        bool fired_now = false;
        for (; next_ < fired_->size() && (*fired_)[next_] <= t_s; ++next_) fired_now = true;
        detected_ = inside && (detected_ || fired_now);
        return detected_;
    }

private:
    const std::vector<double>* fired_;
    std::size_t next_{0};
    bool detected_{false};
};

/// Pieces, exposed for tests.
std::vector<TruthEvent> border_crossing_events(const TruthInputs& in);
std::vector<TruthEvent> rendezvous_events(const TruthInputs& in);

}  // namespace picket::sim
