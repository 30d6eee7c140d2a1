// The incident tables (src/outputs/incident_store.hpp): an incident's timeline, workflow, notes
// and audit trail survive a restart, and the closures give the false-alarm share back.
#include <catch2/catch.hpp>

#include "src/outputs/alert_store.hpp"
#include "temp_dir.hpp"

using namespace picket;
using namespace picket::outputs;
using namespace picket::outputs::testing;

namespace {

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

TEST_CASE("store: an incident's timeline, workflow and notes come back after a restart",
          "[outputs][store][incidents]") {
    TempDir dir;
    const std::string db = dir.file("picket.db");
    Alert a = incident();
    {
        Store store(db);
        store.save_alert(a);
        // A crossing joins it: the headline changes, an entry is added.
        a.timeline.push_back(entry(2, AlertKind::border_crossing, "land-incursion", 60));
        a.kind = AlertKind::border_crossing;
        a.severity = Severity::high;
        a.updated = at_s(60);
        a.change = IncidentChange::evidence;
        ++a.revision;
        store.save_alert(a);
        // The approach is found again: its entry's count and last time change.
        a.timeline[0].count = 4;
        a.timeline[0].last = at_s(90);
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
    Store store(db);
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
    CHECK(b.timeline[1].kind == AlertKind::border_crossing);
    CHECK(b.timeline[1].rule == "land-incursion");
    CHECK(b.timeline[1].where == a.timeline[1].where);
    REQUIRE(b.notes.size() == 1);
    CHECK(b.notes[0].by == "op1");
    CHECK(b.notes[0].text == "patrol informed");
    // The audit trail: who did what, in order; evidence is the timeline's, not the audit's.
    const auto audit = store.incidents().audit_trail(7);
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
    TempDir dir;
    Store store(dir.file("picket.db"));
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
