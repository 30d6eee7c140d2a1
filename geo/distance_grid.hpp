#pragma once
/// The grid that answers most nearest-piece queries without walking the tree.
///
/// A lon/lat grid over the boundary's box (padded by 5 %), about two cells per piece. Each cell
/// lists the tree's leaves (eight pieces each) that some point of the cell can have nearest,
/// nearest first, with each leaf's distance dc from the cell's centre c (to its nearest piece),
/// up to kMaxLeaves of them. Built in two steps:
///  - every leaf within d + 2r of c (d the nearest piece, r the cell's radius): beyond that, the
///    nearest is nearer for every point of the cell;
///  - less the leaves proved farther, over the whole cell, than the nearest boundary point of the
///    centre of this cell or of one of its eight neighbours (a projection bound on the leaf,
///    checked at the corners of a box holding the cell; see distance_grid.cpp). Far from the
///    boundary the ring d + 2r wide crosses a long stretch of shore while the cell's points look
///    at a short one: lists shrink ~5x (Indonesia: 19 leaves a cell on average to 3.7).
/// Per quarter of the cell, the entry to measure first: the listed leaf nearest to the quarter's
/// centre (usually the query's nearest). A query q measures it, then scans the list in order:
///  - by the triangle inequality a leaf at dc from c is at least dc - |q - c| from q, so the scan
///    stops as soon as that exceeds the best distance found (and so do all later leaves);
///  - a leaf whose capsule (PieceBvh::Capsule) is beyond the best is skipped without measuring
///    its pieces.
/// A complete list is certified: every leaf left out is nearest to no point of the cell. In the
/// few cells that still see more than kMaxLeaves leaves (the middle of a sea ringed by islands),
/// the list is cut with a bound L (every piece of a leaf cut off is at least L from c): a query
/// is certified when the best is within L - |q - c|, and the rest go to the tree with the best
/// distance found as a bound. The answer is the tree's: the grid only saves work.
///
/// Memory: a cell is 8 bytes and a list entry 4 (the leaf and dc, rounded down to a step, in one
/// word), so the lists stay in cache between queries: Indonesia 0.75 MB (was 5 MB with 8-byte
/// entries and unpruned lists), Russia 4.1 MB (was 46 MB).
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
        double t{0};       ///< along the piece
        double chord2{0};  ///< squared chord (ECEF / a)
    };
    /// The nearest piece to the point (lon in [-180, 180)), through the grid when the point is in
    /// it, else (or when not certified) through the tree. q is filled in for the caller.
    [[nodiscard]] Nearest nearest(const PieceBvh& bvh, LatLon p, QueryPoint& q) const;

    /// A row's (latitude) or column's (longitude) centre. Public for the build's helpers.
    struct Axis {
        double deg, sin, cos;
    };

private:
    static constexpr std::size_t kMaxLeaves = 128;
    /// Top bit of a cell's start: its list was cut at kMaxLeaves (its bound is in cuts_).
    static constexpr std::uint32_t kCut = 0x80000000u;
    struct Cut {
        std::uint32_t cell;
        float bound;  ///< L: chord (ECEF / a) from the centre below which the list is complete
    };

    double x0_{0}, y0_{0}, x1_{0}, y1_{0}, inv_w_{0}, inv_h_{0};
    int nx_{0}, ny_{0};
    std::vector<Axis> rows_, cols_;
    struct RowCentre {
        double xy, z;  ///< a row's centres are at ECEF (xy cos(lon), xy sin(lon), z) / a
    };
    std::vector<RowCentre> row_centres_;
    struct Cell {
        std::uint32_t begin;  ///< start of the list in entries_ (| kCut); the next cell's ends it
        /// Per quarter (bit 0: east half, bit 1: north half): the entry to measure first.
        std::uint8_t first[4];
    };
    std::vector<Cell> cells_;  ///< nx * ny + 1 (the last one closes the final list)
    /// Per entry: leaf | (chord from the cell's centre to the leaf, in dc_step_ units, rounded
    /// down) << leaf_bits_.
    std::vector<std::uint32_t> entries_;
    std::vector<Cut> cuts_;  ///< by cell
    int leaf_bits_{1};
    double dc_step_{1};
};

}  // namespace picket::geo::detail
