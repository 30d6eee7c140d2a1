#pragma once
/// Boundary pieces in ECEF and a static bounding-volume hierarchy over them: the exact
/// nearest-piece search behind distance_to_boundary_m (the distance grid answers most queries
/// from per-cell lists and falls back to this tree).
///
/// Edges (straight in lon/lat) are cut into pieces of at most 0.025 deg (see kMaxPieceDeg).
/// Pieces are sorted along a Morton curve, grouped by eight into leaves, leaves by eight into
/// nodes, and so on up to one root: flat arrays and a depth-first, nearest-child-first search
/// with pruning. Each leaf also keeps its eight pieces in float, lane by lane (one vector pass
/// ranks them), and a thin capsule around them (a tight lower bound, one cache line).
#include <cstdint>
#include <utility>
#include <vector>

#include "geo/ecef.hpp"
#include "geo/planar.hpp"

namespace picket::geo::detail {

struct Piece {
    std::uint32_t edge;
    double t0, t1;  ///< the piece's span along its edge
    V3 a, b;        ///< its ends, ECEF / a
};

/// What the distance computation reads per piece, one cache line each: start, direction and
/// 1/|direction|^2 (0 for a degenerate piece, which then measures to its start).
struct alignas(64) PieceGeom {
    V3 a, d;
    double inv_dd;
};

/// Squared chord (ECEF / a) from q to the segment from a along d (inv_dd = 1/|d|^2), and the
/// parameter of the nearest point on it.
inline double segment_dist2(const V3& a, const V3& d, double inv_dd, const V3& q, double& t) {
    const V3 w = sub(q, a);
    t = std::clamp(dot(w, d) * inv_dd, 0.0, 1.0);
    const V3 r{w.x - t * d.x, w.y - t * d.y, w.z - t * d.z};
    return dot(r, r);
}

/// Squared chord (ECEF / a) from q to the piece, and the parameter of the nearest point on it.
inline double piece_dist2(const PieceGeom& g, const V3& q, double& t) {
    return segment_dist2(g.a, g.d, g.inv_dd, q, t);
}

class PieceBvh {
public:
    PieceBvh() = default;
    /// edges: lon/lat segments (a, b), in the order their indices refer to.
    explicit PieceBvh(const std::vector<std::pair<Vec2, Vec2>>& edges);

    [[nodiscard]] bool empty() const { return pieces_.empty(); }
    [[nodiscard]] std::size_t size() const { return pieces_.size(); }
    [[nodiscard]] const Piece& piece(std::uint32_t i) const { return pieces_[i]; }
    [[nodiscard]] const PieceGeom& geom(std::uint32_t i) const { return geoms_[i]; }

    /// The nearest piece to q if nearer than sqrt(best2): updates best2 (squared chord),
    /// best_piece and best_t. Start with best2 = +inf, or with a known upper bound.
    void nearest(const V3& q, double& best2, std::uint32_t& best_piece, double& best_t) const;
    /// Every piece within chord sqrt(r2) of q, appended to out.
    void within(const V3& q, double r2, std::vector<std::uint32_t>& out) const;

    /// Leaves: groups of up to kFan consecutive pieces, [leaf * kFan, leaf * kFan + kFan).
    static constexpr std::size_t kFan = 8;  ///< children per node, pieces per leaf
    [[nodiscard]] std::size_t leaf_count() const { return levels_.empty() ? 0 : levels_[0].size(); }
    /// Squared chord from q to the leaf's box: a lower bound for every piece in it.
    [[nodiscard]] double leaf_dist2(std::uint32_t leaf, const V3& q) const {
        return levels_[0][leaf].dist2(q);
    }
    /// A capsule holding the leaf's pieces: every point of them is within `radius` of the
    /// segment `axis` (ECEF / a). Pieces run along the boundary, so the capsule is thin and its
    /// distance from a query is a tight lower bound, one cache line away (exactly one: the axis
    /// is stored field by field, not as an aligned PieceGeom, which would push the radius onto a
    /// second line).
    struct alignas(64) Capsule {
        V3 a, d;        ///< the axis: from a along d
        double inv_dd;  ///< 1/|d|^2 (0 for a degenerate axis)
        double radius;
        /// Squared chord from q to the axis (t: the parameter of its nearest point).
        [[nodiscard]] double axis_dist2(const V3& q, double& t) const {
            return segment_dist2(a, d, inv_dd, q, t);
        }
    };
    static_assert(sizeof(Capsule) == 64, "one cache line");
    [[nodiscard]] const Capsule& leaf_capsule(std::uint32_t leaf) const {
        return leaf_capsules_[leaf];
    }
    /// The point at t along a piece, as the queries measure it (from the leaf's float copy).
    [[nodiscard]] V3 point_on(std::uint32_t piece, double t) const;
    /// Every leaf whose box is within chord sqrt(r2) of q, appended to out.
    void leaves_within(const V3& q, double r2, std::vector<std::uint32_t>& out) const;
    /// The leaf's nearest piece to q, if nearer than sqrt(best2): updates best2, best_piece and
    /// best_t like nearest(). Ranks its eight pieces in float, then measures the winner in
    /// double: the piece kept is within ~1e-7 of the distance of the leaf's nearest.
    void nearest_in_leaf(std::uint32_t leaf, const V3& q, double& best2, std::uint32_t& best_piece,
                         double& best_t) const;

private:
    struct Box {
        double lo[3], hi[3];
        void add(const Box& o);
        [[nodiscard]] double dist2(const V3& q) const;
    };
    void nearest(const V3& q, std::size_t level, std::size_t node, double& best2,
                 std::uint32_t& best_piece, double& best_t) const;
    void within(const V3& q, double r2, std::size_t level, std::size_t node,
                std::vector<std::uint32_t>& out, bool leaves_only) const;

    /// A leaf's pieces in float, relative to the leaf's first point, lane by lane: the eight
    /// distances are a few vector instructions. Unused lanes sit far away.
    struct alignas(64) LeafBlock {
        float ax[kFan], ay[kFan], az[kFan], dx[kFan], dy[kFan], dz[kFan], inv_dd[kFan];
        V3 origin;
        double extent;  ///< largest |offset| (L1) of a piece end from the origin
    };

    /// Leaves whose pieces lie within this (L1, ECEF / a: ~30 km) of their origin are measured
    /// from their float copy alone.
    static constexpr double kCompactLeaf = 0.005;

    std::vector<Piece> pieces_;
    std::vector<LeafBlock> leaf_blocks_;
    std::vector<Capsule> leaf_capsules_;  ///< apart from the blocks: the bounds stay in cache
    std::vector<PieceGeom> geoms_;
    std::vector<Box> piece_boxes_;
    /// levels_[0] holds the leaf boxes; node i of level L covers nodes [8i, 8i + 8) of level
    /// L - 1 (or pieces, for L = 0).
    std::vector<std::vector<Box>> levels_;
};

}  // namespace picket::geo::detail
