#pragma once
/// Directions in the tracker's tangent plane versus true north.
#include <Eigen/Core>

#include "core/geodetic.hpp"

namespace picket::filters {

/// Grid bearing (clockwise from the local plane's north) of true north at `p`, for a tangent
/// plane at `origin`: the ellipsoid normal's north direction at p projected onto the plane.
/// A true bearing b at p is the grid bearing b + gamma. Zero at the origin, about
/// -(lon - lon0) * sin(lat) nearby; 0.9 deg 100 km east of the origin at 45 N, which is 300 m at
/// 20 km range, so radar and camera bearings must be corrected.
double grid_convergence_rad(LatLon origin, LatLon p);

/// Rotates an east/north vector (or covariance) from true axes at a point into grid axes.
Eigen::Matrix2d true_to_grid_rotation(double gamma_rad);

}  // namespace picket::filters
