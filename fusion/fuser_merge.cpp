// The fuser's housekeeping, once a second of data: members that stopped updating leave, the
// biases are re-solved, and regional tracks that turn out to be one target become one.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>

#include "fusion/track_fuser.hpp"

namespace picket::fusion {

void TrackFuser::advance(Timestamp now) {
    if (now > now_) now_ = now;
    if (now_ - last_pass_ < Duration::from_seconds(1)) return;
    last_pass_ = now_;
    const Timestamp too_old = now_ - Duration::from_seconds(config_.max_age_s);
    std::vector<Key> stale;
    for (const auto& [k, m] : members_)
        if (m.track.time < too_old) stale.push_back(k);
    for (const Key& k : stale) {
        ++counters_.aged_out;
        remove_member(k);
    }
    // Held regional tracks no restarted source came back to.
    const Timestamp hold_over = now_ - Duration::from_seconds(config_.restart_hold_s);
    std::vector<TrackId> expired;
    for (const auto& [id, r] : regional_)
        if (r.held_since && *r.held_since < hold_over) expired.push_back(id);
    for (const TrackId id : expired) {
        ++counters_.hold_expired;
        erase_regional(id);
    }
    unassociated_bias_pass();
    bias_.solve();
    merge_pass();
}

void TrackFuser::unassociated_bias_pass() {
    if (!config_.bias.enabled) return;
    struct Entry {
        TrackId id;
        Eigen::Vector2d raw;  ///< the single member's position, bias not taken off
        Timestamp time;
        Eigen::Vector2d v;
        FeedIndex source;
    };
    std::vector<Entry> single;
    for (const auto& [id, r] : regional_) {
        if (r.members.size() != 1) continue;
        const Member& m = members_.at(r.members[0]);
        if (m.track.status == TrackStatus::tentative) continue;
        single.push_back({id, m.x.head<2>(), m.track.time, m.x.tail<2>(), r.members[0].first});
    }
    std::sort(single.begin(), single.end(), [](const Entry& a, const Entry& b) {
        return a.raw.x() < b.raw.x() || (a.raw.x() == b.raw.x() && a.id < b.id);
    });
    // Nearest and second-nearest of another source, per entry (positions at a common time).
    const double reach = 2 * config_.bias_search_m;
    std::vector<std::size_t> nearest(single.size(), SIZE_MAX);
    std::vector<double> d1(single.size(), 1e300), d2(single.size(), 1e300);
    for (std::size_t i = 0; i < single.size(); ++i)
        for (std::size_t j = i + 1;
             j < single.size() && single[j].raw.x() - single[i].raw.x() <= reach; ++j) {
            if (single[i].source == single[j].source) continue;
            const double dt = (single[j].time - single[i].time).seconds();
            const double d = (single[j].raw - (single[i].raw + dt * single[i].v)).norm();
            for (const auto& [a, b] : {std::pair{i, j}, std::pair{j, i}}) {
                if (d < d1[a]) {
                    d2[a] = d1[a];
                    d1[a] = d;
                    nearest[a] = b;
                } else if (d < d2[a]) {
                    d2[a] = d;
                }
            }
        }
    for (std::size_t i = 0; i < single.size(); ++i) {
        const std::size_t j = nearest[i];
        if (j == SIZE_MAX || j < i || nearest[j] != i) continue;  // mutual, counted once
        if (d1[i] > config_.bias_search_m || d2[i] < 2 * d1[i] || d2[j] < 2 * d1[j]) continue;
        const double dt = (single[j].time - single[i].time).seconds();
        bias_.add_pair(single[i].source, single[j].source,
                       (single[i].raw + dt * single[i].v) - single[j].raw);
    }
}

// Two regional tracks are one target when no source holds both (a source's own duplicate is
// its business), their identities agree, and their estimates are within the gate: tracks
// started by two sectors before either reached the other's cover. Candidates are the pairs
// within max_distance_m east of each other (a sweep over the tracks sorted by east).
std::map<TrackId, TrackId> TrackFuser::merge_partners_reference() const {
    struct Entry {
        TrackId id;
        double east;
    };
    std::vector<Entry> order;
    for (const auto& [id, r] : regional_)
        if (r.has_estimate) order.push_back({id, r.fused.x(0)});
    std::sort(order.begin(), order.end(), [](const Entry& a, const Entry& b) {
        return a.east < b.east || (a.east == b.east && a.id < b.id);
    });
    std::map<TrackId, TrackId> best;  // lower id -> its best partner this pass
    std::map<TrackId, double> best_cost;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const Regional& a = regional_.at(order[i].id);
        for (std::size_t j = i + 1;
             j < order.size() && order[j].east - order[i].east <= config_.max_distance_m; ++j) {
            const Regional& b = regional_.at(order[j].id);
            if (a.members.empty() && b.members.empty()) continue;  // two held: nothing to fuse
            if (has_display_only(a) || has_display_only(b)) continue;
            bool shared = false;
            for (const Key& ka : a.members)
                for (const Key& kb : b.members) shared = shared || ka.first == kb.first;
            if (shared) continue;
            const auto ma = mmsi_of(order[i].id), mb = mmsi_of(order[j].id);
            if (ma && mb && *ma != *mb) continue;
            const Timestamp t = std::max(a.time, b.time);
            const Estimate ea = predicted(a.fused, a.time, t), eb = predicted(b.fused, b.time, t);
            if (metres(ea, eb) > config_.max_distance_m) continue;
            const double d2 = distance2(ea, eb);
            if (d2 > config_.gate_chi2) continue;
            const TrackId lo = std::min(order[i].id, order[j].id);
            const TrackId hi = std::max(order[i].id, order[j].id);
            if (!best.count(lo) || d2 < best_cost[lo]) {
                best[lo] = hi;
                best_cost[lo] = d2;
            }
        }
    }
    return best;
}

