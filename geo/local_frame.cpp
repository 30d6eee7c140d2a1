#include "geo/local_frame.hpp"

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/LocalCartesian.hpp>
#include <cmath>

namespace picket::geo {

LocalFrame::LocalFrame(LatLon origin, double origin_height_m)
    : origin_(origin),
      origin_height_m_(origin_height_m),
      lc_(std::make_unique<GeographicLib::LocalCartesian>(origin.lat_deg, origin.lon_deg,
                                                           origin_height_m)) {}
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
    // A point on the surface: the local plane bends below the tangent plane away from the origin,
    // so solve for the up coordinate that puts the point at height 0 (two fixed-point steps give
    // sub-millimetre agreement within a few hundred kilometres).
    double lat = 0, lon = 0, h = 0;
    double up = 0;
    for (int i = 0; i < 3; ++i) {
        lc_->Reverse(en.x(), en.y(), up, lat, lon, h);
        up -= h;
    }
    return {lat, lon};
}

double geodesic_distance_m(LatLon a, LatLon b) {
    double s12 = 0;
    GeographicLib::Geodesic::WGS84().Inverse(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, s12);
    return s12;
}

double geodesic_bearing_deg(LatLon a, LatLon b) {
    double azi1 = 0, azi2 = 0;
    GeographicLib::Geodesic::WGS84().Inverse(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, azi1, azi2);
    return azi1 < 0 ? azi1 + 360.0 : azi1;
}

LatLon geodesic_destination(LatLon from, double bearing_deg, double distance_m) {
    double lat = 0, lon = 0;
    GeographicLib::Geodesic::WGS84().Direct(from.lat_deg, from.lon_deg, bearing_deg, distance_m, lat,
                                            lon);
    return {lat, lon};
}

}  // namespace picket::geo
