#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "geo/local_frame.hpp"
#include "rules/rule_file.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/simulator.hpp"
#include "sim_test_support.hpp"

using namespace picket;
using namespace picket::sim;

TEST_CASE("scenario: a complete file reads into the structs with units converted") {
    const Scenario s = parse_scenario(test::base_scenario(R"yaml(
truth: {border_zones: [A, B], loiter_min: 5min}
radars:
  - {id: r1, endpoint: "tcp://127.0.0.1:5601", lat: 0.1, lon: 0.2, height_m: 40, scan_period: 2.5s,
     range_m: 30000, sac: 7, sic: 9}
ais_receivers:
  - {id: ais1, lat: 0, lon: 0, dropout: 0.1}
targets:
  - name: boat
    kind: fast_boat
    start: 1min
    waypoints:
      - {lat: 0, lon: 0, speed_kn: 20}
      - {lat: 0, lon: 0.1, hold: 2min}
    ais: {class: A, mmsi: 123456789, off_at: 3min}
)yaml"),
                                      "mem.yaml");
    CHECK(s.name == "test");
    REQUIRE(s.start.has_value());
    CHECK(to_iso8601(*s.start) == "2026-11-25T00:00:00.000Z");
    CHECK(s.truth.border_zones == std::vector<std::string>{"A", "B"});
    CHECK(s.truth.loiter_min_s == 300);
    REQUIRE(s.radars.size() == 1);
    CHECK(s.radars[0].feed.format == "asterix");  // the default wire format for a radar
    CHECK(s.radars[0].scan_period_s == 2.5);
    CHECK(s.radars[0].sac == 7);
    REQUIRE(s.targets.size() == 1);
    const TargetSpec& t = s.targets[0];
    CHECK(t.start_s == 60);
    CHECK(t.waypoints[0].speed_mps == Approx(20 * 1852.0 / 3600.0));
    CHECK(t.waypoints[1].speed_mps == t.waypoints[0].speed_mps);  // speed carries over
    CHECK(t.waypoints[1].hold_s == 120);
    CHECK(t.ais.cls == AisClass::a);
    CHECK(t.ais.off_at_s == 180);
    CHECK(t.ais.name == "boat");
}

TEST_CASE("scenario: errors name the file, the line and the key") {
    const std::string bad_key = test::base_scenario(
        "targets:\n  - name: x\n    kind: cargo\n"
        "    waypoints: [{lat: 0, lon: 0, sped_kn: 3}]\n");
    try {
        (void)parse_scenario(bad_key, "bad.yaml");
        FAIL("an unknown key must be rejected");
    } catch (const config::ConfigError& e) {
        const std::string what = e.what();
        CHECK(what.find("bad.yaml:9:") != std::string::npos);
        CHECK(what.find("sped_kn") != std::string::npos);
    }
    CHECK_THROWS_WITH(parse_scenario(test::base_scenario("targets:\n  - {name: x, kind: submarine, "
                                                         "waypoints: [{lat: 0, lon: 0}]}\n"),
                                     "k.yaml"),
                      Catch::Contains("unknown target kind 'submarine'"));
    CHECK_THROWS_WITH(
        parse_scenario(test::base_scenario("radars:\n  - {id: r, lat: 0, lon: 0, pd_ref: 1.5}\n"),
                       "p.yaml"),
        Catch::Contains("pd_ref"));
    CHECK_THROWS_WITH(
        parse_scenario(test::base_scenario("ais_receivers:\n  - {id: a, lat: 0, lon: 0}\n"
                                           "cameras:\n  - {id: a, lat: 0, lon: 0}\n"),
                       "d.yaml"),
        Catch::Contains("duplicate sensor id 'a'"));
}

TEST_CASE("scenario: the shipped scenarios load") {
    for (const char* path :
         {"config/scenarios/timor-demo.yaml", "config/scenarios/busy-coast.yaml",
          "config/scenarios/gulf-of-honduras.yaml", "config/scenarios/gambia-coast.yaml",
          "config/scenarios/sixaola-coast.yaml"}) {
        INFO(path);
        const Scenario s = load_scenario(path);
        CHECK_FALSE(s.name.empty());
        CHECK(s.duration_s > 0);
    }
}

