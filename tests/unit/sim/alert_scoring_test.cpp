#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/alert_scoring.hpp"

using namespace picket;
using namespace picket::sim;

namespace {
const Timestamp t0 = *parse_iso8601("2026-11-25T00:00:00Z");

TruthEvent event(AlertKind kind, double t_s, LatLon where, std::string rule = {},
                 bool scripted = true) {
    TruthEvent e;
    e.kind = kind;
    e.time = t0 + Duration::from_seconds(t_s);
    e.where = where;
    e.truth_ids = {1};
    e.names = {"x"};
    e.rule = std::move(rule);
    e.scripted = scripted;
    return e;
}
EvidenceRecord entry(AlertKind kind, double t_s, LatLon where, std::string rule = {}) {
    return {kind, std::move(rule), t0 + Duration::from_seconds(t_s), where};
}
/// One incident per entry: how alerts looked before incidents (protocol version 1).
std::vector<IncidentRecord> one_each(const std::vector<EvidenceRecord>& entries) {
    std::vector<IncidentRecord> out;
    for (const auto& e : entries) out.push_back({out.size() + 1, {e}});
    return out;
}
}  // namespace

TEST_CASE("scoring: recall, precision and delay per kind, by hand") {
    const std::vector<TruthEvent> truth = {
        event(AlertKind::border_crossing, 100, {-9.3, 124.4}),
        event(AlertKind::border_crossing, 500, {-9.3, 124.5}),
        event(AlertKind::border_crossing, 900, {-9.3, 124.6}, {}, false),
        event(AlertKind::loitering, 200, {-8.3, 125.0}),
    };
    const auto incidents = one_each({
        entry(AlertKind::border_crossing, 110, {-9.3, 124.401}),  // hit, 10 s late, ~110 m off
        entry(AlertKind::border_crossing, 115, {-9.3, 124.402}),  // a second one: explains too
        entry(AlertKind::border_crossing, 530, {-9.3, 124.5}),    // hit, 30 s late
        entry(AlertKind::border_crossing, 3000, {-9.3, 124.6}),   // far too late: false
        entry(AlertKind::border_crossing, 905, {-9.0, 124.6}),    // 33 km away: false
        entry(AlertKind::loitering, 200 + 900, {-8.301, 125.0}),  // hit after a 15 min dwell
        entry(AlertKind::speeding, 50, {-8, 125}),                // no truth of that kind
    });
    const AlertScore s = score_alerts(truth, incidents, ScoringTolerances{}, 3600);
    REQUIRE(s.per_kind.size() == 3);
    const KindScore& bc = s.per_kind[0];
    CHECK(bc.kind == AlertKind::border_crossing);
    CHECK(bc.truth_events == 3);
    CHECK(bc.scripted_events == 2);
    CHECK(bc.evidence == 5);
    CHECK(bc.matched == 2);
    CHECK(bc.scripted_matched == 2);
    CHECK(bc.false_evidence == 2);
    CHECK(bc.recall == Approx(2.0 / 3.0));
    CHECK(bc.scripted_recall == 1.0);
    CHECK(bc.precision == Approx(3.0 / 5.0));
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
    // Incidents: 7, of which the late one, the far one and the speeding one explain nothing.
    CHECK(s.incidents.incidents == 7);
    CHECK(s.incidents.false_incidents == 3);
    CHECK(s.incidents.precision == Approx(4.0 / 7.0));
    CHECK(s.incidents.false_per_hour == Approx(3.0));
    // The first crossing is explained by two incidents (raised twice), the others by one each.
    CHECK(s.incidents.events_found == 3);
    CHECK(s.incidents.split_events == 1);
    CHECK(s.incidents.incidents_per_event == Approx(4.0 / 3.0));
    // The split is listed with its event and its two incidents, for whoever reads the run.
    REQUIRE(s.splits.size() == 1);
    CHECK((s.splits[0].first.time - t0).seconds() == Approx(100));
    CHECK(s.splits[0].second.size() == 2);
    CHECK(to_json(s).find("\"splits\":[{\"event\":") != std::string::npos);
}

