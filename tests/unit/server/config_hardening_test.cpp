// Config mistakes that used to start the server: duplicate keys (server config, rule files,
// scenarios: one reader), a feed format of another sensor kind or without the site it needs,
// values out of any sane range, and a missing border file with an empty reason.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "config/yaml_reader.hpp"
#include "rules/rule_file.hpp"
#include "sim/scenario_loader.hpp"
#include "src/server_config.hpp"

using namespace picket;
using picket::config::ConfigError;
using picket::config::Node;

namespace {

std::string config_with(const std::string& feed_lines, const std::string& rest = "") {
    return "region: {name: t, origin: {lat: -9, lon: 125}}\nfeeds:\n  - id: f1\n" + feed_lines +
           rest;
}

const std::string kAis = "    kind: ais\n    format: nmea-ais\n    endpoint: tcp://127.0.0.1:1\n";

std::string error_of(const std::string& text) {
    try {
        (void)server::parse_server_config(text, "s.yaml", "/tmp");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("duplicate keys are refused with both lines", "[config]") {
    CHECK_THROWS_WITH(Node::load_string("a: 1\nb: 2\na: 3\n", "t.yaml"),
                      "t.yaml:3:1: a: duplicate key 'a' (first at line 1)");
    CHECK_THROWS_WITH(Node::load_string("top:\n  - {x: 1, y: 2}\n  - {x: 1, x: 2}\n", "t.yaml"),
                      "t.yaml:3:12: top[1].x: duplicate key 'x' (first at line 3)");
    // The server config: the second `port` would have been ignored.
    CHECK(error_of(config_with(kAis, "outputs:\n  http: {port: 8080}\n  http: {port: 0}\n")) ==
          "s.yaml:9:3: outputs.http: duplicate key 'http' (first at line 8)");
    // A scenario file goes through the same reader.
    CHECK_THROWS_WITH(sim::parse_scenario("name: a\nname: b\n", "scen.yaml"),
                      "scen.yaml:2:1: name: duplicate key 'name' (first at line 1)");
}

TEST_CASE("a rule file with a duplicate key, or a missing border file, names line and reason",
          "[config]") {
    const auto dir =
        std::filesystem::temp_directory_path() / ("picket_cfg_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto rules = (dir / "rules.yaml").string();
    std::ofstream(rules) << "layers:\n  - name: land\n    path: nowhere.gpkg\n";
    CHECK_THROWS_WITH(
        rules::load_rule_file(rules),
        rules + ":3:11: layers[0].path: " + (dir / "nowhere.gpkg").string() + ": no such file");
    std::ofstream(rules) << "rules: []\nrules: []\n";
    CHECK_THROWS_WITH(rules::load_rule_file(rules),
                      rules + ":2:1: rules: duplicate key 'rules' (first at line 1)");
    std::filesystem::remove_all(dir);
}

TEST_CASE("a feed's format must be its kind's, with the site its format needs", "[config]") {
    // The probe: an AIS feed given the ASTERIX format and no site decoded radar plots 6,000 km
    // away. Both halves of the mistake are refused.
    CHECK(error_of(config_with("    kind: ais\n    format: asterix\n    endpoint: x\n")) ==
          "s.yaml:5:13: feeds[0].format: format 'asterix' carries radar data, but this feed's "
          "kind is ais");
    CHECK(error_of(config_with("    kind: camera\n    format: ugs-json\n    endpoint: x\n"
                               "    site: {lat: 0, lon: 0}\n")) ==
          "s.yaml:5:13: feeds[0].format: format 'ugs-json' carries ugs data, but this feed's kind "
          "is camera");
    CHECK_THAT(error_of(config_with("    kind: radar\n    format: json-plot\n    endpoint: x\n")),
               Catch::StartsWith("s.yaml:3:5: feeds[0]: a radar feed needs a 'site'"));
    CHECK(error_of(config_with(kAis)).empty());
    CHECK(error_of(config_with("    kind: radar\n    format: nmea-arpa\n    endpoint: x\n"
                               "    site: {lat: 0, lon: 0}\n"))
              .empty());
}

TEST_CASE("values outside their range are refused with file:line", "[config]") {
    CHECK(error_of(config_with(kAis + "    expected_interval: 1e300\n")) ==
          "s.yaml:7:24: feeds[0].expected_interval: must be within [0s, 168h], got 1e300");
    CHECK(error_of(config_with(kAis + "    expected_interval: -4s\n")) ==
          "s.yaml:7:24: feeds[0].expected_interval: must be within [0s, 168h], got -4s");
    CHECK_THAT(error_of(config_with(kAis + "    max_message_bytes: 0\n")),
               Catch::Contains("feeds[0].max_message_bytes: must be within [1, 268435456]"));
    CHECK_THAT(error_of(config_with(kAis + "    noise: {sigma_position_m: 1e9}\n")),
               Catch::Contains("feeds[0].noise.sigma_position_m: must be within [0, 100000] m"));
    CHECK_THAT(error_of(config_with("    kind: radar\n    format: asterix\n    endpoint: x\n"
                                    "    site: {lat: 0, lon: 0, height_m: 1e6}\n")),
               Catch::Contains("feeds[0].site.height_m: must be within [-500, 9000] m"));
    CHECK_THAT(error_of(config_with(kAis, "outputs: {http: {port: 70000}}\n")),
               Catch::Contains("outputs.http.port: must be within [0, 65535]"));
    CHECK_THAT(error_of(config_with(kAis, "outputs: {cot: {stale: 0s}}\n")),
               Catch::Contains("outputs.cot.stale: must be within [1s, 24h]"));
    CHECK_THAT(error_of(config_with(kAis, "outputs: {cat062: {udp: \"x:1\", sac: 256}}\n")),
               Catch::Contains("outputs.cat062.sac: must be within [0, 255]"));
    CHECK_THAT(error_of(config_with(kAis, "tracker: {max_coast: 1e300}\n")),
               Catch::Contains("tracker.max_coast: must be within [100ms, 24h]"));
    CHECK_THAT(error_of(config_with(kAis, "tracker: {latency_window: -1s}\n")),
               Catch::Contains("tracker.latency_window: must be within [0s, 1h]"));
    CHECK_THAT(error_of(config_with(kAis, "tracker: {merge_distance_m: 1e12}\n")),
               Catch::Contains("tracker.merge_distance_m: must be within [0, 10000] m"));
    CHECK_THAT(error_of(config_with(kAis, "tracker: {confirm: {radar: {m: 3, n: 1000}}}\n")),
               Catch::Contains("need 1 <= m <= n <= 100"));
    CHECK_THAT(error_of(config_with(kAis, "tracker: {grid_cell_m: 0}\n")),
               Catch::Contains("tracker.grid_cell_m: must be positive"));
    CHECK_THAT(error_of(config_with(kAis, "tracker: {lifecycle: {budget_evidence: plots}}\n")),
               Catch::Contains("budget_evidence must be gate, plot or likelihood"));
    CHECK_THAT(error_of(config_with(kAis,
                                    "patrol_assets:\n  - {id: p, lat: 0, lon: 0, "
                                    "max_speed_mps: 1e9}\n")),
               Catch::Contains("patrol_assets[0].max_speed_mps: must be within [0.1, 350] m/s"));
}

TEST_CASE("rule file values have ranges too", "[config]") {
    const auto rules = [](const std::string& rule) {
        try {
            (void)rules::parse_rule_file(
                Node::load_string("layers:\n  - name: z\n    zones:\n      - {name: A, wkt: "
                                  "\"POLYGON((0 0,1 0,1 1,0 1,0 0))\"}\nrules:\n" +
                                      rule,
                                  "r.yaml"),
                ".");
        } catch (const ConfigError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK_THAT(rules("  - {name: s, kind: speeding, zone: A, max_speed_kn: 1e9}\n"),
               Catch::Contains("rules[0].max_speed_kn: must be within [0, 200]"));
    CHECK_THAT(rules("  - {name: s, kind: zone_entry, zone: A, dwell: 1e300}\n"),
               Catch::Contains("rules[0].dwell: must be within [0s, 720h]"));
    CHECK(rules("  - {name: s, kind: zone_entry, zone: A, dwell: 10s}\n").empty());
}

TEST_CASE("standby: the standby's files must differ from the primary's; defaults beside them",
          "[config][standby]") {
    const std::string outputs = "outputs:\n  database: p.db\n  recording: rec\n";
    CHECK(error_of(config_with(kAis, outputs + "standby:\n  endpoint: tcp://127.0.0.1:5790\n"
                                               "  database: p.db\n"))
              .find("the standby's database must differ from the primary's") != std::string::npos);
    CHECK(error_of(config_with(kAis, "standby:\n  lease: 2s\n")).find("endpoint") !=
          std::string::npos);
    CHECK(error_of(config_with(kAis, "standby:\n  endpoint: tcp://127.0.0.1:5790\n  lease: 0\n"))
              .find("lease") != std::string::npos);
    const auto c = server::parse_server_config(
        config_with(kAis, outputs + "standby:\n  endpoint: tcp://127.0.0.1:5790\n"), "s.yaml",
        "/tmp");
    CHECK(c.standby.endpoint == "tcp://127.0.0.1:5790");
    CHECK(c.standby.lease_s == 2.0);
    CHECK(c.standby.database == "/tmp/p.db.standby");
    CHECK(c.standby.recording == "/tmp/rec.standby");
    CHECK(c.standby.track_log.empty());   // no track log, none for the standby either
    CHECK_FALSE(c.standby.shares_store);  // its own SQLite file

    // A PostgreSQL store is the standby's too, unless it names another.
    const std::string pg = "outputs:\n  store: \"host=/tmp dbname=picket\"\n  store_site: 2\n";
    const auto shared = server::parse_server_config(
        config_with(kAis, pg + "standby:\n  endpoint: tcp://127.0.0.1:5790\n"), "s.yaml", "/tmp");
    CHECK(shared.standby.database == shared.outputs.database);
    CHECK(shared.standby.shares_store);
    const auto own = server::parse_server_config(
        config_with(kAis, pg + "standby:\n  endpoint: tcp://127.0.0.1:5790\n"
                               "  database: \"host=/tmp dbname=other\"\n"),
        "s.yaml", "/tmp");
    CHECK_FALSE(own.standby.shares_store);
}