TEST_CASE("scenario: no shipped scenario scripts a loiter at its loitering rule's speed limit") {
    // Issue 14: Gambia's ghost-1 and Sixaola's fantasma circled at exactly 2.0 kn against "below
    // 2 kn": their truth mean was 2.000 or 2.001 kn by rounding, so whether and when they
    // loitered was decided by the turns, not by the boats (three scripted misses). A scripted
    // loiter is meant to be one side of the limit or the other, clearly.
    constexpr double kMargin_mps = 0.25 * 1852.0 / 3600.0;  // a quarter of a knot
    for (const char* path :
         {"config/scenarios/timor-demo.yaml", "config/scenarios/gulf-of-honduras.yaml",
          "config/scenarios/gambia-coast.yaml", "config/scenarios/sixaola-coast.yaml"}) {
        INFO(path);
        const Scenario s = load_scenario(path);
        REQUIRE_FALSE(s.truth.rules_file.empty());
        const rules::RuleBook book = rules::load_rule_file(s.truth.rules_file);
        int loiters = 0;
        for (const rules::RuleSpec& r : book.rules) {
            if (r.kind != AlertKind::loitering) continue;
            for (const TargetSpec& t : s.targets)
                for (const WaypointSpec& w : t.waypoints) {
                    if (!(w.loiter_s > 0)) continue;
                    INFO(t.name << " loiters at " << w.loiter_speed_mps << " m/s, rule " << r.name
                                << " below " << r.below_speed_mps << " m/s");
                    CHECK(std::abs(w.loiter_speed_mps - r.below_speed_mps) >= kMargin_mps);
                    ++loiters;
                }
        }
        CHECK(loiters > 0);
    }
}

TEST_CASE("scenario: a scripted loitering state holds longer than the mean it is judged by") {
    // Issue 14: the demo's sombra stops dead from 25 kn and holds 10 min; its 120 s mean
    // velocity takes 5 min 3 s to fall below 2 kn and the rule's dwell is 5 min, so its
    // loitering held 8 s (Sixaola's lancha-2: 43 s; Gambia's trawler-2 and pirogue-1: 90 and
    // 71 s). Such a state is decided by seconds of the script: a tracker's mean, a few seconds
    // off, finds it or not by the noise of a scan (demo seed 7, Sixaola seed 11: scripted
    // misses). A scripted loiter is meant to be found, so it holds for more than the mean's own
    // time constant; one the run's end cuts short is not at the limit.
    constexpr double kMinHeld_s = 120;  // rules/rule_engine_impl.hpp, kMeanVelocityTimeConstantS
    for (const char* path :
         {"config/scenarios/timor-demo.yaml", "config/scenarios/gulf-of-honduras.yaml",
          "config/scenarios/gambia-coast.yaml", "config/scenarios/sixaola-coast.yaml"}) {
        INFO(path);
        const Scenario s = load_scenario(path);
        const Simulator sim(s, SimOptions{});
        int loiters = 0;
        for (const TruthEvent& e : sim.truth_events()) {
            if (e.kind != AlertKind::loitering || !e.scripted) continue;
            REQUIRE(e.until.has_value());
            if (sim.end() - *e.until < Duration::from_seconds(2)) continue;
            INFO(e.names.front() << " loiters from " << to_iso8601(e.time) << " to "
                                 << to_iso8601(*e.until));
            CHECK((*e.until - e.time).seconds() >= kMinHeld_s);
            ++loiters;
        }
        CHECK(loiters > 0);
    }
}

