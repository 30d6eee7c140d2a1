// The event-driven inputs of the rule engine: track deletions (AIS gap "lost"), AIS anomalies
// and ground detections, plus the rendezvous pass over pairs of tracks.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <variant>

#include "geo/local_frame.hpp"
#include "rules/alert_text.hpp"
#include "rules/rendezvous_grid.hpp"
#include "rules/rule_engine.hpp"
#include "rules/rule_engine_impl.hpp"

namespace picket::rules {
namespace {

/// A track seen in the picture within this long can explain a detection.
constexpr std::int64_t kExplainRecentNs = 30 * kNsPerSecond;
/// What a track's predicted position may be off by when it explains a detection.
constexpr double kTrackExplainMarginM = 100;

/// How far from a positioned detection a track may be to explain it: three sigmas of the
/// detection's own uncertainty (a ground sensor's radius) plus the track's margin, at most the
/// rule file's `explain_m`. A person 90 s past a sensor does not explain its next firing: the
/// one who just walked into its radius does.
double explain_distance_m(const Measurement& meas, double explain_m) {
    const auto* pz = std::get_if<PositionZ>(&meas.z);
    if (!pz) return explain_m;
    const double sigma_m = std::sqrt(std::max(pz->cov_en_m2(0, 0), pz->cov_en_m2(1, 1)));
    return std::min(explain_m, 3 * sigma_m + kTrackExplainMarginM);
}

/// Where a velocity (east, north) carries `from` in `dt_s` seconds.
LatLon dead_reckoned(LatLon from, double east_mps, double north_mps, double dt_s) {
    return geo::geodesic_destination(
        from, std::atan2(east_mps, north_mps) * 180.0 / 3.14159265358979323846,
        std::hypot(east_mps, north_mps) * dt_s);
}

/// Where a track is at `at`, dead-reckoned from its last position (at most 30 s either way:
/// what a detection is judged against is the track's last few seconds).
LatLon track_at(const TrackState& st, Timestamp at) {
    const double dt = std::clamp((at - st.prev_time).seconds(), -30.0, 30.0);
    return dead_reckoned(st.prev, st.east_mps, st.north_mps, dt);
}

std::string anomaly_message(const Track& t, Mmsi mmsi, std::uint32_t reasons) {
    std::string msg = describe_target(t) + ": AIS anomaly (";
    bool first = true;
    for (int r = 0; r < kAnomalyReasonCount; ++r) {
        if (!(reasons >> r & 1u)) continue;
        msg += (first ? "" : ", ") + std::string(to_string(static_cast<AnomalyReason>(r)));
        first = false;
    }
    msg += ")";
    if (!(t.identity && t.identity->mmsi == mmsi)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, " claiming MMSI %09u", static_cast<unsigned>(mmsi));
        msg += buf;
    }
    return msg;
}

/// Which sensor a detection came from, for its key: a camera is its feed; a ground sensor on a
/// gateway feed is its position (each event carries its sensor's).
std::uint64_t sensor_detail(const Measurement& m) {
    std::uint64_t h = static_cast<std::uint64_t>(m.feed) * 0x9E3779B97F4A7C15ULL;
    if (const auto* pz = std::get_if<PositionZ>(&m.z); pz && m.sensor == SensorKind::ugs) {
        h ^= static_cast<std::uint64_t>(std::llround(pz->where.lat_deg * 1e5)) *
             0xC2B2AE3D27D4EB4FULL;
        h ^= static_cast<std::uint64_t>(std::llround(pz->where.lon_deg * 1e5)) *
             0x165667B19E3779F9ULL;
    }
    return h | (1ULL << 63);  // never a rule's own detail (0, 1, 2 + situation)
}

/// Where a bearing-only detection meets what a rule watches, within kMaxCameraRayM.
std::optional<LatLon> watched_point(const RuleBook& book, const RuleSpec& spec,
                                    const PlacedDetection& d) {
    const LatLon far = point_on_ray(d.site, d.bearing_deg, kMaxCameraRayM);
    if (spec.line) {
        const auto xs = book.lines[*spec.line].line.crossings(d.site, far);
        if (!xs.empty()) return xs.front().where;
    } else if (spec.zone) {
        const auto& zones = book.zones_of(*spec.zone);
        if (zones.contains(spec.zone->zone, d.site)) return d.site;  // watching from inside
        for (const geo::Crossing& x : zones.crossings(spec.zone->zone, d.site, far))
            if (x.entering) return x.where;
    }
    return std::nullopt;
}

}  // namespace

