#pragma once
/// The antimeridian seam of zones split at +-180: which parts of their boundaries are cuts.
///
/// A zone that crosses the antimeridian is stored as two halves (published layers split it there;
/// ZoneSet splits a zone drawn in one piece): each half has edges lying on its side of the seam.
/// Where the halves face each other across the seam those edges are cuts, not boundaries: a track
/// there is inside one zone, kilometres from any edge. An edge on the seam with nothing facing it
/// (a zone that really ends at 180) stays a boundary.
///
/// Real layers are not cut exactly on the meridian: Fiji's western half has vertices at
/// -179.9999999, Antarctica's at -179.99998 (clipping and reprojection in the source data). An
/// edge is "on the seam" when both its ends are within kSeamSnapM on the ground (and 0.001 deg)
/// of it, and is then taken as lying exactly on it. Distances use earth-centred coordinates, which
/// have no seam, so such an edge 1 cm off the seam is 1 cm from every point facing it on the
/// other side: every one of them must go.
#include <vector>

#include "geo/planar.hpp"

namespace picket::geo::detail {

/// Ground distance (m) within which an edge end counts as on the seam.
inline constexpr double kSeamSnapM = 1.0;
/// Latitude slack (deg, ~11 cm) when matching one half's seam edges against the other's: what is
/// left of an edge once the facing latitudes are removed must be longer than this to count.
inline constexpr double kSeamSlackDeg = 1e-6;

/// Whether `p` lies on the seam (within kSeamSnapM), and on which side: +1 at +180, -1 at -180.
int seam_side(Vec2 p);

/// The boundary lines of `paths` (rings or polylines, lon/lat) with the seam's cuts taken out:
/// every edge not on the seam, in order, split into polylines where a cut was; and of each edge
/// on the seam, the latitude ranges no edge on the other side faces, snapped onto +-180, as
/// two-point lines.
std::vector<Path> boundary_without_seam_cuts(const std::vector<Path>& paths);

}  // namespace picket::geo::detail