TEST_CASE("scenario: a scripted speeding is over the limit by more than the rule's band") {
    // Issue 14: the demo's sombra ran off at 25 kn on the fast-boat rule's 25 kn limit. The
    // truth called it speeding because the path's speed came out 25 kn and a few ulps; the
    // rule, judging a track's estimate, found it only when the noise of a seed read it one
    // sigma over (missed on seed 71). A scripted speeding at the limit is decided by rounding
    // and noise, not by the story: it is over by more than the rule's own hysteresis band.
    for (const char* path :
         {"config/scenarios/timor-demo.yaml", "config/scenarios/gulf-of-honduras.yaml",
          "config/scenarios/gambia-coast.yaml", "config/scenarios/sixaola-coast.yaml"}) {
        INFO(path);
        const Scenario s = load_scenario(path);
        const rules::RuleBook book = rules::load_rule_file(s.truth.rules_file);
        const Simulator sim(s, SimOptions{});
        std::vector<TruthSample> now;
        int speeding = 0;
        for (const TruthEvent& e : sim.truth_events()) {
            if (e.kind != AlertKind::speeding || !e.scripted) continue;
            const auto spec =
                std::find_if(book.rules.begin(), book.rules.end(),
                             [&](const rules::RuleSpec& r) { return r.name == e.rule; });
            REQUIRE(spec != book.rules.end());
            sim.truth_at(e.time, now);
            const auto who = std::find_if(now.begin(), now.end(), [&](const TruthSample& t) {
                return t.truth_id == e.truth_ids.front();
            });
            REQUIRE(who != now.end());
            INFO(e.names.front() << " at " << to_iso8601(e.time));
            CHECK(std::hypot(who->east_mps, who->north_mps) >=
                  spec->above_speed_mps + spec->speed_hysteresis_mps);
            ++speeding;
        }
        CHECK(speeding > 0);
    }
}

TEST_CASE("scenario: every scripted land crossing of the shipped scenarios is in a sensor's view") {
    // Issue 14: Sixaola's car crossed where the border layer puts the river, 2 km south of the
    // road bridge the scenario's sensors watched: no camera, no ground sensor and no radar (none
    // sees land) could see it, and its approach and crossing were missed on every seed. A
    // scripted event no sensor can see is a scenario bug.
    for (const char* path :
         {"config/scenarios/timor-demo.yaml", "config/scenarios/gulf-of-honduras.yaml",
          "config/scenarios/gambia-coast.yaml", "config/scenarios/sixaola-coast.yaml"}) {
        INFO(path);
        const Scenario s = load_scenario(path);
        const Simulator sim(s, SimOptions{});
        auto in_view = [&](LatLon p) {
            for (const CameraSpec& c : s.cameras) {
                const double off = std::remainder(
                    geo::geodesic_bearing_deg(c.site.position, p) - c.site.boresight_deg, 360.0);
                if (geo::geodesic_distance_m(c.site.position, p) <= c.range_m &&
                    std::abs(off) <= c.fov_deg / 2)
                    return true;
            }
            for (const UgsSpec& u : s.ugs)
                if (geo::geodesic_distance_m(u.position, p) <= u.radius_m) return true;
            for (const RadarSpec& r : s.radars)
                if (r.sees_land && geo::geodesic_distance_m(r.site.position, p) <= r.range_m)
                    return true;
            return false;
        };
        int crossings = 0;
        for (const TruthEvent& e : sim.truth_events()) {
            if (e.kind != AlertKind::border_crossing || !e.scripted) continue;
            if (!on_land(sim.targets()[e.truth_ids.front() - 1].kind)) continue;
            INFO(e.names.front() << " crosses at " << e.where.lat_deg << ", " << e.where.lon_deg);
            CHECK(in_view(e.where));
            ++crossings;
        }
        CHECK(crossings > 0);
    }
}

TEST_CASE("scenario: start 'now' leaves the time to the caller") {
    std::string text = test::base_scenario("");
    text.replace(text.find("2026-11-25T00:00:00Z"), 20, "now");
    const Scenario s = parse_scenario(text, "now.yaml");
    CHECK_FALSE(s.start.has_value());
    CHECK_THROWS_AS(Simulator(s, {}), std::invalid_argument);
    const Timestamp t = *parse_iso8601("2030-01-01T12:00:00Z");
    Simulator sim(s, {.start = t});
    CHECK(sim.start() == t);
    CHECK((sim.end() - sim.start()).seconds() == 600);
}
