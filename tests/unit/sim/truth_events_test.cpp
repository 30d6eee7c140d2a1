#include <catch2/catch.hpp>

#include <filesystem>
#include <map>

#include "geo/local_frame.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/simulator.hpp"
#include "sim_test_support.hpp"

using namespace picket;
using namespace picket::sim;

namespace {
// Two zones sharing the meridian 0.05°E: WEST to its west, EAST to its east (lon lat order).
const char* kZones = R"yaml(
zones:
  - {name: WEST, wkt: "POLYGON((-1 -1, 0.05 -1, 0.05 1, -1 1, -1 -1))"}
  - {name: EAST, wkt: "POLYGON((0.05 -1, 1 -1, 1 1, 0.05 1, 0.05 -1))"}
truth: {border_zones: [WEST, EAST], loiter_min: 5min, rendezvous_distance_m: 300, rendezvous_min: 2min}
)yaml";
}  // namespace

TEST_CASE(
    "truth: a scripted crossing of a shared border gives exactly one event at the right place and "
    "time") {
    const Scenario s = parse_scenario(test::base_scenario(std::string(kZones) + R"yaml(
targets:
  - name: walker
    kind: fast_boat
    waypoints:
      - {lat: 0, lon: 0, speed_mps: 10}
      - {lat: 0, lon: 0.1}
)yaml",
                                                          1500),
                                      "crossing.yaml");
    Simulator sim(s, {});
    const auto& events = sim.truth_events();
    REQUIRE(events.size() == 1);
    const TruthEvent& e = events[0];
    CHECK(e.kind == AlertKind::border_crossing);
    CHECK(e.names == std::vector<std::string>{"walker"});
    CHECK(e.zone == "EAST");
    CHECK(e.detail == "WEST -> EAST");
    // 0.05° of longitude on the equator = 5565.97 m, at 10 m/s: 556.6 s after the start.
    CHECK((e.time - sim.start()).seconds() == Approx(556.6).margin(0.5));
    CHECK(e.where.lon_deg == Approx(0.05).margin(1e-6));
    CHECK(e.where.lat_deg == Approx(0.0).margin(1e-6));
}

TEST_CASE("truth: AIS off, spoofing, loitering and a rendezvous are reported once each") {
    const Scenario s = parse_scenario(test::base_scenario(std::string(kZones) + R"yaml(
targets:
  - name: mother
    kind: cargo
    waypoints:
      - {lat: 0.2, lon: -0.2, speed_mps: 8}
      - {lat: 0.2, lon: -0.19, hold: 10min}
    ais: {class: A, mmsi: 525000001, off_at: 60s, spoof: {from: 30s, lat: 0.5, lon: -0.5}}
  - name: skiff
    kind: fast_boat
    waypoints:
      - {lat: 0.25, lon: -0.19, speed_mps: 15}
      - {lat: 0.2005, lon: -0.19, hold: 6min}
  - name: fisher
    kind: fishing
    waypoints:
      - {lat: -0.3, lon: -0.3, speed_mps: 3, loiter: 10min, loiter_radius_m: 300}
)yaml",
                                                          1800),
                                      "behaviours.yaml");
    Simulator sim(s, {});
    std::map<AlertKind, int> count;
    for (const TruthEvent& e : sim.truth_events()) ++count[e.kind];
    CHECK(count[AlertKind::ais_gap] == 1);
    CHECK(count[AlertKind::ais_anomaly] == 1);
    CHECK(count[AlertKind::loitering] == 1);
    CHECK(count[AlertKind::rendezvous] == 1);
    CHECK(count[AlertKind::border_crossing] == 0);
    for (const TruthEvent& e : sim.truth_events()) {
        if (e.kind == AlertKind::ais_gap) CHECK((e.time - sim.start()).seconds() == Approx(60));
        if (e.kind == AlertKind::rendezvous) {
            CHECK(e.names.size() == 2);
            CHECK(e.truth_ids == std::vector<TruthId>{1, 2});
        }
    }
}

TEST_CASE("truth: events survive a JSON round trip") {
    TruthEvent e;
    e.time = *parse_iso8601("2026-11-25T00:09:16.600Z");
    e.kind = AlertKind::rendezvous;
    e.truth_ids = {3, 4};
    e.names = {"a", "b \"quoted\""};
    e.where = {-8.25, 125.5};
    e.zone = "TLS";
    e.detail = "x";
    const auto back = truth_event_from_json(to_json(e));
    REQUIRE(back.has_value());
    CHECK(back->time == e.time);
    CHECK(back->kind == e.kind);
    CHECK(back->truth_ids == e.truth_ids);
    CHECK(back->names == e.names);
    CHECK(back->where.lat_deg == Approx(-8.25));
    CHECK(back->zone == "TLS");
    CHECK_FALSE(truth_event_from_json("{\"kind\":\"nope\"}").has_value());
}

TEST_CASE("truth: the Timor demo's scripted targets meet its rules within 20 minutes") {
    if (!std::filesystem::exists("data/borders/timor.gpkg")) {
        WARN(
            "data/borders/timor.gpkg missing (run scripts/derive-borders.sh): demo truth not "
            "checked");
        return;
    }
    // The scenario's truth.rules names the demo's rule file: every event is a rule's.
    const Scenario s = load_scenario("config/scenarios/timor-demo.yaml");
    Simulator sim(s, {});
    std::map<AlertKind, int> count;
    for (const TruthEvent& e : sim.truth_events()) {
        INFO(to_json(e));
        CHECK_FALSE(e.rule.empty());
        CHECK(e.scripted == (e.truth_ids[0] <= s.targets.size()));
        if (!e.scripted) {
            // Background traffic fishes (loiters), some of it without AIS; it never crosses.
            CHECK((e.kind == AlertKind::loitering || e.kind == AlertKind::dark_target ||
                   e.kind == AlertKind::rendezvous));
            continue;
        }
        // The scripted story comes early: the last of it, sombra running off at 25 kn after its
        // 13 min beside the mother ship, by 20 min.
        CHECK((e.time - sim.start()).seconds() < 20 * 60);
        ++count[e.kind];
    }
    CHECK(count[AlertKind::border_crossing] == 3);  // the fast boat at sea, two walkers on land
    CHECK(count[AlertKind::zone_entry] == 1);       // the fast boat into TLS waters
    CHECK(count[AlertKind::ais_gap] == 1);
    CHECK(count[AlertKind::ais_anomaly] == 1);
    CHECK(count[AlertKind::rendezvous] == 1);        // at sea only: the walkers resting are none
    CHECK(count[AlertKind::ground_detection] == 6);  // 2 walkers x (camera + 2 ground sensors)
    CHECK(count[AlertKind::speeding] >= 1);
    CHECK(count[AlertKind::dark_target] >= 3);
    CHECK(count[AlertKind::approach] >= 2);
    CHECK(count[AlertKind::loitering] >= 2);
    // The walkers cross the land border where it runs on their parallel (124.4643°E at -9.245).
    for (const TruthEvent& e : sim.truth_events())
        if (e.kind == AlertKind::border_crossing && e.names[0].rfind("walker", 0) == 0) {
            CHECK(e.where.lon_deg == Approx(124.4643).margin(0.0005));
            CHECK(e.detail == "IDN -> TLS");
        }
}
