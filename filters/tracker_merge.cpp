// Duplicate tracks of one target: found and merged, never two targets a look resolved.
#include "filters/tracker.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <numbers>

#include "filters/frame_geometry.hpp"
#include "filters/tracker_internal.hpp"

namespace picket::filters {
using namespace detail;

bool Tracker::took_same_look(const TrackState& s, FeedIndex feed, Timestamp t) {
    return s.has_sensor_update && s.last_sensor_feed == feed &&
           std::abs((s.last_sensor_update - t).seconds()) < kSameLookS;
}

bool Tracker::shared_a_look(const TrackState& a, const TrackState& b) {
    for (const TrackState::SensorHit& ha : a.recent_hits) {
        if (!ha.used) continue;
        for (const TrackState::SensorHit& hb : b.recent_hits)
            if (hb.used && hb.feed == ha.feed && std::abs((ha.t - hb.t).seconds()) < kSameLookS)
                return true;
    }
    return false;
}

// Two tracks are one target when they are close (merge distance, or statistically
// indistinguishable in position) and move alike (speed difference, or statistically), unless a
// sensor resolved them.
bool Tracker::same_target(std::size_t i, std::size_t j, const Eigen::Vector2d& pi,
                          const Eigen::Vector2d& pj) const {
    const double d = (pi - pj).norm();
    const Eigen::Vector2d dv = states_[i].xs.tail<2>() - states_[j].xs.tail<2>();
    const bool near = d <= cfg_.merge_distance_m;
    const bool alike = dv.norm() <= cfg_.merge_speed_mps;
    // Cheap reject before any matrix work: farther than 5 sigma of both tracks' spread.
    const double spread = std::sqrt(states_[i].pos_var + states_[j].pos_var);
    if (!near && d > cfg_.merge_distance_m + 5 * spread) return false;
    // Two tracks updated by different plots of one look of one sensor (in any of their last few
    // updates: one of them may have missed the latest look) are two objects the sensor resolved,
    // however close: a skiff 300 m off a ship, two people walking 40 m apart, two boats in
    // company 20-40 m apart whose estimates wander within each other's spread (a test on that
    // spread let 27 m pairs through at sigma 10 m and merged them). A one-off split return (two
    // plots of one object in one look) vetoes its duplicate only until the look leaves the
    // tracks' last few updates; genuine duplicates (a track restarted after missed looks, an AIS
    // track beside a radar one) never took two plots of one look and merge as before.
    if (shared_a_look(states_[i], states_[j])) return false;
    if (near && alike) return true;
    const Gaussian gi = states_[i].filter.combined();
    const Gaussian gj = states_[j].filter.combined();
    const Eigen::Matrix4d S = gi.P.topLeftCorner<4, 4>() + gj.P.topLeftCorner<4, 4>();
    const Eigen::Vector2d dp = pi - pj;
    const double d2p = dp.dot(S.topLeftCorner<2, 2>().ldlt().solve(dp));
    const Eigen::Matrix2d Sv = S.bottomRightCorner<2, 2>();
    const double d2v = dv.dot(Sv.ldlt().solve(dv));
    return (near || d2p <= gate_[2]) && (alike || d2v <= gate_[2]);
}

void Tracker::merge_duplicates() {
    const double cell = std::max(2 * cfg_.merge_distance_m, 250.0);
    grid_.clear();
    merge_pos_.resize(states_.size());
    merge_dead_.resize(states_.size());
    std::vector<Eigen::Vector2d>& pos = merge_pos_;
    std::vector<char>& dead = merge_dead_;
    for (std::size_t i = 0; i < states_.size(); ++i) {
        const TrackState& s = states_[i];
        dead[i] = s.dead;
        if (s.dead) continue;
        const double dt = (now_ - s.t).seconds();
        pos[i] = s.xs.head<2>() + s.xs.tail<2>() * dt;
        grid_.emplace_back(cell_key(pos[i](0), pos[i](1), cell), static_cast<std::uint32_t>(i));
    }
    std::sort(grid_.begin(), grid_.end());
    // A track kept up by data late by nature (satellite AIS, minutes old) yields to a live one of
    // the same target, which takes its identity: the late report names the live track.
    auto rank = [&](std::size_t i) {
        return (states_[i].latency_allowance == Duration{} ? 4 : 0) +
               (public_[i].status != TrackStatus::tentative ? 2 : 0) + (states_[i].mmsi ? 1 : 0);
    };
    for (std::size_t k = 0; k < grid_.size(); ++k) {
        const std::uint32_t i = grid_[k].second;
        if (dead[i]) continue;
        const auto ix = static_cast<std::int64_t>(std::floor(pos[i](0) / cell));
        const auto iy = static_cast<std::int64_t>(std::floor(pos[i](1) / cell));
        for (std::int64_t dx = -1; dx <= 1; ++dx) {
            // The column's three cells (dy = -1, 0, 1) have consecutive keys, except where the
            // row index crosses -1 / 0 (the key wraps). When consecutive, one search finds the
            // first and a forward scan visits all three in the order three searches would (the
            // visiting order decides the merges); otherwise each cell has its own search.
            const std::int64_t key_lo = ((ix + dx) << 32) ^ ((iy - 1) & 0xffffffffLL);
            const std::int64_t key_hi = ((ix + dx) << 32) ^ ((iy + 1) & 0xffffffffLL);
            const bool contiguous = key_hi - key_lo == 2;
            for (std::int64_t dy = -1; dy <= 1; ++dy) {
                if (contiguous && dy > -1) break;
                const std::int64_t key = ((ix + dx) << 32) ^ ((iy + dy) & 0xffffffffLL);
                const std::int64_t last = contiguous ? key_hi : key;
                auto it =
                    grid_.begin() + static_cast<std::ptrdiff_t>(first_at_or_after(grid_, key));
                for (; it != grid_.end() && it->first <= last; ++it) {
                    const std::uint32_t j = it->second;
                    if (j <= i || dead[j] || dead[i]) continue;
                    TrackState& a = states_[i];
                    TrackState& b = states_[j];
                    if (a.mmsi && b.mmsi && *a.mmsi != *b.mmsi) continue;
                    if (a.aircraft_address != 0 && b.aircraft_address != 0 &&
                        a.aircraft_address != b.aircraft_address)
                        continue;  // two Mode S transponders, two aircraft
                    if (!same_target(i, j, pos[i], pos[j])) continue;
                    // Keep the confirmed, then the identified, then the older track.
                    const bool keep_i = rank(i) >= rank(j);
                    const std::size_t w = keep_i ? i : j;
                    const std::size_t l = keep_i ? j : i;
                    states_[l].dead = true;
                    dead[l] = 1;
                    any_dead_ = true;
                    ++counters_.merged;
                    public_[w].seen_by.bits |= public_[l].seen_by.bits;
                    if (states_[l].mmsi && !states_[w].mmsi) {
                        const Mmsi mm = *states_[l].mmsi;
                        states_[l].mmsi.reset();
                        bind_mmsi(w, mm);
                        if (public_[l].last_ais) public_[w].last_ais = public_[l].last_ais;
                    }
                    if (states_[l].aircraft_address != 0 && states_[w].aircraft_address == 0) {
                        states_[w].aircraft_address = states_[l].aircraft_address;
                        states_[w].address_since = states_[l].address_since;
                        states_[l].aircraft_address = 0;
                        address_owner_[states_[w].aircraft_address] = public_[w].id;
                    }
                    mark_stale(w);
                    mark(changed_ids_, states_[w].changed, public_[w].id);
                }
            }
        }
    }
}

}  // namespace picket::filters
