// AIS anomalies, ground detections near the border, exemptions, muting, escalation and
// determinism of the whole engine.
#include <catch2/catch.hpp>

#include <tuple>

#include "rules_scene.hpp"

using namespace picket;
using picket::test::Scene;
using picket::test::vessel;

TEST_CASE("AIS anomaly: one finding per situation, every reason in it", "[rules][anomaly]") {
    Scene s(R"(
rules:
  - {name: spoof, kind: ais_anomaly, severity: high}
  - {name: jumps-only, kind: ais_anomaly, reasons: [position_jump]}
)");
    s.tracks = {vessel(5, 0.5, 1.5, 10, 0, 525000005)};
    s.run(1);
    const auto report = [&](TrackId track, Mmsi mmsi, AnomalyReason r, double deviation_m = 0) {
        s.engine.on_anomaly(rules::AnomalyReport{track, mmsi, r, {0.5, 1.5}, s.now, deviation_m});
        s.collect();
    };
    report(5, 525000005, AnomalyReason::position_disagrees_with_track, 5000);
    REQUIRE(s.raised.size() == 1);
    CHECK(s.raised[0].rule == "spoof");
    CHECK(s.raised[0].message.find("position_disagrees_with_track") != std::string::npos);
    s.run(60);
    report(5, 525000005, AnomalyReason::position_disagrees_with_track, 5000);
    CHECK(s.raised.size() == 1);  // the same finding, still going
    // The decoder's view of the same false position, by MMSI only: the same finding, its
    // reasons listed.
    report(0, 525000005, AnomalyReason::impossible_jump);
    CHECK(s.raised.size() == 1);
    CHECK(s.updates.back().timeline.at(0).message.find("impossible_jump") != std::string::npos);
    // A jump of the AIS-only kind: the spoof rule has it already, the jumps rule takes it.
    report(5, 525000005, AnomalyReason::position_jump, 4000);
    REQUIRE(s.raised.size() == 2);
    CHECK(s.raised[1].rule == "jumps-only");
    CHECK(s.incidents() == 1);  // one vessel, one situation: one incident
    // A report 300 m off the prediction is a manoeuvre the tracker did not follow.
    const auto before = s.updates.size();
    report(7, 525000007, AnomalyReason::position_jump, 300);
    CHECK(s.updates.size() == before);
    s.run(601, 10);  // quiet for longer than clear_after (10 min): a new occurrence
    report(5, 525000005, AnomalyReason::position_disagrees_with_track, 5000);
    CHECK(s.raised.size() == 3);
    // An anomaly no track carries: keyed by the MMSI, an incident of its own.
    report(0, 412000001, AnomalyReason::invalid_mmsi);
    REQUIRE(s.raised.size() == 4);
    CHECK(s.raised.back().track == 0);
    CHECK(s.raised.back().message.find("412000001") != std::string::npos);
    CHECK(s.incidents() == 2);
    // Sensor clocks are no target's anomaly.
    report(0, 412000002, AnomalyReason::clock_off);
    CHECK(s.raised.size() == 4);
}

TEST_CASE("ground detection near the land border", "[rules][ground]") {
    Scene s(R"(
rules:
  - {name: ugs-AB, kind: ground_detection, line: AB, within_m: 1000, classes: [person, vehicle, unknown]}
)");
    auto detection = [&](SensorKind kind, double lon, std::uint64_t object, double t_s) {
        Measurement m;
        m.sensor = kind;
        m.feed = 3;
        m.observed = s.now + Duration::from_seconds(t_s);
        m.received = m.observed;
        m.z = PositionZ{{0.5, lon}};
        m.source_object_id = object;
        m.target_class = TargetClass::person;
        return m;
    };
    s.engine.on_detection(detection(SensorKind::ugs, 1.003, 1, 0));     // 334 m from AB
    s.engine.on_detection(detection(SensorKind::ugs, 1.003, 1, 10));    // same sensor object
    s.engine.on_detection(detection(SensorKind::ugs, 0.998, 2, 10));    // another one, 223 m
    s.engine.on_detection(detection(SensorKind::ugs, 1.05, 3, 10));     // 5.6 km away
    s.engine.on_detection(detection(SensorKind::radar, 1.001, 4, 10));  // not a ground sensor
    s.collect();
    REQUIRE(s.raised.size() == 2);
    CHECK(s.raised[0].kind == AlertKind::ground_detection);
    CHECK(s.raised[0].track == 0);
    CHECK(s.raised[0].message == "ugs detection (person) 334 m from AB");
    CHECK(s.raised[1].message == "ugs detection (person) 223 m from AB");
}

