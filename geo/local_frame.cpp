#include "geo/local_frame.hpp"

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/LocalCartesian.hpp>
#include <cmath>
#include <numbers>

namespace picket::geo {

namespace {
// WGS84 (NIMA TR8350.2), as GeographicLib::Constants.
constexpr double kA = 6378137.0;
constexpr double kF = 1 / 298.257223563;
constexpr double kE2 = kF * (2 - kF);
constexpr double kB = kA * (1 - kF);
constexpr double kDeg = std::numbers::pi / 180.0;
}  // namespace

LocalFrame::LocalFrame(LatLon origin, double origin_height_m)
    : origin_(origin),
      origin_height_m_(origin_height_m),
      lc_(std::make_unique<GeographicLib::LocalCartesian>(origin.lat_deg, origin.lon_deg,
                                                          origin_height_m)) {
    const double sp = std::sin(origin.lat_deg * kDeg);
    const double cp = std::cos(origin.lat_deg * kDeg);
    const double sl = std::sin(origin.lon_deg * kDeg);
    const double cl = std::cos(origin.lon_deg * kDeg);
    const double n = kA / std::sqrt(1 - kE2 * sp * sp);  // prime vertical radius of curvature
    origin_ecef_ = {(n + origin_height_m) * cp * cl, (n + origin_height_m) * cp * sl,
                    (n * (1 - kE2) + origin_height_m) * sp};
    east_ = {-sl, cl, 0};
    north_ = {-sp * cl, -sp * sl, cp};
    up_ = {cp * cl, cp * sl, sp};
}
LocalFrame::~LocalFrame() = default;
LocalFrame::LocalFrame(const LocalFrame& o) : LocalFrame(o.origin_, o.origin_height_m_) {}
LocalFrame& LocalFrame::operator=(const LocalFrame& o) {
    if (this != &o) *this = LocalFrame(o);
    return *this;
}
LocalFrame::LocalFrame(LocalFrame&&) noexcept = default;
LocalFrame& LocalFrame::operator=(LocalFrame&&) noexcept = default;

Eigen::Vector2d LocalFrame::to_en(LatLon p, double height_m) const {
    double x = 0, y = 0, z = 0;
    lc_->Forward(p.lat_deg, p.lon_deg, height_m, x, y, z);
    return {x, y};
}

Eigen::Vector3d LocalFrame::to_enu(LatLon p, double height_m) const {
    double x = 0, y = 0, z = 0;
    lc_->Forward(p.lat_deg, p.lon_deg, height_m, x, y, z);
    return {x, y, z};
}

LatLon LocalFrame::to_latlon(const Eigen::Vector2d& en) const {
    // The point is q + u * up for the u that puts it on the ellipsoid (X^2 + Y^2)/a^2 + Z^2/b^2 =
    // 1, q = origin + e * east + n * north: a quadratic A u^2 + 2 B u + C = 0 in the coordinates
    // scaled by (1/a, 1/a, 1/b). Its root near zero, -C / (B + sqrt(B^2 - A C)), is free of
    // cancellation (B ~ 1/a > 0 on the origin's side of the earth; C = |q'|^2 - 1 is small).
    // On the ellipsoid the geodetic latitude is closed-form: tan(lat) = Z / ((1 - e^2) hypot(X,
    // Y)). This replaces three LocalCartesian::Reverse calls (each a full ECEF-to-geodetic
    // solution): the tracker converts every updated track with it.
    const Eigen::Vector3d q = origin_ecef_ + en.x() * east_ + en.y() * north_;
    const Eigen::Vector3d scale(1 / kA, 1 / kA, 1 / kB);
    const Eigen::Vector3d qs = q.cwiseProduct(scale);
    const Eigen::Vector3d us = up_.cwiseProduct(scale);
    const double a = us.squaredNorm();
    const double b = qs.dot(us);
    const double c = qs.squaredNorm() - 1;
    const double u = -c / (b + std::sqrt(b * b - a * c));
    const Eigen::Vector3d p = q + u * up_;
    const double axis_m = std::sqrt(p.x() * p.x() + p.y() * p.y());
    const double lat = std::atan2(p.z(), (1 - kE2) * axis_m);
    // Within a metre of a pole every longitude is as right as any other, and atan2 of two
    // rounding errors picks one at random (issue 15: a report at 90 N, 45 E, course 45 was
    // published at -54.46 E, course 307, the same motion told from another meridian). Keep the
    // origin's meridian there: the tracker expresses a track's course relative to the meridian
    // of its published longitude, so both stay stable and consistent.
    if (axis_m < 1.0) return {lat / kDeg, origin_.lon_deg};
    return {lat / kDeg, std::atan2(p.y(), p.x()) / kDeg};
}

double geodesic_distance_m(LatLon a, LatLon b) {
    double s12 = 0;
    GeographicLib::Geodesic::WGS84().Inverse(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, s12);
    return s12;
}

double geodesic_bearing_deg(LatLon a, LatLon b) {
    double azi1 = 0, azi2 = 0;
    GeographicLib::Geodesic::WGS84().Inverse(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, azi1,
                                             azi2);
    return azi1 < 0 ? azi1 + 360.0 : azi1;
}

LatLon geodesic_destination(LatLon from, double bearing_deg, double distance_m) {
    double lat = 0, lon = 0;
    GeographicLib::Geodesic::WGS84().Direct(from.lat_deg, from.lon_deg, bearing_deg, distance_m,
                                            lat, lon);
    return {lat, lon};
}

}  // namespace picket::geo
