#pragma once
/// Point-in-polygon in O(1) for most points, whatever the polygon's size.
///
/// A uniform grid over the polygon's bounding box (about 32 cells per edge, 4 bytes each). Each
/// cell is classified once at build time: wholly inside, wholly outside, or crossed by edges.
/// Inside and outside cells answer without touching geometry. A crossed cell keeps the few edges
/// that cross it and a reference point whose inside/outside state was computed at build time; a
/// query counts the edges crossing the short segment from the point to that reference (parity flips
/// the reference's state). Degenerate cases (the segment through a vertex) use a symbolic
/// perturbation (a vertex on the line counts as on its left), so parity stays right on
/// grid-aligned data. Points within ~1e-9 deg of an edge may go either way, as in any
/// floating-point test.
#include <cstdint>
#include <vector>

#include "geo/planar.hpp"

namespace picket::geo::detail {

class PolygonGrid {
public:
    PolygonGrid() = default;
    /// rings: every ring (exteriors and holes) of a valid (multi)polygon, closed, lon/lat.
    explicit PolygonGrid(const std::vector<Path>& rings);

    [[nodiscard]] bool contains(Vec2 p) const;
    [[nodiscard]] bool empty() const { return edges_.empty(); }

    /// Cells and edge references held, for the docs and the benchmark.
    [[nodiscard]] std::size_t cell_count() const { return cells_.size(); }

private:
    struct Edge {
        Vec2 a, b;
    };
    /// A crossed cell's run starts with this header.
    struct RunHeader {
        Vec2 reference;                ///< the reference point (its state is known)
        std::uint32_t edges;           ///< edges in the run, after the header
        std::uint32_t inside;          ///< 1 if the reference point is inside
        std::uint64_t reference_left;  ///< bit i: the reference is left of edge i (first 64)
    };
    static_assert(sizeof(RunHeader) == 4 * sizeof(double));
    /// Per cell: kOutside, kInside, or the index in runs_ of the cell's run: a RunHeader (four
    /// doubles' worth) followed by copies of the edges crossing the cell, two by two, coordinate
    /// by coordinate. One contiguous run per query keeps a crossed cell to one or two cache lines
    /// after the cell lookup.
    static constexpr std::uint32_t kOutside = 0xFFFFFFFFu, kInside = 0xFFFFFFFEu;
    /// Two bits per cell, 32 cells a word: outside, inside or crossed. Most queries need only
    /// this (a national zone's is ~100 KB: it stays in cache where cells_ would not).
    static constexpr unsigned kKindOutside = 0, kKindInside = 1, kKindCrossed = 2;

    [[nodiscard]] bool crossed_cell_contains(const double* run, Vec2 p) const;

    double x0_{0}, y0_{0}, x1_{0}, y1_{0};  ///< bounding box (deg)
    double inv_w_{0}, inv_h_{0};            ///< cells per degree
    int nx_{0}, ny_{0};
    std::vector<Edge> edges_;
    std::vector<std::uint64_t> kinds_;
    std::vector<std::uint32_t> cells_;
    std::vector<double> runs_;
};

}  // namespace picket::geo::detail
