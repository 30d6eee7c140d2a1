#include "sim/ugs_model.hpp"

#include <limits>

#include "sensors/json/json_detections.hpp"

namespace picket::sim {

UgsModel::UgsModel(const UgsSpec& spec, const SimWorld& world) : spec_(spec), world_(world) {
    draw_firings();
}

void UgsModel::draw_firings() {
    const SimWorld& world = world_;
    const Eigen::Vector2d site_en = world.frame.to_en(spec_.position);
    Rng rng(Rng::derive(world.seed, "ugs:" + spec_.feed.id));
    std::vector<std::size_t> land_targets;
    for (std::size_t i = 0; i < world.targets.size(); ++i)
        if (on_land(world.targets[i].kind)) land_targets.push_back(i);
    // Per land target, when it was last tried; -inf while outside.
    std::vector<double> last_try_s(land_targets.size(), -std::numeric_limits<double>::infinity());
    for (double t = 0; t < world.duration_s || t == 0; t += 1.0) {
        for (std::size_t k = 0; k < land_targets.size(); ++k) {
            const std::size_t i = land_targets[k];
            const Trajectory& path = world.paths[i];
            const bool inside =
                path.active(t) && (path.at(t).en - site_en).norm() <= spec_.radius_m;
            if (!inside) {
                last_try_s[k] = -std::numeric_limits<double>::infinity();
                continue;
            }
            if (t - last_try_s[k] < spec_.rearm_s) continue;
            last_try_s[k] = t;
            if (rng.chance(spec_.pd))
                firings_.push_back(
                    {t, i, target_class_of(world.targets[i].kind), rng.uniform(0.6, 0.95)});
        }
        const int false_alarms = rng.poisson(spec_.false_alarm_per_hour / 3600.0);
        for (int f = 0; f < false_alarms; ++f)
            firings_.push_back({t, kFalseAlarm, TargetClass::unknown, rng.uniform(0.3, 0.6)});
    }
}

double UgsModel::next_s() const { return next_ < firings_.size() ? firings_[next_].t_s : kNever; }

void UgsModel::step(std::vector<SimMessage>& out) {
    const double t = firings_[next_].t_s;
    for (; next_ < firings_.size() && firings_[next_].t_s == t; ++next_) {
        const Firing& f = firings_[next_];
        sensors::json::UgsEvent e;
        e.sensor_id = spec_.feed.id;
        e.time = world_.time_at(t);
        e.kind = sensors::json::UgsKind::seismic;
        e.target_class = f.target_class;
        e.confidence = f.confidence;
        e.radius_m = spec_.radius_m;
        e.position = spec_.position;
        e.event_id = ++event_id_;
        out.push_back(
            {spec_.feed.id, spec_.feed.endpoint, e.time, sensors::json::encode_ugs_event(e)});
    }
}

std::vector<double> UgsModel::detection_times(std::size_t target) const {
    std::vector<double> times;
    for (const Firing& f : firings_)
        if (f.target == target) times.push_back(f.t_s);
    return times;
}

}  // namespace picket::sim
