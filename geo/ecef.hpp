#pragma once
/// Earth-centred, earth-fixed (ECEF) positions on the WGS84 ellipsoid, in units of its equatorial
/// radius, and the chord-to-geodesic conversion the distance index uses. Chord length in this
/// frame matches geodesic distance to first order in every direction (a unit sphere would not:
/// it stretches north-south by up to 0.7 %), so the nearest point by chord is the nearest point
/// on the ellipsoid up to terms in (d/R)^2; and there is no seam at +-180.
#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/geodetic.hpp"

namespace picket::geo::detail {

constexpr double kDeg = std::numbers::pi / 180.0;
constexpr double kWgs84A = 6378137.0;          ///< equatorial radius (m)
constexpr double kWgs84E2 = 6.69437999014e-3;  ///< first eccentricity squared

struct V3 {
    double x, y, z;
};

inline V3 sub(const V3& a, const V3& b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
inline double dot(const V3& a, const V3& b) { return a.x * b.x + a.y * b.y + a.z * b.z; }

/// ECEF / a of a surface point given the sines and cosines of its latitude and longitude.
inline V3 unit_from_trig(double sin_lat, double cos_lat, double sin_lon, double cos_lon) {
    const double n =
        1.0 / std::sqrt(1.0 - kWgs84E2 * sin_lat * sin_lat);  // prime vertical radius / a
    return {n * cos_lat * cos_lon, n * cos_lat * sin_lon, n * (1.0 - kWgs84E2) * sin_lat};
}

inline V3 unit(double lat_deg, double lon_deg) {
    const double la = lat_deg * kDeg, lo = lon_deg * kDeg;
    return unit_from_trig(std::sin(la), std::cos(la), std::sin(lo), std::cos(lo));
}

/// sin and cos of (base + delta) from those of base, for |delta| <= 0.02 rad (~1.1 deg): Taylor
/// series to delta^7 / delta^8 (the next terms are below 1e-19), then the addition formulas.
/// About four times cheaper than std::sin + std::cos, and as exact in double. The series
/// multiplies by reciprocals rather than dividing: a division by a constant stays a division
/// (~4 cycles of the divider each, twelve a query); the terms' last-bit differences are far
/// below the 1.0 they are added to (no distance changed over 23 million test points).
inline void sincos_near(double sin_base, double cos_base, double delta, double& s, double& c) {
    const double d2 = delta * delta;
    const double sd =
        delta * (1.0 - d2 * (1.0 / 6.0) * (1.0 - d2 * (1.0 / 20.0) * (1.0 - d2 * (1.0 / 42.0))));
    const double cd =
        1.0 - d2 * 0.5 *
                  (1.0 - d2 * (1.0 / 12.0) * (1.0 - d2 * (1.0 / 30.0) * (1.0 - d2 * (1.0 / 56.0))));
    s = sin_base * cd + cos_base * sd;
    c = cos_base * cd - sin_base * sd;
}

/// A query point with the trigonometry every step needs, computed once.
struct QueryPoint {
    double sla, cla, slo, clo;
    V3 ecef;  ///< / a
    QueryPoint() : QueryPoint(0.0, 1.0, 0.0, 1.0) {}
    QueryPoint(double sin_lat, double cos_lat, double sin_lon, double cos_lon)
        : sla(sin_lat),
          cla(cos_lat),
          slo(sin_lon),
          clo(cos_lon),
          ecef(unit_from_trig(sla, cla, slo, clo)) {}
    explicit QueryPoint(LatLon p)
        : QueryPoint(std::sin(p.lat_deg * kDeg), std::cos(p.lat_deg * kDeg),
                     std::sin(p.lon_deg * kDeg), std::cos(p.lon_deg * kDeg)) {}
};

/// asin(x) for 0 <= x <= 1; a short series below 0.05 (chords under ~600 km: the next term is
/// below 1e-17 relative), the library function above.
inline double asin_small(double x) {
    if (x >= 0.05) return std::asin(std::min(1.0, x));
    const double x2 = x * x;
    return x * (1.0 + x2 * (1.0 / 6 +
                            x2 * (3.0 / 40 +
                                  x2 * (15.0 / 336 + x2 * (105.0 / 3456 + x2 * (945.0 / 42240))))));
}

/// The chord from o to o + v (ECEF / a) as an arc on the circle of the ellipsoid's normal-section
/// radius of curvature in the chord's direction (Euler: 1/R = cos^2(az)/M + sin^2(az)/N), with
/// M and N taken at latitude sin_lat. Against Karney (tests/unit/geo): < 2 cm up to 300 km with
/// the origin's latitude, < 0.5 m up to 1000 km with the mean latitude.
inline double chord_to_arc_m(const QueryPoint& o, const V3& v_over_a, double sin_lat) {
    const V3 v{v_over_a.x * kWgs84A, v_over_a.y * kWgs84A, v_over_a.z * kWgs84A};
    const double chord = std::sqrt(dot(v, v));
    const double east = -o.slo * v.x + o.clo * v.y;
    const double north = -o.sla * o.clo * v.x - o.sla * o.slo * v.y + o.cla * v.z;
    const double w = std::sqrt(1.0 - kWgs84E2 * sin_lat * sin_lat);
    const double m = kWgs84A * (1.0 - kWgs84E2) / (w * w * w), n = kWgs84A / w;
    const double h2 = east * east + north * north;
    const double cos2 = h2 > 0 ? north * north / h2 : 1.0;
    const double r = 1.0 / (cos2 / m + (1.0 - cos2) / n);
    return 2.0 * r * asin_small(chord / (2.0 * r));
}

}  // namespace picket::geo::detail
