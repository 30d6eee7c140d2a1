// JSON radar plots, camera detections and UGS events: parsing, normalisation, rejections.
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>

#include "geo/local_frame.hpp"
#include "sensors/json/json_detections.hpp"
#include "sensors/json/json_feeds.hpp"
#include "sensors/json/json_normalise.hpp"
#include "tests/unit/asterix/recording_sink.hpp"

using namespace picket;
using namespace picket::sensors;
using namespace picket::sensors::json;

namespace {

constexpr double kDeg = std::numbers::pi / 180.0;
const Timestamp kNoon = *parse_iso8601("2026-11-25T12:00:00Z");

FeedParams site_params(SensorKind kind) {
    FeedParams p;
    p.index = 2;
    p.kind = kind;
    p.site.position = {-9.0, 125.0};
    p.site.height_m = 20.0;
    return p;
}

}  // namespace

TEST_CASE("JSON plot: documented example decodes to a PolarZ", "[json]") {
    auto dec = make_json_plot_decoder(site_params(SensorKind::radar));
    test::RecordingSink sink;
    dec->decode(
        R"({"radar":"r1","time":"2026-11-25T11:59:59.500Z","range_m":1500.0,"bearing_deg":270.0,)"
        R"("sigma_range_m":12.0,"track_id":17,"speed_mps":5.0,"course_deg":180.0})",
        kNoon, sink);
    REQUIRE(sink.rejected_reasons.empty());
    REQUIRE(sink.measurements.size() == 1);
    const auto& m = sink.measurements[0];
    CHECK(m.observed == kNoon - Duration::from_millis(500));
    const auto& z = std::get<PolarZ>(m.z);
    CHECK(z.range_m == 1500.0);
    CHECK(z.bearing_rad == Approx(270 * kDeg));
    CHECK(z.sigma_range_m == 12.0);
    CHECK(z.sigma_bearing_rad == Approx(kDefaultPlotSigmaBearingDeg * kDeg));
    CHECK(m.source_object_id == 17);
    REQUIRE(m.velocity);
    CHECK(m.velocity->north_mps == Approx(-5.0));
    CHECK(m.velocity->east_mps == Approx(0).margin(1e-9));
}

TEST_CASE("times as unix seconds are accepted", "[json]") {
    // 1795608000 = 2026-11-25T12:00:00Z (date -u -d @1795608000)
    const auto p =
        parse_json_plot(R"({"radar":"r1","time":1795608000.25,"range_m":1,"bearing_deg":0})");
    REQUIRE(p);
    CHECK(p->time == *parse_iso8601("2026-11-25T12:00:00.250Z"));
}

TEST_CASE("encoders round-trip through the parsers", "[json]") {
    JsonPlot plot{"r9", kNoon, 1234.5, 359.5, 10.0, 0.2, 99, 3.0, 45.0};
    const auto p = parse_json_plot(encode_json_plot(plot));
    REQUIRE(p);
    CHECK(p->radar_id == "r9");
    CHECK(p->time == kNoon);
    CHECK(p->range_m == 1234.5);
    CHECK(p->bearing_deg == 359.5);
    CHECK(p->track_id == 99u);
    CHECK(p->course_deg == 45.0);

    CameraDetection d;
    d.camera_id = "cam-1";
    d.time = kNoon + Duration::from_millis(123);
    d.azimuth_deg = 12.25;
    d.elevation_deg = -3.5;
    d.target_class = TargetClass::person;
    d.confidence = 0.875;
    d.object_id = 1234567;
    const auto c = parse_camera_detection(encode_camera_detection(d));
    REQUIRE(c);
    CHECK(c->time == d.time);
    CHECK(c->azimuth_deg == 12.25);
    CHECK(c->elevation_deg == -3.5);
    CHECK(c->target_class == TargetClass::person);
    CHECK(c->confidence == 0.875);
    CHECK(c->object_id == 1234567u);

    UgsEvent e;
    e.sensor_id = "ugs-7";
    e.time = kNoon;
    e.kind = UgsKind::pir;
    e.target_class = TargetClass::vehicle;
    e.radius_m = 30;
    e.bearing_deg = 90;
    e.position = LatLon{-9.1, 125.1};
    e.event_id = 5;
    const auto u = parse_ugs_event(encode_ugs_event(e));
    REQUIRE(u);
    CHECK(u->kind == UgsKind::pir);
    CHECK(u->target_class == TargetClass::vehicle);
    CHECK(u->radius_m == 30);
    CHECK(u->bearing_deg == 90);
    CHECK(u->position == LatLon{-9.1, 125.1});
    CHECK(u->event_id == 5u);
}

