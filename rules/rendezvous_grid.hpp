#pragma once
/// Finds every pair of points closer than a distance, in O(n) expected time, with a uniform
/// lat/lon grid whose cells are at least that distance on a side (so a close pair always sits in
/// the same or neighbouring cells). Columns wrap at the antimeridian. Output pairs are ordered by
/// (first, second) key so that callers stay deterministic.
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/geodetic.hpp"

namespace picket::rules {

struct GridPoint {
    std::uint64_t key{0};  ///< caller's id (track id); pairs are reported as (smaller, larger)
    LatLon where;
};

struct ClosePair {
    std::size_t a{0};  ///< index into the points given, of the smaller key
    std::size_t b{0};
    double distance_m{0};  ///< geodesic (WGS84)
};

/// Every pair with geodesic distance below `max_distance_m`, sorted by (key a, key b).
/// `max_distance_m` must be positive and small against the Earth (rendezvous: a few km at most).
std::vector<ClosePair> find_close_pairs(const std::vector<GridPoint>& points,
                                        double max_distance_m);

}  // namespace picket::rules
