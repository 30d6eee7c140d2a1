#pragma once
/// The standing spatial index of the tracks for small batches (an AIS sentence, a camera frame, a
/// radar sector): which tracks a plot may belong to, without visiting every track.
///
/// PreGate builds a disc for every track at the batch's newest time, so a one-plot batch costs
/// O(tracks): 3.3 ms a sentence at 80,000 tracks (bench_tracking, 2026-12), each track a cache
/// miss on its ~3.6 kB state. This index instead keeps, per track, an envelope: a disc that holds
/// the track's pre-gate disc for any batch of the current epoch, i.e. a newest time inside the
/// epoch's window, a time spread and a plot sigma up to the epoch's bounds. A plot then looks up
/// the envelopes of its grid cell, and only those tracks get their exact disc (the same formula
/// and arithmetic as PreGate's, so the candidates that pass are the same tracks).
///
/// The owner keeps it true: every change of a track's state or class is `touch`ed (the envelope
/// is rebuilt before the next lookup), new tracks are appended, `compact` follows the owner's
/// compaction, and a batch outside the epoch starts a new one (every envelope rebuilt: O(tracks)
/// once per epoch instead of once per batch) or, when it is older than the window, goes the
/// PreGate way. The tracker's reference mode (`gate_index: off`) never uses it; a test compares
/// the two.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/time.hpp"

namespace picket::filters {

/// The batches an epoch's envelopes hold: newest time in [from, to], spread and plot sigma up to
/// these bounds.
struct GateEpoch {
    Timestamp from, to;
    double max_spread_s{0};
    double max_sigma_m{0};
    [[nodiscard]] bool holds(Timestamp tmax, double spread_s, double sigma_m) const {
        return tmax >= from && tmax <= to && spread_s <= max_spread_s && sigma_m <= max_sigma_m;
    }
};

/// One track's envelope. `r < 0`: none (a dead track); `r` infinite or NaN: tested for every
/// plot (a track with a non-finite state, which the exact test then refuses).
struct GateEnvelope {
    double e{0}, n{0}, r{-1};
};

class GateIndex {
public:
    explicit GateIndex(double cell_m = 2000) : cell_m_(cell_m) {}

    [[nodiscard]] bool active() const { return active_; }
    [[nodiscard]] const GateEpoch& epoch() const { return epoch_; }
    /// Starts an epoch: every envelope is dropped; the owner then sets one per track (0..n-1).
    void start_epoch(const GateEpoch& epoch);
    /// Forgets everything (the owner's tracks changed in a way it does not follow).
    void clear();
    /// Sets track i's envelope (i <= size(): i == size() appends a new track).
    void set(std::uint32_t i, const GateEnvelope& env);
    /// Track i changed: its envelope is rebuilt before the next lookup.
    void touch(std::uint32_t i) {
        if (!active_) return;
        touched_.push_back(i);
        // Whole scans touch many tracks between small batches: past one touch per track, a new
        // epoch costs less than the list (and the list stays bounded when small batches stop).
        if (touched_.size() > std::max<std::size_t>(1024, env_.size())) clear();
    }
    /// The tracks touched since the last call (may repeat; all < size()), and forgets them.
    std::vector<std::uint32_t>& touched() { return touched_; }
    [[nodiscard]] std::size_t size() const { return env_.size(); }
    /// The owner dropped tracks: new_index[i] is track i's new index, or -1 if it was dropped.
    void compact(const std::vector<std::int64_t>& new_index);
    /// Calls fn(track) for every track whose envelope holds z, each once, in no promised order.
    template <typename Fn>
    void candidates(const Eigen::Vector2d& z, Fn&& fn) const;

private:
    struct Placed {
        GateEnvelope env;
        std::int32_t x0{0}, y0{0}, x1{-1}, y1{-1};  ///< cells covered (x1 < x0: none)
        bool wide{false};                           ///< in wide_ instead of cells
    };
    [[nodiscard]] std::int64_t key(std::int64_t x, std::int64_t y) const {
        return (x << 32) ^ (y & 0xffffffffLL);
    }
    void insert(std::uint32_t i);
    void erase(std::uint32_t i);

    double cell_m_;
    bool active_{false};
    GateEpoch epoch_;
    std::vector<Placed> env_;
    std::unordered_map<std::int64_t, std::vector<std::uint32_t>> cells_;
    std::vector<std::uint32_t> wide_;  ///< envelopes over too many cells, or not finite
    std::vector<std::uint32_t> touched_;
};

template <typename Fn>
void GateIndex::candidates(const Eigen::Vector2d& z, Fn&& fn) const {
    auto inside = [&](std::uint32_t i) {
        const GateEnvelope& v = env_[i].env;
        const double de = z(0) - v.e;
        const double dn = z(1) - v.n;
        return !(de * de + dn * dn > v.r * v.r);  // NaN keeps the track: the exact test decides
    };
    for (std::uint32_t i : wide_)
        if (inside(i)) fn(i);
    if (!std::isfinite(z(0)) || !std::isfinite(z(1))) return;
    const auto x = static_cast<std::int64_t>(std::floor(z(0) / cell_m_));
    const auto y = static_cast<std::int64_t>(std::floor(z(1) / cell_m_));
    const auto it = cells_.find(key(x, y));
    if (it == cells_.end()) return;
    for (std::uint32_t i : it->second)
        if (inside(i)) fn(i);
}

}  // namespace picket::filters
