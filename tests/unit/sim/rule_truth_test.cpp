// Truth events per rule (sim/rule_truth.hpp): each rule kind's definition applied to scripted
// paths whose event times follow by hand. On the equator 0.01° of longitude is 1113.2 m.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "sim/scenario_loader.hpp"
#include "sim/simulator.hpp"
#include "sim_test_support.hpp"

using namespace picket;
using namespace picket::sim;

namespace {

constexpr double kMetresPer001Deg = 1113.19;

/// WEST and EAST share the meridian 0; AREA is a box east of it (lon 0.02..0.03).
constexpr const char* kLayers = R"yaml(layers:
  - name: land
    zones:
      - {name: WEST, wkt: "POLYGON((-1 -1, 0 -1, 0 1, -1 1, -1 -1))"}
      - {name: EAST, wkt: "POLYGON((0 -1, 1 -1, 1 1, 0 1, 0 -1))"}
  - name: watch
    zones:
      - {name: AREA, wkt: "POLYGON((0.02 -0.01, 0.03 -0.01, 0.03 0.01, 0.02 0.01, 0.02 -0.01))"}
lines:
  - {name: meridian, between: [land/WEST, land/EAST]}
)yaml";

/// Truth events of `targets` (scenario YAML) under `rules` (rule-file YAML after the layers).
std::vector<TruthEvent> run(const std::string& rules, const std::string& scenario_extra,
                            double duration_s = 900) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("picket-rule-truth-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "rules.yaml").string();
    std::ofstream(path) << kLayers << "rules:\n" << rules;
    const Scenario s = parse_scenario(test::base_scenario(scenario_extra, duration_s), "t.yaml");
    Simulator sim(s, {.rules_file = path});
    std::filesystem::remove_all(dir);
    return sim.truth_events();
}

std::vector<const TruthEvent*> of(const std::vector<TruthEvent>& events, AlertKind kind) {
    std::vector<const TruthEvent*> out;
    for (const auto& e : events)
        if (e.kind == kind) out.push_back(&e);
    return out;
}

double at_s(const TruthEvent& e) {
    return (e.time - *parse_iso8601("2026-11-25T00:00:00Z")).seconds();
}

}  // namespace

TEST_CASE("rule truth: a crossing is an event in the rule's direction, again after clear_after") {
    // West to east (111.3 s), back west (333.9 s), east again (556.6 s): 222.6 s on the far side.
    const std::string target = R"yaml(
targets:
  - name: shuttle
    kind: fast_boat
    waypoints:
      - {lat: 0, lon: -0.01, speed_mps: 10}
      - {lat: 0, lon: 0.01}
      - {lat: 0, lon: -0.01}
      - {lat: 0, lon: 0.01}
)yaml";
    const auto short_clear =
        run("  - {name: in, kind: border_crossing, line: meridian, from: land/WEST, to: land/EAST, "
            "clear_after: 60s}\n",
            target);
    REQUIRE(short_clear.size() == 2);
    CHECK(short_clear[0].rule == "in");
    CHECK(short_clear[0].detail == "WEST -> EAST");
    CHECK(short_clear[0].scripted);
    CHECK(at_s(short_clear[0]) == Approx(kMetresPer001Deg / 10).margin(0.1));
    CHECK(at_s(short_clear[1]) == Approx(5 * kMetresPer001Deg / 10).margin(0.1));
    CHECK(short_clear[0].where.lon_deg == Approx(0).margin(1e-6));
    // The same path with a longer re-arm: the second crossing is the same incident.
    const auto long_clear =
        run("  - {name: in, kind: border_crossing, line: meridian, from: land/WEST, to: land/EAST, "
            "clear_after: 5min}\n",
            target);
    CHECK(long_clear.size() == 1);
    // Any direction: all three crossings are more than clear_after apart.
    const auto any =
        run("  - {name: any, kind: border_crossing, line: meridian, clear_after: 60s}\n", target);
    CHECK(any.size() == 3);
}

