// Issue 16 goal "kill -9 of a server loses no committed ack", on the PostgreSQL store: the kill -9
// pattern of kill9_test.cpp (SQLite) on a real `picket serve` whose store is the throwaway
// cluster. Vessels cross the border while 200 others sail beside them (track history and the
// alert flow keep the store busy); an operator acknowledges alerts on the command socket and the
// server is killed with SIGKILL the instant an ack is confirmed, with an ack in flight, and in a
// burst of commands. Each restart on the same database must hold every acknowledgement the
// server confirmed (state, by whom, when), re-announce nothing closed, and never reuse an alert
// id; at the end the database's audit trail (actions) holds every confirmed ack.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
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

namespace {

enum class Ending { kill_after_ack_reply, kill_with_ack_in_flight, kill_in_command_burst, stop };
constexpr Ending kLives[] = {Ending::kill_after_ack_reply, Ending::kill_with_ack_in_flight,
                             Ending::kill_in_command_burst, Ending::kill_after_ack_reply,
                             Ending::stop};
constexpr int kSite = 3;
constexpr int kCrossers = 6;
constexpr int kBackgroundVessels = 200;

Timestamp life_start(std::size_t life) {
    return kT0 + Duration::from_seconds(3600.0 * static_cast<double>(life));
}

std::vector<Vessel> fleet_for_life(std::size_t life) {
    // kCrossers vessels 1.1 km apart north-south, 600 m + 250 m * i west of the border, sailing
    // east: one crossing every ~25 virtual s. Background traffic 20-60 km west, sailing west.
    std::vector<Vessel> v;
    for (int i = 0; i < kCrossers; ++i) {
        const LatLon on_border{-9.3 + 0.01 * i, 125.0};
        v.push_back({static_cast<Mmsi>(257200000 + 100 * life + static_cast<std::size_t>(i)),
                     geo::geodesic_destination(on_border, 270.0, 600.0 + 250.0 * i), 90.0});
    }
    for (int i = 0; i < kBackgroundVessels; ++i)
        v.push_back({static_cast<Mmsi>(258500000 + 1000 * life + static_cast<std::size_t>(i)),
                     {-9.45 + 0.9 * (i % 20) / 20.0, 124.45 + 0.35 * (i / 20) / 10.0},
                     270.0});
    return v;
}

AlertId id_of(const json& a) { return a["properties"]["alert_id"].get<AlertId>(); }

}  // namespace

