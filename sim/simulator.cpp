#include "sim/simulator.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "rules/rule_file.hpp"
#include "sim/ais_model.hpp"
#include "sim/camera_model.hpp"
#include "sim/radar_model.hpp"
#include "sim/rule_truth.hpp"
#include "sim/traffic_generator.hpp"
#include "sim/truth_events.hpp"
#include "sim/ugs_model.hpp"

namespace picket::sim {

Simulator::Simulator(const Scenario& scenario, const SimOptions& options) : zones_(scenario) {
    if (options.start) {
        world_.start = *options.start;
    } else if (scenario.start) {
        world_.start = *scenario.start;
    } else {
        throw std::invalid_argument(scenario.source_file +
                                    ": scenario start is 'now': the caller must pass a start time");
    }
    world_.seed = options.seed.value_or(scenario.seed);
    world_.duration_s = options.duration_s.value_or(scenario.duration_s);
    world_.frame = geo::LocalFrame(scenario.origin);
    world_.targets = all_targets(scenario, world_.frame, world_.duration_s, world_.seed);
    world_.paths.reserve(world_.targets.size());
    for (const TargetSpec& t : world_.targets)
        world_.paths.emplace_back(t, world_.frame, world_.seed);

    // Model order is part of the determinism contract (ties go to the earlier model).
    for (const RadarSpec& r : scenario.radars)
        models_.push_back(std::make_unique<RadarModel>(r, world_));
    const AisModel* ais = nullptr;
    if (!scenario.ais_receivers.empty()) {
        auto model = std::make_unique<AisModel>(scenario.ais_receivers, world_);
        ais = model.get();
        models_.push_back(std::move(model));
    }
    for (const CameraSpec& c : scenario.cameras)
        models_.push_back(std::make_unique<CameraModel>(c, world_));
    std::vector<const UgsModel*> ugs_models;
    for (const UgsSpec& u : scenario.ugs) {
        auto model = std::make_unique<UgsModel>(u, world_);
        ugs_models.push_back(model.get());
        models_.push_back(std::move(model));
    }

    // AIS is heard when a report is transmitted, not every second the transponder is on.
    std::vector<std::vector<double>> ais_reports(world_.targets.size());
    if (ais)
        for (std::size_t i = 0; i < world_.targets.size(); ++i)
            ais_reports[i] = ais->position_report_times(i);
    // A ground sensor detects a target when it fires on it, not whenever the target is in reach.
    std::vector<std::vector<std::vector<double>>> ugs_fired(ugs_models.size());
    for (std::size_t u = 0; u < ugs_models.size(); ++u)
        for (std::size_t i = 0; i < world_.targets.size(); ++i)
            ugs_fired[u].push_back(ugs_models[u]->detection_times(i));
    const TruthInputs truth{scenario,     world_.targets,    world_.paths, world_.frame, zones_,
                            world_.start, world_.duration_s, &ais_reports, &ugs_fired};
    const std::string& rules_file =
        options.rules_file.empty() ? scenario.truth.rules_file : options.rules_file;
    events_ = rules_file.empty() ? compute_truth_events(truth)
                                 : rule_truth_events(truth, rules::load_rule_file(rules_file));
    const Timestamp end_time = end();
    std::erase_if(events_, [&](const TruthEvent& e) { return e.time > end_time; });
}

Simulator::~Simulator() = default;

std::size_t Simulator::earliest_model() const {
    std::size_t best = std::numeric_limits<std::size_t>::max();
    double best_t = kNever;
    for (std::size_t i = 0; i < models_.size(); ++i) {
        const double t = models_[i]->next_s();
        if (t < best_t) {
            best_t = t;
            best = i;
        }
    }
    return best;
}

bool Simulator::next(SimMessage& out) {
    for (;;) {
        const std::size_t m = earliest_model();
        const bool have_model = m != std::numeric_limits<std::size_t>::max();
        // A pending message may go out once no model can still produce an earlier one: every
        // model emits at or after its own next step time.
        if (!pending_.empty() &&
            (!have_model || pending_.top()->time <= world_.time_at(models_[m]->next_s()))) {
            // priority_queue::top is const: move out through the owning pointer.
            out = std::move(pending_.top()->message);
            pending_.pop();
            ++stats_.messages;
            stats_.bytes += out.bytes.size();
            return true;
        }
        if (!have_model) return false;
        scratch_.clear();
        models_[m]->step(scratch_);
        for (SimMessage& msg : scratch_) {
            if (msg.time > end()) continue;
            auto p = std::make_unique<Pending>();
            p->time = msg.time;
            p->order = order_++;
            p->message = std::move(msg);
            pending_.push(std::move(p));
        }
    }
}

void Simulator::truth_at(Timestamp t, std::vector<TruthSample>& out) const {
    out.clear();
    const double t_s = static_cast<double>((t - world_.start).ns) * 1e-9;
    for (std::size_t i = 0; i < world_.targets.size(); ++i) {
        const Trajectory& path = world_.paths[i];
        if (!path.active(t_s)) continue;
        const MotionState s = path.at(t_s);
        TruthSample ts;
        ts.time = t;
        ts.truth_id = static_cast<TruthId>(i + 1);
        ts.name = world_.targets[i].name;
        ts.where = world_.frame.to_latlon(s.en);
        ts.east_m = s.en.x();
        ts.north_m = s.en.y();
        ts.east_mps = s.vel_mps.x();
        ts.north_mps = s.vel_mps.y();
        ts.target_class = target_class_of(world_.targets[i].kind);
        out.push_back(ts);
    }
}

}  // namespace picket::sim
