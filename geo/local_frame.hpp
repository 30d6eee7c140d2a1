#pragma once
/// A local tangent plane (east, north, up) around an origin on WGS84, via GeographicLib.
/// The tracker works in this plane; everything reported leaves it as WGS84.
#include <Eigen/Core>
#include <memory>

#include "core/geodetic.hpp"

namespace GeographicLib {
class LocalCartesian;
}

namespace picket::geo {

class LocalFrame {
public:
    explicit LocalFrame(LatLon origin, double origin_height_m = 0);
    ~LocalFrame();
    LocalFrame(const LocalFrame& other);
    LocalFrame& operator=(const LocalFrame& other);
    LocalFrame(LocalFrame&&) noexcept;
    LocalFrame& operator=(LocalFrame&&) noexcept;

    [[nodiscard]] LatLon origin() const { return origin_; }
    /// WGS84 (at height h) to local east/north (m). Up is dropped: tracks live on the surface.
    [[nodiscard]] Eigen::Vector2d to_en(LatLon p, double height_m = 0) const;
    /// Full east/north/up (m), for sensor sites with height.
    [[nodiscard]] Eigen::Vector3d to_enu(LatLon p, double height_m) const;
    /// Local east/north (m) to WGS84: the point at height 0 whose east/north are `en` (it lies
    /// below the tangent plane away from the origin). Exact in closed form (see local_frame.cpp):
    /// agrees with GeographicLib's LocalCartesian, iterated to height 0, to far below 1 mm.
    [[nodiscard]] LatLon to_latlon(const Eigen::Vector2d& en) const;

private:
    LatLon origin_;
    double origin_height_m_;
    std::unique_ptr<GeographicLib::LocalCartesian> lc_;
    // ECEF (m) of the origin and the local east, north and up unit vectors, for to_latlon.
    Eigen::Vector3d origin_ecef_;
    Eigen::Vector3d east_;
    Eigen::Vector3d north_;
    Eigen::Vector3d up_;
};

/// Geodesic distance on WGS84 (Karney), metres.
double geodesic_distance_m(LatLon a, LatLon b);
/// Initial true bearing from a to b along the geodesic, degrees in [0, 360).
double geodesic_bearing_deg(LatLon a, LatLon b);
/// The point `distance_m` from `from` along true bearing `bearing_deg` (direct geodesic problem).
LatLon geodesic_destination(LatLon from, double bearing_deg, double distance_m);

}  // namespace picket::geo
