// Issue 16, the takeover's missing-row writer on a real cluster (docs/deployment.md, "Hot standby
// on a shared PostgreSQL store", "Takeover, and a primary killed mid-commit"): the primary dies
// with alerts its standby acked but that never reached PostgreSQL, and the standby must write
// exactly those rows, once.
//
// No hook in the server: the test's own session holds `alerts` in SHARE mode (reads go on,
// writes wait), so the primary's next alert commit blocks in PostgreSQL after the standby acked
// the record that raised it (the primary stores an alert only then). The primary is killed with
// SIGKILL while its commit waits, and the test ends the dead primary's session
// (pg_terminate_backend): what PostgreSQL does itself when it notices the client is gone (at
// once on a socket it reads, across hosts when TCP keepalive says so); a session waiting on a lock
// does not read its socket, and left alone would run its queued COMMIT once the lock is free.
// The transaction is rolled back, the site's lock freed; then the test lets go of the table.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "geo/local_frame.hpp"
#include "src/store/pg_connection.hpp"
#include "src/store/pg_store.hpp"
#include "tests/e2e/fleet.hpp"
#include "tests/e2e/pg_deployment.hpp"
#include "tests/e2e/scenario_fixture.hpp"
#include "tests/e2e/server_process.hpp"
#include "tests/e2e/standby_pair.hpp"
#include "tests/e2e/voyage.hpp"
#include "tests/unit/store/pg_cluster.hpp"

using namespace picket;
using namespace picket::e2e;
using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr double kSpeed = 10;
constexpr int kCrossers = 6;
constexpr int kReports = 16;
constexpr int kSite = 9;

/// Crossers 50 m apart (a crossing every ~0.5 wall s), a few vessels west of the border.
std::vector<Vessel> fleet() {
    std::vector<Vessel> v;
    for (int i = 0; i < kCrossers; ++i) {
        const LatLon on_border{-9.3 + 0.012 * i, 125.0};
        v.push_back({static_cast<Mmsi>(257500000 + i),
                     geo::geodesic_destination(on_border, 270.0, 300.0 + 50.0 * i), 90.0});
    }
    for (int i = 0; i < 10; ++i)
        v.push_back({static_cast<Mmsi>(258500000 + i), LatLon{-9.45 + 0.09 * i, 124.45}, 270.0});
    return v;
}

/// The backend pids waiting on a lock, other than `self`'s.
std::vector<std::int64_t> waiting_on_a_lock(store::pg::Connection& self) {
    const auto r = self.exec(
        "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND pid <> pg_backend_pid()");
    std::vector<std::int64_t> pids;
    for (int i = 0; i < r.rows(); ++i) pids.push_back(r.i64(i, 0));
    return pids;
}

/// "N of M alert versions and K of L actions were missing": {N, M}.
std::pair<int, int> missing_alert_versions(const std::string& log) {
    const std::string lead = "of what the old primary may not have committed, ";
    const auto at = log.find(lead);
    if (at == std::string::npos) return {-1, -1};
    int n = -1;
    int m = -1;
    std::sscanf(log.c_str() + at + lead.size(), "%d of %d", &n, &m);
    return {n, m};
}

}  // namespace