TEST_CASE("scoring: evidence of one incident counts once per incident, and rules must agree") {
    const std::vector<TruthEvent> truth = {
        event(AlertKind::approach, 100, {-9.3, 124.4}, "near-border"),
        event(AlertKind::border_crossing, 300, {-9.3, 124.41}, "land-incursion"),
        event(AlertKind::dark_target, 420, {-9.3, 124.42}, "dark-on-land"),
    };
    // One incident whose timeline holds all three situations of one walker.
    IncidentRecord walker{7,
                          {entry(AlertKind::approach, 105, {-9.3, 124.4}, "near-border"),
                           entry(AlertKind::border_crossing, 304, {-9.3, 124.41}, "land-incursion"),
                           entry(AlertKind::dark_target, 430, {-9.3, 124.42}, "dark-on-land")}};
    // An approach raised by another rule: kind agrees, rule does not: explains nothing.
    IncidentRecord other{8, {entry(AlertKind::approach, 100, {-9.3, 124.4}, "sea-eta")}};
    const AlertScore s = score_alerts(truth, {walker, other}, {}, 3600);
    CHECK(s.overall.recall == 1.0);
    CHECK(s.incidents.incidents == 2);
    CHECK(s.incidents.false_incidents == 1);
    REQUIRE(s.false_incidents.size() == 1);
    CHECK(s.false_incidents[0].id == 8);
    CHECK(s.incidents.incidents_per_event == 1.0);
    CHECK(s.incidents.split_events == 0);
    REQUIRE(s.per_rule.size() == 4);
    CHECK(s.per_rule[3].rule == "sea-eta");
    CHECK(s.per_rule[3].false_evidence == 1);
}

TEST_CASE("scoring: an entry is about the closest event it explains, for incidents per event") {
    // The demo's nelayan-dili and fish-tls-3: two dark boats 2.5 km apart found at 01:00, each in
    // an incident of its own. Within a dark target's 5 km both entries explain both events; the
    // two incidents are not one event split in two.
    const std::vector<TruthEvent> truth = {
        event(AlertKind::dark_target, 60, {-8.4402, 125.6601}),
        event(AlertKind::dark_target, 60, {-8.4630, 125.6566}),
    };
    IncidentRecord boat_a{5, {entry(AlertKind::dark_target, 65, {-8.4630, 125.6567})}};
    IncidentRecord boat_b{6, {entry(AlertKind::dark_target, 69, {-8.4403, 125.6600})}};
    const AlertScore s = score_alerts(truth, {boat_a, boat_b}, {}, 3600);
    CHECK(s.overall.recall == 1.0);
    CHECK(s.incidents.split_events == 0);
    CHECK(s.incidents.incidents_per_event == 1.0);
    // One boat raised twice (a second incident right next to the first) is still a split.
    IncidentRecord again{7, {entry(AlertKind::dark_target, 300, {-8.4631, 125.6568})}};
    const AlertScore t = score_alerts(truth, {boat_a, boat_b, again}, {}, 3600);
    CHECK(t.incidents.split_events == 1);
    CHECK(t.incidents.incidents_per_event == Approx(1.5));
    // Two people 20 s apart on one path: each one's entry is about their own event.
    const std::vector<TruthEvent> walkers = {
        event(AlertKind::approach, 0, {-9.2450, 124.4680}),
        event(AlertKind::approach, 20, {-9.2454, 124.4682}),
    };
    IncidentRecord first{1, {entry(AlertKind::approach, 2, {-9.2451, 124.4681})}};
    IncidentRecord second{3, {entry(AlertKind::approach, 29, {-9.2455, 124.4682})}};
    CHECK(score_alerts(walkers, {first, second}, {}, 3600).incidents.split_events == 0);
    // The demo's walkers on seed 7: the first walker's dark entry (14 s after the second's event,
    // 34 s after its own) is nearer the second's event; recall matched it to the first's. Each
    // walker is one incident, neither is split.
    const std::vector<TruthEvent> dark = {
        event(AlertKind::dark_target, 445, {-9.2450, 124.4680}),
        event(AlertKind::dark_target, 465, {-9.2452, 124.4681}),
    };
    IncidentRecord walker_1{1, {entry(AlertKind::dark_target, 479, {-9.2452, 124.4681})}};
    IncidentRecord walker_2{3, {entry(AlertKind::dark_target, 540, {-9.2455, 124.4683})}};
    const AlertScore w = score_alerts(dark, {walker_1, walker_2}, {}, 3600);
    CHECK(w.overall.matched == 2);
    CHECK(w.incidents.split_events == 0);
    CHECK(w.incidents.incidents_per_event == 1.0);
}