TEST_CASE("a ground sensor's lone unclassified trigger waits for a second detection",
          "[rules][ground]") {
    // Issue 14: half the false incidents of the 12 scored runs were single ground-sensor
    // triggers that said nothing of what they felt (class unknown) and that no track explained:
    // the sensors' false alarms. Such a trigger raises with the next detection within cluster_m
    // (500 m) within clear_after (2 min); a classified trigger raises at once.
    Scene s(R"(
rules:
  - {name: ugs-AB, kind: ground_detection, line: AB, within_m: 1000}
)");
    auto detection = [&](double lon, double t_s, TargetClass c) {
        Measurement m;
        m.sensor = SensorKind::ugs;
        m.feed = 3;
        m.observed = s.now + Duration::from_seconds(t_s);
        m.received = m.observed;
        m.z = PositionZ{{0.5, lon}};
        m.target_class = c;
        return m;
    };
    s.engine.on_detection(detection(1.003, 0, TargetClass::unknown));  // alone: held
    s.collect();
    CHECK(s.raised.empty());
    s.engine.on_detection(detection(1.003, 200, TargetClass::unknown));  // 200 s on: alone again
    s.collect();
    CHECK(s.raised.empty());
    s.engine.on_detection(detection(1.003, 230, TargetClass::unknown));  // fired again: raised
    s.collect();
    REQUIRE(s.raised.size() == 1);
    CHECK(s.raised[0].message == "ugs detection 334 m from AB");
    s.engine.on_detection(detection(0.998, 600, TargetClass::person));  // classified: at once
    s.collect();
    REQUIRE(s.raised.size() == 2);
    CHECK(s.raised[1].message == "ugs detection (person) 223 m from AB");
}

TEST_CASE("exemptions: own boats by MMSI, friendly tracks, per rule", "[rules][exempt]") {
    Scene s(R"(
exemptions:
  mmsi: [525999001]
rules:
  - {name: entry-B, kind: zone_entry, zone: B}
  - {name: entry-B-all, kind: zone_entry, zone: B, exempt_friendly: false, exempt_mmsi: [525999002]}
)");
    Track friendly = vessel(112, 0.3, 0.999, 20, 90);
    friendly.standing = Standing::friendly;
    s.tracks = {vessel(110, 0.1, 0.999, 20, 90, 525999001),
                vessel(111, 0.2, 0.999, 20, 90, 525999002), friendly,
                vessel(113, 0.4, 0.999, 20, 90)};
    s.run(60);
    auto tracks_of = [&](const std::string& rule) {
        std::vector<TrackId> ids;
        for (const auto& a : s.raised)
            if (a.rule == rule) ids.push_back(a.track);
        return ids;
    };
    CHECK(tracks_of("entry-B") == std::vector<TrackId>{111, 113});
    CHECK(tracks_of("entry-B-all") == std::vector<TrackId>{112, 113});
}

TEST_CASE("mute: no alerts for the track until the mute ends", "[rules][mute]") {
    Scene s(R"(
rules:
  - {name: presence-B, kind: zone_presence, zone: B}
)");
    s.tracks = {vessel(120, 0.5, 1.5, 0, 0), vessel(121, 0.6, 1.5, 0, 0)};
    s.engine.mute_track(120, s.now + Duration::from_seconds(60));
    s.run(59);
    REQUIRE(s.raised.size() == 1);
    CHECK(s.raised[0].track == 121);
    s.run(2);
    REQUIRE(s.raised.size() == 2);  // still present when the mute ended
    CHECK(s.raised[1].track == 120);
}

TEST_CASE("escalation and operator actions through the engine", "[rules][incidents]") {
    Scene s(R"(
rules:
  - {name: presence-B, kind: zone_presence, zone: B, severity: medium, escalate_after: 1min}
)");
    s.tracks = {vessel(130, 0.5, 1.5, 0, 0), vessel(131, 0.6, 1.5, 0, 0)};
    s.run(1);
    REQUIRE(s.raised.size() == 2);
    const AlertId first = s.raised[0].id;
    const AlertId second = s.raised[1].id;
    CHECK(second == first + 1);
    CHECK(s.engine.acknowledge(second, "op1", s.now));
    s.engine.take_alert_updates();
    s.run(60);  // Scene drains the updates; the ledger's view is checked below
    const auto open = s.engine.open_alerts();
    REQUIRE(open.size() == 2);
    CHECK(open[0].id == first);
    CHECK(open[0].escalated);
    CHECK(open[0].severity == Severity::high);
    CHECK_FALSE(open[1].escalated);
    CHECK(open[1].state == AlertState::acknowledged);
    CHECK(s.engine.close(first, "op1", s.now));
    CHECK(s.engine.open_alerts().size() == 1);
}

