#include "rules/rule_engine.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include "geo/local_frame.hpp"
#include "rules/alert_text.hpp"
#include "rules/rule_engine_impl.hpp"

namespace picket::rules {

std::uint64_t stable_hash(std::string_view s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

namespace {

bool uses_track_state(AlertKind k) {
    switch (k) {
        case AlertKind::rendezvous:
        case AlertKind::ground_detection:
            return false;
        default:
            return true;
    }
}

std::string kn(double mps) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%.1f", mps / kMetresPerSecondPerKnot);
    return buf;
}

}  // namespace

RuleEngine::Impl::Impl(RuleBook b, AlertId next_id)
    : book(std::move(b)), ledger(next_id), geom(book, targets) {
    rule_target.resize(book.rules.size());
    rule_exempt_mmsi.resize(book.rules.size());
    rule_exempt_friendly.resize(book.rules.size());
    pairs.resize(book.rules.size());
    auto target_index = [&](GeoTarget g) {
        for (std::size_t i = 0; i < targets.size(); ++i) {
            const auto& o = targets[i];
            if (o.is_line == g.is_line && (g.is_line ? o.line == g.line : o.zone == g.zone))
                return i;
        }
        targets.push_back(g);
        return targets.size() - 1;
    };
    for (std::size_t r = 0; r < book.rules.size(); ++r) {
        const RuleSpec& spec = book.rules[r];
        if (spec.line) {
            rule_target[r] = target_index(GeoTarget{true, {}, *spec.line});
        } else if (spec.zone) {
            rule_target[r] = target_index(GeoTarget{false, *spec.zone, 0});
        }
        auto& ex = rule_exempt_mmsi[r];
        ex = spec.exempt_mmsi;
        ex.insert(ex.end(), book.exempt_mmsi.begin(), book.exempt_mmsi.end());
        std::sort(ex.begin(), ex.end());
        ex.erase(std::unique(ex.begin(), ex.end()), ex.end());
        rule_exempt_friendly[r] = spec.exempt_friendly.value_or(book.exempt_friendly);
        switch (spec.kind) {
            case AlertKind::rendezvous:
                rendezvous_rules.push_back(r);
                break;
            case AlertKind::ground_detection:
                ground_rules.push_back(r);
                break;
            default:
                break;
        }
        if (spec.kind == AlertKind::ais_anomaly) anomaly_rules.push_back(r);
        if (spec.kind == AlertKind::ais_gap) gap_rules.push_back(r);
        // Rendezvous rules with an area use the per-track area latch, so they are stepped per
        // track too (for the area only).
        if (uses_track_state(spec.kind) || (spec.kind == AlertKind::rendezvous && spec.zone))
            track_rules.push_back(r);
    }
}

TrackState& RuleEngine::Impl::state_for(TrackId id) {
    auto [it, inserted] = slot_of.try_emplace(id, 0);
    if (!inserted) return slots[it->second];
    std::size_t slot;
    if (!free_slots.empty()) {
        slot = free_slots.back();
        free_slots.pop_back();
        slots[slot] = TrackState{};
    } else {
        slot = slots.size();
        slots.emplace_back();
    }
    it->second = slot;
    TrackState& st = slots[slot];
    st.geo.resize(targets.size());
    st.rules.resize(book.rules.size());
    return st;
}

bool RuleEngine::Impl::exempt(std::size_t rule, const Track& t) const {
    if (t.standing == Standing::friendly && rule_exempt_friendly[rule]) return true;
    if (!t.identity) return false;
    const auto& ex = rule_exempt_mmsi[rule];
    return !ex.empty() && std::binary_search(ex.begin(), ex.end(), t.identity->mmsi);
}

bool RuleEngine::Impl::is_muted(TrackId id, Timestamp now) const {
    if (muted.empty()) return false;
    auto it = muted.find(id);
    return it != muted.end() && now < it->second;
}

bool RuleEngine::Impl::propose(std::size_t rule, std::uint64_t subject, std::uint64_t detail,
                               const Track& t, LatLon where, Timestamp now, std::string message) {
    if (t.id != 0 && is_muted(t.id, now)) return false;
    const RuleSpec& r = book.rules[rule];
    Alert a;
    a.kind = r.kind;
    a.severity = r.severity;
    a.rule = r.name;
    a.zone = r.place;
    a.track = t.id;
    a.where = where;
    a.when = now;
    a.message = std::move(message);
    a.evidence = t;
    pending.push_back(PendingAlert{IncidentKey{subject, static_cast<std::uint32_t>(rule), detail},
                                   std::move(a), r.escalate_after});
    return true;
}

void RuleEngine::Impl::flush_pending() {
    std::sort(pending.begin(), pending.end(),
              [](const PendingAlert& x, const PendingAlert& y) { return x.key < y.key; });
    for (auto& p : pending) ledger.raise(p.key, std::move(p.alert), p.escalate_after);
    pending.clear();
}

void RuleEngine::Impl::clear(std::size_t rule, std::uint64_t subject, std::uint64_t detail) {
    ledger.clear_incident(IncidentKey{subject, static_cast<std::uint32_t>(rule), detail});
}

namespace {

/// Steps a membership latch with the edge band of `margin_m`: the inside test is "more than
/// margin inside", the stay test "not more than margin outside" (reversed for want_outside).
LatchEvent step_area(RuleTrackState& s, bool inside, bool deep, bool want_outside,
                     bool reset_on_first, Timestamp now, Duration dwell, Duration clear_after) {
    const bool in_enter = want_outside ? (!inside && deep) : (inside && deep);
    const bool in_stay = want_outside ? (!inside || !deep) : (inside || !deep);
    if (!s.area_known) {
        s.area_known = true;
        if (reset_on_first) {
            // First sighting: a track seen already inside has not entered; raw side decides.
            s.area.reset(want_outside ? !inside : inside);
            return LatchEvent::none;
        }
    }
    return s.area.step(in_enter, in_stay, now, dwell, clear_after);
}

/// How long a predicted time to reach stays usable while the velocity holds. The prediction
/// looks 25 % beyond the horizon, so a crossing that comes into view later is still more than
/// the horizon away when it does, for any horizon above 40 s.
constexpr std::int64_t kTtrReuseNs = 10 * kNsPerSecond;

}  // namespace

void RuleEngine::Impl::evaluate_track(const Track& t, TrackState& st, Timestamp now) {
    const LatLon p = t.position;
    const double speed = t.speed_mps();
    if (st.mean_velocity_at_ns == ConditionLatch::kUnset) {
        st.mean_east_mps = t.east_mps;
        st.mean_north_mps = t.north_mps;
    } else if (now.ns > st.mean_velocity_at_ns) {
        const double dt = static_cast<double>(now.ns - st.mean_velocity_at_ns) / kNsPerSecond;
        const double w = std::min(1.0, dt / kMeanVelocityTimeConstantS);
        st.mean_east_mps += w * (t.east_mps - st.mean_east_mps);
        st.mean_north_mps += w * (t.north_mps - st.mean_north_mps);
    }
    st.mean_velocity_at_ns = now.ns;
    where_scratch.resize(targets.size());
    where_known.assign(targets.size(), 0);
    auto where_of = [&](std::size_t target) -> Where& {
        if (!where_known[target]) {
            where_scratch[target] = geom.at(st.geo, target, p);
            where_known[target] = 1;
        }
        return where_scratch[target];
    };
    for (std::size_t r : track_rules) {
        if (exempt(r, t)) continue;
        const RuleSpec& spec = book.rules[r];
        RuleTrackState& s = st.rules[r];
        const auto target = rule_target[r];

        // A level-triggered condition: raise while latched and not yet raised, re-arm when the
        // latch turns off. `message` is only built when an alert is actually proposed.
        auto level = [&](bool enter, bool stay, Duration dwell, auto&& message) {
            const LatchEvent ev = s.cond.step(enter, stay, now, dwell, spec.clear_after);
            if (ev == LatchEvent::turned_off && s.raised) {
                clear(r, t.id, 0);
                s.raised = false;
            }
            if (s.cond.on && !s.raised) s.raised = propose(r, t.id, 0, t, p, now, message());
        };
        // The exact distance to the rule's target, for messages (a query only when raising).
        auto exact_distance = [&] {
            Where& w = where_of(*target);
            w = geom.exact(st.geo, *target, p);
            return w.dist_lb_m;
        };

        switch (spec.kind) {
            case AlertKind::zone_entry:
            case AlertKind::zone_exit:
            case AlertKind::zone_presence: {
                Where& w = where_of(*target);
                const bool deep = !geom.below(st.geo, *target, p, w, spec.hysteresis_m);
                const bool exit = spec.kind == AlertKind::zone_exit;
                const bool presence = spec.kind == AlertKind::zone_presence;
                const LatchEvent ev = step_area(s, w.inside, deep, exit, !presence, now, spec.dwell,
                                                spec.clear_after);
                if (ev == LatchEvent::turned_off && s.raised) {
                    clear(r, t.id, 0);
                    s.raised = false;
                }
                const bool fire = presence ? s.area.on : ev == LatchEvent::turned_on;
                if (fire && !s.raised) {
                    std::string msg = describe_target(t) +
                                      (exit       ? " left "
                                       : presence ? " present in "
                                                  : " entered ") +
                                      spec.place + " at " + describe_motion(t);
                    s.raised = propose(r, t.id, 0, t, p, now, std::move(msg));
                } else if (spec.kind == AlertKind::zone_entry && !s.area.on && !s.raised &&
                           st.has_prev && !(st.prev == p) && !w.inside) {
                    // A transit: in and out between two updates (a corner, a narrow strip), seen on
                    // the path only. Skipped when the path is shorter than the distance bound.
                    const double seg = approx_distance_upper_m(st.prev, p);
                    if (seg >= geom.lower_bound_m(st.geo, *target, st.prev)) {
                        for (const geo::Crossing& c :
                             book.zones_of(*spec.zone).crossings(spec.zone->zone, st.prev, p)) {
                            if (!c.entering) continue;
                            s.raised = propose(r, t.id, 0, t, c.where, now,
                                               describe_target(t) + " passed through " +
                                                   spec.place + " at " + describe_motion(t));
                            s.rearm_since_ns = now.ns;
                            break;
                        }
                    }
                }
                if (spec.kind == AlertKind::zone_entry && s.raised && !s.area.on) {
                    // A transit's incident: the latch never turned on, so re-arm on time outside.
                    if (s.rearm_since_ns == ConditionLatch::kUnset ||
                        s.area.pending_since_ns != ConditionLatch::kUnset) {
                        s.rearm_since_ns = now.ns;
                    } else if (now.ns - s.rearm_since_ns >= spec.clear_after.ns) {
                        clear(r, t.id, 0);
                        s.raised = false;
                        s.rearm_since_ns = ConditionLatch::kUnset;
                    }
                }
                break;
            }
            case AlertKind::border_crossing: {
                const LineDef& line = book.lines[*spec.line];
                if (st.has_prev && !(st.prev == p)) {
                    // The path between updates, not just its ends: any crossing of the segment.
                    // Skipped when the segment is shorter than the distance bound at its start.
                    const double seg = approx_distance_upper_m(st.prev, p);
                    if (seg >= geom.lower_bound_m(st.geo, *target, st.prev)) {
                        for (const geo::Crossing& c : line.line.crossings(st.prev, p)) {
                            const int dir = c.entering ? +1 : -1;
                            s.side = static_cast<std::int8_t>(dir);
                            if ((spec.direction == 0 || dir == spec.direction) && !s.raised) {
                                std::string msg = describe_target(t) + " crossed ";
                                if (line.right_zone.empty()) {
                                    // A single zone's boundary: the zone is on the left.
                                    msg += line.name + (dir > 0 ? " out of " : " into ") +
                                           line.left_zone;
                                } else {
                                    msg += dir > 0 ? line.left_zone + " -> " + line.right_zone
                                                   : line.right_zone + " -> " + line.left_zone;
                                }
                                msg += " at " + describe_motion(t);
                                s.raised = propose(r, t.id, 0, t, c.where, now, std::move(msg));
                                s.rearm_since_ns = ConditionLatch::kUnset;
                            }
                        }
                    }
                }
                // Keep the cache anchored near the track (so the next segment's bound is useful),
                // and re-arm once the track is back on the far side, clear of the band, long
                // enough.
                Where& w = where_of(*target);
                if (s.raised) {
                    const bool away = !geom.below(st.geo, *target, p, w, spec.hysteresis_m) &&
                                      (spec.direction == 0 || s.side == -spec.direction);
                    if (!away) {
                        s.rearm_since_ns = ConditionLatch::kUnset;
                    } else {
                        if (s.rearm_since_ns == ConditionLatch::kUnset) s.rearm_since_ns = now.ns;
                        if (now.ns - s.rearm_since_ns >= spec.clear_after.ns) {
                            clear(r, t.id, 0);
                            s.raised = false;
                            s.rearm_since_ns = ConditionLatch::kUnset;
                        }
                    }
                }
                break;
            }
            case AlertKind::approach: {
                const bool is_line = spec.line.has_value();
                const double horizon_s = spec.horizon.seconds();
                const double reach_m =
                    (horizon_s > 0 && speed >= spec.min_speed_mps) ? speed * horizon_s * 1.25 : 0.0;
                Where& w = where_of(*target);
                const bool inside = !is_line && w.inside;
                double ttr_s = std::numeric_limits<double>::infinity();
                if (reach_m > 0 && !inside && w.dist_lb_m < reach_m) {
                    const bool reuse =
                        s.ttr_at_ns != ConditionLatch::kUnset &&
                        now.ns - s.ttr_at_ns < kTtrReuseNs &&
                        std::fabs(t.east_mps - s.ttr_east_mps) < 0.02 * speed + 0.05 &&
                        std::fabs(t.north_mps - s.ttr_north_mps) < 0.02 * speed + 0.05;
                    if (reuse) {
                        ttr_s = s.ttr_s - static_cast<double>(now.ns - s.ttr_at_ns) * 1e-9;
                    } else {
                        const LatLon dest = geo::geodesic_destination(p, t.course_deg(), reach_m);
                        const auto cs =
                            is_line ? book.lines[*spec.line].line.crossings(p, dest)
                                    : book.zones_of(*spec.zone).crossings(spec.zone->zone, p, dest);
                        for (const geo::Crossing& c : cs) {
                            const int dir = c.entering ? +1 : -1;
                            const bool match = is_line
                                                   ? (spec.direction == 0 || dir == spec.direction)
                                                   : c.entering;
                            if (match) {
                                ttr_s = c.fraction * reach_m / speed;
                                break;
                            }
                        }
                        s.ttr_at_ns = now.ns;
                        s.ttr_s = ttr_s;
                        s.ttr_east_mps = static_cast<float>(t.east_mps);
                        s.ttr_north_mps = static_cast<float>(t.north_mps);
                    }
                } else {
                    s.ttr_at_ns = ConditionLatch::kUnset;
                }
                const bool near_enter =
                    spec.distance_m > 0 && geom.below(st.geo, *target, p, w, spec.distance_m);
                const bool near_stay =
                    near_enter ||
                    (spec.distance_m > 0 &&
                     geom.below(st.geo, *target, p, w, spec.distance_m + spec.hysteresis_m));
                const bool enter = !inside && (near_enter || ttr_s < horizon_s);
                const bool stay = inside || near_stay || ttr_s < horizon_s * 1.25;
                level(enter, stay, spec.dwell, [&] {
                    std::string msg = describe_target(t) + " approaching " + spec.place + ": " +
                                      describe_distance(exact_distance());
                    if (std::isfinite(ttr_s)) msg += ", reaches it in " + describe_duration(ttr_s);
                    return msg + " at " + describe_motion(t);
                });
                break;
            }
            case AlertKind::speeding:
            case AlertKind::dark_target:
            case AlertKind::loitering:
            case AlertKind::ais_gap:
            case AlertKind::ais_anomaly:
            case AlertKind::rendezvous: {
                // The area filter: zone membership with the spatial band and no time hysteresis
                // (the rule's own condition carries dwell and clear_after), or nearness to a line.
                bool area_enter = true;
                bool area_stay = true;
                if (target && spec.zone && !spec.line) {
                    Where& w = where_of(*target);
                    const bool deep = !geom.below(st.geo, *target, p, w, spec.hysteresis_m);
                    step_area(s, w.inside, deep, false, false, now, Duration{0}, Duration{0});
                    area_enter = area_stay = s.area.on;
                } else if (target && spec.line) {
                    Where& w = where_of(*target);
                    area_enter = geom.below(st.geo, *target, p, w, spec.distance_m);
                    area_stay = area_enter || geom.below(st.geo, *target, p, w,
                                                         spec.distance_m + spec.hysteresis_m);
                }
                if (spec.kind == AlertKind::rendezvous) break;  // area only; pairs are done later
                auto where_text = [&]() -> std::string {
                    if (spec.place.empty()) return {};
                    if (spec.line)
                        return " within " + describe_distance(exact_distance()) + " of " +
                               spec.place;
                    return " in " + spec.place;
                };
                if (spec.kind == AlertKind::speeding) {
                    level(area_enter && speed > spec.speed_limit_mps,
                          area_stay && speed > spec.speed_limit_mps - spec.speed_hysteresis_mps,
                          spec.dwell, [&] {
                              return describe_target(t) + " at " + describe_motion(t) +
                                     where_text() + " (limit " + kn(spec.speed_limit_mps) + " kn)";
                          });
                } else if (spec.kind == AlertKind::dark_target) {
                    const bool dark = t.dark() && t.status != TrackStatus::deleted;
                    level(dark && area_enter, dark && area_stay, spec.dwell, [&] {
                        return describe_target(t) + " (no AIS)" + where_text() + " at " +
                               describe_motion(t);
                    });
                } else if (spec.kind == AlertKind::loitering) {
                    const double mean = st.mean_speed_mps();
                    level(area_enter && mean < spec.speed_limit_mps,
                          area_stay && mean < spec.speed_limit_mps + spec.speed_hysteresis_mps,
                          spec.dwell, [&] {
                              return describe_target(t) + " loitering below " +
                                     kn(spec.speed_limit_mps) + " kn for " +
                                     describe_duration(spec.dwell.seconds()) + where_text();
                          });
                } else if (spec.kind == AlertKind::ais_gap) {
                    const bool silent =
                        t.identity && t.last_ais && t.updated - *t.last_ais > spec.gap;
                    level(area_enter && silent, area_stay && silent, Duration{0}, [&] {
                        return describe_target(t) + " AIS silent for " +
                               describe_duration((t.updated - *t.last_ais).seconds()) +
                               " while radar holds it" + where_text();
                    });
                } else {  // ais_anomaly from the tracker's flags
                    auto wanted = [&](std::string_view reason) {
                        return spec.reasons.empty() ||
                               std::find(spec.reasons.begin(), spec.reasons.end(), reason) !=
                                   spec.reasons.end();
                    };
                    const bool spoof = t.spoof_suspect && wanted("spoof_suspect");
                    const bool jump = t.ais_jump && wanted("ais_jump");
                    level(area_enter && (spoof || jump), area_stay && (spoof || jump), spec.dwell,
                          [&] {
                              std::string what = spoof && jump ? "spoof_suspect, ais_jump"
                                                 : spoof       ? "spoof_suspect"
                                                               : "ais_jump";
                              return describe_target(t) + ": AIS anomaly (" + what + ")" +
                                     where_text();
                          });
                }
                break;
            }
            case AlertKind::ground_detection:
                break;
        }
    }
    st.prev = p;
    st.has_prev = true;
    if (t.identity) {
        st.last = t;
    } else if (st.last) {
        st.last.reset();
    }
}

RuleEngine::RuleEngine(RuleBook book, AlertId next_alert_id)
    : impl_(std::make_unique<Impl>(std::move(book), next_alert_id)) {}
RuleEngine::~RuleEngine() = default;

void RuleEngine::evaluate(std::span<const Track> tracks, Timestamp now) {
    Impl& m = *impl_;
    for (const Track& t : tracks) {
        if (t.status == TrackStatus::tentative || t.status == TrackStatus::deleted) continue;
        TrackState& st = m.state_for(t.id);
        st.seen_ns = now.ns;
        m.evaluate_track(t, st, now);
    }
    if (!m.rendezvous_rules.empty()) m.evaluate_rendezvous(tracks, now);
    m.expire_events(now);
    m.flush_pending();
    m.sweep(now);
    m.ledger.tick(now);
}

void RuleEngine::mute_track(TrackId id, Timestamp until) { impl_->muted[id] = until; }

bool RuleEngine::acknowledge(AlertId id, const std::string& by, Timestamp at) {
    return impl_->ledger.acknowledge(id, by, at);
}
bool RuleEngine::close(AlertId id, const std::string& by, Timestamp at) {
    return impl_->ledger.close(id, by, at);
}

void RuleEngine::restore_alerts(std::vector<Alert> open_alerts, AlertId next_alert_id) {
    std::map<std::string, Duration> escalate;
    for (const RuleSpec& r : impl_->book.rules)
        if (r.escalate_after) escalate.emplace(r.name, *r.escalate_after);
    impl_->ledger.restore(std::move(open_alerts), next_alert_id, escalate);
}

std::vector<Alert> RuleEngine::take_alert_updates() { return impl_->ledger.take_updates(); }
std::vector<Alert> RuleEngine::open_alerts() const { return impl_->ledger.open_alerts(); }
const AlertLedger& RuleEngine::ledger() const { return impl_->ledger; }
const RuleBook& RuleEngine::book() const { return impl_->book; }

RuleEngineStats RuleEngine::stats() const {
    RuleEngineStats s;
    s.tracks = impl_->slot_of.size();
    s.geometry_queries = impl_->geom.queries();
    for (const auto& p : impl_->pairs) s.rendezvous_pairs += p.size();
    s.active_incidents = impl_->ledger.active_incidents();
    return s;
}

}  // namespace picket::rules