TEST_CASE("kill -9 of a server writing to PostgreSQL loses no committed ack",
          "[store][pg][e2e][crash]") {
    const std::string conninfo = store::testing::fresh_schema();
    TempDir dir;
    const Deployment d = deployment_on(dir, conninfo, kSite);
    zmq::context_t ctx;
    zmq::socket_t feed(ctx, zmq::socket_type::pub);
    feed.bind(d.feed_endpoint);
    Fleet fleet(feed);
    Subscriber console(ctx, d.publish_endpoint);

    std::map<AlertId, std::string> acked;  // confirmed {"ok":true}: by whom
    std::set<AlertId> maybe_acked;         // sent, killed before any reply
    std::set<AlertId> seen;                // every alert id the console saw
    AlertId max_seen = 0;

    for (std::size_t life = 0; life < std::size(kLives); ++life) {
        INFO("life " << life);
        ChildProcess server({picket_binary(), "serve", "--config", d.config_path, "--clock-start",
                             to_iso8601(life_start(life)), "--clock-speed",
                             std::to_string(scaled_clock_speed(kClockSpeed)), "--quiet"},
                            dir.file("server-" + std::to_string(life) + ".log"));
        const json snap = json::parse(wait_for_snapshot(ctx, d.snapshot_endpoint, 20s));

        // Restored from PostgreSQL: every confirmed ack, complete; an ack in flight either way.
        std::map<AlertId, json> restored;
        for (const json& a : snap["alerts"]) restored[id_of(a)] = a["properties"];
        for (const auto& [id, by] : acked) {
            INFO("confirmed ack of alert " << id);
            REQUIRE(restored.contains(id));
            CHECK(restored[id]["state"] == "acknowledged");
            CHECK(restored[id]["acknowledged_by"] == by);
            CHECK(restored[id]["acknowledged_at"].is_string());
        }
        for (const AlertId id : maybe_acked) {
            REQUIRE(restored.contains(id));
            const json& p = restored[id];
            CHECK((p["state"] == "open" ||
                   (p["state"] == "acknowledged" && p["acknowledged_at"].is_string())));
        }
        for (const AlertId id : seen) CHECK(restored.contains(id));  // none closed: all kept
        const AlertId max_before =
            std::max(max_seen, restored.empty() ? AlertId{0} : restored.rbegin()->first);

        std::this_thread::sleep_for(scaled(300ms));  // the server's feed SUB (re)connects
        fleet.sail(fleet_for_life(life), 32, scaled_clock_speed(kClockSpeed));
        const std::string op = "op" + std::to_string(life);
        const auto ack = [&](AlertId id) {
            const auto reply =
                request(ctx, d.commands_endpoint,
                        json{{"cmd", "ack"}, {"alert_id", id}, {"by", op}}.dump(), 5s);
            REQUIRE(reply);
            REQUIRE(json::parse(*reply)["ok"] == true);
            acked[id] = op;
        };

        int new_alerts = 0;
        bool killed = false;
        const auto deadline = std::chrono::steady_clock::now() + scaled(20s);
        while (!killed && std::chrono::steady_clock::now() < deadline) {
            auto msg = console.next(50ms);
            if (!msg) {
                if (fleet.done() && new_alerts >= kCrossers) break;
                continue;
            }
            if (msg->first != "alert") continue;
            const AlertId id = id_of(msg->second);
            if (seen.contains(id)) continue;  // an update (an ack, a restored one)
            CHECK(id > max_before);           // never an id used before, in any life
            CHECK(id >> store::PgStore::kSiteShift == kSite);
            seen.insert(id);
            max_seen = std::max(max_seen, id);
            ++new_alerts;
            switch (kLives[life]) {
                case Ending::kill_after_ack_reply:
                    ack(id);
                    if (new_alerts == 3) {
                        server.kill9();  // the instant the third ack is confirmed
                        killed = true;
                    }
                    break;
                case Ending::kill_with_ack_in_flight:
                    if (new_alerts < 3) {
                        ack(id);
                    } else {
                        zmq::socket_t req(ctx, zmq::socket_type::req);
                        req.set(zmq::sockopt::linger, 0);
                        req.connect(d.commands_endpoint);
                        req.send(
                            zmq::buffer(json{{"cmd", "ack"}, {"alert_id", id}, {"by", op}}.dump()),
                            zmq::send_flags::none);
                        maybe_acked.insert(id);
                        server.kill9();
                        killed = true;
                    }
                    break;
                case Ending::kill_in_command_burst:
                    if (new_alerts == 2) {
                        // The ack, then labels for its track, at once on one DEALER (busy
                        // consoles); killed the instant the ack's reply arrives.
                        zmq::socket_t dealer(ctx, zmq::socket_type::dealer);
                        dealer.set(zmq::sockopt::linger, 0);
                        dealer.set(zmq::sockopt::rcvtimeo, static_cast<int>(scaled(5s).count()));
                        dealer.connect(d.commands_endpoint);
                        dealer.send(
                            zmq::buffer(json{{"cmd", "ack"}, {"alert_id", id}, {"by", op}}.dump()),
                            zmq::send_flags::none);
                        for (int i = 0; i < 60; ++i)
                            dealer.send(zmq::buffer(json{
                                            {"cmd", "label"},
                                            {"track_id", msg->second["properties"]["track_id"]},
                                            {"label", "suspect " + std::to_string(i)},
                                            {"by", op}}.dump()),
                                        zmq::send_flags::none);
                        zmq::message_t reply;
                        const bool got = dealer.recv(reply).has_value();
                        server.kill9();
                        killed = true;
                        REQUIRE(got);
                        REQUIRE(json::parse(reply.to_string())["ok"] == true);
                        acked[id] = op;
                    }
                    break;
                case Ending::stop:
                    if (new_alerts % 2 == 1) ack(id);
                    break;
            }
        }
        fleet.stop();
        CHECK(new_alerts >= 2);
        // What the server published before it died: known before the restart is checked.
        while (killed) {
            auto msg = console.next(scaled(300ms));
            if (!msg) break;
            if (msg->first != "alert") continue;
            seen.insert(id_of(msg->second));
            max_seen = std::max(max_seen, id_of(msg->second));
        }
        if (!killed) CHECK(server.terminate() == 0);
    }

    // The database's own record, read as `picket export` would: every confirmed ack is in the
    // audit trail with its {"ok":true}, and the alert row says acknowledged, by whom.
    const store::PgStore db(conninfo, {.site = kSite, .read_only = true});
    const auto actions = db.actions_between(Timestamp{0}, life_start(std::size(kLives) + 1));
    for (const auto& [id, by] : acked) {
        INFO("ack of alert " << id);
        CHECK(std::any_of(actions.begin(), actions.end(), [&](const outputs::ActionRecord& a) {
            const json c = json::parse(a.command_json);
            return c["cmd"] == "ack" && c["alert_id"] == id && a.result == R"({"ok":true})";
        }));
        const auto row = db.find_alert(id);
        REQUIRE(row);
        CHECK(row->state == AlertState::acknowledged);
        CHECK(row->acknowledged_by == by);
    }
    CHECK(acked.size() >= 8);
}
