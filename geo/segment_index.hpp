#pragma once
/// Nearest-boundary distance and path crossings over a set of lon/lat polylines.
///
/// Distance: boundary edges are cut into pieces of at most 0.025 deg, held in ECEF (no seam at
/// +-180, no distortion near the poles) in a bounding-volume hierarchy (piece_bvh.hpp) behind a
/// lon/lat grid of candidate leaves (distance_grid.hpp). The nearest piece by chord is found
/// exactly, up to the float ranking of the eight pieces of a leaf (~1e-7 of the distance). Its
/// nearest point is lifted from the chord to the ellipsoid and the chord from the query to it
/// becomes an arc (ecef.hpp: < 2 cm from Karney up to 300 km, < 0.5 m to 1000 km, Karney's
/// inverse beyond). Pieces are sections of the ellipsoid through points of the edge, which bow
/// from the lon/lat-straight edge by < 8 cm: the result is within ~10 cm of the geodesic
/// distance to the lon/lat boundary up to 300 km (tests/unit/geo/distance_index_test.cpp).
///
/// Crossings: a 2-D R-tree of edge boxes in lon/lat; a path a->b is the straight lon/lat segment
/// (short paths between track updates), split at the antimeridian when it crosses it.
#include <memory>
#include <vector>

#include "core/geodetic.hpp"
#include "geo/planar.hpp"

namespace picket::geo::detail {

/// Geodesic distance on WGS84 (m): the ECEF chord turned into an arc of the normal-section radius
/// of curvature in its direction; within 0.5 m of Karney's up to 1000 km (2 cm to 300 km),
/// Karney's own inverse beyond. Several times faster than the full inverse.
double fast_geodesic_m(LatLon p, LatLon q);

struct SegmentHit {
    double fraction{0};  ///< along the path a->b, [0, 1]
    LatLon where;
    double side{0};  ///< > 0: the path goes from the edge's left to its right
};

class SegmentIndex {
public:
    SegmentIndex();
    /// paths: polylines (closed rings are polylines too). The antimeridian's cuts are taken out
    /// (geo/seam.hpp): edges on the seam where the other side faces them.
    explicit SegmentIndex(const std::vector<Path>& paths);
    ~SegmentIndex();
    SegmentIndex(SegmentIndex&&) noexcept;
    SegmentIndex& operator=(SegmentIndex&&) noexcept;

    [[nodiscard]] bool empty() const;
    /// Geodesic distance (m) to the nearest edge; +inf when empty.
    [[nodiscard]] double distance_m(LatLon p) const;
    /// Builds what distance_m() needs (its grid) now instead of on the first query: a national
    /// border's grid takes tens of milliseconds, which a caller on a latency-bound thread pays
    /// at startup rather than in the middle of its first cycle.
    void prepare_distance() const;
    [[nodiscard]] bool distance_prepared() const;
    /// Every edge crossed by the lon/lat segment a->b (shorter way round), sorted by fraction.
    [[nodiscard]] std::vector<SegmentHit> crossings(LatLon a, LatLon b) const;
    /// The edges kept (after taking out the seam's cuts), as polylines split where cuts were.
    [[nodiscard]] const std::vector<Path>& lines() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace picket::geo::detail
