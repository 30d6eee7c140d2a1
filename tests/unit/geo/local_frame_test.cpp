// LocalFrame::to_latlon (closed form: ray along the origin's up to the ellipsoid) against
// GeographicLib's LocalCartesian, iterated until the point sits at height 0.
#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/LocalCartesian.hpp>
#include <catch2/catch.hpp>
#include <cmath>

#include "geo/local_frame.hpp"

using picket::LatLon;
using picket::geo::LocalFrame;

namespace {

// The reference: the surface point with these east/north, by fixed-point iteration on the up
// coordinate (each step moves the point along the origin's up axis by the height error).
LatLon reference_to_latlon(const GeographicLib::LocalCartesian& lc, double e, double n) {
    double lat = 0, lon = 0, h = 0, up = 0;
    for (int i = 0; i < 20; ++i) {
        lc.Reverse(e, n, up, lat, lon, h);
        up -= h;
        if (std::abs(h) < 1e-12) break;
    }
    return {lat, lon};
}

}  // namespace

TEST_CASE("to_latlon agrees with GeographicLib to < 1 mm over +-300 km, and inverts to_en") {
    const LatLon origins[] = {{0.0, 0.0},    {45.0, 7.0},   {51.9, 4.1},  {-33.9, 151.2},
                              {70.5, -20.0}, {-89.0, 10.0}, {10.0, 179.9}};
    double worst_ref_m = 0;
    double worst_round_trip_m = 0;
    for (const double origin_h : {0.0, 80.0}) {
        for (const LatLon& o : origins) {
            const LocalFrame frame(o, origin_h);
            const GeographicLib::LocalCartesian lc(o.lat_deg, o.lon_deg, origin_h);
            for (double e = -300e3; e <= 300e3; e += 20e3) {
                for (double n = -300e3; n <= 300e3; n += 20e3) {
                    const LatLon got = frame.to_latlon({e, n});
                    const LatLon ref = reference_to_latlon(lc, e, n);
                    double s12 = 0;
                    GeographicLib::Geodesic::WGS84().Inverse(got.lat_deg, got.lon_deg, ref.lat_deg,
                                                             ref.lon_deg, s12);
                    worst_ref_m = std::max(worst_ref_m, s12);
                    const Eigen::Vector2d back = frame.to_en(got);
                    worst_round_trip_m =
                        std::max(worst_round_trip_m, (back - Eigen::Vector2d(e, n)).norm());
                }
            }
        }
    }
    INFO("worst distance to the reference " << worst_ref_m << " m, round trip "
                                            << worst_round_trip_m << " m");
    CHECK(worst_ref_m < 1e-3);
    CHECK(worst_round_trip_m < 1e-3);
}

TEST_CASE("to_latlon of the origin is the origin; a point east lies on the origin's east axis") {
    const LocalFrame frame({45.0, 7.0});
    const LatLon o = frame.to_latlon({0, 0});
    CHECK(std::abs(o.lat_deg - 45.0) < 1e-12);
    CHECK(std::abs(o.lon_deg - 7.0) < 1e-12);
    // 100 km east: the surface point is ~785 m below the tangent plane and, seen from the
    // origin, due east in the local frame (to_en gives back north = 0).
    const LatLon p = frame.to_latlon({100e3, 0});
    CHECK(p.lon_deg > 7.0);
    CHECK(std::abs(frame.to_en(p).y()) < 1e-6);
    CHECK(std::abs(frame.to_enu(p, 0).z() + 785.0) < 5.0);
}
