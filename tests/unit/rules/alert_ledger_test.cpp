#include <catch2/catch.hpp>

#include "rules/alert_ledger.hpp"

using namespace picket;
using picket::rules::AlertLedger;
using picket::rules::IncidentKey;

namespace {

Timestamp at_s(double s) { return Timestamp::from_unix_seconds(1'700'000'000 + s); }

Alert make(const char* rule, TrackId track, double t_s, Severity sev = Severity::medium) {
    Alert a;
    a.kind = AlertKind::zone_entry;
    a.rule = rule;
    a.track = track;
    a.when = at_s(t_s);
    a.severity = sev;
    return a;
}

}  // namespace

TEST_CASE("ledger: one alert per incident, a new one after the incident clears",
          "[rules][ledger]") {
    AlertLedger ledger(100);
    const IncidentKey key{7, 2, 0};
    auto first = ledger.raise(key, make("r", 7, 0), std::nullopt);
    REQUIRE(first == AlertId{100});
    CHECK_FALSE(ledger.raise(key, make("r", 7, 1), std::nullopt).has_value());
    // Another rule or another track is another incident.
    CHECK(ledger.raise(IncidentKey{7, 3, 0}, make("s", 7, 1), std::nullopt) == AlertId{101});
    CHECK(ledger.raise(IncidentKey{8, 2, 0}, make("r", 8, 1), std::nullopt) == AlertId{102});
    ledger.clear_incident(key);
    CHECK(ledger.raise(key, make("r", 7, 5), std::nullopt) == AlertId{103});
    CHECK(ledger.next_id() == 104);
    const auto updates = ledger.take_updates();
    REQUIRE(updates.size() == 4);
    CHECK(updates[0].id == 100);
    CHECK(updates[3].id == 103);
    CHECK(updates[3].state == AlertState::open);
    CHECK(ledger.take_updates().empty());
}

TEST_CASE("ledger: lifecycle open -> acknowledged -> closed", "[rules][ledger]") {
    AlertLedger ledger;
    const auto id = *ledger.raise(IncidentKey{1, 0, 0}, make("r", 1, 0), std::nullopt);
    CHECK(id == 1);
    ledger.take_updates();
    CHECK_FALSE(ledger.acknowledge(99, "op", at_s(1)));
    REQUIRE(ledger.acknowledge(id, "alice", at_s(10)));
    CHECK_FALSE(ledger.acknowledge(id, "bob", at_s(11)));  // already acknowledged
    const Alert* a = ledger.find(id);
    REQUIRE(a);
    CHECK(a->state == AlertState::acknowledged);
    CHECK(a->acknowledged_by == "alice");
    CHECK(a->acknowledged_at == at_s(10));
    REQUIRE(ledger.close(id, "bob", at_s(20)));
    CHECK(ledger.find(id) == nullptr);
    CHECK(ledger.open_alerts().empty());
    CHECK_FALSE(ledger.close(id, "bob", at_s(21)));
    const auto updates = ledger.take_updates();
    REQUIRE(updates.size() == 2);
    CHECK(updates[0].state == AlertState::acknowledged);
    CHECK(updates[1].state == AlertState::closed);
    CHECK(updates[1].closed_by == "bob");
    CHECK(updates[1].closed_at == at_s(20));
    CHECK(updates[1].acknowledged_by == "alice");
    // Closing is not the condition clearing: the incident still suppresses a re-raise.
    CHECK_FALSE(ledger.raise(IncidentKey{1, 0, 0}, make("r", 1, 30), std::nullopt).has_value());
}

TEST_CASE("ledger: escalation when not acknowledged in time", "[rules][ledger]") {
    AlertLedger ledger;
    const auto late = *ledger.raise(IncidentKey{1, 0, 0}, make("r", 1, 0, Severity::high),
                                    Duration::from_seconds(300));
    const auto acked =
        *ledger.raise(IncidentKey{2, 0, 0}, make("r", 2, 0), Duration::from_seconds(300));
    const auto top = *ledger.raise(IncidentKey{3, 0, 0}, make("r", 3, 0, Severity::critical),
                                   Duration::from_seconds(60));
    const auto never = *ledger.raise(IncidentKey{4, 0, 0}, make("r", 4, 0), std::nullopt);
    ledger.take_updates();
    ledger.acknowledge(acked, "op", at_s(100));
    ledger.take_updates();

    ledger.tick(at_s(299.999));
    auto updates = ledger.take_updates();
    REQUIRE(updates.size() == 1);  // only the 60 s one
    CHECK(updates[0].id == top);
    CHECK(updates[0].escalated);
    CHECK(updates[0].severity == Severity::critical);

    ledger.tick(at_s(300));
    updates = ledger.take_updates();
    REQUIRE(updates.size() == 1);
    CHECK(updates[0].id == late);
    CHECK(updates[0].escalated);
    CHECK(updates[0].severity == Severity::critical);  // high -> critical
    CHECK(updates[0].state == AlertState::open);       // escalation keeps it open

    ledger.tick(at_s(10'000));
    CHECK(ledger.take_updates().empty());  // escalates once; acked and no-deadline ones never
    CHECK_FALSE(ledger.find(acked)->escalated);
    CHECK_FALSE(ledger.find(never)->escalated);
}

TEST_CASE("ledger: restore seeds ids and open alerts after a restart", "[rules][ledger]") {
    AlertLedger ledger;
    Alert a = make("entry", 5, 0);
    a.id = 41;
    Alert b = make("speed", 6, 0);
    b.id = 57;
    b.state = AlertState::acknowledged;
    Alert closed = make("x", 7, 0);
    closed.id = 60;
    closed.state = AlertState::closed;
    ledger.restore({b, a, closed}, 50, {{"entry", Duration::from_seconds(120)}});
    // The id counter never goes back below a restored id, even if the seed says so.
    CHECK(ledger.next_id() == 58);
    const auto open = ledger.open_alerts();
    REQUIRE(open.size() == 2);
    CHECK(open[0].id == 41);
    CHECK(open[1].id == 57);
    CHECK(ledger.take_updates().empty());
    ledger.tick(at_s(119));
    CHECK(ledger.take_updates().empty());
    ledger.tick(at_s(121));
    const auto up = ledger.take_updates();
    REQUIRE(up.size() == 1);
    CHECK(up[0].id == 41);
    CHECK(up[0].escalated);
    CHECK(ledger.raise(IncidentKey{9, 0, 0}, make("r", 9, 200), std::nullopt) == AlertId{58});
    CHECK(ledger.acknowledge(41, "op", at_s(200)));
}

TEST_CASE("ledger: forgetting a subject re-arms only that subject", "[rules][ledger]") {
    AlertLedger ledger;
    ledger.raise(IncidentKey{10, 0, 0}, make("r", 10, 0), std::nullopt);
    ledger.raise(IncidentKey{10, 4, 3}, make("r", 10, 0), std::nullopt);
    ledger.raise(IncidentKey{11, 0, 0}, make("r", 11, 0), std::nullopt);
    CHECK(ledger.active_incidents() == 3);
    ledger.clear_subject(10);
    CHECK(ledger.active_incidents() == 1);
    CHECK(ledger.incident_active(IncidentKey{11, 0, 0}));
    CHECK_FALSE(ledger.incident_active(IncidentKey{10, 4, 3}));
}
