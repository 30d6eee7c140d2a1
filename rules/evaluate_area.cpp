// Zones and lines: entry, exit, presence and border crossings.
#include "geo/local_frame.hpp"
#include "rules/alert_text.hpp"
#include "rules/evaluators.hpp"

namespace picket::rules {
namespace {

/// Steps the membership latch with the edge band: the inside test is "more than the band
/// inside", the stay test "not more than the band outside" (reversed for want_outside). With
/// `reset_on_first`, the first sighting only sets the state: a track seen already inside a zone
/// has not entered it.
LatchEvent step_membership(RuleCycle& r, bool want_outside, bool reset_on_first, Duration dwell,
                           Duration clear_after) {
    Where& w = r.c.where(*r.target);
    const bool deep = !r.c.below(*r.target, r.spec.hysteresis_m);
    const bool inside = w.inside;
    const bool in_enter = want_outside ? (!inside && deep) : (inside && deep);
    const bool in_stay = want_outside ? (!inside || !deep) : (inside || !deep);
    RuleTrackState& s = r.s;
    if (!s.area_known) {
        s.area_known = true;
        if (reset_on_first) {
            s.area.reset(want_outside ? !inside : inside);
            return LatchEvent::none;
        }
    }
    return s.area.step(in_enter, in_stay, r.c.now, dwell, clear_after);
}

void membership(RuleCycle& r, bool exit, bool presence) {
    const LatchEvent ev = step_membership(r, exit, !presence, r.spec.dwell, r.spec.clear_after);
    RuleTrackState& s = r.s;
    if (ev == LatchEvent::turned_off && s.raise.raised) {
        r.clear();
        s.raise.raised = false;
    }
    // Entry and exit are the change itself; presence is the state.
    const bool fire = presence ? s.area.on : ev == LatchEvent::turned_on;
    if (!fire || s.raise.raised) return;
    s.raise.raised = r.raise(r.c.p, [&] {
        return describe_target(r.c.t) +
               (exit       ? " left "
                : presence ? " present in "
                           : " entered ") +
               r.spec.place + " at " + describe_motion(r.c.t);
    });
}

}  // namespace

std::pair<bool, bool> RuleCycle::area() {
    if (!target) return {true, true};
    if (spec.line) {
        const bool enter = c.below(*target, spec.within_m);
        return {enter, enter || c.below(*target, spec.within_m + spec.hysteresis_m)};
    }
    step_membership(*this, false, false, Duration{0}, Duration{0});
    return {s.area.on, s.area.on};
}

double RuleCycle::exact_distance() {
    Where& w = c.where(*target);
    w = c.m.geom.exact(c.st.geo, *target, c.p);
    return w.dist_lb_m;
}

std::string RuleCycle::where_text() {
    if (spec.place.empty()) return {};
    if (spec.line) return " within " + describe_distance(exact_distance()) + " of " + spec.place;
    return " in " + spec.place;
}

void evaluate_zone_exit(RuleCycle& r) { membership(r, true, false); }
void evaluate_zone_presence(RuleCycle& r) { membership(r, false, true); }

void evaluate_zone_entry(RuleCycle& r) {
    membership(r, false, false);
    RuleTrackState& s = r.s;
    TrackCycle& c = r.c;
    Where& w = c.where(*r.target);
    if (!s.area.on && !s.raise.raised && c.st.has_prev && !(c.st.prev == c.p) && !w.inside) {
        // A transit: in and out between two updates (a corner, a narrow strip), seen on the
        // path only. Skipped when the path is shorter than the distance bound at its start.
        const double seg = approx_distance_upper_m(c.st.prev, c.p);
        if (seg >= c.m.geom.lower_bound_m(c.st.geo, *r.target, c.st.prev)) {
            for (const geo::Crossing& x :
                 c.m.book.zones_of(*r.spec.zone).crossings(r.spec.zone->zone, c.st.prev, c.p)) {
                if (!x.entering) continue;
                if (r.raise(x.where, [&] {
                        return describe_target(c.t) + " passed through " + r.spec.place + " at " +
                               describe_motion(c.t);
                    }))
                    s.raise.raised_event();
                break;
            }
        }
    }
    // A transit's occurrence: the membership latch never turned on, so it ends after
    // clear_after without a new entry under way.
    if (!s.area.on && s.raise.rearm_when_away(s.area.pending_since_ns == ConditionLatch::kUnset,
                                              c.now, r.spec.clear_after))
        r.clear();
}

void evaluate_border_crossing(RuleCycle& r) {
    TrackCycle& c = r.c;
    RuleTrackState& s = r.s;
    const LineDef& line = c.m.book.lines[*r.spec.line];
    if (c.st.has_prev && !(c.st.prev == c.p)) {
        // The path between updates, not just its ends: any crossing of the segment. Skipped
        // when the segment is shorter than the distance bound at its start.
        const double seg = approx_distance_upper_m(c.st.prev, c.p);
        if (seg >= c.m.geom.lower_bound_m(c.st.geo, *r.target, c.st.prev)) {
            bool first = true;
            for (const geo::Crossing& x : line.line.crossings(c.st.prev, c.p)) {
                const int dir = x.entering ? +1 : -1;
                // Back across, in a later update, before ever getting clear of the band since
                // the last crossing: a track's estimate near the line wanders across it by its
                // own error (a camera's range error along a walker's path moved a track 1 m back
                // over the land border 1 s after its true crossing, and raised a false egress).
                // Two crossings on one segment are the path's own (through a narrow strip).
                const bool wander = first && s.side == -dir && !s.side_settled;
                first = false;
                s.side = static_cast<std::int8_t>(dir);
                s.side_settled = false;
                if (wander || (r.spec.direction != 0 && dir != r.spec.direction) || s.raise.raised)
                    continue;
                const bool raised = r.raise(x.where, [&] {
                    std::string msg = describe_target(c.t) + " crossed ";
                    if (line.right_zone.empty()) {
                        // A single zone's boundary: the zone is on the left.
                        msg += line.name + (dir > 0 ? " out of " : " into ") + line.left_zone;
                    } else {
                        msg += dir > 0 ? line.left_zone + " -> " + line.right_zone
                                       : line.right_zone + " -> " + line.left_zone;
                    }
                    return msg + " at " + describe_motion(c.t);
                });
                if (raised) s.raise.raised_event();
            }
        }
    }
    // Re-arm once the track is back on the far side, clear of the band, for clear_after (the
    // query also keeps the cache anchored near the track, so the next segment's bound is
    // useful).
    c.where(*r.target);
    if (!s.side_settled && !c.below(*r.target, r.spec.hysteresis_m)) s.side_settled = true;
    if (!s.raise.raised) return;
    const bool away = !c.below(*r.target, r.spec.hysteresis_m) &&
                      (r.spec.direction == 0 || s.side == -r.spec.direction);
    if (s.raise.rearm_when_away(away, c.now, r.spec.clear_after)) r.clear();
}

}  // namespace picket::rules
