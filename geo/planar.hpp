#pragma once
/// Plain lon/lat (x = longitude, y = latitude, degrees) points and rings: the form in which
/// zone geometry leaves GEOS and enters picket's own indexes.
#include <cmath>
#include <vector>

namespace picket::geo::detail {

struct Vec2 {
    double x{0};  ///< longitude (deg)
    double y{0};  ///< latitude (deg)
};

/// A closed ring (first point repeated last) or an open polyline.
using Path = std::vector<Vec2>;

/// Twice the signed area of triangle (a, b, c): > 0 when c is left of a->b.
inline double orient(Vec2 a, Vec2 b, Vec2 c) {
    return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
}

/// Longitude into [-180, 180). Inline: every query starts here.
inline double normalize_lon(double lon_deg) {
    if (lon_deg >= -180 && lon_deg < 180) return lon_deg;
    double l = std::fmod(lon_deg + 180.0, 360.0);
    if (l < 0) l += 360.0;
    return l - 180.0;
}

}  // namespace picket::geo::detail