TEST_CASE("camera: azimuth only is a bearing measurement", "[json]") {
    FeedParams params = site_params(SensorKind::camera);
    params.site.height_m = 0;  // no height: no ground range from elevation
    auto dec = make_camera_decoder(params);
    test::RecordingSink sink;
    dec->decode(
        R"({"camera":"c1","time":"2026-11-25T12:00:00Z","azimuth_deg":45,"elevation_deg":-2,)"
        R"("class":"vessel","confidence":0.9,"object_id":8})",
        kNoon, sink);
    REQUIRE(sink.measurements.size() == 1);
    const auto& m = sink.measurements[0];
    CHECK(m.sensor == SensorKind::camera);
    CHECK(m.target_class == TargetClass::vessel);
    CHECK(m.class_confidence == Approx(0.9));
    CHECK(m.source_object_id == 8);
    const auto* z = std::get_if<BearingZ>(&m.z);
    REQUIRE(z);
    CHECK(z->bearing_rad == Approx(45 * kDeg));
    CHECK(z->sigma_bearing_rad == Approx(kDefaultCameraSigmaAzimuthDeg * kDeg));
    REQUIRE(z->elevation_rad);
    CHECK(*z->elevation_rad == Approx(-2 * kDeg));
}

TEST_CASE("camera: depression and height give a ground range", "[json]") {
    const FeedParams params = site_params(SensorKind::camera);  // lens 20 m above ground
    const auto d = parse_camera_detection(
        R"({"camera":"c1","time":"2026-11-25T12:00:00Z","azimuth_deg":0,"elevation_deg":-45,"sigma_elevation_deg":0.1})");
    REQUIRE(d);
    const Measurement m = camera_to_measurement(*d, params, kNoon);
    const auto* z = std::get_if<PositionZ>(&m.z);
    REQUIRE(z);
    // 45° down from 20 m: ground range 20 m due north.
    CHECK(geo::geodesic_distance_m(params.site.position, z->where) == Approx(20.0).margin(1e-6));
    CHECK(z->where.lat_deg > params.site.position.lat_deg);
    // σr = h σe / sin²e = 20 × 0.1° / 0.5 = 0.0698 m along north.
    const double sr = 20 * 0.1 * kDeg / 0.5;
    CHECK(z->cov_en_m2(1, 1) == Approx(sr * sr));
    // Cross-range (east) σ = r σaz with the default azimuth σ.
    const double sc = 20 * kDefaultCameraSigmaAzimuthDeg * kDeg;
    CHECK(z->cov_en_m2(0, 0) == Approx(sc * sc));
}

TEST_CASE("camera: azimuth and range give a position", "[json]") {
    const FeedParams params = site_params(SensorKind::camera);
    const auto d = parse_camera_detection(
        R"({"camera":"c1","time":"2026-11-25T12:00:00Z","azimuth_deg":90,"sigma_azimuth_deg":1,"range_m":1000,"sigma_range_m":8})");
    REQUIRE(d);
    const Measurement m = camera_to_measurement(*d, params, kNoon);
    const auto& z = std::get<PositionZ>(m.z);
    CHECK(geo::geodesic_distance_m(params.site.position, z.where) == Approx(1000).margin(1e-6));
    CHECK(geo::geodesic_bearing_deg(params.site.position, z.where) == Approx(90).margin(1e-6));
    CHECK(z.cov_en_m2(0, 0) == Approx(64));                        // along = east: σr²
    CHECK(z.cov_en_m2(1, 1) == Approx(std::pow(1000 * kDeg, 2)));  // across: (r σaz)²
    CHECK(z.cov_en_m2(0, 1) == Approx(0).margin(1e-9));
}

TEST_CASE("camera: a geolocated detection is a position with its own sigma", "[json]") {
    const auto d = parse_camera_detection(
        R"({"camera":"c1","time":"2026-11-25T12:00:00Z","lat":-9.01,"lon":125.02,"sigma_position_m":7})");
    REQUIRE(d);
    const Measurement m = camera_to_measurement(*d, site_params(SensorKind::camera), kNoon);
    const auto& z = std::get<PositionZ>(m.z);
    CHECK(z.where == LatLon{-9.01, 125.02});
    CHECK(z.cov_en_m2(0, 0) == Approx(49));
    CHECK(z.cov_en_m2(1, 1) == Approx(49));
}

