#pragma once
/// The deterministic scenario simulator. Given a scenario, a seed and a start time it produces
/// the time-ordered stream of wire messages real sensors would have sent (through the same
/// encoders the decoders are tested against), plus ground truth: target states at any time and
/// the truth events the rules should raise. Pure: no clock, no socket; the same (scenario, seed,
/// start) gives the same bytes.
///
///   Simulator sim(scenario, {.seed = 7, .start = t0});
///   SimMessage m;
///   while (sim.next(m)) publish(m);          // m.time is non-decreasing
///   sim.truth_at(t, samples);                // any time, any order
///   for (const TruthEvent& e : sim.truth_events()) ...
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "sim/scenario.hpp"
#include "sim/scenario_zones.hpp"
#include "sim/sim_world.hpp"
#include "sim/truth.hpp"

namespace picket::sim {

struct SimOptions {
    std::optional<std::uint64_t> seed;  ///< nullopt: the scenario's seed
    std::optional<Timestamp> start;     ///< required when the scenario says "now"
    std::optional<double> duration_s;   ///< nullopt: the scenario's duration
    /// Truth events are what these rules should raise (sim/rule_truth.hpp). Empty: the
    /// scenario's `truth.rules` file if it names one, else the scenario's own truth keys.
    std::string rules_file;
};

struct SimStats {
    std::uint64_t messages{0};
    std::uint64_t bytes{0};
};

class Simulator {
public:
    /// Builds targets (scripted + generated traffic), their paths, the sensor models and the
    /// truth events. Throws std::invalid_argument when the start time is missing, and
    /// std::runtime_error when a zone layer cannot be loaded or truth names an unknown zone.
    Simulator(const Scenario& scenario, const SimOptions& options);
    ~Simulator();
    Simulator(const Simulator&) = delete;
    Simulator& operator=(const Simulator&) = delete;

    /// The next message in time order; false when the scenario is over.
    bool next(SimMessage& out);

    [[nodiscard]] Timestamp start() const { return world_.start; }
    [[nodiscard]] Timestamp end() const { return world_.time_at(world_.duration_s); }
    [[nodiscard]] std::uint64_t seed() const { return world_.seed; }
    [[nodiscard]] const geo::LocalFrame& frame() const { return world_.frame; }
    [[nodiscard]] const std::vector<TargetSpec>& targets() const { return world_.targets; }
    [[nodiscard]] const SimWorld& world() const { return world_; }

    /// Every target present at t (truth ids ascending).
    void truth_at(Timestamp t, std::vector<TruthSample>& out) const;
    [[nodiscard]] const std::vector<TruthEvent>& truth_events() const { return events_; }
    [[nodiscard]] const SimStats& stats() const { return stats_; }

private:
    struct Pending {
        Timestamp time;
        std::uint64_t order;  ///< generation order: ties keep the models' order
        SimMessage message;
    };
    struct PendingLater {
        bool operator()(const std::unique_ptr<Pending>& a,
                        const std::unique_ptr<Pending>& b) const {
            return a->time != b->time ? a->time > b->time : a->order > b->order;
        }
    };

    /// Index of the model with the earliest next step (lowest index on ties), or npos.
    [[nodiscard]] std::size_t earliest_model() const;

    SimWorld world_;
    ScenarioZones zones_;
    std::vector<std::unique_ptr<SensorModel>> models_;
    std::vector<TruthEvent> events_;
    std::priority_queue<std::unique_ptr<Pending>, std::vector<std::unique_ptr<Pending>>,
                        PendingLater>
        pending_;
    std::vector<SimMessage> scratch_;
    std::uint64_t order_{0};
    SimStats stats_;
};

}  // namespace picket::sim
