// Approach: outside a zone (or either side of a line), and near it, or heading into it soon.
#include <cmath>
#include <limits>

#include "geo/local_frame.hpp"
#include "rules/alert_text.hpp"
#include "rules/evaluators.hpp"

namespace picket::rules {
namespace {

/// How long a predicted time to reach stays usable while the velocity holds. The prediction
/// looks 25 % beyond the horizon, so a crossing that comes into view later is still more than
/// the horizon away when it does, for any horizon above 40 s.
constexpr std::int64_t kTtrReuseNs = 10 * kNsPerSecond;

/// Seconds until the track at its current velocity reaches the rule's zone or line in the
/// rule's direction, if within 1.25 x the horizon; +infinity otherwise.
double time_to_reach(RuleCycle& r, bool inside) {
    TrackCycle& c = r.c;
    RuleTrackState& s = r.s;
    const RuleSpec& spec = r.spec;
    const double horizon_s = spec.time_to_reach.seconds();
    const double speed = c.speed_mps;
    const double reach_m =
        (horizon_s > 0 && speed >= spec.min_speed_mps) ? speed * horizon_s * 1.25 : 0.0;
    Where& w = c.where(*r.target);
    if (!(reach_m > 0 && !inside && w.dist_lb_m < reach_m)) {
        s.ttr_at_ns = ConditionLatch::kUnset;
        return std::numeric_limits<double>::infinity();
    }
    const bool reuse = s.ttr_at_ns != ConditionLatch::kUnset &&
                       c.now.ns - s.ttr_at_ns < kTtrReuseNs &&
                       std::fabs(c.t.east_mps - s.ttr_east_mps) < 0.02 * speed + 0.05 &&
                       std::fabs(c.t.north_mps - s.ttr_north_mps) < 0.02 * speed + 0.05;
    if (reuse) return s.ttr_s - static_cast<double>(c.now.ns - s.ttr_at_ns) * 1e-9;
    const bool is_line = spec.line.has_value();
    const LatLon dest = geo::geodesic_destination(c.p, c.t.course_deg(), reach_m);
    const auto crossings =
        is_line ? c.m.book.lines[*spec.line].line.crossings(c.p, dest)
                : c.m.book.zones_of(*spec.zone).crossings(spec.zone->zone, c.p, dest);
    double ttr_s = std::numeric_limits<double>::infinity();
    for (const geo::Crossing& x : crossings) {
        const int dir = x.entering ? +1 : -1;
        if (is_line ? (spec.direction == 0 || dir == spec.direction) : x.entering) {
            ttr_s = x.fraction * reach_m / speed;
            break;
        }
    }
    s.ttr_at_ns = c.now.ns;
    s.ttr_s = ttr_s;
    s.ttr_east_mps = static_cast<float>(c.t.east_mps);
    s.ttr_north_mps = static_cast<float>(c.t.north_mps);
    return ttr_s;
}

/// Seconds until the track reaches the rule's zone or line (in the rule's direction) going at
/// (east, north) m/s from where it is, if within `horizon_s`; +infinity otherwise. No cache.
double reach_at_velocity_s(RuleCycle& r, double east_mps, double north_mps, double horizon_s) {
    TrackCycle& c = r.c;
    const RuleSpec& spec = r.spec;
    const double speed = std::hypot(east_mps, north_mps);
    if (!(speed >= spec.min_speed_mps) || speed <= 0)
        return std::numeric_limits<double>::infinity();
    const double reach_m = speed * horizon_s;
    const double course = std::atan2(east_mps, north_mps) * 180.0 / 3.14159265358979323846;
    const LatLon dest = geo::geodesic_destination(c.p, course, reach_m);
    const bool is_line = spec.line.has_value();
    const auto crossings =
        is_line ? c.m.book.lines[*spec.line].line.crossings(c.p, dest)
                : c.m.book.zones_of(*spec.zone).crossings(spec.zone->zone, c.p, dest);
    for (const geo::Crossing& x : crossings) {
        const int dir = x.entering ? +1 : -1;
        if (is_line ? (spec.direction == 0 || dir == spec.direction) : x.entering)
            return x.fraction * reach_m / speed;
    }
    return std::numeric_limits<double>::infinity();
}

/// The distance from the track to the rule's zone or line were the track one sigma of its
/// position further out: the exact distance plus the position's sigma along the direction
/// away from the target (the distance's gradient, from two more queries 10 m east and north).
double distance_one_sigma_out(RuleCycle& r) {
    TrackCycle& c = r.c;
    TrackGeometry& geom = c.m.geom;
    constexpr double kStepM = 10;
    const double d = r.exact_distance();
    const double ge =
        (geom.distance_m(*r.target, geo::geodesic_destination(c.p, 90, kStepM)) - d) / kStepM;
    const double gn =
        (geom.distance_m(*r.target, geo::geodesic_destination(c.p, 0, kStepM)) - d) / kStepM;
    const double norm2 = ge * ge + gn * gn;
    if (!(norm2 > 0)) return d;
    const Eigen::Vector2d g(ge, gn);
    const double var = g.dot(c.t.cov.topLeftCorner<2, 2>() * g) / norm2;
    return d + (std::isfinite(var) && var > 0 ? std::sqrt(var) : 0.0);
}

}  // namespace

void evaluate_approach(RuleCycle& r) {
    TrackCycle& c = r.c;
    const RuleSpec& spec = r.spec;
    const bool inside = !spec.line && c.where(*r.target).inside;
    const double ttr_s = time_to_reach(r, inside);
    const double horizon_s = spec.time_to_reach.seconds();
    const bool near = spec.near_m > 0 && c.below(*r.target, spec.near_m);
    const bool near_stay =
        near || (spec.near_m > 0 && c.below(*r.target, spec.near_m + spec.hysteresis_m));
    // Near starts an approach only if it holds one sigma of the track's position further out,
    // as speeding starts one sigma over its limit: a camera-only walker's track two frames old
    // was "574 m" from the border on a 600 m rule, +-230 m along the camera's ray, and 780 m
    // out in truth (Sixaola: the approach raised 2.3 min early). Only to start, and only from
    // outside (the queries are skipped once on, or inside, where nothing starts): the position
    // the track firms up to keeps it.
    const bool near_enter =
        near && !inside && (r.s.cond.on || distance_one_sigma_out(r) < spec.near_m);
    // Once inside it has arrived: the approach stays on (it is the same situation), it does not
    // start.
    // Heading in must hold on the track's mean velocity too (the 120 s exponential mean that
    // loitering judges by), not on one update's: a boat running along a zone's edge with a
    // heading that wobbles 20 deg between radar updates "reached" it nine times in 40 minutes
    // on the Gulf of Honduras (truth, at its true velocity: never). Only to start: once on, the
    // current velocity keeps it.
    // And only on a velocity the tracker knows to within half its speed (one sigma): a
    // fishing boat's track 6 s old, 19.5 kn from its first three plots (+-23 kn) for 4 kn,
    // "reached" AMATIQUE in 6 min (Gulf of Honduras, seed 11).
    const double var_v = c.t.cov(2, 2) + c.t.cov(3, 3);
    const bool velocity_known = std::isfinite(var_v) && 4 * var_v < c.speed_mps * c.speed_mps;
    // And reaching it within the horizon even one sigma slower (the track's speed along its
    // course), as speeding starts only one sigma over its limit: a 3.6 kn fishing boat whose
    // time to reach was 8 min on an 8 min horizon "approached" 99 s before it did at its true
    // speed (Gulf of Honduras, seed 11); the time to reach grows as the speed falls.
    const double sigma_v = c.t.speed_sigma_mps();
    const bool reaches_slower =
        c.speed_mps > sigma_v && ttr_s * c.speed_mps / (c.speed_mps - sigma_v) < horizon_s;
    // Unless it has turned: its velocity has left the mean by more than the velocity's own
    // uncertainty explains, at two measurements in a row (TrackState::turned). The mean lags a
    // turn by minutes: a ship running along AMATIQUE's edge 120 m out turned 90 deg into it
    // and was inside 50 s later, its mean still pointing along the edge (Gulf of Honduras,
    // gulf-lane-9). A wobbling heading is within its uncertainty, or not twice in a row.
    // Judged on one velocity, not a mean, only once the filter has settled on it: its velocity
    // variance no more than its usual (TrackState::var_v_mean). Mid-turn an IMM's estimate
    // overshoots and it knows it is unsure: a tanker's 45 deg turn read 135 deg at 18 kn for
    // 10 s (+-1.5 m/s, against +-0.3 before), where it settled on 105 deg at 13.5 kn and never
    // reached the zone (demo seed 23: a false approach).
    const bool settled = var_v <= c.st.var_v_mean;
    const bool heading_in =
        ttr_s < horizon_s && velocity_known && reaches_slower &&
        (c.st.turned() ? settled
                       : reach_at_velocity_s(r, c.st.mean_east_mps, c.st.mean_north_mps,
                                             horizon_s * 1.25) < horizon_s * 1.25);
    const bool enter = !inside && (near_enter || heading_in);
    const bool stay = inside || near_stay || ttr_s < horizon_s * 1.25;
    r.level(enter, stay, spec.dwell, [&] {
        std::string msg = describe_target(c.t) + " approaching " + spec.place + ": " +
                          describe_distance(r.exact_distance());
        if (std::isfinite(ttr_s)) msg += ", reaches it in " + describe_duration(ttr_s);
        return msg + " at " + describe_motion(c.t);
    });
}

}  // namespace picket::rules