TEST_CASE("determinism: the same picture in any order gives the same alerts and ids", "[rules]") {
    const std::string rules = R"(
rules:
  - {name: entry-B, kind: zone_entry, zone: B}
  - {name: cross, kind: border_crossing, line: AB}
  - {name: dark, kind: dark_target, zone: B, dwell: 0}
  - {name: meet, kind: rendezvous, min_duration: 1min}
)";
    auto run = [&](bool reversed) {
        Scene s(rules);
        for (TrackId id = 1; id <= 40; ++id)
            s.tracks.push_back(vessel(id, 0.1 + 0.0005 * static_cast<double>(id), 0.999,
                                      id % 3 ? 20 : 1, 90,
                                      id % 2 ? 0 : 525000000 + static_cast<Mmsi>(id)));
        if (reversed) std::reverse(s.tracks.begin(), s.tracks.end());
        s.run(180);
        std::vector<std::tuple<AlertId, std::string, TrackId, std::string>> out;
        for (const auto& a : s.raised) out.emplace_back(a.id, a.rule, a.track, a.message);
        return out;
    };
    const auto a = run(false);
    const auto b = run(true);
    CHECK(a.size() > 40);
    CHECK(a == b);
}

TEST_CASE("tracks gone from the picture without a deletion notice are forgotten", "[rules]") {
    Scene s(R"(
rules:
  - {name: presence-B, kind: zone_presence, zone: B}
)");
    s.tracks = {vessel(140, 0.5, 1.5, 0, 0), vessel(141, 0.6, 1.5, 0, 0)};
    s.run(1);
    CHECK(s.engine.stats().tracks == 2);
    CHECK(s.engine.stats().active_findings == 2);
    s.tracks.pop_back();
    s.run(3500, 100);
    CHECK(s.engine.stats().tracks == 2);  // under an hour: kept
    s.run(200, 100);
    CHECK(s.engine.stats().tracks == 1);
    CHECK(s.engine.stats().active_findings == 1);
}

TEST_CASE("a dark boat sending an invalid MMSI: one incident, dark with the MMSI said",
          "[rules][anomaly]") {
    // The fuser takes no report with an MMSI no ship may have, so the radar track of the boat
    // that sends it stays dark. The control room has no identity to call: it is dark, and the
    // anomaly and the dark finding are one incident about that track.
    Scene s(R"(
rules:
  - {name: dark, kind: dark_target, dwell: 30s}
  - {name: identity, kind: ais_anomaly}
)");
    s.tracks = {vessel(9, 0.5, 1.5, 10, 90)};
    s.run(5);
    const auto report = [&](Mmsi mmsi, LatLon where) {
        s.engine.on_anomaly(
            rules::AnomalyReport{0, mmsi, AnomalyReason::invalid_mmsi, where, s.now, 0});
        s.collect();
    };
    report(1193046, geo::geodesic_destination(s.tracks[0].position, 10, 120));  // 120 m off
    REQUIRE(s.raised.size() == 1);
    CHECK(s.raised[0].rule == "identity");
    CHECK(s.raised[0].track == 9);
    s.run(40);
    REQUIRE(s.raised.size() == 2);
    CHECK(s.raised[1].rule == "dark");
    CHECK(s.raised[1].track == 9);
    CHECK(s.raised[1].message.find("AIS with invalid MMSI 001193046: no identity") !=
          std::string::npos);
    CHECK(s.incidents() == 1);
    // An invalid MMSI 5 km from any dark track is a sensor-only finding of its own.
    report(0, geo::geodesic_destination(s.tracks[0].position, 180, 5000));
    REQUIRE(s.raised.size() == 3);
    CHECK(s.raised[2].track == 0);
    CHECK(s.incidents() == 2);
    // A dark track no invalid MMSI was heard from is "no AIS".
    s.tracks.push_back(vessel(10, 0.2, 1.2, 10, 0));
    s.run(40);
    REQUIRE(s.raised.size() == 4);
    CHECK(s.raised[3].track == 10);
    CHECK(s.raised[3].message.find("(no AIS)") != std::string::npos);
}