// The same pairs and checks as the reference, each pair's cheapest rejection first. Sorted by
// east, a track has as many candidates as tracks lie in its max_distance_m-wide strip, north
// or south of it however far (on a busy coast hundreds): the reference looked up both tracks,
// their members and their MMSIs in maps for every one of them (11 ms a pass at 4,000 tracks).
// Here those facts are found once per track, and a pair's positions are compared first, with
// a margin so that no pair the exact test would keep is dropped by rounding.
std::map<TrackId, TrackId> TrackFuser::merge_partners() const {
    struct Entry {
        TrackId id;
        double east;
        const Regional* r;
        std::optional<Mmsi> mmsi;
        bool display_only;
    };
    std::vector<Entry> order;
    for (const auto& [id, r] : regional_)
        if (r.has_estimate)
            order.push_back({id, r.fused.x(0), &r, mmsi_of(id), has_display_only(r)});
    std::sort(order.begin(), order.end(), [](const Entry& a, const Entry& b) {
        return a.east < b.east || (a.east == b.east && a.id < b.id);
    });
    const double reach = config_.max_distance_m * (1 + 1e-9) + 1e-6;
    std::map<TrackId, TrackId> best;
    std::map<TrackId, double> best_cost;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const Entry& ea = order[i];
        const Regional& a = *ea.r;
        for (std::size_t j = i + 1;
             j < order.size() && order[j].east - ea.east <= config_.max_distance_m; ++j) {
            const Entry& eb = order[j];
            const Regional& b = *eb.r;
            const Timestamp t = std::max(a.time, b.time);
            const double dta = (t - a.time).seconds(), dtb = (t - b.time).seconds();
            const double de =
                (a.fused.x(0) + dta * a.fused.x(2)) - (b.fused.x(0) + dtb * b.fused.x(2));
            const double dn =
                (a.fused.x(1) + dta * a.fused.x(3)) - (b.fused.x(1) + dtb * b.fused.x(3));
            if (std::hypot(de, dn) > reach) continue;
            if (a.members.empty() && b.members.empty()) continue;
            if (ea.display_only || eb.display_only) continue;
            bool shared = false;
            for (const Key& ka : a.members)
                for (const Key& kb : b.members) shared = shared || ka.first == kb.first;
            if (shared) continue;
            if (ea.mmsi && eb.mmsi && *ea.mmsi != *eb.mmsi) continue;
            const Estimate pa = predicted(a.fused, a.time, t), pb = predicted(b.fused, b.time, t);
            if (metres(pa, pb) > config_.max_distance_m) continue;
            const double d2 = distance2(pa, pb);
            if (d2 > config_.gate_chi2) continue;
            const TrackId lo = std::min(ea.id, eb.id);
            const TrackId hi = std::max(ea.id, eb.id);
            if (!best.count(lo) || d2 < best_cost[lo]) {
                best[lo] = hi;
                best_cost[lo] = d2;
            }
        }
    }
    return best;
}

void TrackFuser::merge_pass() {
    const std::map<TrackId, TrackId> best =
        config_.fast_merge_pass ? merge_partners() : merge_partners_reference();
    std::vector<std::pair<TrackId, TrackId>> merges;
    for (auto& [id, r] : regional_) {
        const auto it = best.find(id);
        if (it == best.end()) {
            r.merge_with.reset();
            r.merge_count = 0;
            continue;
        }
        r.merge_count = r.merge_with == it->second ? r.merge_count + 1 : 1;
        r.merge_with = it->second;
        if (r.merge_count >= config_.merge_after) merges.emplace_back(id, it->second);
    }
    for (const auto& [keep, gone] : merges)
        if (regional_.count(keep) && regional_.count(gone)) merge(keep, gone);
}

void TrackFuser::merge(TrackId keep, TrackId gone) {
    ++counters_.merged;
    Regional& k = regional_.at(keep);
    Regional& g = regional_.at(gone);
    for (const Key& key : g.members) {
        members_.at(key).regional = keep;
        k.members.push_back(key);
    }
    std::sort(k.members.begin(), k.members.end());
    k.born = std::min(k.born, g.born);
    if (k.held_since) ++counters_.rebound;  // a held track is the older id: it stays
    k.held_since.reset();
    k.held_mmsi.reset();
    k.merge_with.reset();
    k.merge_count = 0;
    if (!k.class_override) k.class_override = g.class_override;
    if (k.standing == Standing::unknown) k.standing = g.standing;
    if (k.label.empty()) k.label = g.label;
    erase_regional(gone);
    refuse(keep);
}

}  // namespace picket::fusion
