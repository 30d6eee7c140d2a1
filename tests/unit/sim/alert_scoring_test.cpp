#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "sim/alert_scoring.hpp"

using namespace picket;
using namespace picket::sim;

namespace {
const Timestamp t0 = *parse_iso8601("2026-11-25T00:00:00Z");

TruthEvent event(AlertKind kind, double t_s, LatLon where) {
    TruthEvent e;
    e.kind = kind;
    e.time = t0 + Duration::from_seconds(t_s);
    e.where = where;
    e.truth_ids = {1};
    e.names = {"x"};
    return e;
}
AlertRecord alert(AlertKind kind, double t_s, LatLon where) {
    return {kind, t0 + Duration::from_seconds(t_s), where, std::nullopt};
}
}  // namespace

TEST_CASE("scoring: recall, precision and delay per kind, by hand") {
    const std::vector<TruthEvent> truth = {
        event(AlertKind::border_crossing, 100, {-9.3, 124.4}),
        event(AlertKind::border_crossing, 500, {-9.3, 124.5}),
        event(AlertKind::border_crossing, 900, {-9.3, 124.6}),
        event(AlertKind::loitering, 200, {-8.3, 125.0}),
    };
    const std::vector<AlertRecord> alerts = {
        alert(AlertKind::border_crossing, 110, {-9.3, 124.401}),  // hit, 10 s late, ~110 m off
        alert(AlertKind::border_crossing, 115, {-9.3, 124.402}),  // a second alert on it: duplicate
        alert(AlertKind::border_crossing, 530, {-9.3, 124.5}),    // hit, 30 s late
        alert(AlertKind::border_crossing, 3000, {-9.3, 124.6}),   // far too late: false alarm
        alert(AlertKind::border_crossing, 905, {-9.0, 124.6}),    // 33 km away: false alarm
        alert(AlertKind::loitering, 200 + 900, {-8.301, 125.0}),  // hit after a 15 min dwell
        alert(AlertKind::speeding, 50, {-8, 125}),                // no truth of that kind
    };
    const AlertScore s = score_alerts(truth, alerts, ScoringTolerances{});
    REQUIRE(s.per_kind.size() == 3);
    const KindScore& bc = s.per_kind[0];
    CHECK(bc.kind == AlertKind::border_crossing);
    CHECK(bc.truth_events == 3);
    CHECK(bc.alerts == 5);
    CHECK(bc.matched == 2);
    CHECK(bc.duplicates == 1);
    CHECK(bc.false_alarms == 2);
    CHECK(bc.recall == Approx(2.0 / 3.0));
    CHECK(bc.precision == Approx(0.5));
    CHECK(bc.mean_delay_s == Approx(20.0));
    CHECK(bc.max_delay_s == Approx(30.0));
    // Kinds come in enum order: border_crossing, speeding, loitering.
    const KindScore& loiter = s.per_kind[2];
    CHECK(loiter.kind == AlertKind::loitering);
    CHECK(loiter.recall == 1.0);
    CHECK(loiter.mean_delay_s == Approx(900));
    const KindScore& speeding = s.per_kind[1];
    CHECK(speeding.kind == AlertKind::speeding);
    CHECK(speeding.truth_events == 0);
    CHECK(speeding.precision == 0.0);
    CHECK(speeding.recall == 1.0);
    CHECK(s.overall.matched == 3);
    CHECK(s.overall.truth_events == 4);
    REQUIRE(s.missed.size() == 1);
    CHECK((s.missed[0].time - t0).seconds() == Approx(900));
}

TEST_CASE("scoring: a spoofing alert may sit at the true or at the reported position") {
    TruthEvent e = event(AlertKind::ais_anomaly, 100, {-8.10, 125.77});
    e.reported = LatLon{-8.00, 125.70};  // 13 km away: beyond the 5 km tolerance of the truth
    const AlertScore at_claim =
        score_alerts({e}, {alert(AlertKind::ais_anomaly, 106, {-8.00, 125.70})}, {});
    CHECK(at_claim.overall.matched == 1);
    const AlertScore elsewhere =
        score_alerts({e}, {alert(AlertKind::ais_anomaly, 106, {-8.30, 125.70})}, {});
    CHECK(elsewhere.overall.matched == 0);
    const auto back = truth_event_from_json(to_json(e));
    REQUIRE(back.has_value());
    REQUIRE(back->reported.has_value());
    CHECK(back->reported->lat_deg == Approx(-8.0));
}

TEST_CASE("scoring: reads the server's alert features and keeps the first line per alert id") {
    const std::string feature =
        R"({"seq":63,"type":"Feature","id":"alert-7","geometry":{"type":"Point","coordinates":[124.45,-9.2]},)"
        R"("properties":{"alert_id":7,"kind":"border_crossing","severity":"high","zone":"IDN-TLS",)"
        R"("track_id":12,"time":"2026-11-25T00:02:10.000Z","state":"open"}})";
    const auto a = parse_alert_line(feature);
    REQUIRE(a.has_value());
    CHECK(a->kind == AlertKind::border_crossing);
    CHECK(a->where.lat_deg == -9.2);
    CHECK(a->where.lon_deg == 124.45);
    CHECK(a->alert_id == 7u);
    CHECK(to_iso8601(a->time) == "2026-11-25T00:02:10.000Z");
    const auto flat =
        parse_alert_line(R"({"kind":"loitering","time":1764028800.5,"lat":-8,"lon":125})");
    REQUIRE(flat.has_value());
    CHECK(flat->kind == AlertKind::loitering);
    CHECK(flat->time.ns == 1764028800'500'000'000);
    CHECK_FALSE(parse_alert_line("").has_value());
    CHECK_FALSE(
        parse_alert_line(R"({"seq":70,"feed":"radar-dili","status":"silent"})").has_value());
    CHECK_FALSE(parse_alert_line(R"({"kind":"made_up","time":0,"lat":0,"lon":0})").has_value());

    const std::string path = "build-sim-alerts-test.jsonl";
    {
        std::ofstream out(path);
        out << "alert " << feature << "\n";
        std::string ack = feature;
        ack.replace(ack.find("\"open\""), 6, "\"acknowledged\"");
        out << ack << "\n\n";
    }
    const auto alerts = read_alerts(path);
    std::remove(path.c_str());
    CHECK(alerts.size() == 1);
}

TEST_CASE("scoring: run_score_alerts writes JSON and reports unreadable input") {
    std::ostringstream out, err;
    CHECK(run_score_alerts("/nonexistent/alerts", "/nonexistent/events", {}, out, err) == 1);
    CHECK(err.str().find("cannot open") != std::string::npos);
    CHECK(to_json(score_alerts({}, {}, {})).rfind("{\"overall\":", 0) == 0);
}