TEST_CASE("rule truth: approach, zone entry, speeding and a dark target, by hand") {
    // No AIS, 12 m/s (23.3 kn) due east from the meridian towards AREA (lon 0.02).
    const auto events = run(R"yaml(
  - {name: near, kind: approach, zone: watch/AREA, distance_m: 500}
  - {name: eta, kind: approach, zone: watch/AREA, time_to_reach: 60s}
  - {name: entry, kind: zone_entry, zone: watch/AREA}
  - {name: fast, kind: speeding, max_speed_kn: 20, dwell: 10s}
  - {name: slow-limit, kind: speeding, max_speed_kn: 30, dwell: 10s}
  - {name: dark, kind: dark_target, zone: watch/AREA, dwell: 30s}
)yaml",
                            R"yaml(
targets:
  - name: runner
    kind: fast_boat
    waypoints:
      - {lat: 0, lon: 0.001, speed_mps: 12}
      - {lat: 0, lon: 0.04}
)yaml");
    const double to_area_s = (2 - 0.1) * kMetresPer001Deg / 12;  // 176.3 s
    auto one = [&](const char* rule) -> const TruthEvent& {
        const TruthEvent* found = nullptr;
        int n = 0;
        for (const auto& e : events)
            if (e.rule == rule) {
                found = &e;
                ++n;
            }
        INFO(rule);
        REQUIRE(n == 1);
        return *found;
    };
    CHECK(at_s(one("near")) == Approx(to_area_s - 500.0 / 12).margin(1.01));
    CHECK(at_s(one("eta")) == Approx(to_area_s - 60).margin(1.01));
    CHECK(at_s(one("entry")) == Approx(to_area_s).margin(1.01));
    CHECK(at_s(one("fast")) == Approx(10).margin(1.01));
    CHECK(at_s(one("dark")) == Approx(to_area_s + 30).margin(1.01));
    CHECK(of(events, AlertKind::speeding).size() == 1);  // never above 30 kn
    // A state says how long it held (an alert while it holds finds it); an entry is a moment.
    // AREA spans lon 0.02 to 0.03: dark while in it, approaching (or arrived) until 500 m past
    // it, fast to the runner's end at lon 0.04.
    const double out_s = to_area_s + kMetresPer001Deg / 12;
    const double end_s = 3.9 * kMetresPer001Deg / 12;
    auto until_s = [&](const char* rule) {
        const TruthEvent& e = one(rule);
        REQUIRE(e.until.has_value());
        return (*e.until - e.time).seconds() + at_s(e);
    };
    CHECK_FALSE(one("entry").until.has_value());
    CHECK(until_s("near") == Approx(out_s + 500.0 / 12).margin(1.01));
    CHECK(until_s("dark") == Approx(out_s).margin(1.01));
    CHECK(until_s("fast") == Approx(end_s).margin(1.01));
}

TEST_CASE("rule truth: a target that starts on a zone's edge never was outside it") {
    // Gambia: the speedboat's first waypoint is the harbour box's corner; the truth had it
    // "enter" a second later, though it never was outside (no tracker can see that entry). One
    // that starts 50 m out does enter.
    const auto events = run(R"yaml(
  - {name: entry, kind: zone_entry, zone: watch/AREA}
)yaml",
                            R"yaml(
targets:
  - name: on-corner
    kind: fast_boat
    waypoints:
      - {lat: -0.01, lon: 0.02, speed_mps: 12}
      - {lat: 0, lon: 0.025}
  - name: on-edge
    kind: fast_boat
    waypoints:
      - {lat: 0.005, lon: 0.02, speed_mps: 12}
      - {lat: 0.005, lon: 0.025}
  - name: outside
    kind: fast_boat
    waypoints:
      - {lat: 0, lon: 0.01955, speed_mps: 12}
      - {lat: 0, lon: 0.025}
)yaml");
    const auto entries = of(events, AlertKind::zone_entry);
    REQUIRE(entries.size() == 1);
    CHECK(entries[0]->names == std::vector<std::string>{"outside"});
}

