#include "rules/incident_ledger.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <set>
#include <utility>

#include "geo/local_frame.hpp"
#include "rules/detection_placement.hpp"

namespace picket::rules {
namespace {

/// Entries a published incident carries: the store keeps all of them. A situation that goes on
/// for days adds an entry per occurrence of a rule, so the message stays bounded.
constexpr std::size_t kMaxTimeline = 100;
/// Repeats of an entry (count, last) are published at most this often per incident.
constexpr Duration kRepeatPublishInterval = Duration::from_seconds(30);

Severity step_up(Severity s) {
    return s == Severity::critical ? s : static_cast<Severity>(static_cast<int>(s) + 1);
}

void add_track(Alert& a, TrackId t) {
    if (t == 0 || std::find(a.tracks.begin(), a.tracks.end(), t) != a.tracks.end()) return;
    a.tracks.push_back(t);
}

bool has_target(const Evidence& ev, TrackId t) {
    return std::any_of(ev.targets.begin(), ev.targets.end(),
                       [&](const EvidenceTarget& x) { return x.track == t; });
}

/// `t` is one more target of the timeline entry `ev` (a group's member), found at `first` at
/// `where`.
void add_target(Evidence& ev, TrackId t, Timestamp first, LatLon where) {
    if (t == 0 || has_target(ev, t)) return;
    ev.targets.push_back({t, first, where});
}

/// Position variance of `t` along the unit vector (east, north) `u`, from its covariance.
double variance_along(const Track& t, double ue, double un) {
    return ue * ue * t.cov(0, 0) + 2 * ue * un * t.cov(0, 1) + un * un * t.cov(1, 1);
}

/// Two tracks may be one group's: within `group_m` of each other at one sigma of their
/// positions, `a` placed at `b`'s time by its velocity. A camera-only walker's track is a few
/// hundred metres off along the camera's ray (Gambia: two walkers side by side, tracks 530 m
/// apart at sigma 200 and 480 m), so the test allows what the estimates do not know.
/// One sigma of the distance between two points whose uncertainty is `a`'s and `b`'s, along
/// the line from `pa` to `pb`.
double sigma_between(const Track& a, LatLon pa, const Track& b, LatLon pb) {
    const double az = geo::geodesic_bearing_deg(pa, pb) * std::numbers::pi / 180;
    const double ue = std::sin(az), un = std::cos(az);
    return std::sqrt(std::max(0.0, variance_along(a, ue, un) + variance_along(b, ue, un)));
}

bool together(const Track& a, const Track& b, double group_m) {
    const double dt = (b.updated - a.updated).seconds();
    const LatLon a_then = geo::geodesic_destination(a.position, a.course_deg(), a.speed_mps() * dt);
    const double d = geo::geodesic_distance_m(a_then, b.position);
    if (d <= group_m) return true;
    return d - sigma_between(a, a_then, b, b.position) <= group_m;
}

/// Where a finding's target is: its track's position for a track's finding (a detection
/// explained by a track is placed by its sensor, a bearing where its ray meets the border),
/// else where it was found.
LatLon place_of(const Finding& f) {
    return f.entry.track != 0 && f.state.id == f.entry.track ? f.state.position : f.entry.where;
}

/// How far across the ray of `f`'s camera frame `where` lies, when it lies in front of the camera
/// and within `max_m` across it (as far as the frame can tell, it is what the frame saw); else
/// nothing. A camera-only track sits a few
/// hundred metres out along its camera's ray (Gulf of Honduras seed 29: the walker's second track
/// 490 m short of them on the 3 m camera's ray; seeds default and 7: a track 670 m off), so a
/// frame's place along the ray does not tell the targets on it apart; across it, it does to a few
/// metres.
std::optional<double> across_frame_ray(const Finding& f, LatLon where, double max_m) {
    if (!f.ray) return std::nullopt;
    const RayOffset o = ray_offset(f.ray->site, f.ray->bearing_deg, where);
    const double across = std::fabs(o.across_m);
    if (o.along_m > 0 && o.along_m <= kMaxCameraRayM && across <= max_m) return across;
    return std::nullopt;
}

std::vector<std::string> rules_of(const Alert& a) {
    std::set<std::string> names;
    for (const Evidence& e : a.timeline) names.insert(e.rule);
    return {names.begin(), names.end()};
}

}  // namespace

IncidentLedger::IncidentLedger(AlertId next_id, IncidentPolicy policy)
    : policy_(policy), next_id_(std::max<AlertId>(next_id, 1)) {}

void IncidentLedger::restore(std::vector<Alert> not_closed, AlertId next_id,
                             const std::map<std::string, Duration>& escalate_after_by_rule) {
    incidents_.clear();
    keys_.clear();
    subjects_.clear();
    escalations_.clear();
    next_id_ = std::max<AlertId>(next_id, 1);
    for (auto& a : not_closed) {
        if (a.state == AlertState::closed || a.id == 0) continue;
        next_id_ = std::max(next_id_, a.id + 1);
        Entry e;
        e.a = std::move(a);
        e.a.active = false;
        e.evidence_max = Severity::info;
        for (const Evidence& ev : e.a.timeline)
            e.evidence_max = std::max(e.evidence_max, ev.severity);
        if (auto it = escalate_after_by_rule.find(e.a.rule);
            it != escalate_after_by_rule.end() && e.a.state == AlertState::open && !e.a.escalated) {
            e.escalate_at = e.a.when + it->second;
            escalations_[*e.escalate_at].push_back(e.a.id);
        }
        const AlertId id = e.a.id;
        incidents_.insert_or_assign(id, std::move(e));
    }
}

void IncidentLedger::restore_closures(std::vector<Closure> closures) {
    closures_.clear();
    for (Closure& c : closures) closures_.insert_or_assign(c.id, std::move(c));
}

IncidentLedger::Entry* IncidentLedger::entry(AlertId id) {
    auto it = incidents_.find(id);
    return it == incidents_.end() ? nullptr : &it->second;
}

const Alert* IncidentLedger::find(AlertId id) const {
    auto it = incidents_.find(id);
    return it == incidents_.end() ? nullptr : &it->second.a;
}

std::optional<AlertId> IncidentLedger::incident_of(std::uint64_t subject) const {
    auto it = subjects_.find(subject);
    if (it == subjects_.end()) return std::nullopt;
    return it->second;
}

std::size_t IncidentLedger::active_incidents() const {
    std::size_t n = 0;
    for (const auto& [id, e] : incidents_) n += e.a.active ? 1 : 0;
    return n;
}

void IncidentLedger::queue(Entry& e, IncidentChange change, const std::string& by, Timestamp at) {
    e.a.change = change;
    e.a.changed_by = by;
    e.a.updated = std::max(e.a.updated, at);
    ++e.a.revision;
    updates_.push_back(e.a);
}

void IncidentLedger::schedule_escalation(Entry& e, std::optional<Duration> after, Timestamp from) {
    if (!after || e.escalate_at || e.a.escalated || e.a.state != AlertState::open) return;
    e.escalate_at = from + *after;
    escalations_[*e.escalate_at].push_back(e.a.id);
}

void IncidentLedger::refresh_headline(Alert& a) {
    // The headline is the most severe evidence, the latest of equals: what the operator must
    // know first. The position is where the latest evidence was found (where to look now).
    const Evidence* head = nullptr;
    const Evidence* latest = nullptr;
    for (const Evidence& e : a.timeline) {
        if (!head || e.severity >= head->severity) head = &e;
        if (!latest || e.last >= latest->last) latest = &e;
    }
    if (!head) return;
    a.kind = head->kind;
    a.rule = head->rule;
    a.zone = head->zone;
    a.message = head->message;
    Severity s = Severity::info;
    for (const Evidence& e : a.timeline) s = std::max(s, e.severity);
    a.severity = a.escalated ? step_up(s) : s;
    a.where = latest->where;
    if (a.track == 0 && !a.tracks.empty()) a.track = a.tracks.front();
}

bool IncidentLedger::tracks_gone(const Entry& e) const {
    if (e.a.tracks.empty()) return false;
    return std::none_of(e.a.tracks.begin(), e.a.tracks.end(), [&](TrackId t) {
        const auto it = subjects_.find(static_cast<std::uint64_t>(t));
        return it != subjects_.end() && it->second == e.a.id;
    });
}

bool IncidentLedger::lost_unidentified(const Entry& e, const Finding& f) const {
    if (!e.lost || e.sensor_only || f.state.identity || member_alive(e, e.lost->id)) return false;
    if (f.entry.first - e.lost->updated > kLostCoast) return false;
    const auto lost = e.members.find(e.lost->id);
    return lost != e.members.end() && !lost->second.identity;
}

bool IncidentLedger::member_alive(const Entry& e, TrackId t) const {
    const auto it = subjects_.find(static_cast<std::uint64_t>(t));
    return it != subjects_.end() && it->second == e.a.id;
}

std::optional<AlertId> IncidentLedger::group_of(const Finding& f) const {
    // Only targets no identity tells apart: two vessels with their own MMSIs are two vessels.
    const TrackId self = f.entry.track;
    if (!f.may_adopt || self == 0 || f.state.id != self || f.state.identity) return std::nullopt;
    const Timestamp now = f.entry.first;
    std::optional<AlertId> best;
    double best_m = 0;
    for (const auto& [id, e] : incidents_) {
        if (!e.a.active) continue;
        // Cheapest first: a member seen lately, then the same situation, then the geometry.
        const auto lately = [&](const auto& tm) {
            const auto& [tid, m] = tm;
            return tid != self && !m.identity && member_alive(e, tid) &&
                   (now - m.updated).seconds() <= policy_.group_within.seconds();
        };
        if (std::none_of(e.members.begin(), e.members.end(), lately)) continue;
        // The same situation: an entry of the same rule (its zone or line, its sensor's
        // view) that still holds or was found within group_within.
        const bool same_situation =
            std::any_of(e.occurrences.begin(), e.occurrences.end(), [&](const auto& so) {
                if (so.second.rule != f.key.rule) return false;
                if (so.second.keys > 0) return true;
                const auto ev = std::find_if(e.a.timeline.begin(), e.a.timeline.end(),
                                             [&](const Evidence& x) { return x.seq == so.first; });
                return ev != e.a.timeline.end() && now - ev->last <= policy_.group_within;
            });
        if (!same_situation) continue;
        for (const auto& member : e.members) {
            if (!lately(member) || !together(member.second, f.state, policy_.group_m)) continue;
            const double d = geo::geodesic_distance_m(member.second.position, f.state.position);
            if (!best || d < best_m) {
                best = id;
                best_m = d;
            }
        }
    }
    return best;
}

bool IncidentLedger::separated(const Entry& e, const Finding& f) const {
    const TrackId self = f.entry.track;
    if (!e.group || self == 0 || f.state.id != self || !e.members.contains(self)) return false;
    // Judged against the members seen lately (a member's state older than a lost track is
    // looked for says nothing of where it is now).
    bool others = false;
    for (const auto& [tid, m] : e.members) {
        if (tid == self || !member_alive(e, tid)) continue;
        if (f.state.updated - m.updated > kLostCoast) continue;
        others = true;
        if (together(m, f.state, policy_.group_m)) return false;
    }
    return others;
}

std::optional<AlertId> IncidentLedger::route(const Finding& f, bool& joins) const {
    joins = false;
    for (std::uint64_t s : f.subjects) {
        auto it = subjects_.find(s);
        if (it != subjects_.end()) return it->second;
    }
    if (!f.sensor_only && !f.may_adopt) return std::nullopt;
    if (auto g = group_of(f)) {
        joins = true;
        return g;
    }
    // A nearby sensor-only incident, or one whose tracks are all gone (the target lost and found
    // again under a new track id, or its AIS switched off): the closest whose latest evidence is
    // within cluster_m.
    // A lost track's target goes on moving: it is also looked for where its last velocity puts
    // it (a go-fast lost as it sped off from a rendezvous was found again 1.9 km on, and
    // opened a second dark-target incident: Gulf of Honduras).
    std::optional<AlertId> best;
    double best_m = policy_.cluster_m;
    for (const auto& [id, e] : incidents_) {
        if (!e.a.active) continue;
        // An incident whose other tracks live on is still its lost target's, where that target
        // is by now: the go-fast lost as it left the mother ship it met, found again 1.2 km on
        // (one rendezvous incident, the mother ship's track alive; demo seed 23). Judged by the
        // lost track's place alone: a live track is never taken over.
        const bool all_gone = e.sensor_only || tracks_gone(e);
        // Its latest unexplained detection, found within group_within, is the finding's track's
        // to adopt even when another track adopted it first: the tracker made two tracks of one
        // target (Gulf of Honduras seeds default and 7: a ground sensor's false alarm's track
        // took the walker's first camera frame 670 m off, and the walker's own track 3 s later
        // was a second incident). A sensor-only incident's is its latest evidence.
        const Track* detection =
            e.detection && f.entry.first - e.detection->updated <= policy_.group_within
                ? &*e.detection
                : nullptr;
        const bool adopt = !f.sensor_only && detection != nullptr;
        if (!all_gone && !lost_unidentified(e, f) && !adopt) continue;
        // A sensor-only incident is judged by where the finding's target is (a track's
        // position, not where its sensor placed the detection).
        double d =
            e.sensor_only || adopt
                ? geo::geodesic_distance_m(adopt ? detection->position : e.a.where, place_of(f))
            : all_gone ? geo::geodesic_distance_m(e.a.where, f.entry.where)
                       : std::numeric_limits<double>::infinity();
        // A sensor-only incident's detection is where its sensor put it, within its own error:
        // a camera frame ranged from its depression angle is vague along the ray (Gulf of
        // Honduras seed 41: a walker's first frame, 590 m long at +-850 m, a false incident of
        // its own that the walker's track 1 s later did not adopt). Close is asked at one sigma.
        if ((e.sensor_only || adopt) && d > policy_.cluster_m)
            d -= adopt ? sigma_between(*detection, detection->position, f.state, place_of(f))
                       : sigma_between(e.a.evidence, e.a.where, f.state, place_of(f));
        // A track's camera frame whose ray passes through that detection: the frame may be of
        // its target as well as of the track, and the track is placed along the ray no better
        // than the frame. One person, one incident (Gulf of Honduras seed 29: a ranged frame's
        // sensor-only incident at the walker, then the camera track's finding 490 m along the
        // same camera's ray, a second incident; seed 7: the false alarm's track above).
        if (adopt)
            if (const auto across = across_frame_ray(f, detection->position, policy_.explain_m))
                d = std::min(d, *across);
        // Beside a live track, only a track that explains the detection (explain_m, the rule
        // engine's own test) is its target: two people a few hundred metres apart are two.
        if (adopt && !all_gone && !lost_unidentified(e, f) && d > policy_.explain_m) continue;
        if (e.lost && !e.sensor_only) {
            const Track& t = *e.lost;
            const double dt =
                std::clamp((f.entry.first - t.updated).seconds(), 0.0, kLostCoast.seconds());
            const LatLon ahead =
                geo::geodesic_destination(t.position, t.course_deg(), t.speed_mps() * dt);
            d = std::min({d, geo::geodesic_distance_m(t.position, f.entry.where),
                          geo::geodesic_distance_m(ahead, f.entry.where)});
            // And the other way: where the new track's own velocity says it was when the lost
            // one was last seen. A track whose first finding comes after its dwell may be far
            // from where the lost one's velocity points, when that velocity was a coasting
            // guess (Gulf of Honduras seed 41: the go-fast's new track, born 370 m from where
            // its old track coasted off, was "dark" 1.3 km on, a second incident).
            if (f.state.id != 0 && f.entry.track == f.state.id) {
                const double back =
                    std::clamp((f.state.updated - t.updated).seconds(), 0.0, kLostCoast.seconds());
                const LatLon then = geo::geodesic_destination(
                    f.state.position, f.state.course_deg() + 180, f.state.speed_mps() * back);
                d = std::min(d, geo::geodesic_distance_m(t.position, then));
            }
        }
        if (d <= best_m) {
            best_m = d;
            best = id;
        }
    }
    return best;
}

void IncidentLedger::note_detection(Entry& e, const Finding& f) {
    if (!f.sensor_only) return;
    e.detection = f.state;
    e.detection->position = f.entry.where;
    e.detection->updated = f.entry.first;
}

void IncidentLedger::note_member(Entry& e, const Finding& f) {
    if (f.entry.track != 0 && f.state.id == f.entry.track) e.members[f.entry.track] = f.state;
}

AlertId IncidentLedger::count_again(Entry& e, Evidence& ev, Finding& f, Timestamp now) {
    note_member(e, f);
    note_detection(e, f);
    ++ev.count;
    ev.last = std::max(ev.last, f.entry.first);
    ev.where = f.entry.where;
    if (!f.entry.message.empty()) ev.message = std::move(f.entry.message);
    e.a.evidence = std::move(f.state);
    refresh_headline(e.a);
    // A camera sees a person every second: the entry counts every frame, the consoles and the
    // store hear of it at most every kRepeatPublishInterval.
    if (e.repeat_published && now - *e.repeat_published < kRepeatPublishInterval) return e.a.id;
    e.repeat_published = now;
    queue(e, IncidentChange::repeated, {}, now);
    return e.a.id;
}

std::optional<AlertId> IncidentLedger::add(Finding f, Timestamp now) {
    if (auto k = keys_.find(f.key); k != keys_.end()) {
        // The same finding again while its condition holds: one entry, counted.
        Entry* e = entry(k->second.id);
        if (!e) return std::nullopt;
        auto ev = std::find_if(e->a.timeline.begin(), e->a.timeline.end(),
                               [&](const Evidence& x) { return x.seq == k->second.seq; });
        if (ev == e->a.timeline.end()) return std::nullopt;
        return count_again(*e, *ev, f, now);
    }

    bool joins = false;
    std::optional<AlertId> target = route(f, joins);
    Entry* e = target ? entry(*target) : nullptr;
    if (e && !joins && separated(*e, f)) {
        // A member of a group found away from every other member has gone its own way: from
        // now on its findings are an incident of their own (its entries so far stay).
        for (std::uint64_t s : f.subjects)
            if (auto it = subjects_.find(s); it != subjects_.end() && it->second == e->a.id)
                subjects_.erase(it);
        e->members.erase(f.entry.track);
        target = route(f, joins);
        e = target ? entry(*target) : nullptr;
    }
    if (e && joins) e->group = true;
    if (e) {
        if (Evidence* ev = continued_entry(*e, f, now)) {
            // The same situation under a new key (a new track of the same person, or another
            // target of a group doing the same): counted on its entry, whose keys now include
            // this one. A group's member is a target of the entry; a later track is not another.
            Occurrence& o = e->occurrences[ev->seq];
            ++o.keys;
            o.deleted_at.reset();
            keys_[f.key] = KeyRef{e->a.id, ev->seq};
            ++e->keys;
            add_track(e->a, f.entry.track);
            if (ev->track == 0) ev->track = f.entry.track;
            // Another live target's entry: this target does the same, one more of the group's.
            // (A target's later track, the earlier one deleted, continues it as the same one.)
            const bool another =
                std::any_of(ev->targets.begin(), ev->targets.end(), [&](const EvidenceTarget& x) {
                    return x.track != f.entry.track && member_alive(*e, x.track);
                });
            if ((ev->targets.empty() || another) && !has_target(*ev, f.entry.track)) {
                add_target(*ev, f.entry.track, f.entry.first, f.entry.where);
                // One more person in the group is news: published now, not with the repeats.
                e->repeat_published.reset();
            }
            for (std::uint64_t s : f.subjects) subjects_.try_emplace(s, e->a.id);
            return count_again(*e, *ev, f, now);
        }
    }
    const bool fresh = e == nullptr;
    if (fresh) {
        const AlertId id = next_id_++;
        Entry n;
        n.a.id = id;
        n.a.when = now;
        n.a.updated = now;
        n.a.state = AlertState::open;
        n.a.active = true;
        n.sensor_only = f.sensor_only;
        e = &incidents_.emplace(id, std::move(n)).first->second;
    }
    Alert& a = e->a;
    note_member(*e, f);
    note_detection(*e, f);
    Evidence ev = std::move(f.entry);
    ev.seq = a.timeline.empty() ? 1 : a.timeline.back().seq + 1;
    ev.last = ev.first;
    ev.count = 1;
    add_track(a, ev.track);
    add_target(ev, ev.track, ev.first, ev.where);
    if (ev.other_track) {
        add_track(a, *ev.other_track);
        if (!a.other_track && *ev.other_track != a.track) a.other_track = ev.other_track;
    }
    if (ev.track != 0) e->sensor_only = false;
    const bool worse = !fresh && ev.severity > e->evidence_max;
    e->evidence_max = std::max(e->evidence_max, ev.severity);
    keys_[f.key] = KeyRef{a.id, ev.seq};
    ++e->keys;
    e->occurrences[ev.seq] = Occurrence{f.key.rule, f.occurrence, f.continues_within, 1, {}};
    a.timeline.push_back(std::move(ev));
    if (a.timeline.size() > kMaxTimeline) {
        e->occurrences.erase(a.timeline.front().seq);
        a.timeline.erase(a.timeline.begin());
    }
    a.evidence = std::move(f.state);
    for (std::uint64_t s : f.subjects) subjects_.try_emplace(s, a.id);
    refresh_headline(a);

    IncidentChange change = fresh ? IncidentChange::raised : IncidentChange::evidence;
    if (worse && policy_.reopen_on_worse && a.state != AlertState::open) {
        // Worse than anything the operator saw when acknowledging or closing it: back to open.
        a.state = AlertState::open;
        a.disposition = Disposition::none;
        a.closed_at.reset();
        a.closed_by.clear();
        a.escalated = false;
        e->escalate_at.reset();
        ++a.reopened;
        closures_.erase(a.id);
        refresh_headline(a);
        change = IncidentChange::reopened;
    }
    schedule_escalation(*e, f.escalate_after, now);
    queue(*e, change, {}, now);
    return a.id;
}

Evidence* IncidentLedger::continued_entry(Entry& e, const Finding& f, Timestamp now) {
    if (f.continues_within.ns <= 0) return nullptr;
    for (auto& [seq, o] : e.occurrences) {
        if (o.rule != f.key.rule || o.occurrence != f.occurrence) continue;
        auto ev = std::find_if(e.a.timeline.begin(), e.a.timeline.end(),
                               [&, s = seq](const Evidence& x) { return x.seq == s; });
        if (ev == e.a.timeline.end()) continue;
        // Two transponders are two vessels: a finding about one MMSI never continues an entry
        // about another (a trawler loitering beside the carrier it met was counted on the
        // carrier's loitering entry, and its own loitering went unreported: Gambia coast).
        if (f.entry.mmsi != 0 && ev->mmsi != 0 && f.entry.mmsi != ev->mmsi) continue;
        // Its situation holds (a key of it is active), or its track was deleted a moment ago.
        // A condition that cleared by the rule's own hysteresis ended the situation: a new one.
        const bool holds = o.keys > 0;
        const bool lost_moments_ago = o.deleted_at && now - *o.deleted_at < o.continues_within;
        if (!holds && !lost_moments_ago) continue;
        return &*ev;
    }
    return nullptr;
}

void IncidentLedger::key_gone(const KeyRef& ref, Timestamp now, bool track_deleted) {
    Entry* e = entry(ref.id);
    if (!e) return;
    if (--e->keys == 0) e->quiet_since = now;
    auto o = e->occurrences.find(ref.seq);
    if (o == e->occurrences.end()) return;
    if (--o->second.keys > 0) return;
    if (track_deleted) {
        o->second.deleted_at = now;
    } else {
        o->second.deleted_at.reset();
    }
}

void IncidentLedger::clear_key(const EvidenceKey& key, Timestamp now) {
    auto it = keys_.find(key);
    if (it == keys_.end()) return;
    key_gone(it->second, now, /*track_deleted=*/false);
    keys_.erase(it);
}

void IncidentLedger::clear_subject(std::uint64_t subject, Timestamp now, const Track* lost) {
    if (lost) {
        if (auto it = subjects_.find(subject); it != subjects_.end())
            if (Entry* e = entry(it->second)) e->lost = *lost;
    }
    auto first = keys_.lower_bound(EvidenceKey{subject, 0, 0});
    auto last = first;
    while (last != keys_.end() && last->first.subject == subject) {
        key_gone(last->second, now, /*track_deleted=*/true);
        ++last;
    }
    keys_.erase(first, last);
    subjects_.erase(subject);
}

bool IncidentLedger::acknowledge(AlertId id, const std::string& by, Timestamp at) {
    Entry* e = entry(id);
    if (!e || e->a.state != AlertState::open) return false;
    e->a.state = AlertState::acknowledged;
    e->a.acknowledged_by = by;
    e->a.acknowledged_at = at;
    queue(*e, IncidentChange::acknowledged, by, at);
    return true;
}

bool IncidentLedger::close(AlertId id, const std::string& by, Timestamp at, Disposition d) {
    Entry* e = entry(id);
    if (!e || e->a.state == AlertState::closed) return false;
    Alert& a = e->a;
    a.state = AlertState::closed;
    a.closed_by = by;
    a.closed_at = at;
    a.disposition = d;
    e->escalate_at.reset();
    closures_.insert_or_assign(id, Closure{id, at, d, rules_of(a)});
    queue(*e, IncidentChange::closed, by, at);
    // Closing is the operator's decision about the incident, not evidence that the situation is
    // over: while it is active the ledger keeps it, so the same situation does not raise anew.
    forget_if_done(id);
    return true;
}

bool IncidentLedger::assign(AlertId id, const std::string& asset, const std::string& by,
                            Timestamp at) {
    Entry* e = entry(id);
    if (!e || e->a.state == AlertState::closed) return false;
    e->a.assigned_to = asset;
    queue(*e, IncidentChange::assigned, by, at);
    return true;
}

bool IncidentLedger::add_note(AlertId id, const std::string& by, Timestamp at, std::string text) {
    Entry* e = entry(id);
    if (!e) return false;
    e->a.notes.push_back(Note{at, by, std::move(text)});
    queue(*e, IncidentChange::noted, by, at);
    return true;
}

void IncidentLedger::resolve(Entry& e, Timestamp now) {
    e.a.active = false;
    for (auto it = subjects_.begin(); it != subjects_.end();) {
        if (it->second == e.a.id) {
            it = subjects_.erase(it);
        } else {
            ++it;
        }
    }
    queue(e, IncidentChange::resolved, {}, now);
}

void IncidentLedger::forget_if_done(AlertId id) {
    auto it = incidents_.find(id);
    if (it != incidents_.end() && it->second.a.state == AlertState::closed && !it->second.a.active)
        incidents_.erase(it);
}

void IncidentLedger::tick(Timestamp now) {
    while (!escalations_.empty() && escalations_.begin()->first <= now) {
        auto node = escalations_.extract(escalations_.begin());
        for (AlertId id : node.mapped()) {
            Entry* e = entry(id);
            if (!e || e->escalate_at != node.key()) continue;  // closed or rescheduled meanwhile
            e->escalate_at.reset();
            Alert& a = e->a;
            if (a.state != AlertState::open || a.escalated) continue;
            a.escalated = true;
            refresh_headline(a);
            queue(*e, IncidentChange::escalated, {}, now);
        }
    }
    std::vector<AlertId> done;
    for (auto& [id, e] : incidents_) {
        if (!e.a.active || e.keys > 0 || now - e.quiet_since < policy_.resolve_after) continue;
        resolve(e, now);
        if (e.a.state == AlertState::closed) done.push_back(id);
    }
    for (AlertId id : done) incidents_.erase(id);
    std::erase_if(closures_,
                  [&](const auto& c) { return now - c.second.closed_at > policy_.share_window; });
}

std::vector<Alert> IncidentLedger::open_incidents() const {
    std::vector<Alert> out;
    out.reserve(incidents_.size());
    for (const auto& [id, e] : incidents_)
        if (e.a.state != AlertState::closed) out.push_back(e.a);
    return out;
}

std::vector<RuleShare> IncidentLedger::rule_shares() const {
    std::map<std::string, RuleShare> by_rule;
    for (const auto& [id, c] : closures_) {
        for (const std::string& r : c.rules) {
            RuleShare& s = by_rule[r];
            s.rule = r;
            ++s.closed;
            s.false_alarms += c.disposition == Disposition::false_alarm ? 1 : 0;
        }
    }
    std::vector<RuleShare> out;
    for (auto& [name, s] : by_rule) out.push_back(std::move(s));
    return out;
}

std::vector<Alert> IncidentLedger::take_updates() { return std::exchange(updates_, {}); }

}  // namespace picket::rules
