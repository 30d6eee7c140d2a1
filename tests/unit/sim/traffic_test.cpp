#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "geo/local_frame.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/simulator.hpp"
#include "sim/traffic_generator.hpp"
#include "sim/trajectory.hpp"
#include "sim_test_support.hpp"

using namespace picket;
using namespace picket::sim;

namespace {
/// Distance (m) from p to the polyline.
double distance_to_polyline(const Eigen::Vector2d& p, const std::vector<Eigen::Vector2d>& line) {
    double best = 1e18;
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        const Eigen::Vector2d d = line[i + 1] - line[i];
        const double f = std::clamp((p - line[i]).dot(d) / d.squaredNorm(), 0.0, 1.0);
        best = std::min(best, (line[i] + f * d - p).norm());
    }
    return best;
}
}  // namespace

TEST_CASE(
    "traffic: lane ships stay within the lane for the whole scenario, boats within their box") {
    const geo::LocalFrame frame({0, 0});
    TrafficSpec lane;
    lane.name = "lane";
    lane.count = 40;
    lane.kind = TargetKind::cargo;
    lane.lane = {{0.0, -0.5}, {0.1, 0.0}, {0.0, 0.5}};
    lane.lane_width_m = 3000;
    lane.speed_min_mps = 5;
    lane.speed_max_mps = 8;
    const double duration = 6 * 3600.0;
    const auto ships = generate_traffic(lane, frame, duration, 9);
    REQUIRE(ships.size() == 40);
    std::vector<Eigen::Vector2d> centre;
    for (const LatLon& p : lane.lane) centre.push_back(frame.to_en(p));
    for (const TargetSpec& t : ships) {
        const Trajectory path(t, frame, 9);
        CHECK(path.start_s() == 0);
        CHECK(path.end_s() >= duration);  // shuttles back and forth until the end
        for (const Knot& k : path.knots()) {
            // Vertex offsets along the bisector stretch a little at bends: allow 10 %.
            CHECK(distance_to_polyline(k.en, centre) <= 0.55 * lane.lane_width_m);
        }
        CHECK(t.ais.cls == AisClass::a);
        CHECK(t.ais.mmsi != 0);
    }
    // Distinct MMSIs, and the same seed regenerates the same fleet.
    std::set<Mmsi> mmsis;
    for (const auto& t : ships) mmsis.insert(t.ais.mmsi);
    CHECK(mmsis.size() == ships.size());
    const auto again = generate_traffic(lane, frame, duration, 9);
    for (std::size_t i = 0; i < ships.size(); ++i)
        CHECK(again[i].waypoints.size() == ships[i].waypoints.size());

    TrafficSpec box;
    box.name = "box";
    box.count = 20;
    box.kind = TargetKind::fishing;
    box.box_min = {-0.2, -0.2};
    box.box_max = {0.0, 0.1};
    box.ais = AisClass::b;
    box.ais_fraction = 0.5;
    const auto boats = generate_traffic(box, frame, duration, 3);
    int with_ais = 0;
    for (const TargetSpec& t : boats) {
        with_ais += t.ais.cls == AisClass::b;
        for (const WaypointSpec& w : t.waypoints) {
            CHECK(w.where.lat_deg >= -0.2 - 1e-9);
            CHECK(w.where.lat_deg <= 0.0 + 1e-9);
            CHECK(w.where.lon_deg >= -0.2 - 1e-9);
            CHECK(w.where.lon_deg <= 0.1 + 1e-9);
        }
    }
    CHECK(with_ais > 2);
    CHECK(with_ais < 18);
}

TEST_CASE("camera: detects only inside its field of view and range") {
    // Camera at the origin looking east with a 60° field of view and 3 km range. One boat east
    // (inside), one north (outside the FOV), one east at 5 km (out of range).
    const Scenario s = parse_scenario(test::base_scenario(R"yaml(
cameras:
  - {id: cam, lat: 0, lon: 0, height_m: 10, boresight_deg: 90, fov_deg: 60, range_m: 3000, pd: 1.0,
     class_accuracy: 1.0}
targets:
  - {name: east, kind: fishing, waypoints: [{lat: 0, lon: 0.018, hold: 1h}]}
  - {name: north, kind: fishing, waypoints: [{lat: 0.018, lon: 0, hold: 1h}]}
  - {name: far, kind: fishing, waypoints: [{lat: 0.001, lon: 0.045, hold: 1h}]}
)yaml",
                                                          60),
                                      "cam.yaml");
    Simulator sim(s, {});
    SimMessage m;
    int n = 0;
    while (sim.next(m)) {
        ++n;
        CHECK(m.bytes.find("\"class\":\"vessel\"") != std::string::npos);
        const auto az = m.bytes.find("\"azimuth_deg\":");
        REQUIRE(az != std::string::npos);
        CHECK(std::stod(m.bytes.substr(az + 14)) == Approx(90.0).margin(3.0));
    }
    CHECK(n == 60);  // one per 1 s frame, pd = 1, only the boat to the east
}
