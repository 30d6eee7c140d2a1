// Where a bearing-only camera detection goes (rules/detection_placement.hpp), and what the
// engine makes of it: on its ray, where it crosses another camera's, near a ground sensor that
// fired, or where it meets the watched line; never at the camera when anything better is known.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

#include "geo/ground_range.hpp"
#include "geo/local_frame.hpp"
#include "rules/detection_placement.hpp"
#include "rules_scene.hpp"

using namespace picket;
using namespace picket::rules;
using picket::test::Scene;

namespace {

const Timestamp t0 = Timestamp::from_unix_seconds(1'800'000'000);

Measurement bearing(FeedIndex feed, LatLon site, double bearing_deg, double t_s) {
    Measurement m;
    m.feed = feed;
    m.sensor = SensorKind::camera;
    m.observed = t0 + Duration::from_seconds(t_s);
    m.received = m.observed;
    BearingZ b;
    b.site.position = site;
    b.bearing_rad = bearing_deg * 3.14159265358979323846 / 180.0;
    b.sigma_bearing_rad = 0.005;
    m.z = b;
    m.target_class = TargetClass::person;
    m.class_confidence = 0.9f;
    return m;
}

Measurement ugs(LatLon where, double t_s) {
    Measurement m;
    m.feed = 5;
    m.sensor = SensorKind::ugs;
    m.observed = t0 + Duration::from_seconds(t_s);
    m.received = m.observed;
    m.z = PositionZ{where};
    m.target_class = TargetClass::person;
    return m;
}

}  // namespace

TEST_CASE("ray geometry: offsets and crossings against geodesics", "[rules][placement]") {
    const LatLon site{0.5, 1.0};
    const LatLon p = geo::geodesic_destination(site, 30, 2000);
    const RayOffset on = ray_offset(site, 30, p);
    CHECK(on.along_m == Approx(2000).epsilon(0.002));
    CHECK(std::fabs(on.across_m) < 5);
    const RayOffset off = ray_offset(site, 120, p);  // the ray 90 deg to its right
    CHECK(std::fabs(off.along_m) < 5);
    CHECK(off.across_m == Approx(-2000).epsilon(0.002));  // p lies to its left
    // Two cameras 2 km apart looking at the same point.
    const LatLon target{0.51, 1.01};
    const LatLon a{0.50, 1.00}, b{0.50, 1.02};
    const auto x = rays_crossing(a, geo::geodesic_bearing_deg(a, target), b,
                                 geo::geodesic_bearing_deg(b, target));
    REQUIRE(x.has_value());
    CHECK(geo::geodesic_distance_m(*x, target) < 5);
    // Rays that part, or nearly parallel ones, do not cross.
    CHECK_FALSE(rays_crossing(a, 270, b, 90).has_value());
    CHECK_FALSE(rays_crossing(a, 0, b, 1).has_value());
}

TEST_CASE("a bearing is placed where two cameras' rays cross, or by a ground sensor",
          "[rules][placement]") {
    const LatLon person{0.51, 1.01};
    const LatLon cam_a{0.50, 1.00}, cam_b{0.50, 1.02};
    DetectionPlacer placer;
    const PlacedDetection first =
        placer.place(bearing(1, cam_a, geo::geodesic_bearing_deg(cam_a, person), 0));
    CHECK(first.bearing_only);
    CHECK(first.how == PlacedDetection::How::camera_site);  // alone: nothing better yet
    const PlacedDetection second =
        placer.place(bearing(2, cam_b, geo::geodesic_bearing_deg(cam_b, person), 1));
    CHECK(second.how == PlacedDetection::How::cameras_crossed);
    CHECK(geo::geodesic_distance_m(second.where, person) < 10);
    // The same camera's own bearings never cross each other; 4 s later the other one is stale.
    const PlacedDetection later =
        placer.place(bearing(2, cam_b, geo::geodesic_bearing_deg(cam_b, person), 5));
    CHECK(later.how == PlacedDetection::How::camera_site);
    // A ground sensor 40 m off the ray fired 20 s ago: the detection is on the ray beside it.
    const LatLon sensor = geo::geodesic_destination(person, 90, 40);
    placer.place(ugs(sensor, 10));
    const PlacedDetection near_ugs =
        placer.place(bearing(1, cam_a, geo::geodesic_bearing_deg(cam_a, person), 30));
    CHECK(near_ugs.how == PlacedDetection::How::ground_sensor);
    CHECK(geo::geodesic_distance_m(near_ugs.where, sensor) < 60);
    // A minute later the sensor's fix no longer helps.
    const PlacedDetection stale =
        placer.place(bearing(1, cam_a, geo::geodesic_bearing_deg(cam_a, person), 75));
    CHECK(stale.how == PlacedDetection::How::camera_site);
}

TEST_CASE("two cameras' rays cross only for things that may be one target", "[rules][placement]") {
    // Camera A sees a person, camera B a vehicle, at the same moment: their rays meet somewhere
    // in front of both, but a person is not a vehicle. (Gulf of Honduras: a walker's ray from
    // the low camera crossed a pickup's from the Corinto camera, 1.6 km from the pickup.)
    const LatLon cam_a{0.50, 1.00}, cam_b{0.50, 1.02};
    const LatLon person{0.51, 1.005}, pickup{0.515, 1.015};
    DetectionPlacer placer;
    placer.place(bearing(1, cam_a, geo::geodesic_bearing_deg(cam_a, person), 0));
    Measurement car = bearing(2, cam_b, geo::geodesic_bearing_deg(cam_b, pickup), 1);
    car.target_class = TargetClass::vehicle;
    const PlacedDetection apart = placer.place(car);
    CHECK(apart.how == PlacedDetection::How::camera_site);
    // An unclassified detection may be either: it crosses.
    Measurement unknown = bearing(1, cam_a, geo::geodesic_bearing_deg(cam_a, pickup), 2);
    unknown.target_class = TargetClass::unknown;
    const PlacedDetection crossed = placer.place(unknown);
    CHECK(crossed.how == PlacedDetection::How::cameras_crossed);
    CHECK(geo::geodesic_distance_m(crossed.where, pickup) < 10);
}

TEST_CASE("two cameras' rays cross only where each one's depression angle allows",
          "[rules][placement]") {
    // A lens 15 m up sees a vehicle 2.8 km off: 0.31 deg below the horizon, too shallow to
    // range but enough to say it is not 1 km off (0.86 deg). A low camera 3 m up sees something
    // else at the same moment whose ray crosses the first at 1 km from it.
    const LatLon high{0.50, 1.00};
    const LatLon vehicle = geo::geodesic_destination(high, 150, 2800);
    const LatLon false_x = geo::geodesic_destination(high, 150, 1000);
    const LatLon low = geo::geodesic_destination(false_x, 270, 3000);
    auto with_depression = [](Measurement m, double height_m, double range_m) {
        auto& b = std::get<BearingZ>(m.z);
        b.site.height_m = height_m;
        b.elevation_rad = -geo::depression_to_ground_rad(height_m, range_m);
        b.sigma_elevation_rad = 0.1 * 3.14159265358979323846 / 180.0;
        return m;
    };
    DetectionPlacer placer;
    placer.place(with_depression(bearing(1, low, 90, 0), 3, 2000));
    const PlacedDetection far = placer.place(with_depression(bearing(2, high, 150, 1), 15, 2800));
    CHECK(far.how == PlacedDetection::How::camera_site);
    // Where the angle agrees (the low camera's ray through the vehicle), the rays do cross.
    placer.place(with_depression(bearing(1, low, geo::geodesic_bearing_deg(low, vehicle), 2), 3,
                                 geo::geodesic_distance_m(low, vehicle)));
    const PlacedDetection near = placer.place(with_depression(bearing(2, high, 150, 3), 15, 2800));
    CHECK(near.how == PlacedDetection::How::cameras_crossed);
    CHECK(geo::geodesic_distance_m(near.where, vehicle) < 10);
    // Depression's own check: within three sigma of the measured angle.
    const Depression d{15, geo::depression_to_ground_rad(15.0, 2800.0),
                       0.1 * 3.14159265358979323846 / 180.0};
    CHECK(d.allows(2800));
    CHECK(d.allows(2000));
    CHECK_FALSE(d.allows(1000));
    CHECK(Depression{}.allows(1000));  // nothing measured: any range
}

TEST_CASE(
    "a lone bearing puts no one on the watched border: a track, a ground sensor or a "
    "second bearing fixes it",
    "[rules][placement]") {
    // Camera 2 km west of the AB line (lon 1.0), looking east: the ray meets AB at (0.5, 1.0).
    // Where the target is along the ray the bearing does not say: the Gulf of Honduras' 3 m
    // camera's frames of walkers 2 km out were placed where its ray met the border 200 m from
    // the camera, a false incident of 442 frames.
    Scene s(R"(
rules:
  - {name: near-AB, kind: ground_detection, line: AB, within_m: 500, sensors: [camera]}
)");
    const LatLon cam = geo::geodesic_destination({0.5, 1.0}, 270, 2000);
    s.engine.on_detection(bearing(1, cam, 90, 0));
    s.collect();
    CHECK(s.raised.empty());
    // A ground sensor that fired near the ray fixes it: 300 m short of AB, a border finding.
    const LatLon fix = geo::geodesic_destination({0.5, 1.0}, 270, 300);
    s.engine.on_detection(ugs(fix, 5));
    s.engine.on_detection(bearing(1, cam, 90, 6));
    s.collect();
    REQUIRE(s.raised.size() == 1);
    CHECK(geo::geodesic_distance_m(s.raised[0].where, fix) < 5);
}

TEST_CASE("a lone bearing on the ray of a tracked person is that person's border finding",
          "[rules][placement]") {
    // The band holds the walker's track (900 m from AB): where the track is is where the rule's
    // band is asked about ("... one far out on the ray is not").
    Scene s(R"(
rules:
  - {name: near-AB, kind: ground_detection, line: AB, within_m: 1000, sensors: [camera]}
)");
    const LatLon cam = geo::geodesic_destination({0.5, 1.0}, 270, 2000);
    Track walker = picket::test::vessel(77, 0.5, 0.99, 0, 0);  // 1.1 km east of the camera
    walker.position = geo::geodesic_destination(cam, 90, 1100);
    walker.target_class = TargetClass::person;
    s.tracks = {walker};
    s.run(2);
    REQUIRE(s.raised.empty());
    s.engine.on_detection(bearing(1, cam, 90, 2));
    s.collect();
    REQUIRE(s.raised.size() == 1);
    CHECK(s.raised[0].track == 77);
    // Shown where the walker's track is, 900 m short of AB, not where the ray meets AB: the
    // bearing alone does not say how far out the walker is, the track does.
    CHECK(geo::geodesic_distance_m(s.raised[0].where, s.track(77).position) < 20);
    CHECK(s.raised[0].message.find("900 m from") != std::string::npos);
}

TEST_CASE(
    "a bearing is shown where its track is, so only a track in its rule's band explains it, "
    "not one far out on the ray",
    "[rules][placement]") {
    // Gulf of Honduras default seed: the 3 m camera's frames of the walkers, whose ray crosses
    // the border 200 m from the camera, were explained by a dark track 19 km out on the same ray
    // (nearer the ray than the walkers' own tracks), and raised a false incident "camera
    // detection of dark track 2176 9210 m from GTM-HND" in a rule watching 1.5 km of it.
    Scene s(R"(
rules:
  - {name: near-AB, kind: ground_detection, line: AB, within_m: 500, sensors: [camera]}
)");
    const LatLon cam = geo::geodesic_destination({0.5, 1.0}, 270, 2000);
    Track far = picket::test::vessel(90, 0.5, 0.99, 0, 0);
    far.position = geo::geodesic_destination(cam, 90, 9000);  // on the ray, 7 km past AB
    far.target_class = TargetClass::person;
    SECTION("alone, it explains nothing: the bearing is no finding") {
        s.tracks = {far};
        s.run(2);
        s.engine.on_detection(bearing(1, cam, 90, 2));
        s.collect();
        CHECK(s.raised.empty());
    }
    SECTION("the walker 200 m short of AB, 30 m off the ray, is the frame's") {
        Track walker = picket::test::vessel(77, 0.5, 0.99, 0, 0);
        walker.position =
            geo::geodesic_destination(geo::geodesic_destination(cam, 90, 1800), 0, 30);
        walker.target_class = TargetClass::person;
        s.tracks = {walker, far};
        s.run(2);
        s.engine.on_detection(bearing(1, cam, 90, 2));
        s.collect();
        REQUIRE(s.raised.size() == 1);
        CHECK(s.raised[0].track == 77);
    }
}

TEST_CASE("a bearing near a live dark track is that track's finding", "[rules][placement]") {
    Scene s(R"(
rules:
  - {name: cam-AB, kind: ground_detection, line: AB, within_m: 3000, sensors: [camera]}
  - {name: dark, kind: dark_target, dwell: 0s}
)");
    Track walker = picket::test::vessel(77, 0.5, 0.99, 3, 90);
    walker.target_class = TargetClass::person;
    s.tracks = {walker};
    s.run(2);
    const std::size_t before = s.incidents();
    const LatLon cam = geo::geodesic_destination(s.track(77).position, 0, 1500);  // to its north
    s.engine.on_detection(bearing(1, cam, 180, 2));  // looking south, straight at it
    s.collect();
    REQUIRE_FALSE(s.raised.empty());
    CHECK(s.raised.back().kind == AlertKind::ground_detection);
    CHECK(s.raised.back().track == 77);
    CHECK(s.incidents() == before);  // joined the track's incident (its dark-target one)
}

TEST_CASE("a bearing is a track's finding by how far the track is off its ray",
          "[rules][placement]") {
    // A camera-only walker's track sits 450 m out along the tower camera's ray from where the
    // tower's and a low camera's rays cross (its range came from a shallow depression angle):
    // the bearing passes through the track, so the detection is the track's, not a new
    // sensor-only incident. (Gulf of Honduras: twelve frames of two walkers, a false incident.)
    Scene s(R"(
rules:
  - {name: cam-AB, kind: ground_detection, line: AB, within_m: 3000, sensors: [camera]}
  - {name: dark, kind: dark_target, dwell: 0s}
)");
    Track walker = picket::test::vessel(77, 0.5, 0.99, 0, 0);
    walker.target_class = TargetClass::person;
    Track boat = picket::test::vessel(78, 0.5, 0.99, 0, 0);
    boat.position = geo::geodesic_destination(walker.position, 180, 9000);  // on the ray too
    boat.target_class = TargetClass::vessel;
    s.tracks = {walker, boat};
    s.run(2);
    const std::size_t before = s.incidents();
    const LatLon at = s.track(77).position;
    const LatLon tower = geo::geodesic_destination(at, 0, 1500);  // to its north
    const LatLon placed = geo::geodesic_destination(at, 180, 450);
    const LatLon low = geo::geodesic_destination(placed, 270, 2000);
    s.engine.on_detection(bearing(2, low, 90, 2));
    s.engine.on_detection(bearing(1, tower, 180, 2));
    s.collect();
    REQUIRE(s.raised.size() >= 2);
    CHECK(s.raised.back().track == 77);
    CHECK(geo::geodesic_distance_m(s.raised.back().where, placed) < 20);  // placed where seen
    // The vessel on the same ray is of another class: the low camera's person is not it (nor
    // the walker, 450 m off its ray); and a first bearing alone places no one within 3 km of
    // AB: the low camera's frame is no finding, the tower's joined the walker's incident.
    CHECK(s.raised[s.raised.size() - 2].kind == AlertKind::dark_target);
    CHECK(s.incidents() == before);
    // A tower frame whose depression angle says 6 km (20 m up, 0.21 +- 0.05 deg) is not of the
    // walker 1.5 km down the ray (0.76 deg), nor of the boat: a sensor-only finding.
    Measurement deep = bearing(1, tower, 180, 3);
    auto& b = std::get<BearingZ>(deep.z);
    b.site.height_m = 20;
    b.elevation_rad = -geo::depression_to_ground_rad(20.0, 6000.0);
    b.sigma_elevation_rad = 0.05 * 3.14159265358979323846 / 180.0;
    s.engine.on_detection(deep);
    s.collect();
    CHECK(s.raised.back().track != 77);
}

TEST_CASE("a camera's ranged frame is a track's finding by its angles, not its noisy range",
          "[rules][placement]") {
    // A 3 m camera ranges a walker 2 km out from a depression angle of 0.09 deg, +-0.1 deg: its
    // range is a guess (the Gulf of Honduras: frames 850 m short, beyond explain_m of the
    // walkers' tracks, a false sensor-only incident). Its bearing is good to 0.4 deg.
    Scene s(R"(
rules:
  - {name: cam-AB, kind: ground_detection, line: AB, within_m: 3000, sensors: [camera]}
)");
    const LatLon cam = geo::geodesic_destination({0.5, 1.0}, 270, 3000);
    Track walker = picket::test::vessel(77, 0.5, 0.99, 0, 0);
    walker.position = geo::geodesic_destination(cam, 80, 1950);
    walker.target_class = TargetClass::person;
    s.tracks = {walker};
    s.run(2);
    const std::size_t before = s.incidents();
    auto ranged = [&](double range_m, double t_s, TargetClass c) {
        Measurement m = bearing(4, cam, 80, t_s);
        PositionZ pz;
        pz.where = geo::geodesic_destination(cam, 80.2, range_m);
        pz.cov_en_m2 = Eigen::Matrix2d::Identity() * 700.0 * 700.0;
        pz.ranged_from = DepressionRanging{cam, 3.0, 0.1 * 3.14159265358979323846 / 180.0, 0.007};
        m.z = pz;
        m.target_class = c;
        return m;
    };
    s.engine.on_detection(ranged(1100, 2, TargetClass::person));  // 850 m short
    s.collect();
    REQUIRE(s.raised.size() == 1);
    CHECK(s.raised[0].track == 77);
    CHECK(s.incidents() == before + 1);
    // A frame whose angle says 400 m (0.43 deg, more than 3 sigma from the walker's 0.09) is
    // something else: a sensor-only finding.
    s.engine.on_detection(ranged(400, 40, TargetClass::person));
    s.collect();
    REQUIRE(s.raised.size() == 2);
    CHECK(s.raised[1].track == 0);
}

TEST_CASE("a frame the classifier got wrong on a tracked person's bearing is that person's",
          "[rules][placement]") {
    // A camera labels some frames of a walker "vehicle" (class_accuracy 0.85): on the walker's
    // bearing within its noise, it is the walker (Gulf of Honduras seeds 7 and 11, Sixaola:
    // such frames were false sensor-only incidents). Off the ray by more than the bearing's
    // 3 sigma and the track's margin, a vehicle is something else.
    Scene s(R"(
rules:
  - {name: cam-AB, kind: ground_detection, line: AB, within_m: 3000, sensors: [camera]}
)");
    Track walker = picket::test::vessel(77, 0.5, 0.99, 0, 0);
    walker.target_class = TargetClass::person;
    s.tracks = {walker};
    s.run(2);
    const LatLon cam = geo::geodesic_destination(s.track(77).position, 0, 1500);  // to its north
    Measurement wrong = bearing(1, cam, 180.5, 2);  // 13 m off the walker
    wrong.target_class = TargetClass::vehicle;
    s.engine.on_detection(wrong);
    s.collect();
    REQUIRE(s.raised.size() == 1);
    CHECK(s.raised[0].track == 77);
    // Another camera on the mast, 8 deg off the ray: 210 m from the walker, within explain_m
    // (300 m) but beyond 3 x 0.005 rad x 1500 m + 100 m = 122 m: a vehicle there is not the
    // walker (and, a bearing alone, no finding). A person there is the walker's.
    Measurement other = bearing(2, cam, 188, 3);
    other.target_class = TargetClass::vehicle;
    s.engine.on_detection(other);
    s.collect();
    CHECK(s.raised.size() == 1);
    s.engine.on_detection(bearing(2, cam, 188, 4));
    s.collect();
    REQUIRE(s.raised.size() == 2);
    CHECK(s.raised[1].track == 77);
}

TEST_CASE("a frame ranged from an angle whose noise spans more than its range is a bearing",
          "[rules][placement]") {
    // The Gulf of Honduras' 3 m camera ranged one frame of a walker 2 km out at 1,150 m, before
    // any track of the walkers existed: 0.15 +- 0.1 deg says 690 m to 3.5 km, so the frame put
    // no one anywhere, and alone it is no finding (it was a false sensor-only incident). The
    // same range from a 20 m mast (0.57 +- 0.1 deg: 980 m to 1,390 m) is a position.
    Scene s(R"(
rules:
  - {name: cam-AB, kind: ground_detection, line: AB, within_m: 3000, sensors: [camera]}
)");
    const LatLon cam = geo::geodesic_destination({0.5, 1.0}, 270, 3000);
    auto ranged = [&](double height_m, double range_m, double t_s) {
        Measurement m = bearing(4, cam, 80, t_s);
        PositionZ pz;
        pz.where = geo::geodesic_destination(cam, 80, range_m);
        pz.ranged_from = DepressionRanging{cam, height_m, 0.1 * std::numbers::pi / 180.0, 0.007};
        m.z = pz;
        return m;
    };
    DetectionPlacer placer;
    CHECK_FALSE(placer.place(ranged(3.0, 1150, 0)).fixed());
    CHECK(placer.place(ranged(20.0, 1150, 0)).fixed());
    CHECK(placer.place(ranged(3.0, 400, 0)).fixed());  // 0.43 +- 0.1 deg: 320 m to 520 m

    s.engine.on_detection(ranged(3.0, 1150, 2));
    s.collect();
    CHECK(s.raised.empty());
    s.engine.on_detection(ranged(20.0, 1150, 4));
    s.collect();
    REQUIRE(s.raised.size() == 1);
    CHECK(s.raised[0].track == 0);
}