TEST_CASE("rule truth: AIS heard, switched off, out of range, spoofed and invalid") {
    const auto events = run(R"yaml(
  - {name: gap, kind: ais_gap, gap: 60s}
  - {name: dark, kind: dark_target, dwell: 30s}
  - {name: identity, kind: ais_anomaly}
)yaml",
                            R"yaml(
ais_receivers:
  - {id: rx, endpoint: "tcp://127.0.0.1:5999", lat: 0, lon: 0, range_m: 50000}
radars:
  - {id: rd, endpoint: "tcp://127.0.0.1:5997", lat: 0, lon: 0, range_m: 40000}
targets:
  - name: goes-dark
    kind: cargo
    waypoints:
      - {lat: 0.01, lon: 0, speed_mps: 5}
      - {lat: 0.01, lon: 0.05}
    ais: {class: A, mmsi: 525000001, off_at: 100s}
  - name: far-away
    kind: cargo
    waypoints:
      - {lat: 0.6, lon: 0, speed_mps: 5}
      - {lat: 0.6, lon: 0.05}
    ais: {class: A, mmsi: 525000002}
  - name: spoofer
    kind: cargo
    waypoints:
      - {lat: -0.01, lon: 0, speed_mps: 5}
      - {lat: -0.01, lon: 0.05}
    ais: {class: A, mmsi: 525000003, spoof: {from: 50s, to: 150s, lat: 0.2, lon: 0.2}}
  - name: silent-beyond-radar
    kind: cargo
    waypoints:
      - {lat: 0.4, lon: 0, speed_mps: 5}
      - {lat: 0.4, lon: 0.05}
    ais: {class: A, mmsi: 525000004, off_at: 100s}
  - name: bad-mmsi
    kind: pleasure
    waypoints:
      - {lat: -0.02, lon: 0, speed_mps: 5}
      - {lat: -0.02, lon: 0.05}
    ais: {class: B, mmsi: 1193046}
)yaml");
    const auto gaps = of(events, AlertKind::ais_gap);
    // Never heard at all is no gap (it is dark from the start); silent 44 km out, beyond the
    // radar, is none either: the rule measures silence against a radar that holds the target.
    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0]->names[0] == "goes-dark");
    // Off at 100 s; its last report (every 10 s at 9.7 kn) went out in [90, 100): the gap is
    // 60 s after that one.
    CHECK(at_s(*gaps[0]) >= 150);
    CHECK(at_s(*gaps[0]) <= 161);
    // Dark: never heard, or heard with no identity. The one that switched off keeps the
    // identity it was heard with; the one sending an invalid MMSI (a factory default) is heard
    // but identifies no one: dark, as well as an AIS anomaly.
    const auto dark = of(events, AlertKind::dark_target);
    REQUIRE(dark.size() == 2);
    CHECK(dark[0]->names[0] == "far-away");  // 67 km out: no receiver hears it
    CHECK(at_s(*dark[0]) == Approx(30).margin(1.01));
    CHECK(dark[1]->names[0] == "bad-mmsi");
    CHECK(at_s(*dark[1]) == Approx(30).margin(1.01));
    const auto anomalies = of(events, AlertKind::ais_anomaly);
    REQUIRE(anomalies.size() == 3);
    CHECK(anomalies[0]->names[0] == "bad-mmsi");
    CHECK(at_s(*anomalies[0]) <= 31);  // its first report: Class B, every 30 s
    // ... and it holds while the transponder is heard (a track that takes it later raises it
    // again): until its last report in the run.
    REQUIRE(anomalies[0]->until.has_value());
    CHECK((*anomalies[0]->until - anomalies[0]->time).seconds() > 60);
    CHECK(anomalies[1]->names[0] == "spoofer");
    CHECK(at_s(*anomalies[1]) >= 50);  // the first report after the spoof starts (every 10 s)
    CHECK(at_s(*anomalies[1]) <= 61);
    REQUIRE(anomalies[1]->reported.has_value());
    CHECK(anomalies[1]->reported->lat_deg == 0.2);
    // The spoof ends at 150 s: the first true report jumps back from the false position, an
    // impossible jump the rule raises again.
    CHECK(anomalies[2]->names[0] == "spoofer");
    CHECK(at_s(*anomalies[2]) >= 150);
    CHECK(at_s(*anomalies[2]) <= 161);
    CHECK(anomalies[2]->detail.find("back from a spoof") != std::string::npos);
    REQUIRE(anomalies[2]->reported.has_value());
    CHECK(anomalies[2]->reported->lat_deg == 0.2);
}

