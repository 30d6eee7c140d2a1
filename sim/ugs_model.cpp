#include "sim/ugs_model.hpp"

#include <limits>

#include "sensors/json/json_detections.hpp"

namespace picket::sim {

UgsModel::UgsModel(const UgsSpec& spec, const SimWorld& world)
    : spec_(spec),
      world_(world),
      site_en_(world.frame.to_en(spec.position)),
      rng_(Rng::derive(world.seed, "ugs:" + spec.feed.id)) {
    for (std::size_t i = 0; i < world.targets.size(); ++i)
        if (on_land(world.targets[i].kind)) land_targets_.push_back(i);
    last_try_s_.assign(land_targets_.size(), -std::numeric_limits<double>::infinity());
}

void UgsModel::step(std::vector<SimMessage>& out) {
    const double t = next_s_;
    next_s_ = t + 1.0 < world_.duration_s ? t + 1.0 : kNever;
    auto emit = [&](TargetClass cls, double confidence) {
        sensors::json::UgsEvent e;
        e.sensor_id = spec_.feed.id;
        e.time = world_.time_at(t);
        e.kind = sensors::json::UgsKind::seismic;
        e.target_class = cls;
        e.confidence = confidence;
        e.radius_m = spec_.radius_m;
        e.position = spec_.position;
        e.event_id = ++event_id_;
        out.push_back(
            {spec_.feed.id, spec_.feed.endpoint, e.time, sensors::json::encode_ugs_event(e)});
    };
    for (std::size_t k = 0; k < land_targets_.size(); ++k) {
        const std::size_t i = land_targets_[k];
        const Trajectory& path = world_.paths[i];
        const bool inside = path.active(t) && (path.at(t).en - site_en_).norm() <= spec_.radius_m;
        if (!inside) {
            last_try_s_[k] = -std::numeric_limits<double>::infinity();
            continue;
        }
        if (t - last_try_s_[k] < spec_.rearm_s) continue;
        last_try_s_[k] = t;
        if (rng_.chance(spec_.pd))
            emit(target_class_of(world_.targets[i].kind), rng_.uniform(0.6, 0.95));
    }
    const int false_alarms = rng_.poisson(spec_.false_alarm_per_hour / 3600.0);
    for (int f = 0; f < false_alarms; ++f) emit(TargetClass::unknown, rng_.uniform(0.3, 0.6));
}

}  // namespace picket::sim
