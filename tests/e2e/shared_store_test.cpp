// Issue 16 on real processes: two `picket serve` sharing one PostgreSQL store (a throwaway
// cluster, scripts/pg-cluster.sh, started by this binary's main). A vessel crosses the border in
// server A's sector; A raises the alert and an operator acknowledges it on A's command socket.
// Server B's console (its PUB) must show A's alert as raised and then as acknowledged, by whom,
// without a restart, and B's snapshot must hold it; B's operators cannot act on it (A owns it).
#include <catch2/catch.hpp>

#include <thread>

#include "geo/local_frame.hpp"
#include "src/store/pg_store.hpp"
#include "tests/e2e/fleet.hpp"
#include "tests/e2e/pg_deployment.hpp"
#include "tests/e2e/scenario_fixture.hpp"
#include "tests/e2e/server_process.hpp"
#include "tests/e2e/voyage.hpp"
#include "tests/unit/store/pg_cluster.hpp"

using namespace picket;
using namespace picket::e2e;
using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> serve(const Deployment& d) {
    return {picket_binary(), "serve",
            "--config",      d.config_path,
            "--clock-start", to_iso8601(kT0),
            "--clock-speed", std::to_string(scaled_clock_speed(kClockSpeed))};
}

/// The next `alert` message on `console` about `id` (any id when 0) whose state is `state`.
std::optional<json> alert_on(Subscriber& console, AlertId id, const std::string& state,
                             std::chrono::milliseconds wait) {
    const auto until = Clock::now() + wait;
    while (Clock::now() < until) {
        auto msg = console.next(100ms);
        if (!msg || msg->first != "alert") continue;
        const json& p = msg->second["properties"];
        if ((id == 0 || p["alert_id"].get<AlertId>() == id) && p["state"] == state)
            return msg->second;
    }
    return std::nullopt;
}

}  // namespace

TEST_CASE("two servers on one PostgreSQL store: an ack on one's console reaches the other's",
          "[store][pg][e2e]") {
    const std::string conninfo = store::testing::fresh_schema();
    TempDir dir_a, dir_b;
    const Deployment a = deployment_on(dir_a, conninfo, 1);
    const Deployment b = deployment_on(dir_b, conninfo, 2);
    zmq::context_t ctx;
    zmq::socket_t feed(ctx, zmq::socket_type::pub);
    feed.bind(a.feed_endpoint);
    Subscriber console_b(ctx, b.publish_endpoint);

    ChildProcess server_a(serve(a), dir_a.file("server.log"));
    ChildProcess server_b(serve(b), dir_b.file("server.log"));
    wait_for_snapshot(ctx, a.snapshot_endpoint, 20s);
    wait_for_snapshot(ctx, b.snapshot_endpoint, 20s);
    std::this_thread::sleep_for(300ms);  // A's feed SUB and our SUB on B connected

    // One vessel 600 m west of the border, sailing east: A's alert ~0.3 wall s later.
    Fleet fleet(feed);
    const LatLon on_border{-9.3, 125.0};
    fleet.sail({{kMmsi, geo::geodesic_destination(on_border, 270.0, 600.0), 90.0}}, 20,
               scaled_clock_speed(kClockSpeed));

    const auto raised = alert_on(console_b, 0, "open", 15s);
    REQUIRE(raised);  // A's alert, shown on B's console
    const json& rp = (*raised)["properties"];
    const auto id = rp["alert_id"].get<AlertId>();
    CHECK(id >> store::PgStore::kSiteShift == 1);  // A's id range
    CHECK(rp["mmsi"] == kMmsi);
    CHECK(rp["kind"] == "border_crossing");

    const auto reply = request(ctx, a.commands_endpoint,
                               json{{"cmd", "ack"}, {"alert_id", id}, {"by", "op-a"}}.dump(), 5s);
    REQUIRE(reply);
    REQUIRE(json::parse(*reply)["ok"] == true);
    const auto acked_at = Clock::now();
    const auto acked = alert_on(console_b, id, "acknowledged", 5s);
    REQUIRE(acked);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - acked_at).count();
    std::printf("ack on server A -> server B's console: %.0f ms\n", ms);
    CHECK((*acked)["properties"]["acknowledged_by"] == "op-a");
    CHECK((*acked)["properties"]["change"] == "acknowledged");
    CHECK((*acked)["properties"]["acknowledged_at"].is_string());

    // A console joining B now gets it from B's snapshot, acknowledged.
    const json snap = json::parse(wait_for_snapshot(ctx, b.snapshot_endpoint, 5s));
    bool held = false;
    for (const json& al : snap["alerts"])
        if (al["properties"]["alert_id"].get<AlertId>() == id) {
            held = true;
            CHECK(al["properties"]["state"] == "acknowledged");
        }
    CHECK(held);

    // B's operators do not act on A's incident: A's server owns it (its rules, its engine).
    const auto refused =
        request(ctx, b.commands_endpoint,
                json{{"cmd", "close"}, {"alert_id", id}, {"by", "op-b"}}.dump(), 5s);
    REQUIRE(refused);
    CHECK(json::parse(*refused)["ok"] == false);

    // Closed on A: B's console hears it and B's snapshot lets it go.
    const auto closed =
        request(ctx, a.commands_endpoint,
                json{{"cmd", "close"}, {"alert_id", id}, {"by", "op-a"}}.dump(), 5s);
    REQUIRE(closed);
    REQUIRE(json::parse(*closed)["ok"] == true);
    CHECK(alert_on(console_b, id, "closed", 5s));
    const json after = json::parse(wait_for_snapshot(ctx, b.snapshot_endpoint, 5s));
    for (const json& al : after["alerts"]) CHECK(al["properties"]["alert_id"].get<AlertId>() != id);

    fleet.stop();
    CHECK(server_b.terminate() == 0);
    CHECK(server_a.terminate() == 0);
}