TEST_CASE("scoring: evidence about one identified vessel does not explain another's event") {
    TruthEvent e = event(AlertKind::zone_entry, 100, {0.2, 0.0});
    e.mmsi = {525000001};
    EvidenceRecord same = entry(AlertKind::zone_entry, 104, {0.2, 0.001});
    same.mmsi = 525000001;
    EvidenceRecord other = same;
    other.mmsi = 525000002;  // a ship 100 m behind in the lane, entering a few seconds later
    EvidenceRecord unknown = same;
    unknown.mmsi = 0;  // a track with no identity may be the same vessel
    CHECK(score_alerts({e}, one_each({same}), {}).incidents.false_incidents == 0);
    CHECK(score_alerts({e}, one_each({other}), {}).incidents.false_incidents == 1);
    CHECK(score_alerts({e}, one_each({unknown}), {}).incidents.false_incidents == 0);
}

TEST_CASE("scoring: a spoofing alert may sit at the true or at the reported position") {
    TruthEvent e = event(AlertKind::ais_anomaly, 100, {-8.10, 125.77});
    e.reported = LatLon{-8.00, 125.70};  // 13 km away: beyond the 5 km tolerance of the truth
    const AlertScore at_claim =
        score_alerts({e}, one_each({entry(AlertKind::ais_anomaly, 106, {-8.00, 125.70})}), {});
    CHECK(at_claim.overall.matched == 1);
    const AlertScore elsewhere =
        score_alerts({e}, one_each({entry(AlertKind::ais_anomaly, 106, {-8.30, 125.70})}), {});
    CHECK(elsewhere.overall.matched == 0);
    const auto back = truth_event_from_json(to_json(e));
    REQUIRE(back.has_value());
    REQUIRE(back->reported.has_value());
    CHECK(back->reported->lat_deg == Approx(-8.0));
    CHECK(back->scripted);
}

