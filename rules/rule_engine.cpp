#include "rules/rule_engine.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "rules/evaluators.hpp"
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

RuleEngine::Impl::Impl(RuleBook b, AlertId next_id)
    : book(std::move(b)), ledger(next_id, book.incidents), geom(book, targets) {
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
            case AlertKind::ais_anomaly:
                anomaly_rules.push_back(r);
                break;
            case AlertKind::ais_gap:
                gap_rules.push_back(r);
                break;
            default:
                break;
        }
        // Rendezvous rules with an area use the per-track area latch, so they are stepped per
        // track too (for the area only).
        const bool per_track = evaluator_for(spec.kind) != nullptr &&
                               (spec.kind != AlertKind::rendezvous || spec.zone.has_value());
        if (per_track) track_rules.push_back(r);
    }
    geom.prepare();
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

std::vector<std::uint64_t> RuleEngine::Impl::subjects_of(const Track& t) {
    std::vector<std::uint64_t> out;
    if (t.id != 0) out.push_back(t.id);
    if (t.identity && t.identity->mmsi != 0) out.push_back(kMmsiSubjectBit | t.identity->mmsi);
    return out;
}

namespace {

/// Kinds whose finding is a situation that goes on (near a line, in a sensor's view, dark,
/// fast, slow): a new track of the same target continues it. Crossings, entries, exits, AIS gaps,
/// anomalies and meetings are events: each one found is an entry of its own.
bool continues_situation(AlertKind k) {
    switch (k) {
        case AlertKind::approach:
        case AlertKind::speeding:
        case AlertKind::dark_target:
        case AlertKind::loitering:
        case AlertKind::zone_presence:
        case AlertKind::ground_detection:
            return true;
        default:
            return false;
    }
}

/// Whether a track's velocity is further from its mean velocity than its own covariance
/// explains (kTurnChi2): the approach rule's sign that it has turned (evaluate_approach).
bool left_its_mean(const Track& t, const TrackState& st) {
    const double a = t.cov(2, 2), b = t.cov(2, 3), d = t.cov(3, 3);
    const double det = a * d - b * b;
    if (!(det > 0) || !std::isfinite(det)) return false;
    const double de = t.east_mps - st.mean_east_mps, dn = t.north_mps - st.mean_north_mps;
    return (d * de * de - 2 * b * de * dn + a * dn * dn) / det > kTurnChi2;
}

}  // namespace

Finding RuleEngine::Impl::finding(std::size_t rule, std::uint64_t subject, std::uint64_t detail,
                                  const Track& t, LatLon where, Timestamp now,
                                  std::string message) const {
    const RuleSpec& r = book.rules[rule];
    Finding f;
    f.key = EvidenceKey{subject, static_cast<std::uint32_t>(rule), detail};
    f.entry.kind = r.kind;
    f.entry.severity = r.severity;
    f.entry.rule = r.name;
    f.entry.zone = r.place;
    f.entry.track = t.id;
    f.entry.mmsi = t.identity ? t.identity->mmsi : 0;
    f.entry.where = where;
    f.entry.first = now;
    f.entry.message = std::move(message);
    f.state = t;
    f.subjects = subjects_of(t);
    // A track's finding may adopt the sensor-only incident its detections opened before the
    // tracker had it (a camera seeing a person, then the person's track crossing the border).
    f.may_adopt = t.id != 0 && !t.identity;
    f.escalate_after = r.escalate_after;
    f.occurrence = detail;
    f.continues_within = continues_situation(r.kind) ? r.clear_after : Duration::from_seconds(0);
    return f;
}

void RuleEngine::Impl::flush_pending(Timestamp now) {
    std::stable_sort(pending.begin(), pending.end(),
                     [](const Finding& x, const Finding& y) { return x.key < y.key; });
    for (Finding& f : pending) ledger.add(std::move(f), now);
    pending.clear();
}

void RuleEngine::Impl::clear(std::size_t rule, std::uint64_t subject, std::uint64_t detail,
                             Timestamp now) {
    ledger.clear_key(EvidenceKey{subject, static_cast<std::uint32_t>(rule), detail}, now);
}

