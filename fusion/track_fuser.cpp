#include "fusion/track_fuser.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>

namespace picket::fusion {
namespace {

/// Does every sensor of `a` also feed `b`? (both sorted)
bool sensors_within(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    return std::includes(b.begin(), b.end(), a.begin(), a.end());
}

/// A regional track's lineage from its members (sorted keys) and their sensors.
template <class SensorsOf>
std::shared_ptr<const TrackLineage> make_lineage(
    const std::vector<std::pair<FeedIndex, std::uint64_t>>& members, const SensorsOf& sensors_of) {
    auto lineage = std::make_shared<TrackLineage>();
    for (const auto& k : members) {
        const std::vector<std::string>& s = sensors_of(k);
        lineage->sources.push_back({k.first, k.second});
        lineage->sensors.insert(lineage->sensors.end(), s.begin(), s.end());
    }
    std::sort(lineage->sensors.begin(), lineage->sensors.end());
    lineage->sensors.erase(std::unique(lineage->sensors.begin(), lineage->sensors.end()),
                           lineage->sensors.end());
    return lineage;
}

/// Would make_lineage(members, sensors_of) equal `old`? Most updates change a member's
/// estimate, not who the members are or what feeds them: then the published lineage stays the
/// one already shared (no allocation per update). Checked without building the new one: the
/// same sources, every member's sensors among the old sensors, every old sensor some member's.
template <class SensorsOf>
bool same_lineage(const std::vector<std::pair<FeedIndex, std::uint64_t>>& members,
                  const SensorsOf& sensors_of, const std::shared_ptr<const TrackLineage>& old) {
    if (!old || old->sources.size() != members.size()) return false;
    for (std::size_t i = 0; i < members.size(); ++i)
        if (old->sources[i].feed != members[i].first || old->sources[i].id != members[i].second)
            return false;
    const auto& known = old->sensors;
    for (const auto& k : members)
        for (const std::string& s : sensors_of(k))
            if (!std::binary_search(known.begin(), known.end(), s)) return false;
    return std::all_of(known.begin(), known.end(), [&](const std::string& s) {
        return std::any_of(members.begin(), members.end(), [&](const auto& k) {
            const auto& own = sensors_of(k);
            return std::find(own.begin(), own.end(), s) != own.end();
        });
    });
}

}  // namespace

TrackFuser::TrackFuser(FuserConfig config)
    : config_(config),
      frame_(config.origin),
      bias_(config.bias),
      index_(std::max(config.max_distance_m, config.mmsi_distance_m)) {}

Estimate TrackFuser::predicted(const Estimate& e, Timestamp from, Timestamp to) const {
    const double dt = (to - from).seconds();
    if (dt == 0) return e;
    Estimate out;
    Eigen::Matrix4d F = Eigen::Matrix4d::Identity();
    F(0, 2) = F(1, 3) = dt;
    out.x = F * e.x;
    // Continuous white acceleration, exactly discretised; backwards in time (a member older
    // than the track) the position-velocity term changes sign and the uncertainty still grows.
    const double q = config_.accel_sigma_mps2 * config_.accel_sigma_mps2;
    const double a = std::abs(dt);
    Eigen::Matrix4d Q = Eigen::Matrix4d::Zero();
    Q(0, 0) = Q(1, 1) = q * a * a * a / 3;
    Q(0, 2) = Q(2, 0) = Q(1, 3) = Q(3, 1) = q * dt * a / 2;
    Q(2, 2) = Q(3, 3) = q * a;
    out.P = F * e.P * F.transpose() + Q;
    return out;
}

Estimate TrackFuser::corrected_at(const Key& k, const Member& m, Timestamp t) const {
    Estimate e{m.x, m.track.cov};
    e.x.head<2>() -= bias_.bias(k.first);
    return predicted(e, m.track.time, t);
}

double TrackFuser::distance2(const Estimate& a, const Estimate& b) {
    const Eigen::Vector2d d = a.x.head<2>() - b.x.head<2>();
    const Eigen::Matrix2d S = a.P.topLeftCorner<2, 2>() + b.P.topLeftCorner<2, 2>();
    return d.dot(S.llt().solve(d));
}

double TrackFuser::metres(const Estimate& a, const Estimate& b) const {
    return (a.x.head<2>() - b.x.head<2>()).norm();
}

std::optional<Mmsi> TrackFuser::mmsi_of(TrackId r) const {
    const auto it = regional_.find(r);
    if (it == regional_.end()) return std::nullopt;
    if (it->second.members.empty()) return it->second.held_mmsi;
    for (const Key& k : it->second.members) {
        const Member& m = members_.at(k);
        if (m.track.identity) return m.track.identity->mmsi;
    }
    return std::nullopt;
}

bool TrackFuser::display_only(FeedIndex source) const {
    return std::find(config_.display_only.begin(), config_.display_only.end(), source) !=
           config_.display_only.end();
}

bool TrackFuser::has_display_only(const Regional& r) const {
    return std::any_of(r.members.begin(), r.members.end(),
                       [&](const Key& k) { return display_only(k.first); });
}

bool TrackFuser::identity_conflict(const SourceTrack& t, TrackId r) const {
    if (!t.identity) return false;
    const auto mmsi = mmsi_of(r);
    return mmsi && *mmsi != t.identity->mmsi;
}

std::shared_ptr<const TrackLineage> TrackFuser::lineage(TrackId id) const {
    const auto it = lineage_.find(id);
    return it == lineage_.end() ? nullptr : it->second;
}

std::optional<TrackId> TrackFuser::regional_of(FeedIndex source, std::uint64_t id) const {
    const auto it = members_.find({source, id});
    if (it == members_.end()) return std::nullopt;
    return it->second.regional;
}

void TrackFuser::on_track(FeedIndex source, SourceTrack t) {
    ++counters_.source_updates;
    const Key k{source, t.id};
    if (const auto it = members_.find(k); it != members_.end() && t.time < it->second.track.time) {
        ++counters_.out_of_order;
        return;
    }
    Member& m = members_[k];
    const Eigen::Vector2d en = frame_.to_en(t.position);
    m.x = Eigen::Vector4d(en.x(), en.y(), t.east_mps, t.north_mps);
    m.track = std::move(t);
    if (m.regional) {
        const TrackId r = *m.regional;
        check_membership(k, m);
        if (m.regional && *m.regional == r) refuse(r);
        return;
    }
    associate(k, m);
}

void TrackFuser::associate(const Key& k, Member& m) {
    if (m.track.status == TrackStatus::tentative) return;
    const Timestamp t = m.track.time;
    const Estimate mine = corrected_at(k, m, t);
    std::optional<TrackId> best;
    double best_cost = 0;
    // Beyond both distances no regional track can be chosen, whatever else holds.
    const double reach = std::max(config_.max_distance_m, config_.mmsi_distance_m);
    const auto consider = [&](TrackId id, const Regional& r) {
        if (!r.has_estimate || has_display_only(r)) return;
        const bool source_taken = std::any_of(r.members.begin(), r.members.end(),
                                              [&](const Key& o) { return o.first == k.first; });
        if (source_taken || identity_conflict(m.track, id)) return;
        const Estimate theirs = predicted(r.fused, r.time, t);
        const double dist = metres(mine, theirs);
        double cost;
        const auto mmsi = mmsi_of(id);
        if (m.track.identity && mmsi && *mmsi == m.track.identity->mmsi &&
            dist < config_.mmsi_distance_m) {
            cost = -1;  // identity decides, not geometry
        } else {
            if (dist > config_.max_distance_m) return;
            cost = distance2(mine, theirs);
            if (cost > config_.gate_chi2) return;
        }
        if (!best || cost < best_cost) {
            best = id;
            best_cost = cost;
        }
    };
    if (display_only(k.first)) {
        // shown beside the picture: a regional track of its own
    } else if (config_.indexed_association) {
        for (const TrackId id : index_.near(mine.x.head<2>(), t, reach))
            consider(id, regional_.at(id));
    } else {
        for (const auto& [id, r] : regional_) consider(id, r);
    }
    TrackId r;
    if (best) {
        r = *best;
        ++counters_.associated;
        Regional& held = regional_.at(r);
        if (held.held_since) {
            ++counters_.rebound;
            held.held_since.reset();
            held.held_mmsi.reset();
        }
    } else {
        r = next_id_++;
        Regional fresh;
        fresh.born = t;
        regional_.emplace(r, std::move(fresh));
        ++counters_.created;
    }
    Regional& reg = regional_.at(r);
    reg.members.insert(std::lower_bound(reg.members.begin(), reg.members.end(), k), k);
    m.regional = r;
    m.disagreements = 0;
    refuse(r);
}

void TrackFuser::check_membership(const Key& k, Member& m) {
    const Regional& reg = regional_.at(*m.regional);
    const Timestamp t = m.track.time;
    std::vector<Estimate> others;
    for (const Key& o : reg.members) {
        if (o == k) continue;
        const Member& om = members_.at(o);
        if (om.track.status == TrackStatus::tentative) continue;
        others.push_back(corrected_at(o, om, t));
    }
    if (others.empty()) return;
    const Estimate fused = fast_ci(others);
    const Estimate mine = corrected_at(k, m, t);
    const bool agrees = distance2(mine, fused) <= config_.gate_chi2 * config_.detach_factor &&
                        metres(mine, fused) <= config_.max_distance_m;
    m.disagreements = agrees ? 0 : m.disagreements + 1;
    if (m.disagreements >= config_.detach_after) detach(k, m);
}

void TrackFuser::detach(const Key& k, Member& m) {
    ++counters_.detached;
    const TrackId r = *m.regional;
    Regional& reg = regional_.at(r);
    reg.members.erase(std::find(reg.members.begin(), reg.members.end(), k));
    m.regional.reset();
    m.disagreements = 0;
    refuse(r);
    associate(k, m);
}

void TrackFuser::remove_member(const Key& k, bool hold_empty) {
    const auto it = members_.find(k);
    if (it == members_.end()) return;
    const std::optional<TrackId> r = it->second.regional;
    std::optional<Mmsi> mmsi;
    if (it->second.track.identity) mmsi = it->second.track.identity->mmsi;
    members_.erase(it);
    if (!r) return;
    Regional& reg = regional_.at(*r);
    reg.members.erase(std::find(reg.members.begin(), reg.members.end(), k));
    if (!reg.members.empty()) {
        refuse(*r);
    } else if (hold_empty && reg.has_estimate) {
        hold(*r, mmsi);
    } else {
        erase_regional(*r);
    }
}

void TrackFuser::hold(TrackId r, std::optional<Mmsi> mmsi) {
    ++counters_.held;
    Regional& reg = regional_.at(r);
    reg.held_since = std::max(now_, reg.time);
    reg.held_mmsi = mmsi;
    // Published as coasting, its last estimate, no source: what the operator should see of a
    // target whose sector is restarting.
    const auto p = std::lower_bound(public_.begin(), public_.end(), r,
                                    [](const Track& t, TrackId v) { return t.id < v; });
    if (p != public_.end() && p->id == r) p->status = TrackStatus::coasting;
    if (const auto old = lineage(r)) {
        auto held = std::make_shared<TrackLineage>(*old);
        held->sources.clear();
        lineage_[r] = std::move(held);
    }
    mark(r);
}

void TrackFuser::erase_regional(TrackId r) {
    regional_.erase(r);
    index_.remove(r);
    lineage_.erase(r);
    const auto p = std::lower_bound(public_.begin(), public_.end(), r,
                                    [](const Track& t, TrackId v) { return t.id < v; });
    if (p != public_.end() && p->id == r) public_.erase(p);
    deleted_.push_back(r);
}

void TrackFuser::on_source_restart(FeedIndex source) {
    ++counters_.source_restarts;
    std::vector<Key> gone;
    for (auto it = members_.lower_bound({source, 0});
         it != members_.end() && it->first.first == source; ++it)
        gone.push_back(it->first);
    for (const Key& k : gone) remove_member(k, /*hold_empty=*/true);
}

void TrackFuser::on_ended(FeedIndex source, std::uint64_t id) {
    if (members_.count({source, id})) ++counters_.source_ended;
    remove_member({source, id});
}

void TrackFuser::on_picture(FeedIndex source, std::span<const std::uint64_t> live) {
    std::vector<std::uint64_t> keep(live.begin(), live.end());
    std::sort(keep.begin(), keep.end());
    std::vector<Key> gone;
    for (auto it = members_.lower_bound({source, 0});
         it != members_.end() && it->first.first == source; ++it)
        if (!std::binary_search(keep.begin(), keep.end(), it->first.second))
            gone.push_back(it->first);
    for (const Key& k : gone) on_ended(k.first, k.second);
}

void TrackFuser::refuse(TrackId r) {
    Regional& reg = regional_.at(r);
    // Members that carry an estimate; tentative ones only when there is nothing else.
    std::vector<const Key*> use;
    for (const Key& k : reg.members)
        if (members_.at(k).track.status != TrackStatus::tentative) use.push_back(&k);
    if (use.empty())
        for (const Key& k : reg.members) use.push_back(&k);
    Timestamp t = members_.at(*use.front()).track.time;
    for (const Key* k : use) t = std::max(t, members_.at(*k).track.time);

    std::vector<Estimate> at_t;
    at_t.reserve(use.size());
    for (const Key* k : use) at_t.push_back(corrected_at(*k, members_.at(*k), t));

    // Never a sensor counted twice: a member whose sensors all feed another member too adds
    // nothing the other does not have (and CI would pretend it does); of two with the same
    // sensors the tighter one stays (then the lower source, for determinism).
    std::vector<bool> redundant(use.size(), false);
    for (std::size_t i = 0; i < use.size(); ++i) {
        const auto& si = members_.at(*use[i]).track.sensors;
        for (std::size_t j = 0; j < use.size() && !redundant[i]; ++j) {
            if (i == j || redundant[j]) continue;
            const auto& sj = members_.at(*use[j]).track.sensors;
            if (!sensors_within(si, sj)) continue;
            if (si != sj) {
                redundant[i] = true;
            } else {
                const double ti = at_t[i].P.trace(), tj = at_t[j].P.trace();
                redundant[i] = tj < ti || (tj == ti && *use[j] < *use[i]);
            }
        }
    }
    std::vector<Estimate> kept;
    for (std::size_t i = 0; i < use.size(); ++i)
        if (!redundant[i]) kept.push_back(at_t[i]);
    if (kept.size() < use.size()) ++counters_.redundant;

    // Bias: the uncorrected differences of agreeing members from different sources.
    if (config_.bias.enabled && use.size() > 1) {
        for (std::size_t i = 0; i < use.size(); ++i)
            for (std::size_t j = i + 1; j < use.size(); ++j) {
                const Key& a = *use[i];
                const Key& b = *use[j];
                if (a.first == b.first || distance2(at_t[i], at_t[j]) > config_.gate_chi2) continue;
                const Eigen::Vector2d raw = (at_t[i].x.head<2>() + bias_.bias(a.first)) -
                                            (at_t[j].x.head<2>() + bias_.bias(b.first));
                bias_.add_pair(a.first, b.first, raw);
            }
    }
    reg.fused = fast_ci(kept);
    reg.time = t;
    reg.has_estimate = true;
    index_.put(r, reg.fused.x.head<2>(), reg.fused.x.tail<2>(), t);
    publish(r);
}

void TrackFuser::publish(TrackId r) {
    const Regional& reg = regional_.at(r);
    Track out;
    out.id = r;
    out.updated = reg.time;
    out.born = reg.born;
    out.position = frame_.to_latlon(reg.fused.x.head<2>());
    out.east_mps = reg.fused.x(2);
    out.north_mps = reg.fused.x(3);
    out.cov = reg.fused.P;
    bool confirmed = false, coasting = false;
    for (const Key& k : reg.members) {
        const SourceTrack& s = members_.at(k).track;
        confirmed = confirmed || s.status == TrackStatus::confirmed;
        coasting = coasting || s.status == TrackStatus::coasting;
        out.seen_by.bits |= s.seen_by.bits;
        if (s.last_ais && (!out.last_ais || *out.last_ais < *s.last_ais)) out.last_ais = s.last_ais;
        if (s.identity &&
            (!out.identity || (out.identity->name.empty() && !s.identity->name.empty())))
            out.identity = s.identity;
        if (out.target_class == TargetClass::unknown) out.target_class = s.target_class;
    }
    const auto sensors_of =
        [&](const std::pair<FeedIndex, std::uint64_t>& k) -> const std::vector<std::string>& {
        return members_.at(k).track.sensors;
    };
    if (!same_lineage(reg.members, sensors_of, lineage(r)))
        lineage_[r] = make_lineage(reg.members, sensors_of);
    out.status = confirmed  ? TrackStatus::confirmed
                 : coasting ? TrackStatus::coasting
                            : TrackStatus::tentative;
    if (reg.class_override) out.target_class = *reg.class_override;
    out.standing = reg.standing;
    out.label = reg.label;
    const auto p = std::lower_bound(public_.begin(), public_.end(), r,
                                    [](const Track& t, TrackId v) { return t.id < v; });
    if (p != public_.end() && p->id == r)
        *p = std::move(out);
    else
        public_.insert(p, std::move(out));
    mark(r);
}

TrackFuser::Changes TrackFuser::take_changes() {
    Changes c;
    std::sort(changed_.begin(), changed_.end());
    changed_.erase(std::unique(changed_.begin(), changed_.end()), changed_.end());
    for (TrackId id : changed_)
        if (regional_.count(id)) c.updated.push_back(id);
    c.deleted = std::move(deleted_);
    changed_.clear();
    deleted_.clear();
    return c;
}

bool TrackFuser::set_standing(TrackId id, Standing s) {
    const auto it = regional_.find(id);
    if (it == regional_.end()) return false;
    it->second.standing = s;
    publish(id);
    return true;
}

bool TrackFuser::set_class(TrackId id, TargetClass c) {
    const auto it = regional_.find(id);
    if (it == regional_.end()) return false;
    it->second.class_override = c;
    publish(id);
    return true;
}

bool TrackFuser::set_label(TrackId id, std::string label) {
    const auto it = regional_.find(id);
    if (it == regional_.end()) return false;
    it->second.label = std::move(label);
    publish(id);
    return true;
}

}  // namespace picket::fusion
