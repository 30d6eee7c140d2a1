#include <catch2/catch.hpp>

#include "config/yaml_reader.hpp"
#include "src/server_config.hpp"

using namespace picket;
using picket::config::ConfigError;

namespace {

std::string with_feed(const std::string& feed_lines) {
    return "region: {name: t, origin: {lat: -9, lon: 125}}\nfeeds:\n  - id: f1\n" + feed_lines;
}

}  // namespace

TEST_CASE("A valid server config loads feeds, noise and outputs", "[config][server]") {
    const auto c = server::parse_server_config(
        with_feed(
            "    kind: radar\n    format: asterix\n    endpoint: tcp://127.0.0.1:1\n"
            "    site: {lat: -8.5, lon: 125.5, height_m: 80}\n    noise: {sigma_range_m: 25}\n"
            "    expected_interval: 4s\n") +
            "tracker: {filter: ukf, latency_window: 2s}\noutputs: {http: {port: 0}}\n",
        "s.yaml", "/tmp");
    REQUIRE(c.feeds.size() == 1);
    CHECK(c.feeds[0].params.kind == SensorKind::radar);
    CHECK(c.feeds[0].params.site.height_m == 80);
    CHECK(c.feeds[0].params.sigma_range_m == 25);
    CHECK(c.feeds[0].expected_interval_s == 4);
    CHECK(c.tracker.filter == "ukf");
    CHECK(c.tracker.latency_window_s == 2);
    CHECK(c.tracker.origin.lat_deg == -9);
    CHECK(c.outputs.http.port == 0);
}

TEST_CASE("Config errors name the line and key", "[config][server]") {
    CHECK_THROWS_WITH(
        server::parse_server_config(
            with_feed("    kind: sonar\n    format: asterix\n    endpoint: x\n"), "s.yaml", "/tmp"),
        "s.yaml:4:11: feeds[0].kind: unknown feed kind 'sonar' (ais, radar, camera, ugs)");
    CHECK_THROWS_WITH(
        server::parse_server_config(
            with_feed("    kind: ais\n    format: ascii\n    endpoint: x\n"), "s.yaml", "/tmp"),
        Catch::StartsWith("s.yaml:5:13: feeds[0].format: unknown wire format 'ascii'"));
    CHECK_THROWS_WITH(
        server::parse_server_config(
            with_feed("    kind: radar\n    format: asterix\n    endpoint: x\n"), "s.yaml", "/tmp"),
        Catch::Contains("a radar feed needs a 'site'"));
    CHECK_THROWS_WITH(
        server::parse_server_config(
            with_feed("    kind: ais\n    format: nmea-ais\n    endpoint: x\n    sokcet: sub\n"),
            "s.yaml", "/tmp"),
        "s.yaml:7:5: feeds[0].sokcet: unknown key 'sokcet'");
    CHECK_THROWS_WITH(server::parse_server_config(
                          with_feed("    kind: ais\n    format: nmea-ais\n    endpoint: x\n") +
                              "rules: nowhere.yaml\n",
                          "s.yaml", "/tmp"),
                      Catch::Contains("rule file not found"));
}

TEST_CASE("CURVE without an allow-list refuses to start", "[config][server][security]") {
    CHECK_THROWS_WITH(
        server::parse_server_config(
            with_feed("    kind: ais\n    format: nmea-ais\n    endpoint: x\n    curve:\n"
                      "      server_secret_key: \"JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6\"\n"
                      "      allowed_clients: []\n"),
            "s.yaml", "/tmp"),
        Catch::Contains("CURVE needs at least one allowed client public key"));
}
