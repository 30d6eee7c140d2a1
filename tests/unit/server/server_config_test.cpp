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
        "s.yaml:4:11: feeds[0].kind: unknown feed kind 'sonar' (ais, radar, camera, ugs, tracks)");
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

TEST_CASE("Track history and recording keys (issue #18): defaults, values, errors with file:line",
          "[config][server]") {
    const std::string base = "region: {name: t, origin: {lat: -9, lon: 125}}\nfeeds: []\n";
    const auto d =
        server::parse_server_config(base + "outputs: {database: x.db}\n", "s.yaml", "/tmp");
    CHECK(d.outputs.history.interval_s == 60);
    CHECK(d.outputs.history.retention_days == 365);
    CHECK(d.outputs.recording_compression == record::Compression::zstd);
    const auto c = server::parse_server_config(
        base +
            "outputs:\n  history: {interval: 30s, position_m: 50, course_deg: 10, speed_mps: 0.5, "
            "retention_days: 90}\n  recording_flush: 500ms\n  recording_compression: none\n",
        "s.yaml", "/tmp");
    CHECK(c.outputs.history.interval_s == 30);
    CHECK(c.outputs.history.position_m == 50);
    CHECK(c.outputs.history.course_deg == 10);
    CHECK(c.outputs.history.speed_mps == 0.5);
    CHECK(c.outputs.history.retention_days == 90);
    CHECK(c.outputs.recording_flush_s == Approx(0.5));
    CHECK(c.outputs.recording_compression == record::Compression::none);
    CHECK_THROWS_WITH(server::parse_server_config(base + "outputs:\n  history: {course_deg: 200}\n",
                                                  "s.yaml", "/tmp"),
                      Catch::StartsWith("s.yaml:4:") && Catch::Contains("course_deg") &&
                          Catch::Contains("(0, 180]"));
    CHECK_THROWS_WITH(server::parse_server_config(base + "outputs:\n  history: {retain_days: 9}\n",
                                                  "s.yaml", "/tmp"),
                      Catch::Contains("unknown key 'retain_days'"));
    CHECK_THROWS_WITH(
        server::parse_server_config(base + "outputs:\n  recording_compression: lz4\n", "s.yaml",
                                    "/tmp"),
        Catch::StartsWith("s.yaml:4:") && Catch::Contains("unknown compression 'lz4'"));
    CHECK(d.outputs.background_nice == 5);
    CHECK(server::parse_server_config(base + "outputs: {background_nice: 0}\n", "s.yaml", "/tmp")
              .outputs.background_nice == 0);
    CHECK_THROWS_WITH(
        server::parse_server_config(base + "outputs:\n  background_nice: 20\n", "s.yaml", "/tmp"),
        Catch::StartsWith("s.yaml:4:") && Catch::Contains("background_nice") &&
            Catch::Contains("0..19"));
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

TEST_CASE("A radar's redundant A/B channel is one feed with a second endpoint",
          "[config][server]") {
    const std::string radar =
        "    kind: radar\n    format: asterix\n    endpoint: udp-gw-a\n"
        "    site: {lat: -8.5, lon: 125.5}\n";
    const auto c = server::parse_server_config(
        with_feed(radar + "    redundant_endpoint: udp-gw-b\n"), "s.yaml", "/tmp");
    REQUIRE(c.feeds.size() == 1);
    CHECK(c.feeds[0].endpoint == "udp-gw-a");
    CHECK(c.feeds[0].redundant_endpoint == "udp-gw-b");
    CHECK(server::parse_server_config(with_feed(radar), "s.yaml", "/tmp")
              .feeds[0]
              .redundant_endpoint.empty());
    CHECK_THROWS_WITH(
        server::parse_server_config(with_feed(radar + "    redundant_endpoint: udp-gw-a\n"),
                                    "s.yaml", "/tmp"),
        Catch::Contains("feeds[0].redundant_endpoint: must differ from 'endpoint'"));
    // A second feed on the first one's B channel is a config error, not a silent double feed.
    CHECK_THROWS_WITH(
        server::parse_server_config(with_feed(radar + "    redundant_endpoint: udp-gw-b\n") +
                                        "  - {id: f2, kind: ais, format: nmea-ais, endpoint: "
                                        "udp-gw-b}\n",
                                    "s.yaml", "/tmp"),
        Catch::Contains("endpoint already used by feed 'f1'"));
}

TEST_CASE("a radar feed says what it watches: surface by default, sea or air; only radars",
          "[config][server]") {
    const std::string radar =
        "    kind: radar\n    format: asterix\n    endpoint: udp-gw-a\n"
        "    site: {lat: -8.5, lon: 125.5}\n";
    CHECK(server::parse_server_config(with_feed(radar), "s.yaml", "/tmp").feeds[0].watches ==
          filters::Watches::surface);
    CHECK(server::parse_server_config(with_feed(radar + "    watches: air\n"), "s.yaml", "/tmp")
              .feeds[0]
              .watches == filters::Watches::air);
    CHECK(server::parse_server_config(with_feed(radar + "    watches: sea\n"), "s.yaml", "/tmp")
              .feeds[0]
              .watches == filters::Watches::sea);
    CHECK(server::parse_server_config(with_feed(radar + "    watches: surface\n"), "s.yaml", "/tmp")
              .feeds[0]
              .watches == filters::Watches::surface);
    CHECK_THROWS_WITH(
        server::parse_server_config(with_feed(radar + "    watches: sky\n"), "s.yaml", "/tmp"),
        Catch::Contains("feeds[0].watches: watches must be 'surface'"));
    CHECK_THROWS_WITH(server::parse_server_config(
                          "region:\n  name: t\n  origin: {lat: 0, lon: 0}\nfeeds:\n"
                          "  - {id: a, kind: ais, format: nmea-ais, endpoint: e1, watches: air}\n",
                          "s.yaml", "/tmp"),
                      Catch::Contains("'watches' is for a radar feed"));
}

TEST_CASE("a camera feed may state its detection range; other feeds may not", "[config][server]") {
    const std::string camera = "    kind: camera\n    format: camera-json\n    endpoint: cam\n";
    CHECK(server::parse_server_config(with_feed(camera + "    site: {lat: -9.2, lon: 124.4}\n"),
                                      "s.yaml", "/tmp")
              .feeds[0]
              .params.range_m == 0);
    CHECK(server::parse_server_config(
              with_feed(camera + "    site: {lat: -9.2, lon: 124.4, range_m: 2500}\n"), "s.yaml",
              "/tmp")
              .feeds[0]
              .params.range_m == 2500);
    CHECK_THROWS_WITH(server::parse_server_config(
                          with_feed(camera + "    site: {lat: -9.2, lon: 124.4, range_m: -1}\n"),
                          "s.yaml", "/tmp"),
                      Catch::Contains("feeds[0].site.range_m"));
    CHECK_THROWS_WITH(server::parse_server_config(
                          with_feed("    kind: radar\n    format: asterix\n    endpoint: r\n"
                                    "    site: {lat: -8.5, lon: 125.5, range_m: 60000}\n"),
                          "s.yaml", "/tmp"),
                      Catch::Contains("range_m is a camera's detection range"));
}