void RuleEngine::on_tracks_deleted(std::span<const TrackId> ids, Timestamp now) {
    Impl& m = *impl_;
    std::vector<TrackId> sorted(ids.begin(), ids.end());
    std::sort(sorted.begin(), sorted.end());
    for (TrackId id : sorted) {
        auto it = m.slot_of.find(id);
        if (it == m.slot_of.end()) continue;
        TrackState& st = m.slots[it->second];
        if (!st.last || !st.last->last_ais) continue;
        const Track& t = *st.last;
        for (std::size_t r : m.gap_rules) {
            const RuleSpec& spec = m.book.rules[r];
            if (!spec.on_lost || m.exempt(r, t)) continue;
            if (spec.zone && !st.rules[r].area.on) continue;
            // Radar kept the track after the AIS stopped, then lost it too: "went dark, then
            // slipped away". A vessel leaving both coverages at once is not reported.
            const Duration held = t.updated - *t.last_ais;
            if (held < spec.lost_after) continue;
            // Its silence already raised (the gap's key still holds): losing it is the same
            // situation going on, counted on that entry, not a second gap.
            const bool gap_raised =
                m.ledger.key_active(EvidenceKey{id, static_cast<std::uint32_t>(r), 0});
            m.propose(r, id, gap_raised ? 0 : kLostDetail, t, t.position, now, [&] {
                return describe_target(t) + " lost; AIS silent for " +
                       describe_duration((now - *t.last_ais).seconds()) +
                       (spec.place.empty() ? std::string{} : " in " + spec.place);
            });
        }
    }
    m.flush_pending(now);
    for (TrackId id : sorted) m.forget(id, now);
}

