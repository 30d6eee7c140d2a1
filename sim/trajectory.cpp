#include "sim/trajectory.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "sim/sim_random.hpp"

namespace picket::sim {
namespace {

constexpr double kMinSpeedMps = 0.05;  // a zero speed would never arrive

/// Appends a straight leg from the last knot to `to` at `speed`; the new knot ends the leg.
void travel(std::vector<Knot>& knots, const Eigen::Vector2d& to, double speed_mps,
            Activity activity) {
    Knot& last = knots.back();
    const double d = (to - last.en).norm();
    last.activity = activity;
    const double dt = d / std::max(speed_mps, kMinSpeedMps);
    knots.push_back({last.t_s + dt, to, Activity::transit});
}

/// Wanders within `radius` of `centre` for exactly `duration` seconds: random points in the
/// disc, straight legs between them, the last leg cut short where the time runs out.
void loiter(std::vector<Knot>& knots, const Eigen::Vector2d& centre, double radius_m,
            double speed_mps, double duration_s, Rng& rng) {
    const double end = knots.back().t_s + duration_s;
    const double speed = std::max(speed_mps, kMinSpeedMps);
    while (knots.back().t_s < end) {
        const double r = radius_m * std::sqrt(rng.uniform());
        const double a = rng.uniform(0, 2 * std::numbers::pi);
        Eigen::Vector2d to = centre + r * Eigen::Vector2d(std::cos(a), std::sin(a));
        const Knot& last = knots.back();
        const double leg = (to - last.en).norm() / speed;
        if (last.t_s + leg > end) {
            const double f = leg > 0 ? (end - last.t_s) / leg : 1.0;
            to = last.en + f * (to - last.en);
        }
        knots.back().activity = Activity::loiter;
        knots.push_back({std::min(last.t_s + leg, end), to, Activity::transit});
    }
}

void hold(std::vector<Knot>& knots, double duration_s) {
    Knot& last = knots.back();
    last.activity = Activity::hold;
    knots.push_back({last.t_s + duration_s, last.en, Activity::transit});
}

}  // namespace

Trajectory::Trajectory(const TargetSpec& target, const geo::LocalFrame& frame, std::uint64_t seed) {
    Rng rng(Rng::derive(seed, "trajectory:" + target.name));
    bool first = true;
    for (const WaypointSpec& w : target.waypoints) {
        const Eigen::Vector2d p = frame.to_en(w.where);
        if (first) {
            knots_.push_back({target.start_s, p, Activity::transit});
            first = false;
        } else {
            travel(knots_, p, w.speed_mps, Activity::transit);
        }
        if (w.hold_s > 0) hold(knots_, w.hold_s);
        if (w.loiter_s > 0)
            loiter(knots_, p, w.loiter_radius_m, w.loiter_speed_mps, w.loiter_s, rng);
    }
}

MotionState Trajectory::at(double t_s) const {
    MotionState s;
    if (knots_.empty()) return s;
    if (t_s <= knots_.front().t_s) {
        s.en = knots_.front().en;
        s.activity = knots_.front().activity;
        if (knots_.size() > 1) {
            const Knot& a = knots_[0];
            const Knot& b = knots_[1];
            if (b.t_s > a.t_s) s.vel_mps = (b.en - a.en) / (b.t_s - a.t_s);
        }
        return s;
    }
    if (t_s >= knots_.back().t_s) {
        s.en = knots_.back().en;
        s.activity = knots_.back().activity;
        return s;
    }
    // First knot strictly after t: the segment is [it-1, it).
    const auto it = std::upper_bound(knots_.begin(), knots_.end(), t_s,
                                     [](double t, const Knot& k) { return t < k.t_s; });
    const Knot& a = *(it - 1);
    const Knot& b = *it;
    const double span = b.t_s - a.t_s;
    const double f = span > 0 ? (t_s - a.t_s) / span : 0;
    s.en = a.en + f * (b.en - a.en);
    s.vel_mps = span > 0 ? Eigen::Vector2d((b.en - a.en) / span) : Eigen::Vector2d(0, 0);
    s.activity = a.activity;
    return s;
}

std::vector<Trajectory::Interval> Trajectory::intervals(Activity activity) const {
    std::vector<Interval> out;
    for (std::size_t i = 0; i + 1 < knots_.size(); ++i) {
        if (knots_[i].activity != activity) continue;
        if (!out.empty() && out.back().end_s == knots_[i].t_s) {
            out.back().end_s = knots_[i + 1].t_s;
        } else {
            out.push_back({knots_[i].t_s, knots_[i + 1].t_s, knots_[i].en});
        }
    }
    return out;
}

}  // namespace picket::sim