void RuleEngine::Impl::evaluate_track(const Track& t, TrackState& st, Timestamp now) {
    st.rejudge_mean = std::exchange(st.mean_continued, false);
    if (!st.has_prev) st.var_v_mean = t.cov(2, 2) + t.cov(3, 3);
    if (st.mean_velocity_at_ns == ConditionLatch::kUnset) {
        if (const LostMotion* lost = continued_motion(t)) {
            st.mean_east_mps = lost->mean_east_mps;
            st.mean_north_mps = lost->mean_north_mps;
            st.mean_velocity_at_ns = lost->mean_at_ns;
            // Its target's mean, and the start it had: an unidentified track lost and found
            // again is still the boat it was, and when that boat is identified its first
            // velocity gives way to its lost vessel's mean (Gambia seed 61: trawler-2 stops dead
            // beside a reefer, its AIS track runs on and is lost; a dark track born where it
            // stopped, its mean from a first velocity against its later ones, is lost 13 s on
            // and a second one continues it; that one takes the trawler's MMSI at its next
            // report, 2 min later, and its mean, still the first dark track's, "met" the reefer
            // 128 s before the trawler's mean fell below 2 kn).
            st.mean_start = lost->start;
        }
    }
    if (st.mean_velocity_at_ns == ConditionLatch::kUnset) {
        st.mean_east_mps = t.east_mps;
        st.mean_north_mps = t.north_mps;
        st.mean_start = MeanStart{true, static_cast<float>(t.east_mps),
                                  static_cast<float>(t.north_mps), 1, now.ns};
        young.push_back({t.id, t.born, now.ns});
    } else if (now.ns > st.mean_velocity_at_ns) {
        if (t.updated != st.turn_checked) {
            st.turn_checked = t.updated;
            st.turn_updates = left_its_mean(t, st)
                                  ? static_cast<std::uint8_t>(std::min(st.turn_updates + 1, 255))
                                  : 0;
        }
        const double dt = static_cast<double>(now.ns - st.mean_velocity_at_ns) / kNsPerSecond;
        const double w = std::min(1.0, dt / kMeanVelocityTimeConstantS);
        st.mean_east_mps += w * (t.east_mps - st.mean_east_mps);
        st.mean_north_mps += w * (t.north_mps - st.mean_north_mps);
        st.var_v_mean += w * (t.cov(2, 2) + t.cov(3, 3) - st.var_v_mean);
        st.mean_start.keep *= 1.0 - w;
    }
    if (st.mean_start.own && st.mmsi == 0 && t.identity && t.identity->mmsi != 0) {
        // It has just taken a lost vessel's identity: it is that vessel found again
        // (keeps_lost_vessel).
        if (const LostMotion* lost = lost_vessel(t.identity->mmsi, t.id)) {
            continue_mean(st, *lost);
            st.mean_continued = false;
            st.rejudge_mean = true;
        }
    }
    st.mean_velocity_at_ns = now.ns;
    // An unidentified track born on the path of an identified vessel's lost track is that
    // vessel, still silent (TrackState::continued_mmsi); until it is heard again.
    if (!st.has_prev && !t.identity) {
        if (const LostMotion* lost = continued_vessel(t)) continue_vessel(st, *lost);
    }
    if (st.continued_mmsi != 0 &&
        (t.identity || heard_since(st.continued_mmsi, st.continued_last_ais)))
        st.continued_mmsi = 0;
    where_scratch.resize(targets.size());
    where_known.assign(targets.size(), 0);
    TrackCycle cycle{*this, t, st, now, t.position, t.speed_mps()};
    for (std::size_t r : track_rules) {
        if (exempt(r, t)) continue;
        const RuleSpec& spec = book.rules[r];
        RuleCycle rc{cycle, r, spec, st.rules[r], rule_target[r]};
        evaluator_for(spec.kind)(rc);
    }
    st.prev = t.position;
    st.prev_time = t.updated;
    st.east_mps = static_cast<float>(t.east_mps);
    st.north_mps = static_cast<float>(t.north_mps);
    st.cov_ee = static_cast<float>(t.cov(0, 0));
    st.cov_en = static_cast<float>(t.cov(0, 1));
    st.cov_nn = static_cast<float>(t.cov(1, 1));
    st.target_class = t.target_class;
    if (t.last_ais) st.note_ais_report(*t.last_ais);
    st.has_prev = true;
    const Mmsi mmsi = t.identity ? t.identity->mmsi : 0;
    if (mmsi != st.mmsi) {
        if (st.mmsi != 0) track_of_mmsi.erase(st.mmsi);
        st.mmsi = mmsi;
    }
    if (mmsi != 0) track_of_mmsi[mmsi] = t.id;
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
    evaluate_part(tracks, now);
    finish_cycle(tracks, now);
}

