#include "filters/frame_geometry.hpp"

#include <cmath>
#include <numbers>

namespace picket::filters {

double grid_convergence_rad(LatLon origin, LatLon p) {
    constexpr double deg = std::numbers::pi / 180.0;
    const double phi = p.lat_deg * deg;
    const double phi0 = origin.lat_deg * deg;
    const double dl = (p.lon_deg - origin.lon_deg) * deg;
    // North unit vector at p in ECEF is (-sin(phi)cos(l), -sin(phi)sin(l), cos(phi)); its
    // components along the origin's east and north axes:
    const double e = -std::sin(phi) * std::sin(dl);
    const double n = std::sin(phi) * std::sin(phi0) * std::cos(dl) + std::cos(phi) * std::cos(phi0);
    return std::atan2(e, n);
}

Eigen::Matrix2d true_to_grid_rotation(double g) {
    // Clockwise rotation by g: true north (0, 1) maps to (sin g, cos g), grid bearing g.
    Eigen::Matrix2d r;
    r << std::cos(g), std::sin(g), -std::sin(g), std::cos(g);
    return r;
}

}  // namespace picket::filters
