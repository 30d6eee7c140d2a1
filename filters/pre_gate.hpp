#pragma once
/// The spatial pre-gate: which tracks a plot may belong to, before any matrix work.
///
/// Each live track gets a disc at the batch's newest time that holds its chi-square gate for any
/// plot of the batch: its predicted position, a conservative radius (`base`: chi-square x the
/// trace of the predicted covariance plus the plot noise) and the drift over the batch's time
/// spread (speed x spread). Whole scans look discs up in a sorted grid of cells; small batches
/// (an AIS sentence, a radar sector) scan flat arrays of centres and squared radii, which beats
/// sorting every track's cells. `candidates_reference` is the plain version of both: every disc
/// that holds the plot, one exact test each. A test checks they agree.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace picket::filters {

/// Whole scans use the grid from this many plots (and tracks) up; smaller batches the linear scan.
/// Below ~100 plots the linear pass's N x M tests of a few flops win over sorting N tracks' cells,
/// even at 10,000 tracks (measured with bench/tracking, 2025-11).
inline constexpr std::size_t kGridMinPlots = 128;
inline constexpr std::size_t kGridMinTracks = 64;
/// A disc spanning more grid cells than this (a track lost for long) is tested for every plot
/// instead of being entered in every cell.
inline constexpr std::int64_t kMaxCellsPerDisc = 64;

/// The grid cell of a point (row and column packed in one key; consecutive rows, consecutive keys).
inline std::int64_t gate_cell_key(double e, double n, double cell) {
    const auto ix = static_cast<std::int64_t>(std::floor(e / cell));
    const auto iy = static_cast<std::int64_t>(std::floor(n / cell));
    return (ix << 32) ^ (iy & 0xffffffffLL);
}

/// The index of the first entry of `cells` (sorted by key) whose key is >= key: std::lower_bound,
/// without the branch per step that mispredicts half the time (the merge pass runs one search per
/// neighbouring column of every track, every second).
inline std::size_t first_cell_at_or_after(
    const std::vector<std::pair<std::int64_t, std::uint32_t>>& cells, std::int64_t key) {
    std::size_t n = cells.size();
    if (n == 0) return 0;
    const auto* base = cells.data();
    while (n > 1) {
        const std::size_t half = n / 2;
        base = base[half].first < key ? base + half : base;
        n -= half;
    }
    return static_cast<std::size_t>(base - cells.data()) + (base->first < key ? 1 : 0);
}

/// One track's disc. `base < 0`: a dead track, never a candidate.
struct GateDisc {
    double e{0}, n{0};    ///< predicted position at the batch's newest time (m)
    double base{-1};      ///< radius without the drift (m)
    double ve{0}, vn{0};  ///< velocity (m/s): the drift over the batch's spread
};

/// The disc's exact radius for a batch spanning `spread_s`: base + speed x spread + 1 m. PreGate
/// and GateIndex's users test with this one expression, so they accept the same plots.
inline double gate_disc_radius(const GateDisc& d, double spread_s) {
    return d.base + std::hypot(d.ve, d.vn) * spread_s + 1.0;
}

class PreGate {
public:
    /// The discs of every track (index = track index), to fill before build(): kept across
    /// batches so that a one-plot batch allocates nothing.
    [[nodiscard]] std::vector<GateDisc>& discs() { return discs_; }
    /// Prepares the lookups for a batch of `plots` plots spanning `spread_s` seconds; `cell_m`
    /// is the grid cell size.
    void build(double spread_s, std::size_t plots, double cell_m);
    /// Calls fn(track) for every track whose disc may hold a plot at `z` (every disc that holds
    /// it; perhaps a few more on the linear scan's bound), in no promised order.
    template <typename Fn>
    void candidates(const Eigen::Vector2d& z, Fn&& fn);
    /// The plain version: every live track whose exact disc holds z, in track order.
    void candidates_reference(const Eigen::Vector2d& z, std::vector<std::uint32_t>& out) const;
    [[nodiscard]] bool uses_grid() const { return use_grid_; }
    [[nodiscard]] std::size_t size() const { return discs_.size(); }
    /// Whether track i is live (candidates for plots without a position: bearings).
    [[nodiscard]] bool live(std::size_t i) const { return discs_[i].base >= 0; }

private:
    /// The exact radius: base + speed x spread + 1 m.
    [[nodiscard]] double exact_radius(const GateDisc& d) const;
    /// Whether the plot is inside disc i (the bound first, the exact radius only near it).
    bool within(const Eigen::Vector2d& z, std::size_t i);

    std::vector<GateDisc> discs_;
    double spread_s_{0};
    bool use_grid_{false};
    double cell_m_{2000};
    // r2_[i]: the squared radius tested (the bound's while !exact_[i]; -1 for a dead track).
    std::vector<double> e_, n_, r2_;
    std::vector<double> r_;  ///< the radius the grid cells cover (the bound's)
    std::vector<char> exact_;
    std::vector<std::pair<std::int64_t, std::uint32_t>> grid_;  ///< (cell key, track), sorted
    std::vector<std::uint32_t> wide_;                           ///< discs over too many cells
};

template <typename Fn>
void PreGate::candidates(const Eigen::Vector2d& z, Fn&& fn) {
    const std::size_t n = discs_.size();
    if (use_grid_) {
        const std::int64_t key = gate_cell_key(z(0), z(1), cell_m_);
        for (std::size_t k = first_cell_at_or_after(grid_, key);
             k < grid_.size() && grid_[k].first == key; ++k) {
            const std::uint32_t i = grid_[k].second;
            if (within(z, i)) fn(i);
        }
        for (std::uint32_t i : wide_)
            if (within(z, i)) fn(i);
        return;
    }
    // Branch-free in blocks: each track's index is written and kept (the count advances) only
    // when the plot may be inside; nearly every track is far, so a branch per track would be the
    // cost. A NaN comparison keeps the track: `within` decides.
    const double pe = z(0);
    const double pn = z(1);
    constexpr std::size_t kBlock = 256;
    std::uint32_t near[kBlock];
    for (std::size_t i0 = 0; i0 < n; i0 += kBlock) {
        const std::size_t i1 = std::min(n, i0 + kBlock);
        std::size_t n_near = 0;
        for (std::size_t i = i0; i < i1; ++i) {
            const double de = pe - e_[i];
            const double dn = pn - n_[i];
            near[n_near] = static_cast<std::uint32_t>(i);
            n_near += !(de * de + dn * dn > r2_[i]);
        }
        for (std::size_t k = 0; k < n_near; ++k) {
            const std::uint32_t i = near[k];
            if (discs_[i].base < 0 || !within(z, i)) continue;
            fn(i);
        }
    }
}

}  // namespace picket::filters
