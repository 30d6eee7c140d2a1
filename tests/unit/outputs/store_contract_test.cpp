// The store contract: what every backend (SQLite, PostgreSQL) must do the same. Each test binary
// links one make_backend() (store_backend.hpp), so these tests run once per backend.
#include <catch2/catch.hpp>

#include <cmath>

#include "tests/unit/outputs/store_backend.hpp"
#include "tests/unit/outputs/test_tracks.hpp"

using namespace picket;
using namespace picket::outputs;
using namespace picket::outputs::testing;

namespace {

void check_same_track(const Track& a, const Track& b) {
    CHECK(a.id == b.id);
    CHECK(a.status == b.status);
    CHECK(a.updated == b.updated);
    CHECK(a.born == b.born);
    CHECK(a.position == b.position);
    CHECK(a.east_mps == b.east_mps);
    CHECK(a.north_mps == b.north_mps);
    CHECK(a.cov == b.cov);
    CHECK(a.identity == b.identity);
    CHECK(a.last_ais == b.last_ais);
    CHECK(a.seen_by == b.seen_by);
    CHECK(a.target_class == b.target_class);
    CHECK(a.standing == b.standing);
    CHECK(a.label == b.label);
}

void check_same_alert(const Alert& a, const Alert& b) {
    CHECK(a.id == b.id);
    CHECK(a.kind == b.kind);
    CHECK(a.severity == b.severity);
    CHECK(a.rule == b.rule);
    CHECK(a.zone == b.zone);
    CHECK(a.track == b.track);
    CHECK(a.other_track == b.other_track);
    CHECK(a.where == b.where);
    CHECK(a.when == b.when);
    CHECK(a.message == b.message);
    CHECK(a.state == b.state);
    CHECK(a.escalated == b.escalated);
    CHECK(a.acknowledged_by == b.acknowledged_by);
    CHECK(a.acknowledged_at == b.acknowledged_at);
    CHECK(a.closed_at == b.closed_at);
    check_same_track(a.evidence, b.evidence);
}

Timestamp at_s(double s) { return Timestamp::from_unix_seconds(1'800'000'000 + s); }

Evidence entry(std::uint32_t seq, AlertKind kind, const char* rule, double t_s) {
    Evidence e;
    e.seq = seq;
    e.kind = kind;
    e.severity = kind == AlertKind::border_crossing ? Severity::high : Severity::low;
    e.rule = rule;
    e.zone = "IDN-TLS";
    e.track = 12;
    e.mmsi = 0;
    e.where = {-9.245, 124.464 + 0.001 * seq};
    e.first = e.last = at_s(t_s);
    e.message = std::string(rule) + " found it";
    return e;
}

/// Incident 7 as the ledger publishes it, change by change.
Alert incident() {
    Alert a;
    a.id = 7;
    a.kind = AlertKind::approach;
    a.severity = Severity::low;
    a.rule = "near-land-border";
    a.zone = "IDN-TLS";
    a.track = 12;
    a.tracks = {12};
    a.where = {-9.245, 124.465};
    a.when = a.updated = at_s(0);
    a.message = "approaching";
    a.timeline = {entry(1, AlertKind::approach, "near-land-border", 0)};
    a.revision = 1;
    a.change = IncidentChange::raised;
    return a;
}

}  // namespace

SCENARIO("Alerts survive closing and reopening the store, updated in place by id", "[store]") {
    auto backend = make_backend();
    Alert a7 = sample_alert(7);
    a7.evidence = sample_vessel();  // with identity, so every evidence field is exercised
    a7.other_track = 99;
    Alert a8 = sample_alert(8);
    {
        auto owner = backend->open();
        Store& store = *owner;
        store.save_alert(a7);
        store.save_alert(a8);
        a7.state = AlertState::acknowledged;
        a7.acknowledged_by = "op1";
        a7.acknowledged_at = sample_time() + Duration::from_seconds(30);
        a7.escalated = true;
        store.save_alert(a7);  // same id: update, not a second row
        a8.state = AlertState::closed;
        a8.closed_at = sample_time() + Duration::from_seconds(40);
        store.save_alert(a8);
        store.record_action(sample_time() + Duration::from_seconds(30), "op1",
                            R"({"cmd":"ack","alert_id":7,"by":"op1"})", R"({"ok":true})");
    }
    auto owner = backend->open();
    Store& store = *owner;
    const Store::Restored r = store.restore();
    CHECK(r.next_alert_id == 9);
    REQUIRE(r.alerts_not_closed.size() == 1);  // 8 is closed: not re-announced
    check_same_alert(r.alerts_not_closed[0], a7);
    const auto found = store.find_alert(8);
    REQUIRE(found);
    check_same_alert(*found, a8);
    CHECK_FALSE(store.find_alert(9));
    const auto actions =
        store.actions_between(sample_time(), sample_time() + Duration::from_seconds(60));
    REQUIRE(actions.size() == 1);
    CHECK(actions[0].user == "op1");
    CHECK(actions[0].command_json == R"({"cmd":"ack","alert_id":7,"by":"op1"})");
    CHECK(actions[0].result == R"({"ok":true})");
}

SCENARIO("An empty store starts alert ids at 1", "[store]") {
    auto backend = make_backend();
    auto owner = backend->open();
    Store& store = *owner;
    const auto r = store.restore();
    CHECK(r.next_alert_id == 1);
    CHECK(r.alerts_not_closed.empty());
}

SCENARIO("Track history stores one row per track update and answers time windows", "[store]") {
    auto backend = make_backend();
    auto owner = backend->open();
    Store& store = *owner;
    Track v = sample_vessel(1);
    Track d = sample_dark_boat(2);
    for (int i = 0; i < 10; ++i) {
        v.updated = sample_time() + Duration::from_seconds(i);
        v.position.lat_deg += 0.001;
        d.updated = sample_time() + Duration::from_seconds(2 * (i / 2));  // updates every 2 s
        d.position.lon_deg += 0.001;
        const Track cycle[] = {v, d};
        store.save_track_points(cycle);
    }
    Track gone = sample_vessel(3);
    gone.status = TrackStatus::deleted;
    store.save_track_points(std::span(&gone, 1));

    const auto all =
        store.track_points_between(sample_time(), sample_time() + Duration::from_seconds(100));
    REQUIRE(all.size() ==
            10 + 5);  // the boat's repeated `updated` times are skipped; deleted never stored
    CHECK(all[0].track_id == 1);
    CHECK(all[9].track_id == 1);
    CHECK(all[10].track_id == 2);
    for (std::size_t i = 1; i < 10; ++i) CHECK(all[i].time > all[i - 1].time);
    CHECK(all[0].mmsi == Mmsi{538001234});
    CHECK(all[0].name == "OCEAN STAR");
    CHECK(all[0].target_class == TargetClass::vessel);
    CHECK(all[0].sigma_m == Approx(std::sqrt(72.0)));
    CHECK_FALSE(all[10].mmsi);
    CHECK(all[10].position.lat_deg == -8.4);
    CHECK(all[10].position.lon_deg == Approx(125.201));  // first stored boat point (i = 0)

    const auto window = store.track_points_between(sample_time() + Duration::from_seconds(2),
                                                   sample_time() + Duration::from_seconds(4));
    CHECK(window.size() == 3 + 2);  // vessel at 2,3,4 s; boat at 2,4 s (inclusive bounds)

    CHECK(store.prune_track_points_before(sample_time() + Duration::from_seconds(5)) ==
          5 + 3);  // vessel 0..4 s, boat 0, 2, 4 s
    CHECK(store.track_points_between(sample_time(), sample_time() + Duration::from_seconds(100))
              .size() == 7);
}

SCENARIO("Alert windows select by raise time", "[store]") {
    auto backend = make_backend();
    auto owner = backend->open();
    Store& store = *owner;
    for (AlertId id = 1; id <= 5; ++id) {
        Alert a = sample_alert(id);
        a.when = sample_time() + Duration::from_seconds(static_cast<double>(id) * 10);
        store.save_alert(a);
    }
    const auto w = store.alerts_between(sample_time() + Duration::from_seconds(20),
                                        sample_time() + Duration::from_seconds(40));
    REQUIRE(w.size() == 3);
    CHECK(w[0].id == 2);
    CHECK(w[2].id == 4);
}

TEST_CASE("store: an incident's timeline, workflow and notes come back after a restart",
          "[outputs][store][incidents]") {
    auto backend = make_backend();
    Alert a = incident();
    {
        auto owner = backend->open();
        Store& store = *owner;
        store.save_alert(a);
        // A crossing joins it: the headline changes, an entry is added.
        a.timeline.push_back(entry(2, AlertKind::border_crossing, "land-incursion", 60));
        a.kind = AlertKind::border_crossing;
        a.severity = Severity::high;
        a.updated = at_s(60);
        a.change = IncidentChange::evidence;
        ++a.revision;
        store.save_alert(a);
        // The approach is found again, by a second person walking with the first (a group,
        // protocol version 3): its entry's count, last time and targets change.
        a.timeline[0].count = 4;
        a.timeline[0].last = at_s(90);
        a.timeline[0].targets = {{12, at_s(0), {-9.2450, 124.4640}},
                                 {13, at_s(80), {-9.2452, 124.4641}}};
        a.change = IncidentChange::repeated;
        ++a.revision;
        store.save_alert(a);
        a.state = AlertState::acknowledged;
        a.acknowledged_by = "op1";
        a.acknowledged_at = at_s(100);
        a.change = IncidentChange::acknowledged;
        a.changed_by = "op1";
        ++a.revision;
        store.save_alert(a);
        a.assigned_to = "bp-oecusse";
        a.change = IncidentChange::assigned;
        ++a.revision;
        store.save_alert(a);
        a.notes.push_back(Note{at_s(110), "op1", "patrol informed"});
        a.change = IncidentChange::noted;
        ++a.revision;
        store.save_alert(a);
    }
    auto owner = backend->open();
    Store& store = *owner;
    const auto restored = store.restore();
    REQUIRE(restored.alerts_not_closed.size() == 1);
    const Alert& b = restored.alerts_not_closed[0];
    CHECK(b.id == 7);
    CHECK(b.kind == AlertKind::border_crossing);
    CHECK(b.state == AlertState::acknowledged);
    CHECK(b.assigned_to == "bp-oecusse");
    CHECK(b.revision == 6);
    CHECK(b.tracks == std::vector<TrackId>{12});
    REQUIRE(b.timeline.size() == 2);
    CHECK(b.timeline[0].count == 4);
    CHECK(b.timeline[0].last == at_s(90));
    REQUIRE(b.timeline[0].targets.size() == 2);
    CHECK(b.timeline[0].targets[1].track == 13);
    CHECK(b.timeline[0].targets[1].first == at_s(80));
    CHECK(b.timeline[0].targets[1].where == LatLon{-9.2452, 124.4641});
    CHECK(b.timeline[1].targets.empty());
    CHECK(b.timeline[1].kind == AlertKind::border_crossing);
    CHECK(b.timeline[1].rule == "land-incursion");
    CHECK(b.timeline[1].where == a.timeline[1].where);
    REQUIRE(b.notes.size() == 1);
    CHECK(b.notes[0].by == "op1");
    CHECK(b.notes[0].text == "patrol informed");
    // The audit trail: who did what, in order; evidence is the timeline's, not the audit's.
    const auto audit = store.audit_trail(7);
    REQUIRE(audit.size() == 4);
    CHECK(audit[0].change == "raised");
    CHECK(audit[1].change == "acknowledged");
    CHECK(audit[1].user == "op1");
    CHECK(audit[1].state == "acknowledged");
    CHECK(audit[2].change == "assigned");
    CHECK(audit[2].detail == "bp-oecusse");
    CHECK(audit[3].change == "noted");
    CHECK(audit[3].detail == "patrol informed");
}

TEST_CASE("store: closures within a window, with their rules and dispositions",
          "[outputs][store][incidents]") {
    auto backend = make_backend();
    auto owner = backend->open();
    Store& store = *owner;
    Alert a = incident();
    a.timeline.push_back(entry(2, AlertKind::border_crossing, "land-incursion", 60));
    store.save_alert(a);
    a.state = AlertState::closed;
    a.closed_by = "sup";
    a.closed_at = at_s(500);
    a.disposition = Disposition::false_alarm;
    a.change = IncidentChange::closed;
    a.changed_by = "sup";
    store.save_alert(a);
    Alert old = incident();
    old.id = 3;
    store.save_alert(old);
    old.state = AlertState::closed;
    old.closed_at = at_s(-1000);
    old.disposition = Disposition::confirmed;
    old.change = IncidentChange::closed;
    store.save_alert(old);

    const auto all = store.closures_since(at_s(-2000));
    REQUIRE(all.size() == 2);
    CHECK(all[0].id == 3);
    CHECK(all[0].disposition == Disposition::confirmed);
    CHECK(all[1].id == 7);
    CHECK(all[1].disposition == Disposition::false_alarm);
    CHECK(all[1].rules == std::vector<std::string>{"land-incursion", "near-land-border"});
    CHECK(store.closures_since(at_s(0)).size() == 1);
    CHECK(store.restore().alerts_not_closed.empty());
    const auto found = store.find_alert(7);
    REQUIRE(found.has_value());
    CHECK(found->disposition == Disposition::false_alarm);
    CHECK(found->closed_by == "sup");
    CHECK(found->timeline.size() == 2);
}