void RuleEngine::evaluate_part(std::span<const Track> part, Timestamp now) {
    Impl& m = *impl_;
    for (const Track& t : part) {
        if (t.status == TrackStatus::tentative || t.status == TrackStatus::deleted) continue;
        TrackState& st = m.state_for(t.id);
        st.seen_ns = now.ns;
        m.evaluate_track(t, st, now);
    }
}

void RuleEngine::finish_cycle(std::span<const Track> tracks, Timestamp now) {
    Impl& m = *impl_;
    // Identified vessels radar has lost, for the next cycle's dark tests: the coasting ones
    // listed afresh, the deleted ones kept until their next report is overdue.
    std::erase_if(m.ais_heard, [&](const AisHeard& h) {
        return !h.deleted || now - h.last_ais > kAisQuietestReport;
    });
    std::erase_if(m.lost_motion, [&](const LostMotion& l) {
        return !l.deleted || now - l.lost_at > kLostMotionKeep;
    });
    std::erase_if(m.lost_vessels, [&](const auto& v) { return !keeps_lost_vessel(v.second, now); });
    std::erase_if(m.young,
                  [&](const YoungTrack& y) { return now.ns - y.first_at_ns > kLostMotionKeep.ns; });
    for (const Track& t : tracks) {
        if (t.status != TrackStatus::coasting) continue;
        if (t.identity && t.last_ais && now - *t.last_ais <= kAisQuietestReport)
            m.ais_heard.push_back(
                {t.position, t.updated, *t.last_ais, t.east_mps, t.north_mps, false});
        if (auto it = m.slot_of.find(t.id); it != m.slot_of.end())
            m.note_lost(t.id, m.slots[it->second], now.ns, now, false);
    }
    if (!m.rendezvous_rules.empty()) m.evaluate_rendezvous(tracks, now);
    m.flush_pending(now);
    m.expire_events(now);
    m.sweep(now);
    m.ledger.tick(now);
}

void RuleEngine::mute_track(TrackId id, Timestamp until) { impl_->muted[id] = until; }

bool RuleEngine::acknowledge(AlertId id, const std::string& by, Timestamp at) {
    return impl_->ledger.acknowledge(id, by, at);
}
bool RuleEngine::close(AlertId id, const std::string& by, Timestamp at, Disposition d) {
    return impl_->ledger.close(id, by, at, d);
}
bool RuleEngine::assign(AlertId id, const std::string& asset, const std::string& by, Timestamp at) {
    return impl_->ledger.assign(id, asset, by, at);
}
bool RuleEngine::add_note(AlertId id, const std::string& by, Timestamp at, std::string text) {
    return impl_->ledger.add_note(id, by, at, std::move(text));
}

void RuleEngine::restore_alerts(std::vector<Alert> open_alerts, AlertId next_alert_id) {
    std::map<std::string, Duration> escalate;
    for (const RuleSpec& r : impl_->book.rules)
        if (r.escalate_after) escalate.emplace(r.name, *r.escalate_after);
    impl_->ledger.restore(std::move(open_alerts), next_alert_id, escalate);
}

void RuleEngine::restore_closures(std::vector<Closure> closures) {
    impl_->ledger.restore_closures(std::move(closures));
}

std::vector<Alert> RuleEngine::take_alert_updates() { return impl_->ledger.take_updates(); }
std::vector<Alert> RuleEngine::open_alerts() const { return impl_->ledger.open_incidents(); }
const IncidentLedger& RuleEngine::ledger() const { return impl_->ledger; }
const RuleBook& RuleEngine::book() const { return impl_->book; }
std::vector<RuleShare> RuleEngine::rule_shares() const { return impl_->ledger.rule_shares(); }

RuleEngineStats RuleEngine::stats() const {
    RuleEngineStats s;
    s.tracks = impl_->slot_of.size();
    s.geometry_queries = impl_->geom.queries();
    for (const auto& p : impl_->pairs) s.rendezvous_pairs += p.size();
    s.active_incidents = impl_->ledger.active_incidents();
    s.active_findings = impl_->ledger.active_keys();
    return s;
}

}  // namespace picket::rules