TEST_CASE("rule truth: an AIS gap counts from the last report the transponder sent") {
    // A Class B boat at rest reports every 3 min. Switched off at 400 s, it was last heard at its
    // last report before that, up to 3 min earlier: the rule (which only sees reports) finds the
    // 4-minute gap 4 min after that report, and so must the truth. It used to count the
    // transponder as heard every second it was on and put the gap at 641 s: up to 3 min after
    // the rule, a false incident and a miss (Gulf of Honduras, pescador-hn).
    const std::string rules = "  - {name: gap, kind: ais_gap, gap: 4min}\n";
    const std::string extra = R"yaml(
ais_receivers:
  - {id: rx, endpoint: "tcp://127.0.0.1:5999", lat: 0, lon: 0, range_m: 50000, dropout: 0}
radars:
  - {id: rd, endpoint: "tcp://127.0.0.1:5997", lat: 0, lon: 0, range_m: 40000}
targets:
  - name: resting
    kind: fishing
    waypoints:
      - {lat: 0.01, lon: 0.01, speed_mps: 1, hold: 20min}
    ais: {class: B, mmsi: 525000009, off_at: 400s}
)yaml";
    const auto events = run(rules, extra, 1200);
    const auto gaps = of(events, AlertKind::ais_gap);
    REQUIRE(gaps.size() == 1);
    // The last position report (type 18: payload starting 'B') the simulator sent before 400 s.
    const Scenario s = parse_scenario(test::base_scenario(extra, 1200), "t.yaml");
    Simulator sim(s, {});
    SimMessage m;
    double last_report_s = -1;
    const Timestamp t0 = *parse_iso8601("2026-11-25T00:00:00Z");
    while (sim.next(m)) {
        if (m.feed_id != "rx") continue;
        const auto at = m.bytes.find("!AIVDM,1,1,,");  // then the channel, a comma, the payload
        if (at == std::string::npos || at + 14 >= m.bytes.size() || m.bytes[at + 14] != 'B')
            continue;
        const double t = (m.time - t0).seconds();
        if (t < 400) last_report_s = t;
    }
    REQUIRE(last_report_s >= 400 - 181);
    CHECK(at_s(*gaps[0]) == Approx(last_report_s + 240).margin(1.01));
}

