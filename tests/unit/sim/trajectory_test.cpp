#include <catch2/catch.hpp>

#include "geo/local_frame.hpp"
#include "sim/trajectory.hpp"

using namespace picket;
using namespace picket::sim;

namespace {
WaypointSpec wp(double lat, double lon, double speed_mps, double hold_s = 0, double loiter_s = 0) {
    WaypointSpec w;
    w.where = {lat, lon};
    w.speed_mps = speed_mps;
    w.hold_s = hold_s;
    w.loiter_s = loiter_s;
    return w;
}
}  // namespace

TEST_CASE("trajectory: a straight leg takes distance / speed, then holds, then loiters") {
    const geo::LocalFrame frame({0, 0});
    TargetSpec t;
    t.name = "t";
    t.start_s = 100;
    t.waypoints = {wp(0, 0, 10), wp(0, 0.1, 10, 300, 900)};
    t.waypoints[1].loiter_radius_m = 400;
    const Trajectory path(t, frame, 1);

    // 0.1° of longitude on the equator is 11 131.9 m (WGS84 a = 6 378 137 m): 1113.2 s at 10 m/s.
    const double arrive = 100 + 11131.95 / 10.0;
    CHECK(path.start_s() == 100);
    CHECK(path.at(50).en.norm() == 0.0);  // clamped before the start
    const MotionState mid = path.at(100 + (arrive - 100) / 2);
    CHECK(mid.en.x() == Approx(11131.95 / 2).margin(2.0));
    CHECK(mid.en.y() == Approx(0).margin(1.0));
    CHECK(mid.vel_mps.x() == Approx(10).epsilon(1e-3));
    CHECK(mid.activity == Activity::transit);

    const MotionState holding = path.at(arrive + 150);
    CHECK(holding.activity == Activity::hold);
    CHECK(holding.vel_mps.norm() == 0.0);
    CHECK(holding.en.x() == Approx(11131.95).margin(2.0));

    // The loiter lasts exactly its duration and never leaves its circle.
    CHECK(path.end_s() == Approx(arrive + 300 + 900).margin(2.0));
    const Eigen::Vector2d centre = frame.to_en({0, 0.1});
    for (const Knot& k : path.knots())
        if (k.t_s >= arrive) CHECK((k.en - centre).norm() <= 400.0 + 1e-6);
    const auto loiters = path.intervals(Activity::loiter);
    REQUIRE(loiters.size() == 1);
    CHECK(loiters[0].end_s - loiters[0].begin_s == Approx(900).margin(1e-6));
}
