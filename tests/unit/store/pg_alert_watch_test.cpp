// Two servers on one PostgreSQL store: what one commits about an alert (raised, acknowledged,
// closed) reaches the other's watch as it commits (LISTEN/NOTIFY), in its committed state; a
// server's own alerts and a rolled-back batch never do; a new watch starts from the open ones.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "src/store/pg_alert_watch.hpp"
#include "src/store/pg_connection.hpp"
#include "src/store/pg_store.hpp"
#include "tests/unit/outputs/test_tracks.hpp"
#include "tests/unit/store/pg_cluster.hpp"

using namespace picket;
using namespace picket::store;
using namespace picket::outputs::testing;
using Clock = std::chrono::steady_clock;

namespace {

/// Waits (up to 5 s) for the watch to hand back something.
std::vector<Alert> next(PgAlertWatch& watch) {
    const auto until = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < until)
        if (auto got = watch.wait(std::chrono::milliseconds(200)); !got.empty()) return got;
    return {};
}

}  // namespace

TEST_CASE("pg store: another server's alert changes reach a watch as they commit",
          "[store][pg][watch]") {
    const std::string conninfo = testing::fresh_schema();
    PgStore north(conninfo, PgStore::Options{.site = 1});
    PgStore south(conninfo, PgStore::Options{.site = 2});
    PgAlertWatch south_watch(conninfo, 2);
    // Started before anything is raised: what follows comes as notified changes, never as
    // alerts open at the start (whose label depends on when the notification arrives).
    CHECK(south_watch.wait(std::chrono::milliseconds(100)).empty());

    Alert a = sample_alert(north.restore().next_alert_id);
    a.change = IncidentChange::raised;
    north.save_alert(a);
    auto got = next(south_watch);
    REQUIRE(got.size() == 1);
    CHECK(got[0].id == a.id);
    CHECK(got[0].state == AlertState::open);
    CHECK(got[0].change == IncidentChange::raised);

    // An operator on the north console acknowledges: the south's watch has it, with who and when.
    a.state = AlertState::acknowledged;
    a.acknowledged_by = "op-north";
    a.acknowledged_at = a.when + Duration::from_seconds(4);
    a.change = IncidentChange::acknowledged;
    a.changed_by = "op-north";
    ++a.revision;
    const auto t0 = Clock::now();
    north.save(std::span(&a, 1), {});
    got = next(south_watch);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    std::printf("ack committed on one server -> read by the other's watch: %.1f ms\n", ms);
    REQUIRE(got.size() == 1);
    CHECK(got[0].state == AlertState::acknowledged);
    CHECK(got[0].change == IncidentChange::acknowledged);
    CHECK(got[0].acknowledged_by == "op-north");
    CHECK(got[0].acknowledged_at == a.acknowledged_at);

    // The south's own alerts are its own business: not handed back to it.
    Alert s = sample_alert(south.restore().next_alert_id);
    s.change = IncidentChange::raised;
    south.save_alert(s);
    CHECK(south_watch.wait(std::chrono::milliseconds(300)).empty());

    // A batch that fails is rolled back and notifies nothing.
    Alert bad = sample_alert(a.id + 1);
    bad.change = IncidentChange::raised;
    Alert worse = sample_alert(a.id + 2);
    worse.message = "\xff";
    const Alert batch[] = {bad, worse};
    CHECK_THROWS(north.save(batch, {}));
    CHECK(south_watch.wait(std::chrono::milliseconds(300)).empty());

    // Two changes between two waits: the alert once, as it is now.
    a.state = AlertState::closed;
    a.closed_at = a.when + Duration::from_seconds(9);
    a.closed_by = "op-north";
    a.change = IncidentChange::closed;
    a.disposition = Disposition::confirmed;
    ++a.revision;  // every change is a revision (IncidentLedger::queue)
    north.save_alert(bad);
    north.save_alert(a);
    std::vector<Alert> both;
    const auto until = Clock::now() + std::chrono::seconds(5);
    while (both.size() < 2 && Clock::now() < until)
        for (Alert& x : south_watch.wait(std::chrono::milliseconds(200))) both.push_back(x);
    REQUIRE(both.size() == 2);
    std::sort(both.begin(), both.end(), [](const Alert& x, const Alert& y) { return x.id < y.id; });
    CHECK(both[0].id == a.id);
    CHECK(both[0].state == AlertState::closed);
    CHECK(both[0].change == IncidentChange::closed);
    CHECK(both[1].id == bad.id);

    // A watch opened now (a server starting, or reconnecting) starts from the other servers'
    // open alerts: the closed one is not among them.
    PgAlertWatch late(conninfo, 2);
    got = late.wait(std::chrono::milliseconds(100));
    REQUIRE(got.size() == 1);
    CHECK(got[0].id == bad.id);
    CHECK(got[0].change == IncidentChange::restored);
    CHECK(late.wait(std::chrono::milliseconds(100)).empty());  // once
}

TEST_CASE("pg store: a watch hands each revision back once, under the change that made it",
          "[store][pg][watch]") {
    // Under load a notification can arrive after the watch read a later state of its alert (an
    // acknowledged alert was handed back labelled "raised", then again as acknowledged).
    const std::string conninfo = testing::fresh_schema();
    PgStore north(conninfo, PgStore::Options{.site = 1});
    PgAlertWatch watch(conninfo, 2);
    CHECK(watch.wait(std::chrono::milliseconds(100)).empty());
    pg::Connection other(conninfo);
    const auto notify = [&](const std::string& payload) {
        other.exec(std::string("NOTIFY ") + kAlertChannel + ", '" + payload + "'");
    };

    Alert a = sample_alert(north.restore().next_alert_id);
    a.change = IncidentChange::raised;
    a.revision = 1;
    north.save_alert(a);
    auto got = next(watch);
    REQUIRE(got.size() == 1);
    CHECK(got[0].change == IncidentChange::raised);
    CHECK(got[0].revision == 1);

    a.state = AlertState::acknowledged;
    a.acknowledged_by = "op-north";
    a.acknowledged_at = a.when + Duration::from_seconds(4);
    a.change = IncidentChange::acknowledged;
    a.revision = 2;
    north.save_alert(a);
    got = next(watch);
    REQUIRE(got.size() == 1);
    CHECK(got[0].change == IncidentChange::acknowledged);
    CHECK(got[0].revision == 2);

    // A repeat of a revision already handed back: nothing.
    notify(std::to_string(a.id) + " raised 1");
    notify(std::to_string(a.id) + " acknowledged 2");
    CHECK(watch.wait(std::chrono::milliseconds(300)).empty());

    // A notification of revision 3 read as revision 4 (committed meanwhile): left for revision
    // 4's own notification, which names its change.
    a.change = IncidentChange::assigned;
    a.assigned_to = "patrol-7";
    a.revision = 4;
    north.save_alert(a);
    notify(std::to_string(a.id) + " evidence 3");
    got = next(watch);
    REQUIRE(got.size() == 1);
    CHECK(got[0].change == IncidentChange::assigned);
    CHECK(got[0].revision == 4);
    CHECK(got[0].assigned_to == "patrol-7");
    CHECK(watch.wait(std::chrono::milliseconds(300)).empty());
}