TEST_CASE("rule truth: loitering and a rendezvous judge the mean velocity") {
    // Two boats stop 200 m apart: one at anchor from the start, one arriving at 5 m/s. The
    // arriving one's mean velocity (120 s time constant) falls below 2 kn 120 ln(5 / 1.03) =
    // 190 s after it stops; the meeting needs both slow for 120 s.
    const auto events = run(R"yaml(
  - {name: loiter, kind: loitering, max_speed_kn: 2, min_duration: 120s}
  - {name: meet, kind: rendezvous, distance_m: 300, min_duration: 120s}
)yaml",
                            R"yaml(
targets:
  - name: anchored
    kind: cargo
    waypoints:
      - {lat: 0, lon: 0, speed_mps: 1, hold: 20min}
  - name: arriving
    kind: fishing
    waypoints:
      - {lat: 0, lon: -0.01, speed_mps: 5}
      - {lat: 0, lon: -0.0018, hold: 15min}
)yaml",
                            1200);
    const double stop_s = 0.0082 * 100 * kMetresPer001Deg / 5;  // 182.6 s
    const double slow_s = stop_s + 120 * std::log(5 / (2 * 1852.0 / 3600));
    const auto loiter = of(events, AlertKind::loitering);
    REQUIRE(loiter.size() == 2);
    CHECK(loiter[0]->names[0] == "anchored");
    CHECK(at_s(*loiter[0]) == Approx(120).margin(1.01));
    CHECK(at_s(*loiter[1]) == Approx(slow_s + 120).margin(2));
    const auto meet = of(events, AlertKind::rendezvous);
    REQUIRE(meet.size() == 1);
    CHECK(meet[0]->truth_ids == std::vector<TruthId>{1, 2});
    CHECK(at_s(*meet[0]) == Approx(slow_s + 120).margin(2));
}

TEST_CASE("rule truth: a ground sensor near the line sees a walker once per visit") {
    const auto events = run(R"yaml(
  - {name: sensors, kind: ground_detection, line: meridian, within_m: 500, clear_after: 60s}
)yaml",
                            R"yaml(
ground_sensors:
  - {id: ugs-near, endpoint: "tcp://127.0.0.1:5998", lat: 0, lon: 0.002, radius_m: 50}
  - {id: ugs-far, endpoint: "tcp://127.0.0.1:5998", lat: 0, lon: 0.012, radius_m: 50}
targets:
  - name: walker
    kind: person
    waypoints:
      - {lat: 0, lon: -0.001, speed_mps: 1.5}
      - {lat: 0, lon: 0.015}
  - name: boat
    kind: cargo
    waypoints:
      - {lat: 0, lon: 0.0021, speed_mps: 1, hold: 5min}
)yaml");
    // The walker reaches ugs-near's radius 50 m before it (222.6 - 50 m at 1.5 m/s); ugs-far is
    // 1.3 km from the line, beyond within_m; a boat is not on land: no ground sensor sees it.
    REQUIRE(events.size() == 1);
    CHECK(events[0].names[0] == "walker");
    CHECK(at_s(events[0]) == Approx((0.3 * kMetresPer001Deg - 50) / 1.5).margin(1.01));
    CHECK(events[0].detail == "entered ugs-near radius");
}

TEST_CASE("rule truth: a ground detection is the sensor firing, not a walker within its reach") {
    // Issue 14, Gulf of Honduras seed 61: caminante-2 passed 38 m from a 40 m sensor at pd 0.85,
    // inside its radius for one try, and it did not fire; the truth had a detection no one could
    // have alerted. A sensor that never fires (pd 0) gives no event; one that always does gives
    // the event at the walker's entry.
    const auto events = run(R"yaml(
  - {name: sensors, kind: ground_detection, line: meridian, within_m: 500, clear_after: 60s}
)yaml",
                            R"yaml(
ground_sensors:
  - {id: ugs-deaf, endpoint: "tcp://127.0.0.1:5998", lat: 0, lon: -0.0005, radius_m: 30, pd: 0}
  - {id: ugs-keen, endpoint: "tcp://127.0.0.1:5998", lat: 0, lon: 0.002, radius_m: 50, pd: 1}
targets:
  - name: walker
    kind: person
    waypoints:
      - {lat: 0, lon: -0.001, speed_mps: 1.5}
      - {lat: 0, lon: 0.015}
)yaml");
    REQUIRE(events.size() == 1);
    CHECK(events[0].detail == "entered ugs-keen radius");
    CHECK(at_s(events[0]) == Approx((0.3 * kMetresPer001Deg - 50) / 1.5).margin(1.01));
}
