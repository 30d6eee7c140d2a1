#pragma once
/// Helpers shared by the tracker's source files (not part of the public API).
#include <cstdint>
#include <numbers>
#include <utility>
#include <vector>

#include "core/ids.hpp"
#include "core/measurement.hpp"

namespace picket::filters::detail {

inline constexpr double kTwoPi = 2 * std::numbers::pi;

inline std::int64_t cell_key(double e, double n, double cell) {
    const auto ix = static_cast<std::int64_t>(std::floor(e / cell));
    const auto iy = static_cast<std::int64_t>(std::floor(n / cell));
    return (ix << 32) ^ (iy & 0xffffffffLL);
}

/// The index of the first entry of `cells` (sorted by key) whose key is >= key: std::lower_bound,
/// without the branch per step that mispredicts half the time (the merge pass runs one search per
/// neighbouring column of every track, every second).
inline std::size_t first_at_or_after(
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

// A gated (track, measurement) pair.
struct Pair {
    std::uint32_t track;
    std::uint32_t meas;
    double d2;
    double log_det_S;
    std::uint32_t root;
};

struct UnionFind {
    std::vector<std::uint32_t> parent;
    void reset(std::size_t n) {
        parent.resize(n);
        for (std::size_t i = 0; i < n; ++i) parent[i] = static_cast<std::uint32_t>(i);
    }
    std::uint32_t find(std::uint32_t x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }
    void unite(std::uint32_t a, std::uint32_t b) {
        a = find(a);
        b = find(b);
        if (a != b) parent[std::max(a, b)] = std::min(a, b);
    }
};

inline TargetClass class_from_ship_type(std::uint8_t t) {
    // ITU-R M.1371 ship types 40-49 are high-speed craft.
    if (t >= 40 && t <= 49) return TargetClass::fast_boat;
    return TargetClass::vessel;
}

/// Adds `id` to the change list once.
inline void mark(std::vector<TrackId>& changed, bool& flag, TrackId id) {
    if (!flag) {
        flag = true;
        changed.push_back(id);
    }
}

}  // namespace picket::filters::detail
