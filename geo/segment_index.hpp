#pragma once
/// Nearest-boundary distance and path crossings over a set of lon/lat polylines.
///
/// Distance: boundary edges are cut into pieces of at most 0.05 deg and indexed in a static
/// bounding-volume hierarchy in earth-centred (ECEF) coordinates on the WGS84 ellipsoid, so there is no seam at +-180 and
/// no distortion near the poles. The nearest piece by chord distance is found exactly
/// (depth-first, nearest box first, pruning boxes farther than the best piece); the nearest
/// point on it is measured along the ellipsoid from its chord (see fast_geodesic_m; < 2 cm error
/// up to 300 km, < 0.5 m to 1000 km, Karney's inverse beyond). The result is the geodesic
/// distance to a boundary point,
/// never less than the true minimum; it exceeds it by the chord's sag from the 0.05 deg piece
/// (< 0.5 m) plus chord-vs-arc ranking terms of order d^3/R^2 (< 1 m at 300 km).
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
    double fraction{0};   ///< along the path a->b, [0, 1]
    LatLon where;
    double side{0};       ///< > 0: the path goes from the edge's left to its right
};

class SegmentIndex {
public:
    SegmentIndex();
    /// paths: polylines (closed rings are polylines too). Antimeridian cut edges are dropped.
    explicit SegmentIndex(const std::vector<Path>& paths);
    ~SegmentIndex();
    SegmentIndex(SegmentIndex&&) noexcept;
    SegmentIndex& operator=(SegmentIndex&&) noexcept;

    [[nodiscard]] bool empty() const;
    /// Geodesic distance (m) to the nearest edge; +inf when empty.
    [[nodiscard]] double distance_m(LatLon p) const;
    /// Every edge crossed by the lon/lat segment a->b (shorter way round), sorted by fraction.
    [[nodiscard]] std::vector<SegmentHit> crossings(LatLon a, LatLon b) const;
    /// The edges kept (after dropping cut edges), as polylines split where cut edges were.
    [[nodiscard]] const std::vector<Path>& lines() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace picket::geo::detail