TEST_CASE(
    // No colon in the name: Catch2 indents a wrapped name to its first ": ", and past the
    // console's width it wraps forever (an 18 GB log, seen once).
    "a primary killed with alerts its standby acked but PostgreSQL never committed, and the "
    "standby writes exactly those rows once",
    "[store][pg][e2e][standby]") {
    const std::string conninfo = store::testing::fresh_schema();
    TempDir dir;
    Deployment d = deployment_on(dir, conninfo, kSite);
    add_standby_link(d);
    RunningPair pair(d, dir, kSpeed);
    zmq::context_t& ctx = pair.ctx;
    Subscriber& console = pair.console;
    ChildProcess& primary = pair.primary;
    const std::string& primary_instance = pair.primary_instance;

    store::pg::Connection blocker(conninfo);
    Fleet sender(pair.feed);
    sender.sail(fleet(), kReports, kSpeed);

    // The first alert reaches the console (stored and published as usual); then the table is
    // held and the next alert's commit waits: the primary is killed then.
    std::map<AlertId, Mmsi> seen;  // alert id -> vessel, every id the console saw
    int doubled = 0;
    bool killed = false;
    std::string standby_instance;
    std::vector<std::int64_t> blocked;
    const auto deadline = Clock::now() + 60s;
    while (Clock::now() < deadline) {
        auto msg = console.next(50ms);
        if (!killed && !seen.empty()) {
            blocked = waiting_on_a_lock(blocker);
            if (!blocked.empty()) {
                primary.kill9();
                killed = true;
                // PostgreSQL ending the dead client's session: its transaction rolled back,
                // the site's lock freed. Then the table is free for the standby.
                for (const auto pid : blocked)
                    blocker.exec("SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
                blocker.exec("COMMIT");
            }
        }
        if (!msg) {
            if (killed && !standby_instance.empty() && static_cast<int>(seen.size()) >= kCrossers)
                break;
            continue;
        }
        const auto& [topic, body] = *msg;
        const std::string instance = body.value("instance", "");
        if (killed && instance != primary_instance) standby_instance = instance;
        if (topic != "alert") continue;
        const json& p = body["properties"];
        const auto id = p["alert_id"].get<AlertId>();
        const Mmsi mmsi = p["mmsi"].get<Mmsi>();
        if (seen.contains(id)) continue;  // the same alert again (restored): fine
        if (std::any_of(seen.begin(), seen.end(), [&](const auto& s) { return s.second == mmsi; }))
            ++doubled;
        seen[id] = mmsi;
        if (seen.size() == 1 && !killed) {
            // Writes wait from here on; reads (the standby's checks, the console's) go on.
            blocker.exec("BEGIN");
            blocker.exec("LOCK TABLE alerts IN SHARE MODE");
        }
    }
    sender.stop();
    REQUIRE(killed);
    REQUIRE_FALSE(standby_instance.empty());  // the standby took over and published
    CHECK(static_cast<int>(seen.size()) == kCrossers);
    CHECK(doubled == 0);

    // The standby wrote what the primary never committed: at least the alert whose commit was
    // held, and nothing twice.
    const auto [missing, held] = missing_alert_versions(read_text(dir.file("standby.log")));
    INFO("standby log: " << read_text(dir.file("standby.log")));
    CHECK(missing >= 1);
    CHECK(missing <= held);
    const json last = json::parse(wait_for_snapshot(ctx, d.snapshot_endpoint, 10s));
    CHECK(pair.standby.terminate() == 0);

    const store::PgStore db(conninfo, {.site = kSite, .read_only = true});
    const auto rows = db.alerts_between(Timestamp{0}, kT0 + Duration::from_seconds(86400.0));
    std::set<AlertId> stored;
    for (const Alert& a : rows) {
        INFO("alert " << a.id << " in the database");
        CHECK(stored.insert(a.id).second);
        CHECK(seen.contains(a.id));  // no alert the console never saw
        const auto trail = db.audit_trail(a.id);
        CHECK(std::count_if(trail.begin(), trail.end(), [](const outputs::AuditEntry& e) {
                  return e.change == "raised";
              }) == 1);
    }
    for (const auto& [id, mmsi] : seen) {
        INFO("alert " << id << " the console saw (vessel " << mmsi << ")");
        CHECK(stored.contains(id));  // none lost: the held ones were written by the standby
    }
    std::set<AlertId> engine;
    for (const json& a : last["alerts"]) engine.insert(a["properties"]["alert_id"].get<AlertId>());
    CHECK(engine == stored);
    std::printf(
        "pg standby, primary killed mid-commit: %zu alerts seen, %zu in the database; at "
        "takeover the standby found %d of %d alert versions missing and wrote them\n",
        seen.size(), stored.size(), missing, held);
}
