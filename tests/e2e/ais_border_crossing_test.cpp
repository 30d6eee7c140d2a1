// The walking skeleton, for real: AIS NMEA over a ZeroMQ socket -> decoder -> tracker -> border
// rule on a GDAL layer -> alert on the server's PUB socket. Malformed sentences in the same
// stream are counted, not fatal.
#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "geo/local_frame.hpp"
#include "src/server.hpp"
#include "tests/e2e/scenario_fixture.hpp"
#include "tests/e2e/voyage.hpp"

using namespace picket;
using namespace std::chrono_literals;
using namespace picket::e2e;

namespace {

struct Run {
    Timestamp t0;  ///< server time of the first report
    std::vector<nlohmann::json> alerts;
    nlohmann::json status;
};

Run run_voyage(LatLon start, double course_deg, int reports) {
    e2e::TempDir dir;
    const e2e::Deployment d = e2e::write_deployment(dir, false);
    zmq::context_t ctx;
    zmq::socket_t feed(ctx, zmq::socket_type::pub);
    feed.bind(d.feed_endpoint);
    server::Server srv(server::load_server_config(d.config_path), e2e::voyage_server_options());
    e2e::Subscriber sub(ctx, d.publish_endpoint);
    Run run;
    srv.start();
    std::this_thread::sleep_for(300ms);  // ZeroMQ slow joiner: let both SUBs connect
    run.t0 = srv.now();
    sail(feed, start, course_deg, reports, run.t0);
    sub.drain(1500ms);  // ~150 virtual seconds more: any duplicate alert would show up
    run.status = nlohmann::json::parse(srv.status());
    srv.stop();
    run.alerts = sub.of_topic("alert");
    return run;
}

}  // namespace

TEST_CASE("A vessel crossing the border raises exactly one crossing alert, over real sockets",
          "[e2e]") {
    // 124.98E -> 125.02E along 9S: crosses the WEST|EAST border at 125E about 2.2 km out.
    const LatLon start{-9.0, 124.98};
    const Run run = run_voyage(start, 90.0, 44);

    std::set<std::uint64_t> ids;
    nlohmann::json alert;
    for (const auto& a : run.alerts) {
        if (a["properties"]["kind"] != "border_crossing") continue;
        ids.insert(a["properties"]["alert_id"].get<std::uint64_t>());
        alert = a;
    }
    REQUIRE(ids.size() == 1);
    const auto& p = alert["properties"];
    CHECK(p["mmsi"] == kMmsi);
    CHECK(p["rule"] == "land-border");
    CHECK(p["severity"] == "high");
    const double lon = alert["geometry"]["coordinates"][0];
    const double lat = alert["geometry"]["coordinates"][1];
    CHECK(lon == Approx(125.0).margin(0.003));  // within ~330 m of the border, on the path
    CHECK(lat == Approx(-9.0).margin(0.003));
    // Crossing happens (distance to 125E) / speed after T0.
    const double to_border_m = geo::geodesic_distance_m(start, {-9.0, 125.0});
    const Timestamp crossing =
        run.t0 + Duration::from_seconds(to_border_m / (kSpeedKn * 1852.0 / 3600.0));
    const Timestamp when = *parse_iso8601(p["time"].get<std::string>());
    CHECK((when - crossing).seconds() > -15.0);
    CHECK((when - crossing).seconds() < 30.0);

    // The malformed sentences were rejected and counted by reason; the feed kept decoding.
    const auto& feed = run.status["feeds"][0];
    CHECK(feed["rejected_total"].get<int>() >= 9);
    CHECK(feed["rejected"].contains("checksum"));
    CHECK(feed["measurements"].get<int>() == 44);
}

TEST_CASE("A vessel sailing along the border without crossing raises no crossing alert", "[e2e]") {
    const Run run = run_voyage({-9.2, 124.99}, 0.0, 30);  // northbound, 1.1 km west of the border
    for (const auto& a : run.alerts) CHECK(a["properties"]["kind"] != "border_crossing");
    CHECK(run.status["tracker"]["initiated"].get<int>() == 1);  // one vessel, one track
}