TEST_CASE("UGS: a disc without a bearing, a sector with one", "[json]") {
    const FeedParams params = site_params(SensorKind::ugs);
    auto e = parse_ugs_event(
        R"({"sensor":"u1","time":"2026-11-25T12:00:00Z","kind":"seismic","radius_m":40})");
    REQUIRE(e);
    const Measurement disc = ugs_to_measurement(*e, params, kNoon);
    CHECK(disc.sensor == SensorKind::ugs);
    const auto& dz = std::get<PositionZ>(disc.z);
    CHECK(dz.where == params.site.position);
    CHECK(dz.cov_en_m2(0, 0) == Approx(400.0));  // (R/2)²
    CHECK(dz.cov_en_m2(1, 1) == Approx(400.0));

    // The full-circle sector must agree with the disc: mean 0, variance R²/4 both ways.
    const SectorMoments full = uniform_sector_moments(40, 360);
    CHECK(full.mean_offset_m == Approx(0).margin(1e-9));
    CHECK(full.var_along_m2 == Approx(400.0));
    CHECK(full.var_across_m2 == Approx(400.0));
    // A half disc (180°): centroid at 4R/(3π) from the centre (the textbook semicircle result).
    const SectorMoments half = uniform_sector_moments(40, 180);
    CHECK(half.mean_offset_m == Approx(4 * 40 / (3 * std::numbers::pi)));
    CHECK(half.var_across_m2 == Approx(400.0));  // symmetric across: still R²/4

    e = parse_ugs_event(
        R"({"sensor":"u1","time":"2026-11-25T12:00:00Z","kind":"pir","radius_m":40,"bearing_deg":90,"sector_deg":180,"lat":-9.2,"lon":125.2})");
    REQUIRE(e);
    const Measurement sec = ugs_to_measurement(*e, params, kNoon);
    const auto& sz = std::get<PositionZ>(sec.z);
    CHECK(geo::geodesic_distance_m({-9.2, 125.2}, sz.where) ==
          Approx(half.mean_offset_m).epsilon(1e-6));
    CHECK(geo::geodesic_bearing_deg({-9.2, 125.2}, sz.where) == Approx(90).margin(1e-6));
    CHECK(sz.cov_en_m2(0, 0) == Approx(half.var_along_m2));  // along the bearing = east
    CHECK(sz.cov_en_m2(1, 1) == Approx(half.var_across_m2));
}

TEST_CASE("bad JSON lines are rejected with reasons, good lines around them survive", "[json]") {
    auto dec = make_ugs_decoder(site_params(SensorKind::ugs));
    test::RecordingSink sink;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"{not json", "bad_json"},
        {"[1,2,3]", "bad_json"},
        {R"({"time":"2026-11-25T12:00:00Z","kind":"pir","radius_m":5})", "missing_field"},
        {R"({"sensor":7,"time":"2026-11-25T12:00:00Z","kind":"pir","radius_m":5})", "bad_field"},
        {R"({"sensor":"u","time":"yesterday","kind":"pir","radius_m":5})", "bad_time"},
        {R"({"sensor":"u","time":1e300,"kind":"pir","radius_m":5})", "bad_time"},
        // Fuzzer find (tests/fuzz/json/corpus/regression_year_4052.jsonl): a year past 2262
        // overflowed the int64 nanosecond count in parse_iso8601.
        {R"({"sensor":"u","time":"4052-11-25T11:59:59.500Z","kind":"pir","radius_m":5})",
         "bad_time"},
        // Fuzzer find (tests/fuzz/json/corpus/regression_unix_time_2277.jsonl): unix seconds past
        // 2262 overflowed the same count on the numeric path.
        {R"({"sensor":"u","time":9715608000.25,"kind":"pir","radius_m":5})", "bad_time"},
        {R"({"sensor":"u","time":"2026-11-25T12:00:00Z","kind":"radar","radius_m":5})",
         "out_of_range"},
        {R"({"sensor":"u","time":"2026-11-25T12:00:00Z","kind":"pir","radius_m":-5})",
         "out_of_range"},
        {R"({"sensor":"u","time":"2026-11-25T12:00:00Z","kind":"pir","radius_m":"5"})",
         "bad_field"},
        {R"({"sensor":"u","time":"2026-11-25T12:00:00Z","kind":"pir","radius_m":5,"event_id":-1})",
         "out_of_range"},
        {R"({"sensor":"u","time":"2026-11-25T12:00:00Z","kind":"pir","radius_m":5,"lat":1})",
         "missing_field"},
        {R"({"sensor":"u","time":"2026-11-25T12:00:00Z","kind":"pir","radius_m":5,"class":"dragon"})",
         "out_of_range"},
    };
    for (const auto& [line, reason] : cases) {
        sink.clear();
        dec->decode(line + "\n" +
                        R"({"sensor":"u","time":"2026-11-25T12:00:00Z","kind":"pir","radius_m":5})",
                    kNoon, sink);
        INFO(line);
        CHECK(sink.rejected_reasons == std::vector<std::string>{reason});
        CHECK(sink.measurements.size() == 1);
    }
}

TEST_CASE("camera lines need an azimuth or a position", "[json]") {
    CHECK(
        parse_camera_detection(R"({"camera":"c","time":"2026-11-25T12:00:00Z"})").error().reason ==
        "missing_field");
    CHECK(
        parse_camera_detection(R"({"camera":"c","time":"2026-11-25T12:00:00Z","azimuth_deg":361})")
            .error()
            .reason == "out_of_range");
}
