#pragma once
/// The grid that answers most nearest-piece queries without walking the tree.
///
/// A lon/lat grid over the boundary's box (padded by 5 %), about two cells per piece. Each cell
/// lists the tree's leaves (eight pieces each) that can hold the nearest piece to some point of
/// the cell, nearest first, with each leaf's distance dc from the cell's centre c (to its
/// nearest piece), up to kMaxLeaves of them, and a bound L: every piece of an unlisted leaf is
/// at least L from c. A query q scans the list in order:
///  - by the triangle inequality a leaf at dc from c is at least dc - |q - c| from q, so the scan
///    stops as soon as that exceeds the best distance found (and so do all later leaves);
///  - a leaf whose capsule (PieceBvh::Capsule) is beyond the best is skipped without measuring
///    its pieces;
///  - the answer is certified when the best is within L - |q - c|.
/// Near the boundary the list holds every leaf within d + 2r of c (d the nearest piece, r the
/// cell's radius), which always certifies. Far from it, in the few cells that see more than
/// kMaxLeaves leaves at nearly the same distance (the middle of a sea ringed by islands), a query
/// near enough to the centre still certifies, and the rest go to the tree with the best distance
/// found as a bound. The answer is the tree's: the grid only saves work.
///
/// The query point's sines and cosines come from its cell's row and column (a short series from
/// the centre's), not from the library functions.
#include <cstdint>
#include <vector>

#include "geo/ecef.hpp"
#include "geo/piece_bvh.hpp"

namespace picket::geo::detail {

class DistanceGrid {
public:
    DistanceGrid() = default;
    /// edges: the boundary (lon/lat) the BVH was built from, for the grid's extent.
    DistanceGrid(const PieceBvh& bvh, const std::vector<std::pair<Vec2, Vec2>>& edges);

    struct Nearest {
        std::uint32_t piece{0};
        double t{0};      ///< along the piece
        double chord2{0};  ///< squared chord (ECEF / a)
    };
    /// The nearest piece to the point (lon in [-180, 180)), through the grid when the point is in
    /// it, else (or when not certified) through the tree. q is filled in for the caller.
    [[nodiscard]] Nearest nearest(const PieceBvh& bvh, LatLon p, QueryPoint& q) const;

private:
    static constexpr std::size_t kMaxLeaves = 128;
    struct Cell {
        std::uint32_t begin;  ///< entries_[begin, next cell's begin)
        float bound;          ///< L: chord (ECEF / a) below which the list is complete
    };
    struct Entry {
        std::uint32_t leaf;
        float dc;  ///< chord from the cell's centre, rounded down
    };
    struct Axis {  ///< per row (latitude) or column (longitude) centre
        double deg, sin, cos;
    };

    double x0_{0}, y0_{0}, x1_{0}, y1_{0}, inv_w_{0}, inv_h_{0};
    int nx_{0}, ny_{0};
    std::vector<Axis> rows_, cols_;
    std::vector<Cell> cells_;  ///< nx * ny + 1 (the last one closes the final list)
    std::vector<Entry> entries_;
};

}  // namespace picket::geo::detail
