// The event-driven inputs of the rule engine: track deletions (AIS gap "lost"), AIS anomalies
// and ground detections, plus the rendezvous pass over pairs of tracks.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <variant>

#include "geo/local_frame.hpp"
#include "rules/alert_text.hpp"
#include "rules/rendezvous_grid.hpp"
#include "rules/rule_engine.hpp"
#include "rules/rule_engine_impl.hpp"

namespace picket::rules {

void RuleEngine::on_tracks_deleted(std::span<const TrackId> ids, Timestamp now) {
    Impl& m = *impl_;
    std::vector<TrackId> sorted(ids.begin(), ids.end());
    std::sort(sorted.begin(), sorted.end());
    for (TrackId id : sorted) {
        auto it = m.slot_of.find(id);
        if (it == m.slot_of.end()) continue;
        TrackState& st = m.slots[it->second];
        if (st.last && st.last->last_ais) {
            const Track& t = *st.last;
            for (std::size_t r : m.gap_rules) {
                const RuleSpec& spec = m.book.rules[r];
                if (!spec.on_lost || m.exempt(r, t)) continue;
                if (spec.zone && !st.rules[r].area.on) continue;
                // Radar kept the track after the AIS stopped, then lost it too: "went dark,
                // then slipped away". A vessel leaving both coverages at once is not reported.
                const Duration held = t.updated - *t.last_ais;
                if (held < spec.lost_after) continue;
                m.propose(r, id, kLostDetail, t, t.position, now,
                          describe_target(t) + " lost; AIS silent for " +
                              describe_duration((now - *t.last_ais).seconds()) +
                              (spec.place.empty() ? std::string{} : " in " + spec.place));
            }
        }
    }
    m.flush_pending();
    for (TrackId id : sorted) m.forget(id);
}

void RuleEngine::Impl::forget(TrackId id) {
    if (auto it = slot_of.find(id); it != slot_of.end()) {
        slots[it->second] = TrackState{};
        free_slots.push_back(it->second);
        slot_of.erase(it);
    }
    ledger.clear_subject(id);
    muted.erase(id);
    for (std::size_t r : rendezvous_rules) {
        auto& states = pairs[r];
        for (auto p = states.begin(); p != states.end();) {
            if (p->first.first == id || p->first.second == id) {
                clear(r, p->first.first, p->first.second);
                p = states.erase(p);
            } else {
                ++p;
            }
        }
    }
}

void RuleEngine::Impl::sweep(Timestamp now) {
    if (now.ns - last_sweep_ns < 60 * kNsPerSecond) return;
    last_sweep_ns = now.ns;
    std::vector<TrackId> stale;
    for (const auto& [id, slot] : slot_of)
        if (now.ns - slots[slot].seen_ns > kForgetAfter.ns) stale.push_back(id);
    std::sort(stale.begin(), stale.end());  // raises nothing, but keep it order-independent
    for (TrackId id : stale) forget(id);
    std::erase_if(muted, [&](const auto& m) { return m.second <= now; });
}

void RuleEngine::on_anomaly(TrackId track, Mmsi mmsi, std::string_view reason, LatLon where,
                            Timestamp at) {
    Impl& m = *impl_;
    Track t;
    if (auto it = m.slot_of.find(track);
        track != 0 && it != m.slot_of.end() && m.slots[it->second].last) {
        t = *m.slots[it->second].last;
    } else {
        t.id = track;
        t.position = where;
        t.status = TrackStatus::confirmed;
        // The MMSI the report claimed, as sent: an invalid one (0, a test pattern) is what the
        // operator needs to tell one anomaly from another (issue 15: 545 alike alerts).
        t.identity = Identity{.mmsi = mmsi};
    }
    const std::uint64_t subject = track != 0 ? track : (kMmsiSubjectBit | mmsi);
    const std::uint64_t detail = stable_hash(reason) | 2;  // never 0/1 (flag and lost details)
    for (std::size_t r : m.anomaly_rules) {
        const RuleSpec& spec = m.book.rules[r];
        if (m.exempt(r, t)) continue;
        if (!spec.reasons.empty() &&
            std::find(spec.reasons.begin(), spec.reasons.end(), reason) == spec.reasons.end())
            continue;
        if (spec.zone && !m.book.zones_of(*spec.zone).contains(spec.zone->zone, where)) continue;
        const IncidentKey key{subject, static_cast<std::uint32_t>(r), detail};
        auto [ev, fresh] = m.events.try_emplace(key, at);
        if (!fresh) {
            // Same reason again within clear_after: the same incident, still going.
            ev->second = std::max(ev->second, at);
            continue;
        }
        std::string msg = describe_target(t) + ": AIS anomaly (" + std::string(reason) + ")";
        if (!(t.identity && t.identity->mmsi == mmsi)) {
            char buf[32];
            std::snprintf(buf, sizeof buf, " claiming MMSI %09u", static_cast<unsigned>(mmsi));
            msg += buf;
        }
        if (!m.propose(r, subject, detail, t, where, at, std::move(msg))) m.events.erase(ev);
    }
    m.flush_pending();
}

namespace {

std::optional<LatLon> detection_position(const Measurement& meas) {
    if (const auto* pz = std::get_if<PositionZ>(&meas.z)) return pz->where;
    if (const auto* polar = std::get_if<PolarZ>(&meas.z))
        return geo::geodesic_destination(polar->site.position,
                                         polar->bearing_rad * (180.0 / 3.14159265358979323846),
                                         polar->range_m);
    // A bearing-only camera detection has no range: the camera's own site stands in for it,
    // which is right for the short-range cameras watching a border crossing point.
    if (const auto* b = std::get_if<BearingZ>(&meas.z)) return b->site.position;
    return std::nullopt;
}

}  // namespace

void RuleEngine::on_detection(const Measurement& meas) {
    Impl& m = *impl_;
    const auto where = detection_position(meas);
    if (!where) return;
    const Timestamp at = meas.observed;
    for (std::size_t r : m.ground_rules) {
        const RuleSpec& spec = m.book.rules[r];
        const bool sensor_ok =
            spec.sensors.empty()
                ? (meas.sensor == SensorKind::ugs || meas.sensor == SensorKind::camera)
                : std::find(spec.sensors.begin(), spec.sensors.end(), meas.sensor) !=
                      spec.sensors.end();
        if (!sensor_ok) continue;
        if (!spec.classes.empty() && std::find(spec.classes.begin(), spec.classes.end(),
                                               meas.target_class) == spec.classes.end())
            continue;
        if (meas.sensor == SensorKind::camera && meas.class_confidence < spec.min_confidence)
            continue;
        double dist = 0;
        if (spec.line) {
            dist = m.book.lines[*spec.line].line.distance_m(*where);
            if (!(dist < spec.distance_m)) continue;
        } else if (spec.zone) {
            if (!m.book.zones_of(*spec.zone).contains(spec.zone->zone, *where)) continue;
        }
        const std::uint64_t subject = kDetectionSubjectBit |
                                      (static_cast<std::uint64_t>(meas.feed) << 40) |
                                      (meas.source_object_id & ((1ULL << 40) - 1));
        const IncidentKey key{subject, static_cast<std::uint32_t>(r), 0};
        auto [ev, fresh] = m.events.try_emplace(key, at);
        if (!fresh) {
            ev->second = std::max(ev->second, at);
            continue;
        }
        Track t;
        t.position = *where;
        t.updated = at;
        t.born = at;
        t.target_class = meas.target_class;
        t.seen_by.add(meas.sensor);
        std::string msg = std::string(to_string(meas.sensor)) + " detection";
        if (meas.target_class != TargetClass::unknown)
            msg += " (" + std::string(to_string(meas.target_class)) + ")";
        msg += spec.line   ? " " + describe_distance(dist) + " from " + spec.place
               : spec.zone ? " in " + spec.place
                           : std::string{};
        if (!m.propose(r, subject, 0, t, *where, at, std::move(msg))) m.events.erase(ev);
    }
    m.flush_pending();
}

void RuleEngine::Impl::expire_events(Timestamp now) {
    for (auto it = events.begin(); it != events.end();) {
        const RuleSpec& spec = book.rules[it->first.rule];
        if (now - it->second >= spec.clear_after) {
            ledger.clear_incident(it->first);
            it = events.erase(it);
        } else {
            ++it;
        }
    }
}

void RuleEngine::Impl::evaluate_rendezvous(std::span<const Track> tracks, Timestamp now) {
    std::vector<GridPoint> points;
    std::vector<const Track*> who;
    std::vector<double>
        mean_speed;  // per point: the track's recent mean speed (rule_engine_impl.hpp)
    for (std::size_t r : rendezvous_rules) {
        const RuleSpec& spec = book.rules[r];
        points.clear();
        who.clear();
        mean_speed.clear();
        const double slow = spec.speed_limit_mps + spec.speed_hysteresis_mps;
        for (const Track& t : tracks) {
            if (t.status == TrackStatus::tentative || t.status == TrackStatus::deleted) continue;
            const auto it = slot_of.find(t.id);  // evaluate() gave every such track a slot
            if (it == slot_of.end()) continue;
            const TrackState& st = slots[it->second];
            if (st.mean_speed_mps() >= slow || exempt(r, t)) continue;
            if (spec.zone && !st.rules[r].area.on) continue;
            points.push_back(GridPoint{t.id, t.position});
            who.push_back(&t);
            mean_speed.push_back(st.mean_speed_mps());
        }
        auto& states = pairs[r];
        const double stay_m = spec.distance_m + spec.hysteresis_m;
        for (const ClosePair& cp : find_close_pairs(points, stay_m)) {
            const Track& a = *who[cp.a];
            const Track& b = *who[cp.b];
            const bool enter = cp.distance_m < spec.distance_m &&
                               mean_speed[cp.a] < spec.speed_limit_mps &&
                               mean_speed[cp.b] < spec.speed_limit_mps;
            auto [it, fresh] = states.try_emplace({a.id, b.id});
            PairState& ps = it->second;
            ps.seen_ns = now.ns;
            const LatchEvent ev = ps.latch.step(enter, true, now, spec.dwell, spec.clear_after);
            (void)ev;
            if (ps.latch.on && !ps.raised) {
                // The geodesic midpoint: right across the antimeridian too.
                const LatLon mid = geo::geodesic_destination(
                    a.position, geo::geodesic_bearing_deg(a.position, b.position),
                    cp.distance_m / 2);
                std::string msg = describe_target(a) + " and " + describe_target(b) + " within " +
                                  describe_distance(cp.distance_m) + " for " +
                                  describe_duration(spec.dwell.seconds()) + " below " +
                                  std::to_string(static_cast<int>(std::lround(
                                      spec.speed_limit_mps / kMetresPerSecondPerKnot))) +
                                  " kn";
                if (!is_muted(a.id, now) && !is_muted(b.id, now)) {
                    ps.raised = propose(r, a.id, b.id, a, mid, now, std::move(msg));
                    if (ps.raised) pending.back().alert.other_track = b.id;
                }
            }
        }
        // Pairs not close (or not slow) this cycle: their condition failed.
        for (auto it = states.begin(); it != states.end();) {
            PairState& ps = it->second;
            if (ps.seen_ns != now.ns) {
                const LatchEvent ev =
                    ps.latch.step(false, false, now, spec.dwell, spec.clear_after);
                if (ev == LatchEvent::turned_off && ps.raised) {
                    clear(r, it->first.first, it->first.second);
                    ps.raised = false;
                }
                if (!ps.latch.on && ps.latch.pending_since_ns == ConditionLatch::kUnset) {
                    it = states.erase(it);
                    continue;
                }
            }
            ++it;
        }
    }
}

}  // namespace picket::rules
