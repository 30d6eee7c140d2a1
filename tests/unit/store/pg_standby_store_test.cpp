// The PostgreSQL store's part in a hot standby pair on one site (docs/deployment.md, "Hot
// standby on a shared PostgreSQL store"): the site's writer lock (one holder; freed when the
// holder's connection ends) and save_missing(), which writes at takeover only what the old
// primary did not commit. The pair itself, with real processes: tests/e2e/pg_standby_test.cpp.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

#include "src/store/pg_store.hpp"
#include "tests/unit/outputs/test_tracks.hpp"
#include "tests/unit/store/pg_cluster.hpp"

using namespace picket;
using namespace picket::store;
using namespace picket::outputs::testing;

namespace {

constexpr int kSite = 4;

Alert version(AlertId id, std::uint32_t revision, IncidentChange change) {
    Alert a = sample_alert(id);
    a.revision = revision;
    a.change = change;
    a.updated = sample_time() + Duration::from_seconds(revision);
    if (change == IncidentChange::acknowledged) {
        a.state = AlertState::acknowledged;
        a.acknowledged_by = "op";
        a.acknowledged_at = a.updated;
        a.changed_by = "op";
    }
    return a;
}

outputs::ActionRecord ack_action(AlertId id, double at_s) {
    return {0, sample_time() + Duration::from_seconds(at_s), "op",
            R"({"cmd":"ack","alert_id":)" + std::to_string(id) + "}", R"({"ok":true})"};
}

std::size_t count_changes(const PgStore& s, AlertId id, const std::string& change) {
    const auto trail = s.audit_trail(id);
    return static_cast<std::size_t>(std::count_if(
        trail.begin(), trail.end(), [&](const auto& e) { return e.change == change; }));
}

}  // namespace

TEST_CASE("pg store: one holder of a site's writer lock, freed when its connection ends",
          "[store][pg][standby]") {
    const std::string conninfo = testing::fresh_schema();
    auto primary = std::make_unique<PgStore>(conninfo, PgStore::Options{.site = kSite});
    PgStore standby(conninfo, PgStore::Options{.site = kSite});
    PgStore other_site(conninfo, PgStore::Options{.site = kSite + 1});
    CHECK(primary->try_lock_site());
    CHECK(primary->try_lock_site());       // its own: held again (a no-op for fencing)
    CHECK_FALSE(standby.try_lock_site());  // fenced out while the primary's session lives
    CHECK(other_site.try_lock_site());     // another site is another lock
    // Another schema of the same database (the tests' way of separating deployments) has its
    // own sites.
    PgStore elsewhere(testing::fresh_schema(), PgStore::Options{.site = kSite});
    CHECK(elsewhere.try_lock_site());
    primary.reset();  // the primary's connection ends, as when its process is killed
    // PostgreSQL frees the lock once the backend has seen the connection close: a moment
    // later, as a standby taking over sees it (it retries).
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    bool taken = standby.try_lock_site();
    while (!taken && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        taken = standby.try_lock_site();
    }
    CHECK(taken);
}

TEST_CASE("pg store: save_missing writes only what the database does not hold",
          "[store][pg][standby]") {
    const std::string conninfo = testing::fresh_schema();
    PgStore primary(conninfo, PgStore::Options{.site = kSite});
    const AlertId id = primary.restore().next_alert_id;
    const AlertId second = id + 1;
    // The primary committed the alert's first version and the ack's action, then died with
    // the ack's alert version and a second alert not committed.
    const Alert raised = version(id, 1, IncidentChange::raised);
    primary.save(std::span(&raised, 1), {});
    const outputs::ActionRecord ack = ack_action(id, 10);
    primary.save({}, std::span(&ack, 1));

    PgStore standby(conninfo, PgStore::Options{.site = kSite});
    const std::vector<Alert> left{raised, version(id, 2, IncidentChange::acknowledged),
                                  version(second, 1, IncidentChange::raised)};
    const std::vector<outputs::ActionRecord> actions{ack, ack_action(second, 12)};
    const auto [alerts_written, actions_written] = standby.save_missing(left, actions);
    CHECK(alerts_written == 2);   // the ack's version and the second alert; not `raised` again
    CHECK(actions_written == 1);  // the second action; the first is there

    const auto row = standby.find_alert(id);
    REQUIRE(row);
    CHECK(row->state == AlertState::acknowledged);
    CHECK(row->acknowledged_by == "op");
    CHECK(row->revision == 2);
    CHECK(count_changes(standby, id, "raised") == 1);
    CHECK(count_changes(standby, id, "acknowledged") == 1);
    REQUIRE(standby.find_alert(second));
    CHECK(count_changes(standby, second, "raised") == 1);
    CHECK(standby.actions_between(Timestamp{0}, Timestamp{INT64_MAX}).size() == 2);

    // Again (a takeover job retried after its commit): nothing more.
    CHECK(standby.save_missing(left, actions) == std::pair<std::size_t, std::size_t>{0, 0});
    CHECK(count_changes(standby, id, "acknowledged") == 1);
    CHECK(standby.actions_between(Timestamp{0}, Timestamp{INT64_MAX}).size() == 2);
    CHECK(standby.restore().next_alert_id == second + 1);  // no id used twice
}