TEST_CASE("scoring: reads alert features of both protocol versions and merges incident updates") {
    // Protocol 1: the alert is its own evidence.
    const std::string v1 =
        R"({"seq":63,"type":"Feature","id":"alert-7","geometry":{"type":"Point","coordinates":[124.45,-9.2]},)"
        R"("properties":{"alert_id":7,"kind":"border_crossing","severity":"high","zone":"IDN-TLS",)"
        R"("rule":"land-incursion","track_id":12,"time":"2026-11-25T00:02:10.000Z","state":"open"}})";
    const auto a = parse_alert_line(v1);
    REQUIRE(a.has_value());
    CHECK(a->id == 7u);
    REQUIRE(a->evidence.size() == 1);
    CHECK(a->evidence[0].kind == AlertKind::border_crossing);
    CHECK(a->evidence[0].rule == "land-incursion");
    CHECK(a->evidence[0].where.lat_deg == -9.2);
    CHECK(a->evidence[0].where.lon_deg == 124.45);
    CHECK(to_iso8601(a->evidence[0].time) == "2026-11-25T00:02:10.000Z");
    // Protocol 2: the timeline is the evidence.
    const std::string v2 =
        R"({"seq":64,"type":"Feature","id":"alert-9","geometry":{"type":"Point","coordinates":[124.45,-9.2]},)"
        R"("properties":{"version":2,"incident_id":9,"alert_id":9,"kind":"border_crossing",)"
        R"("time":"2026-11-25T00:01:00.000Z","timeline":[)"
        R"({"kind":"approach","rule":"near","time":"2026-11-25T00:01:00.000Z","lat":-9.2,"lon":124.46},)"
        R"({"kind":"border_crossing","rule":"land","time":"2026-11-25T00:02:10.000Z","lat":-9.2,"lon":124.45}]}})";
    const auto b = parse_alert_line(v2);
    REQUIRE(b.has_value());
    CHECK(b->id == 9u);
    REQUIRE(b->evidence.size() == 2);
    CHECK(b->evidence[0].kind == AlertKind::approach);
    CHECK(b->evidence[1].rule == "land");
    const auto flat =
        parse_alert_line(R"({"kind":"loitering","time":1764028800.5,"lat":-8,"lon":125})");
    REQUIRE(flat.has_value());
    REQUIRE(flat->evidence.size() == 1);
    CHECK(flat->evidence[0].kind == AlertKind::loitering);
    CHECK(flat->evidence[0].time.ns == 1764028800'500'000'000);
    CHECK_FALSE(parse_alert_line("").has_value());
    // A number of seconds no nanosecond clock holds is not a time (fuzz finding, kept as
    // tests/fuzz/sim/corpus/regress_time_out_of_range.json).
    CHECK_FALSE(
        parse_alert_line(R"({"kind":"loitering","time":172880064028800.5,"lat":-8,"lon":125})")
            .has_value());
    CHECK_FALSE(
        parse_alert_line(R"({"kind":"loitering","time":-1e300,"lat":-8,"lon":125})").has_value());
    CHECK_FALSE(
        parse_alert_line(R"({"seq":70,"feed":"radar-dili","status":"silent"})").has_value());
    CHECK_FALSE(parse_alert_line(R"({"kind":"made_up","time":0,"lat":0,"lon":0})").has_value());

    const std::string path = "build-sim-alerts-test.jsonl";
    {
        std::ofstream out(path);
        out << "alert " << v1 << "\n";
        std::string ack = v1;
        ack.replace(ack.find("\"open\""), 6, "\"acknowledged\"");
        out << ack << "\n\n";
        out << v2 << "\n";
        // A later update of incident 9 with one more entry: merged, nothing counted twice.
        std::string more = v2;
        more.replace(
            more.find("]}}"), 3,
            R"(,{"kind":"dark_target","rule":"dark","time":"2026-11-25T00:04:00.000Z","lat":-9.2,"lon":124.44}]}})");
        out << more << "\n";
    }
    const auto incidents = read_incidents(path);
    std::remove(path.c_str());
    REQUIRE(incidents.size() == 2);
    CHECK(incidents[0].evidence.size() == 1);
    CHECK(incidents[1].evidence.size() == 3);
}

TEST_CASE("scoring: two entries of one kind at the same second are two, across updates") {
    // Two walkers' tracks cross the border in the same cycle (Sixaola seed 41): the incident's
    // first update carries one crossing, the next both, each its own timeline entry (`seq`).
    // Merging the updates must keep both: the walkers crossed 16 s apart, and each crossing is
    // found. It once kept one, taking the second for the first seen again (same kind, rule and
    // second).
    const auto update = [](int revision, const std::string& entries) {
        return "alert " +
               std::string(
                   R"({"type":"Feature","geometry":{"type":"Point","coordinates":[-82.595,9.56]},)"
                   R"("properties":{"version":3,"incident_id":5,"revision":)") +
               std::to_string(revision) +
               R"(,"kind":"border_crossing","time":"2026-11-25T00:00:30.000Z","timeline":[)" +
               entries + "]}}";
    };
    const auto crossing = [](int seq, int track, double lon) {
        return R"({"seq":)" + std::to_string(seq) +
               R"(,"kind":"border_crossing","rule":"into-costa-rica","track_id":)" +
               std::to_string(track) + R"(,"time":"2026-11-25T00:00:30.000Z","lat":9.56,"lon":)" +
               std::to_string(lon) + "}";
    };
    const std::string path = "build-sim-alerts-same-second-test.jsonl";
    {
        std::ofstream out(path);
        out << update(1, crossing(3, 781, -82.5949)) << "\n";
        out << update(2, crossing(3, 781, -82.5949) + "," + crossing(4, 799, -82.5950)) << "\n";
        out << update(3, crossing(3, 781, -82.5949) + "," + crossing(4, 799, -82.5950)) << "\n";
    }
    const auto incidents = read_incidents(path);
    std::remove(path.c_str());
    REQUIRE(incidents.size() == 1);
    CHECK(incidents[0].evidence.size() == 2);  // not 1, and not 4: each update's are the same
    const std::vector<TruthEvent> truth = {
        event(AlertKind::border_crossing, 16, {9.56, -82.5952}, "into-costa-rica"),
        event(AlertKind::border_crossing, 33, {9.56, -82.5948}, "into-costa-rica")};
    const auto s = score_alerts(truth, incidents, ScoringTolerances{}, 3600);
    CHECK(s.overall.matched == 2);
    CHECK(s.overall.evidence == 2);
    CHECK(s.overall.false_evidence == 0);
    CHECK(s.incidents.incidents_per_event == Approx(1.0));
}

TEST_CASE("scoring: a finding counted again (its entry's last time) can find an event, once") {
    // A ground sensor fires at 0 s for one walker and, folded into the same entry, at 120 s for a
    // second one: each firing the incident reports finds its event; the entry counts once.
    const std::string line =
        R"({"type":"Feature","geometry":{"type":"Point","coordinates":[124.45,-9.2]},)"
        R"("properties":{"version":2,"incident_id":3,"kind":"ground_detection",)"
        R"("time":"2026-11-25T00:00:00.000Z","timeline":[{"kind":"ground_detection","rule":"ugs",)"
        R"("time":"2026-11-25T00:00:00.000Z","last":"2026-11-25T00:02:00.000Z","count":4,)"
        R"("lat":-9.2,"lon":124.45}]}})";
    const auto r = parse_alert_line(line);
    REQUIRE(r.has_value());
    REQUIRE(r->evidence.size() == 2);
    CHECK_FALSE(r->evidence[0].repeat);
    CHECK(r->evidence[1].repeat);
    CHECK((r->evidence[1].time - r->evidence[0].time).seconds() == Approx(120));
    const LatLon p{-9.2, 124.45};
    const auto s = score_alerts({event(AlertKind::ground_detection, 0, p, "ugs"),
                                 event(AlertKind::ground_detection, 120, p, "ugs"),
                                 event(AlertKind::ground_detection, 600, p, "ugs")},
                                {*r}, ScoringTolerances{}, 3600);
    REQUIRE(s.per_kind.size() == 1);
    CHECK(s.per_kind[0].matched == 2);  // not the one at 600 s: nothing fired then
    CHECK(s.per_kind[0].evidence == 1);
    CHECK(s.per_kind[0].false_evidence == 0);
}

TEST_CASE("scoring: a group's entry finds each member's event, when and where it joined") {
    // Two walkers approach together (protocol version 3): one incident, one approach entry
    // whose targets are both tracks, each with when and where its finding joined. It finds
    // both walkers' approaches and is the only incident about either; it is one entry
    // (precision). An entry of one target finds one of them, and a member finds no event far
    // from when and where it joined.
    const auto approach = [](const char* targets) {
        return std::string(
                   R"({"type":"Feature","geometry":{"type":"Point","coordinates":[-16.73,13.079]},)"
                   R"("properties":{"version":3,"incident_id":15,"kind":"approach",)"
                   R"("time":"2026-11-25T00:00:00.000Z","timeline":[{"kind":"approach",)"
                   R"("rule":"border-approach","time":"2026-11-25T00:00:10.000Z",)"
                   R"("last":"2026-11-25T00:00:10.000Z","targets":)") +
               targets + R"(,"lat":13.079,"lon":-16.73}]}})";
    };
    const char* two =
        R"([{"track_id":1872,"time":"2026-11-25T00:00:10.000Z","lat":13.079,"lon":-16.73},)"
        R"({"track_id":1926,"time":"2026-11-25T00:06:00.000Z","lat":13.0791,"lon":-16.7301}])";
    const char* one =
        R"([{"track_id":1872,"time":"2026-11-25T00:00:10.000Z","lat":13.079,"lon":-16.73}])";
    const LatLon p{13.079, -16.73};
    // The second walker's approach begins 6 min after the first's: past the entry's own time
    // by more than the kind's 5 min, so only the member's own finding can find it.
    const std::vector<TruthEvent> truth = {event(AlertKind::approach, 0, p, "border-approach"),
                                           event(AlertKind::approach, 350, p, "border-approach")};
    const auto group = parse_alert_line(approach(two));
    const auto single = parse_alert_line(approach(one));
    REQUIRE(group.has_value());
    REQUIRE(single.has_value());
    REQUIRE(group->evidence.size() == 2);
    CHECK(group->evidence[1].repeat);
    const auto both = score_alerts(truth, {*group}, ScoringTolerances{}, 3600);
    CHECK(both.overall.matched == 2);
    CHECK(both.overall.evidence == 1);
    CHECK(both.overall.false_evidence == 0);
    CHECK(both.incidents.events_found == 2);
    CHECK(both.incidents.split_events == 0);
    CHECK(both.incidents.incidents_per_event == Approx(1.0));
    CHECK(score_alerts(truth, {*single}, ScoringTolerances{}, 3600).overall.matched == 1);
    // The member joined at 6 min: an event at 20 min is not its finding.
    const std::vector<TruthEvent> late = {event(AlertKind::approach, 0, p, "border-approach"),
                                          event(AlertKind::approach, 1200, p, "border-approach")};
    CHECK(score_alerts(late, {*group}, ScoringTolerances{}, 3600).overall.matched == 1);
    // A member's target that is not an object is skipped, not the line.
    const auto odd = parse_alert_line(approach(R"([{"track_id":1},7,"x"])"));
    REQUIRE(odd.has_value());
    CHECK(odd->evidence.size() == 1);
}

TEST_CASE("scoring: a state that held for a while is found by an alert while it held") {
    // Gambia: walkers spawned 700 m from the border on an 800 m approach rule approach it from
    // their first second (truth 21:42:00) until they cross 12 min later; no sensor sees them
    // before 21:46. An approach alert at 21:47:35 is no less true for being 5.6 min after the
    // state began. After it ended, or for a moment's event, the kind's own delay still holds.
    const LatLon p{13.07, -16.73};
    TruthEvent approach = event(AlertKind::approach, 0, p, "near");
    approach.until = t0 + Duration::from_seconds(720);
    const TruthEvent moment = event(AlertKind::zone_entry, 0, p, "entry");
    const auto s = score_alerts({approach, moment},
                                one_each({entry(AlertKind::approach, 335, p, "near"),
                                          entry(AlertKind::zone_entry, 335, p, "entry")}),
                                ScoringTolerances{}, 3600);
    REQUIRE(s.per_kind.size() == 2);
    for (const KindScore& k : s.per_kind) {
        INFO(to_string(k.kind));
        CHECK(k.matched == (k.kind == AlertKind::approach ? 1 : 0));
    }
    const auto late =
        score_alerts({approach}, one_each({entry(AlertKind::approach, 800, p, "near")}),
                     ScoringTolerances{}, 3600);
    CHECK(late.overall.matched == 0);
    // The span survives the events file.
    const auto back = truth_event_from_json(to_json(approach));
    REQUIRE(back.has_value());
    REQUIRE(back->until.has_value());
    CHECK((*back->until - back->time).seconds() == Approx(720));
    CHECK_FALSE(truth_event_from_json(to_json(moment))->until.has_value());
}

TEST_CASE("scoring: a dark target is judged where it was when the entry was raised") {
    // A dark boat goes dark at t = 0 and runs east at 10 m/s for the half hour it stays dark. An
    // entry on it 15 min later is 9 km from where it went dark: beyond the 5 km that a start
    // point allows, found along its path. An entry at the start point 15 min later is about some
    // other boat there (this one left 9 km ago): false along the path, "explained" by the 5 km.
    const LatLon start{9.70, -82.60};
    const double east_deg_per_s = 10.0 / 109'733.0;  // 10 m/s at 9.7 deg N
    auto boat = [&](double t_s) {
        return LatLon{start.lat_deg, start.lon_deg + east_deg_per_s * t_s};
    };
    TruthEvent dark = event(AlertKind::dark_target, 0, start, "dark");
    dark.until = t0 + Duration::from_seconds(1800);
    TruthPaths paths;
    for (int t = 0; t <= 1800; ++t) paths.add(1, t0 + Duration::from_seconds(t), boat(t));
    const auto on_boat = one_each({entry(AlertKind::dark_target, 900, boat(900), "dark")});
    const auto at_start = one_each({entry(AlertKind::dark_target, 900, start, "dark")});
    const ScoringTolerances tol;
    CHECK(score_alerts({dark}, on_boat, tol, 3600, &paths).overall.matched == 1);
    CHECK(score_alerts({dark}, on_boat, tol, 3600).incidents.false_incidents == 1);
    CHECK(score_alerts({dark}, at_start, tol, 3600, &paths).incidents.false_incidents == 1);
    CHECK(score_alerts({dark}, at_start, tol, 3600).overall.matched == 1);
    // Within 3 sigma of the coarsest radar plot (1.1 km) of the boat, not beyond.
    const auto near = one_each(
        {entry(AlertKind::dark_target, 900, {start.lat_deg + 0.009, boat(900).lon_deg}, "dark")});
    const auto off = one_each(
        {entry(AlertKind::dark_target, 900, {start.lat_deg + 0.011, boat(900).lon_deg}, "dark")});
    CHECK(score_alerts({dark}, near, tol, 3600, &paths).overall.matched == 1);
    CHECK(score_alerts({dark}, off, tol, 3600, &paths).overall.matched == 0);

    // The paths come from the truth.csv beside events.jsonl, only the targets asked for.
    const auto dir = std::filesystem::temp_directory_path() / "picket-alert-scoring-paths";
    std::filesystem::create_directories(dir);
    {
        std::ofstream csv(dir / "truth.csv");
        csv << "time,truth_id,x,y,lat,lon,east_mps,north_mps,class,name\n"
            << "1795564800.000,1,0,0,9.7,-82.6,10,0,vessel,a\n"
            << "1795564800.000,2,0,0,9.0,-82.0,0,0,vessel,b\n"
            << "1795564801.000,1,10,0,9.7,-82.59990887,10,0,vessel,a\n";
    }
    const TruthPaths read = read_truth_paths((dir / "events.jsonl").string(), {1});
    REQUIRE(read.at(1, t0 + Duration::from_seconds(0.8)).has_value());
    CHECK(read.at(1, t0 + Duration::from_seconds(0.8))->lon_deg == Approx(-82.59990887));
    CHECK(read.at(1, t0 + Duration::from_seconds(0.2))->lon_deg == Approx(-82.6));
    CHECK(read.at(1, t0 + Duration::from_seconds(60))->lon_deg == Approx(-82.59990887));
    CHECK_FALSE(read.at(2, t0).has_value());
    CHECK(read_truth_paths((dir / "none" / "events.jsonl").string(), {1}).empty());
    {
        std::ofstream csv(dir / "truth.csv", std::ios::app);
        csv << "1795564802.000,1,x,y,nine,-82.6,0,0,vessel,a\n";
    }
    CHECK_THROWS_WITH(read_truth_paths((dir / "events.jsonl").string(), {1}),
                      Catch::Contains("truth.csv:5: bad row"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("scoring: run_score_alerts writes JSON and reports unreadable input") {
    std::ostringstream out, err;
    CHECK(run_score_alerts("/nonexistent/alerts", "/nonexistent/events", {}, out, err) == 1);
    CHECK(err.str().find("cannot open") != std::string::npos);
    CHECK(to_json(score_alerts({}, {}, {})).rfind("{\"overall\":", 0) == 0);
}