void RuleEngine::Impl::forget(TrackId id, Timestamp now) {
    std::optional<Track> last;  // where it was last seen, and going (for the ledger)
    if (auto it = slot_of.find(id); it != slot_of.end()) {
        if (const auto& t = slots[it->second].last;
            t && t->identity && t->last_ais && now - *t->last_ais <= kAisQuietestReport)
            ais_heard.push_back(
                {t->position, t->updated, *t->last_ais, t->east_mps, t->north_mps, true});
        if (const TrackState& st = slots[it->second]; st.has_prev) {
            note_lost(id, st, st.seen_ns, now, true);
            last.emplace();
            last->id = id;
            last->position = st.prev;
            last->updated = st.prev_time;
            last->east_mps = st.east_mps;
            last->north_mps = st.north_mps;
        }
        const Mmsi mmsi = slots[it->second].mmsi;
        if (auto own = track_of_mmsi.find(mmsi);
            mmsi != 0 && own != track_of_mmsi.end() && own->second == id)
            track_of_mmsi.erase(own);
        slots[it->second] = TrackState{};
        free_slots.push_back(it->second);
        slot_of.erase(it);
    }
    ledger.clear_subject(id, now, last ? &*last : nullptr);
    muted.erase(id);
    for (std::size_t r : rendezvous_rules) {
        auto& states = pairs[r];
        for (auto p = states.begin(); p != states.end();) {
            if (p->first.first == id || p->first.second == id) {
                clear(r, p->first.first, p->first.second, now);
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
    for (TrackId id : stale) forget(id, now);
    std::erase_if(muted, [&](const auto& mu) { return mu.second <= now; });
}

void RuleEngine::on_anomaly(const AnomalyReport& a) {
    Impl& m = *impl_;
    const AnomalySituation situation = situation_of(a.reason);
    if (situation == AnomalySituation::sensor_time) return;  // about a clock, not a target
    // A decoder knows the MMSI, not the track: the track that carries the MMSI is the subject,
    // so the decoder's and the tracker's views of one false position are one finding.
    TrackId track = a.track;
    if (track == 0 && a.mmsi != 0)
        if (auto it = m.track_of_mmsi.find(a.mmsi); it != m.track_of_mmsi.end()) track = it->second;
    // A report with an MMSI no ship may have (0, a factory default) joins no track (the fuser
    // does not take it), yet someone sent it: the dark track where it was sent. Its anomaly is
    // that track's finding, on its incident, and the track stays dark (there is still no one
    // to call) with the MMSI it sends said in its messages (issue 14: a pleasure boat sending
    // 1193046 was "dark, no AIS" in one incident and an anomaly in another).
    if (track == 0 && a.reason == AnomalyReason::invalid_mmsi) {
        PlacedDetection d;
        d.where = a.where;
        d.target_class = TargetClass::vessel;
        if (const auto id = m.track_explaining(d, kInvalidMmsiNearTrackM, a.at)) {
            track = *id;
            m.slots[m.slot_of.at(track)].invalid_mmsi = a.mmsi;
        }
    }
    Track t;
    if (auto it = m.slot_of.find(track);
        track != 0 && it != m.slot_of.end() && m.slots[it->second].last) {
        t = *m.slots[it->second].last;
    } else {
        t.id = track;
        t.position = a.where;
        t.updated = a.at;
        t.status = TrackStatus::confirmed;
        // The MMSI the report claimed, as sent: an invalid one (0, a test pattern) is what the
        // operator needs to tell one anomaly from another (issue 15: 545 alike alerts).
        t.identity = Identity{.mmsi = a.mmsi};
    }
    const std::uint64_t subject = track != 0 ? track : (kMmsiSubjectBit | a.mmsi);
    const std::uint64_t detail = kAnomalyDetail + static_cast<std::uint64_t>(situation);
    const bool from_tracker = a.reason == AnomalyReason::position_disagrees_with_track ||
                              a.reason == AnomalyReason::position_jump;
    for (std::size_t r : m.anomaly_rules) {
        const RuleSpec& spec = m.book.rules[r];
        if (m.exempt(r, t)) continue;
        if (!spec.reasons.empty() &&
            std::find(spec.reasons.begin(), spec.reasons.end(), a.reason) == spec.reasons.end())
            continue;
        // A report a few hundred metres off the track's prediction is a manoeuvre the filter did
        // not follow (a turn between two Class B reports), not a false identity.
        if (from_tracker && a.deviation_m > 0 && a.deviation_m < spec.min_deviation_m) continue;
        if (spec.zone && !m.book.zones_of(*spec.zone).contains(spec.zone->zone, a.where)) continue;
        const EvidenceKey key{subject, static_cast<std::uint32_t>(r), detail};
        EventState& ev = m.events[key];
        const std::uint32_t bit = 1u << static_cast<unsigned>(a.reason);
        const bool news = !(ev.reasons & bit) || !m.ledger.key_active(key);
        ev.last = std::max(ev.last, a.at);
        ev.reasons |= bit;
        if (!news) continue;  // the same reason again within clear_after: nothing new
        const std::uint32_t reasons = ev.reasons;
        if (!m.propose(r, subject, detail, t, a.where, a.at,
                       [&] { return anomaly_message(t, a.mmsi, reasons); }))
            m.events.erase(key);
        else if (track == 0)
            m.pending.back().subjects = {kMmsiSubjectBit | a.mmsi};
    }
    m.flush_pending(a.at);
}

void RuleEngine::Impl::note_lost(TrackId id, const TrackState& st, std::int64_t seen_ns,
                                 Timestamp lost_at, bool deleted) {
    if (!st.has_prev || st.mean_velocity_at_ns == ConditionLatch::kUnset) return;
    const double coast_s = std::clamp(static_cast<double>(seen_ns - st.prev_time.ns) * 1e-9, 0.0,
                                      kLostMotionKeep.seconds());
    lost_motion.push_back({id, dead_reckoned(st.prev, st.east_mps, st.north_mps, -coast_s), st.prev,
                           st.prev_time, lost_at, st.mean_velocity_at_ns, st.mean_east_mps,
                           st.mean_north_mps, st.mmsi, st.last ? st.last->last_ais : std::nullopt,
                           deleted, st.last && st.last->spoof_suspect, st.east_mps, st.north_mps});
    // An identified track's mean is its vessel's: a track continuing it (the same MMSI) takes
    // it as it is, with no start of its own left to give way.
    if (st.mmsi == 0) lost_motion.back().start = st.mean_start;
    if (st.mmsi != 0) {
        for (std::size_t i = 0; i < gap_rules.size() && i < 64; ++i) {
            const auto r = static_cast<std::uint32_t>(gap_rules[i]);
            if (ledger.key_active(EvidenceKey{id, r, 0}) ||
                ledger.key_active(EvidenceKey{id, r, kLostDetail}))
                lost_motion.back().gaps_raised |= 1ULL << i;
        }
        lost_vessels.insert_or_assign(st.mmsi, lost_motion.back());
    }
    // A new track may have started before this one was listed lost (a track turns coasting a
    // scan or two after its last plot): it continues it as well.
    if (!young.empty()) reseed_young(lost_motion.back());
}

double LostMotion::distance_m(LatLon p) const {
    // To its path from its last measurement to where it was last placed: a target that stopped
    // is behind where its coasting track ran on to.
    const double len = geo::geodesic_distance_m(from, to);
    if (len < 1) return geo::geodesic_distance_m(from, p);
    const RayOffset o = ray_offset(from, geo::geodesic_bearing_deg(from, to), p);
    return o.along_m < 0     ? geo::geodesic_distance_m(from, p)
           : o.along_m > len ? geo::geodesic_distance_m(to, p)
                             : std::fabs(o.across_m);
}

bool RuleEngine::Impl::continues(const LostMotion& l, Timestamp born, Mmsi mmsi, LatLon p) const {
    return l.mmsi == mmsi && born >= l.measured && born - l.measured <= kLostMotionKeep &&
           l.distance_m(p) < book.incidents.explain_m;
}

const LostMotion* RuleEngine::Impl::continued_motion(const Track& t) const {
    const Mmsi mmsi = t.identity ? t.identity->mmsi : 0;
    const LostMotion* best = nullptr;
    double best_m = 0;
    for (const LostMotion& l : lost_motion) {
        if (!continues(l, t.born, mmsi, t.position)) continue;
        const double d = l.distance_m(t.position);
        if (!best || d < best_m) {
            best_m = d;
            best = &l;
        }
    }
    return best;
}

void RuleEngine::Impl::reseed_young(const LostMotion& l) {
    for (YoungTrack& y : young) {
        if (y.born < l.measured) continue;  // cheap first: most young tracks are not its
        const auto it = slot_of.find(y.id);
        if (it == slot_of.end()) continue;
        TrackState& st = slots[it->second];
        if (st.mmsi == 0 && st.continued_mmsi == 0 &&
            finds_vessel(l, y.born, st.prev, st.prev_time))
            continue_vessel(st, l);
        if (!st.mean_start.own || !continues(l, y.born, st.mmsi, st.prev)) continue;
        continue_mean(st, l);
    }
}

void RuleEngine::Impl::continue_mean(TrackState& st, const LostMotion& l) {
    // The lost track's mean, run on to this one's first cycle toward this one's first velocity
    // (what the target did between them is known only from that), then carried by what this
    // track's own samples have done to its start since (its weight now is keep).
    MeanStart& s = st.mean_start;
    const double w0 = std::clamp(
        static_cast<double>(s.at_ns - l.mean_at_ns) * 1e-9 / kMeanVelocityTimeConstantS, 0.0, 1.0);
    const double e0 = l.mean_east_mps + w0 * (s.east_mps - l.mean_east_mps);
    const double n0 = l.mean_north_mps + w0 * (s.north_mps - l.mean_north_mps);
    st.mean_east_mps += s.keep * (e0 - s.east_mps);
    st.mean_north_mps += s.keep * (n0 - s.north_mps);
    s.own = false;
    st.mean_continued = true;
}

bool RuleEngine::Impl::finds_vessel(const LostMotion& l, Timestamp born, LatLon p,
                                    Timestamp at) const {
    if (l.mmsi == 0 || !l.last_ais || l.spoof_suspect) return false;
    if (born < l.measured || born - l.measured > kLostMotionKeep) return false;
    const double gate_m = book.incidents.explain_m;
    if (l.distance_m(p) < gate_m) return true;
    const double dt = std::max(0.0, (at - l.measured).seconds());
    return geo::geodesic_distance_m(p, dead_reckoned(l.to, l.east_mps, l.north_mps, dt)) < gate_m ||
           geo::geodesic_distance_m(p, dead_reckoned(l.to, l.mean_east_mps, l.mean_north_mps, dt)) <
               gate_m;
}

const LostMotion* RuleEngine::Impl::continued_vessel(const Track& t) const {
    if (t.identity) return nullptr;
    for (const LostMotion& l : lost_motion)  // the first: two lost vessels 300 m apart are rare
        if (finds_vessel(l, t.born, t.position, t.updated)) return &l;
    return nullptr;
}

void RuleEngine::Impl::continue_vessel(TrackState& st, const LostMotion& l) {
    st.continued_mmsi = l.mmsi;
    st.continued_last_ais = *l.last_ais;
    st.continued_gaps_raised = l.gaps_raised;
}

bool RuleEngine::Impl::heard_since(Mmsi mmsi, Timestamp since) const {
    const auto own = track_of_mmsi.find(mmsi);
    if (own == track_of_mmsi.end()) return false;
    const auto it = slot_of.find(own->second);
    if (it == slot_of.end()) return false;
    const auto& last = slots[it->second].last;
    return last && last->last_ais && *last->last_ais > since;
}

const LostMotion* RuleEngine::Impl::lost_vessel(Mmsi mmsi, TrackId self) const {
    const auto it = lost_vessels.find(mmsi);
    return it != lost_vessels.end() && it->second.track != self ? &it->second : nullptr;
}

bool RuleEngine::Impl::ais_heard_near(LatLon p, Timestamp now) const {
    for (const AisHeard& h : ais_heard) {
        if (now - h.last_ais > kAisQuietestReport) continue;
        // Where its last velocity puts it by now (a vessel at anchor: where it was).
        const double dt = std::clamp((now - h.at).seconds(), 0.0, kAisQuietestReport.seconds());
        const LatLon q = dead_reckoned(h.where, h.east_mps, h.north_mps, dt);
        if (geo::geodesic_distance_m(p, q) <= kInvalidMmsiNearTrackM) return true;
    }
    return false;
}

std::optional<TrackId> RuleEngine::Impl::track_explaining(const PlacedDetection& d, double max_m,
                                                          Timestamp at, const LineDef* band,
                                                          double band_m) const {
    std::optional<TrackId> best;
    double best_m = max_m;
    bool best_same_class = false;
    for (const auto& [id, slot] : slot_of) {
        const TrackState& st = slots[slot];
        // Identified vessels do not walk past ground sensors; stale tracks explain nothing.
        if (!st.has_prev || st.mmsi != 0 || at.ns - st.seen_ns > kExplainRecentNs) continue;
        const LatLon p = track_at(st, at);
        double dist;
        if (d.bearing_only || d.camera_ranged) {
            // A bearing says where across its ray the target is, to a few metres, and little
            // about how far along it: a track is judged by how far it is off the ray, within
            // the range the camera's depression angle allows and of a class it may be. (Judged
            // by the distance to a crossing or border point, a camera-only walker's track a
            // few hundred metres out along the ray left each new frame an incident of its own.)
            // A camera's ranged frame is its angles too: its range is as good as the depression
            // angle, and a 3 m camera's frames of walkers 2 km out landed 850 m short, beyond
            // explain_m of their tracks, a false sensor-only incident of 442 frames (Gulf of
            // Honduras; Sixaola seeds 11 and 7: a 12 m camera's frames 300 m short).
            const RayOffset o = ray_offset(d.site, d.bearing_deg, p);
            if (o.along_m <= 0 || o.along_m > kMaxCameraRayM || !d.depression.allows(o.along_m))
                continue;
            // A frame that does not fix its place is shown where its track is, and its rule's
            // band is asked about there: a track 9 km from the border does not make the frame a
            // detection in a 1.5 km band because the ray crosses it (Gulf of Honduras default
            // seed: the 3 m camera's frames of the walkers, explained by a dark track 19 km out
            // on the same ray, a false incident "9210 m from GTM-HND").
            if (band && !d.fixed() &&
                !(band->line.distance_m(p) - std::sqrt(st.cov_ee + st.cov_nn) < band_m))
                continue;
            dist = std::fabs(o.across_m);
            // A camera's classifier is wrong on some frames (a walker's frames labelled
            // "vehicle" one in seven or so): a frame of another class is still the track's when
            // it is on the track's bearing within the bearing's noise (3 sigma) and the track's
            // margin, which the class a classifier gets wrong cannot outweigh. Each such frame
            // was a false sensor-only incident beside the walkers' own (Gulf of Honduras seeds
            // 7 and 11, Sixaola). A track of a class it may be is preferred.
            if (!same_thing_possible(d.target_class, st.target_class) &&
                dist > 3 * d.sigma_bearing_rad * o.along_m + kTrackExplainMarginM)
                continue;
        } else {
            dist = geo::geodesic_distance_m(p, d.where);
        }
        if (!(dist < max_m)) continue;
        const bool same_class = same_thing_possible(d.target_class, st.target_class);
        const bool better = !best ? true
                            : same_class != best_same_class
                                ? same_class
                                : dist < best_m || (dist == best_m && id < *best);
        if (!better) continue;
        best_m = dist;
        best = id;
        best_same_class = same_class;
    }
    return best;
}

void RuleEngine::on_detection(const Measurement& meas) {
    Impl& m = *impl_;
    if (m.ground_rules.empty()) return;
    const PlacedDetection placed = m.placer.place(meas);
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
        PlacedDetection d = placed;
        if (d.bearing_only && d.how == PlacedDetection::How::camera_site) {
            if (auto w = watched_point(m.book, spec, d)) {
                d.where = *w;
                d.how = PlacedDetection::How::watched;
            }
        }
        double dist = 0;
        if (spec.line) {
            dist = m.book.lines[*spec.line].line.distance_m(d.where);
            if (!(dist < spec.within_m)) continue;
        } else if (spec.zone) {
            if (!m.book.zones_of(*spec.zone).contains(spec.zone->zone, d.where)) continue;
        }
        // A live track nearby explains it: the finding is about that track. Else it is a
        // sensor-only finding, keyed by its sensor, grouped with others nearby by the ledger.
        const auto track =
            m.track_explaining(d, explain_distance_m(meas, m.book.incidents.explain_m), at,
                               spec.line ? &m.book.lines[*spec.line] : nullptr, spec.within_m);
        // A bearing alone does not put anyone in the watched area: the target is somewhere on
        // the ray, and where the ray meets the border is where the rule looks, not where the
        // target is. Without a second camera's bearing, a ground sensor or a track to fix it,
        // it is no finding (the Gulf of Honduras' 3 m camera: frames of walkers 2 km out,
        // placed where the ray met the border 200 m from the camera, a false sensor-only
        // incident of 442 frames).
        if (!track && !d.fixed()) continue;
        // A ground sensor's lone trigger that does not say what it felt (no class: wind, an
        // animal, a passing lorry's vibration are the usual false alarms) is not an incident by
        // itself: it raises with the next detection within cluster_m (the sensor firing again
        // while someone stands in range, a neighbour, a camera frame) within clear_after. A
        // classified trigger, or one a track explains, raises at once. (Lone unclassified
        // triggers were half the false incidents of the 12 scored runs, 2026-12-07.)
        if (!track && !m.corroborates_held(r, d.where, at) && meas.sensor == SensorKind::ugs &&
            meas.target_class == TargetClass::unknown) {
            m.held_triggers.push_back({r, d.where, at});
            continue;
        }
        Track t;
        if (track) {
            const TrackState& st = m.slots[m.slot_of.at(*track)];
            // A frame that does not fix where its target is along the ray (a bearing placed where
            // the ray meets the watched line, a vague depression range) was placed where the rule
            // looks; the track that explains it says where the target is, and that is what the
            // finding shows (Gulf of Honduras, seeds default and 7: "camera detection (person) of
            // dark track 914 0 m from GTM-HND", drawn on the border, the track 1.1 km inland).
            // Whether it is a finding at all is judged where the ray meets the line (the rule
            // looks along the ray), and for a line's band where the track is too
            // (track_explaining).
            if (!d.fixed()) {
                d.where = track_at(st, at);
                if (spec.line) dist = m.book.lines[*spec.line].line.distance_m(d.where);
            }
            t.id = *track;
            t.status = TrackStatus::confirmed;
            t.position = st.prev;
            t.updated = st.prev_time;
            t.east_mps = st.east_mps;
            t.north_mps = st.north_mps;
            t.cov(0, 0) = st.cov_ee;
            t.cov(0, 1) = t.cov(1, 0) = st.cov_en;
            t.cov(1, 1) = st.cov_nn;
            t.target_class = st.target_class;
        } else {
            t.position = d.where;
            t.updated = at;
            t.born = at;
            t.target_class = meas.target_class;
            // A frame ranged from its depression angle is vague along its ray and sharp across
            // it: its covariance says so, for the ledger's "close" (a track adopting it).
            if (const auto along = d.camera_ranged ? d.depression.range_sigma_m() : std::nullopt) {
                const double b = d.bearing_deg * std::numbers::pi / 180;
                const double across =
                    geo::geodesic_distance_m(d.site, d.where) * d.sigma_bearing_rad;
                const Eigen::Vector2d u{std::sin(b), std::cos(b)}, n{u.y(), -u.x()};
                const Eigen::Matrix2d p =
                    *along * *along * u * u.transpose() + across * across * n * n.transpose();
                t.cov.topLeftCorner<2, 2>() = p;
            }
        }
        t.seen_by.add(meas.sensor);
        const std::uint64_t sensor = sensor_detail(meas);
        const std::uint64_t subject = track ? *track : (kDetectionSubjectBit | (sensor >> 1));
        const EvidenceKey key{subject, static_cast<std::uint32_t>(r), track ? sensor : 0};
        m.events[key].last = std::max(m.events[key].last, at);
        const bool queued = m.propose(r, key.subject, key.detail, t, d.where, at, [&] {
            std::string msg = std::string(to_string(meas.sensor)) + " detection";
            if (meas.target_class != TargetClass::unknown)
                msg += " (" + std::string(to_string(meas.target_class)) + ")";
            if (track) msg += " of " + describe_target(t);
            msg += spec.line   ? " " + describe_distance(dist) + " from " + spec.place
                   : spec.zone ? " in " + spec.place
                               : std::string{};
            if (d.how == PlacedDetection::How::camera_site) msg += " (bearing only, unplaced)";
            return msg;
        });
        if (!queued) continue;
        Finding& f = m.pending.back();
        f.occurrence = sensor;  // a track's and a sensor-only detection by one sensor alike
        if (!track) {
            f.subjects.clear();
            f.sensor_only = true;
            f.may_adopt = false;
        } else if ((d.bearing_only || d.camera_ranged) && !d.fixed()) {
            // Where along the ray the target is, the frame does not say: the incident it is of
            // is judged by the ray too (IncidentLedger::route).
            f.ray = Finding::Ray{d.site, d.bearing_deg};
        }
    }
    m.flush_pending(at);
}

bool RuleEngine::Impl::corroborates_held(std::size_t rule, LatLon where, Timestamp at) {
    const RuleSpec& spec = book.rules[rule];
    bool found = false;
    std::erase_if(held_triggers, [&](const HeldTrigger& h) {
        if (h.rule != rule) return false;
        if (at - h.at > spec.clear_after) return true;  // never corroborated: dropped
        if (geo::geodesic_distance_m(h.where, where) > book.incidents.cluster_m) return false;
        found = true;
        return true;
    });
    return found;
}

void RuleEngine::Impl::expire_events(Timestamp now) {
    for (auto it = events.begin(); it != events.end();) {
        const RuleSpec& spec = book.rules[it->first.rule];
        if (now - it->second.last >= spec.clear_after) {
            ledger.clear_key(it->first, now);
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
        mean_speed;             // per point: the track's recent mean speed (rule_engine_impl.hpp)
    std::vector<char> rejudge;  // per point: its mean was continued this cycle (rejudge_mean)
    for (std::size_t r : rendezvous_rules) {
        const RuleSpec& spec = book.rules[r];
        points.clear();
        who.clear();
        mean_speed.clear();
        rejudge.clear();
        const double slow = spec.below_speed_mps + spec.speed_hysteresis_mps;
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
            rejudge.push_back(st.rejudge_mean);
        }
        auto& states = pairs[r];
        const double stay_m = spec.pair_distance_m + spec.hysteresis_m;
        for (const ClosePair& cp : find_close_pairs(points, stay_m)) {
            const Track& a = *who[cp.a];
            const Track& b = *who[cp.b];
            const bool enter = cp.distance_m < spec.pair_distance_m &&
                               mean_speed[cp.a] < spec.below_speed_mps &&
                               mean_speed[cp.b] < spec.below_speed_mps;
            auto [it, fresh] = states.try_emplace({a.id, b.id});
            PairState& ps = it->second;
            ps.seen_ns = now.ns;
            // A pair's dwell begun on a mean since continued from a lost track's holds only if
            // the corrected means pass the strict test.
            const bool rejudged = !ps.latch.on && (rejudge[cp.a] || rejudge[cp.b]);
            ps.latch.step(enter, enter || !rejudged, now, spec.dwell, spec.clear_after);
            if (!ps.latch.on || ps.raised || is_muted(b.id, now)) continue;
            // The geodesic midpoint: right across the antimeridian too.
            const LatLon mid = geo::geodesic_destination(
                a.position, geo::geodesic_bearing_deg(a.position, b.position), cp.distance_m / 2);
            ps.raised = propose(r, a.id, b.id, a, mid, now, [&] {
                return describe_target(a) + " and " + describe_target(b) + " within " +
                       describe_distance(cp.distance_m) + " for " +
                       describe_duration(spec.dwell.seconds()) + " below " +
                       std::to_string(static_cast<int>(
                           std::lround(spec.below_speed_mps / kMetresPerSecondPerKnot))) +
                       " kn";
            });
            if (ps.raised) {
                Finding& f = pending.back();
                f.entry.other_track = b.id;
                for (std::uint64_t s : subjects_of(b)) f.subjects.push_back(s);
            }
        }
        // Pairs not close (or not slow) this cycle: their condition failed.
        for (auto it = states.begin(); it != states.end();) {
            PairState& ps = it->second;
            if (ps.seen_ns != now.ns) {
                const LatchEvent ev =
                    ps.latch.step(false, false, now, spec.dwell, spec.clear_after);
                if (ev == LatchEvent::turned_off && ps.raised) {
                    clear(r, it->first.first, it->first.second, now);
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
