// Issue #7, point 3, on the real server process: alerts, acknowledgements and operator actions
// are stored (SQLite, WAL) before they are published, so a `picket serve` killed with SIGKILL at
// an awkward moment and started again on the same files loses no acknowledged alert and no
// acknowledgement, never repeats an alert id, and re-announces the alerts still open; the
// recording made before each kill stays readable up to its last complete record. Every life runs
// under load (300 background vessels, 3,000 messages/s: issue #18), so the kills land while the
// store, the recording and the track log are busy.
//
// Everything goes over real sockets: AIS in on the feed socket, acknowledgements on the operator
// command ROUTER, alerts out on PUB, the restored picture from the snapshot ROUTER.
//
// Regressions it caught: restored alerts were re-announced inside the server's constructor, before
// any console could have reconnected (so no one ever heard them); and a command was written to
// the recording only after its reply, so a kill -9 during a burst of commands left a confirmed
// acknowledgement in the database that the recording never held.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "core/time.hpp"
#include "geo/local_frame.hpp"
#include "src/outputs/alert_store.hpp"
#include "src/record/recording_reader.hpp"
#include "tests/e2e/fleet.hpp"
#include "tests/e2e/scenario_fixture.hpp"
#include "tests/e2e/server_process.hpp"
#include "tests/e2e/voyage.hpp"

using namespace picket;
using namespace picket::e2e;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

/// How each server life ends. The final life is stopped cleanly after the last checks.
enum class Ending {
    kill_after_ack_reply,       ///< SIGKILL the instant the ack's {"ok":true} arrives
    kill_while_streaming,       ///< SIGKILL the instant an alert arrives, vessels still crossing
    kill_with_ack_in_flight,    ///< send an ack and SIGKILL without waiting for the reply
    kill_after_close_and_ack,   ///< close one alert, ack another, SIGKILL after the ack's reply
    kill_during_command_burst,  ///< an ack then many more commands at once; SIGKILL at the ack's
                                ///< reply
    clean_stop,
};
constexpr Ending kLives[] = {Ending::kill_after_ack_reply,      Ending::kill_while_streaming,
                             Ending::kill_with_ack_in_flight,   Ending::kill_after_close_and_ack,
                             Ending::kill_during_command_burst, Ending::clean_stop};
constexpr int kBurstCommands = 60;
/// Traffic sailing beside the crossers in every life (issue #18: the test under load), one report
/// each per 10 virtual seconds: 3,000 AIS messages a wall second at kClockSpeed, so every kill
/// lands while the store, the recording and the track log are busy. Under ThreadSanitizer the
/// clock runs PICKET_TEST_TIME_SCALE times slower (scaled_clock_speed): the same voyage, 300 a
/// wall second, which an instrumented server reads as they come.
constexpr int kBackgroundVessels = 300;
constexpr int kVesselsPerLife = 8;
constexpr int kReportsPerLife = 32;  // the last vessel ends ~600 m past the border

/// An acknowledgement the server confirmed with {"ok":true}.
struct Ack {
    std::string by;
    Timestamp not_before;           ///< the server's time (snapshot) just before the ack
    Timestamp not_after;            ///< the next life's clock start
    std::optional<std::string> at;  ///< acknowledged_at as published, when the test saw it
};

/// What the test knows for certain about the server's alerts, across lives.
struct Knowledge {
    std::map<AlertId, json> alerts;  ///< last version seen, by id (PUB or snapshot)
    std::map<AlertId, Ack> acked;
    std::set<AlertId> maybe_acked;         ///< ack sent, process killed before any reply
    std::set<AlertId> closed;              ///< close confirmed with {"ok":true}
    std::map<Mmsi, AlertId> crossing_of;   ///< one border crossing per vessel, ever
    std::vector<AlertId> ack_commands_ok;  ///< every confirmed ack, for the recording check
};

AlertId id_of(const json& alert) { return alert["properties"]["alert_id"].get<AlertId>(); }

Timestamp time_of(const json& j, const char* key) {
    return *parse_iso8601(j[key].get<std::string>());
}

Timestamp life_clock_start(std::size_t life) {
    // Each life starts its clock an hour after the previous one: server time never runs backwards.
    return kT0 + Duration::from_seconds(3600.0 * static_cast<double>(life));
}

std::vector<Vessel> fleet_for_life(std::size_t life) {
    // Eight vessels 1.1 km apart north-south, each starting 600 m + 250 m * i west of the
    // border and sailing east: their crossings (and alerts) follow each other ~25 s (0.25 s
    // wall) apart. New MMSIs every life, so every crossing is a new incident.
    std::vector<Vessel> v;
    for (int i = 0; i < kVesselsPerLife; ++i) {
        const LatLon on_border{-9.3 + 0.01 * i, 125.0};
        const LatLon start = geo::geodesic_destination(on_border, 270.0, 600.0 + 250.0 * i);
        v.push_back(
            {static_cast<Mmsi>(257100000 + 100 * life + static_cast<std::size_t>(i)), start, 90.0});
    }
    // The background traffic: west of the border, 20-60 km from it, sailing west (3.3 km a
    // life): tracks and history to write, never an alert. New MMSIs every life.
    for (int i = 0; i < kBackgroundVessels; ++i) {
        const LatLon start{-9.45 + 0.9 * (i % 30) / 30.0, 124.45 + 0.35 * (i / 30) / 20.0};
        v.push_back({static_cast<Mmsi>(258000000 + 1000 * life + static_cast<std::size_t>(i)),
                     start, 270.0});
    }
    return v;
}

/// One life of the server process, seen from the outside.
class Life {
public:
    Life(zmq::context_t& ctx, const Deployment& d, std::size_t n, const TempDir& dir)
        : ctx_(ctx),
          d_(d),
          process_({picket_binary(), "serve", "--config", d.config_path, "--clock-start",
                    to_iso8601(life_clock_start(n)), "--clock-speed",
                    std::to_string(scaled_clock_speed(kClockSpeed)), "--quiet"},
                   dir.file("server.log")) {
        // A restart on a loaded CI machine (opening the store, the layers, the recording) may
        // take a while: 20 s before the test calls it a failure.
        first_snapshot = json::parse(wait_for_snapshot(ctx_, d_.snapshot_endpoint, 20s));
    }

    json snapshot() { return json::parse(wait_for_snapshot(ctx_, d_.snapshot_endpoint, 5s)); }

    /// An operator command; the reply, or nullopt when none came within 5 s.
    std::optional<json> command(const json& cmd) {
        auto reply = request(ctx_, d_.commands_endpoint, cmd.dump(), 5s);
        if (!reply) return std::nullopt;
        return json::parse(*reply);
    }

    /// Sends `cmds` at once on one DEALER (as busy consoles would) and waits for the first reply.
    std::optional<json> burst(const std::vector<json>& cmds) {
        in_flight_ = std::make_unique<zmq::socket_t>(ctx_, zmq::socket_type::dealer);
        in_flight_->set(zmq::sockopt::linger, 0);
        in_flight_->set(zmq::sockopt::rcvtimeo, static_cast<int>(scaled(5s).count()));
        in_flight_->connect(d_.commands_endpoint);
        for (const json& c : cmds) in_flight_->send(zmq::buffer(c.dump()), zmq::send_flags::none);
        zmq::message_t reply;
        if (!in_flight_->recv(reply)) return std::nullopt;
        return json::parse(reply.to_string());
    }

    /// Sends a command and returns without waiting for the reply.
    void command_no_wait(const json& cmd) {
        in_flight_ = std::make_unique<zmq::socket_t>(ctx_, zmq::socket_type::req);
        in_flight_->set(zmq::sockopt::linger, 0);
        in_flight_->connect(d_.commands_endpoint);
        in_flight_->send(zmq::buffer(cmd.dump()), zmq::send_flags::none);
    }

    ChildProcess& process() { return process_; }
    json first_snapshot;

private:
    zmq::context_t& ctx_;
    const Deployment& d_;
    ChildProcess process_;
    std::unique_ptr<zmq::socket_t> in_flight_;
};

/// After a restart: everything the test knew survived, nothing changed that should not have.
void check_restored(const json& snap, Knowledge& k, std::size_t life) {
    std::map<AlertId, json> restored;
    for (const json& a : snap["alerts"]) restored[id_of(a)] = a;
    INFO("life " << life << ", restored alerts: " << restored.size());

    for (const auto& [id, seen] : k.alerts) {
        INFO("alert " << id);
        if (k.closed.contains(id)) {
            CHECK_FALSE(restored.contains(id));  // closed alerts are not re-announced
            continue;
        }
        REQUIRE(restored.contains(id));  // published, hence stored: never lost
        const json& p = restored[id]["properties"];
        const json& q = seen["properties"];
        for (const char* key : {"kind", "rule", "track_id", "mmsi", "time", "severity", "message"})
            CHECK(p[key] == q[key]);
        CHECK(restored[id]["geometry"] == seen["geometry"]);
        if (auto ack = k.acked.find(id); ack != k.acked.end()) {
            CHECK(p["state"] == "acknowledged");
            CHECK(p["acknowledged_by"] == ack->second.by);
            REQUIRE(p["acknowledged_at"].is_string());
            const Timestamp at = time_of(p, "acknowledged_at");
            CHECK(at >= ack->second.not_before);
            CHECK(at <= ack->second.not_after);
            if (ack->second.at) CHECK(p["acknowledged_at"] == *ack->second.at);
        } else if (k.maybe_acked.contains(id)) {
            // Killed with the ack in flight: either outcome is fine, but a complete one.
            if (p["state"] == "acknowledged") {
                CHECK_FALSE(p["acknowledged_by"].get<std::string>().empty());
                CHECK(p["acknowledged_at"].is_string());
            } else {
                CHECK(p["state"] == "open");
            }
        } else {
            CHECK(p["state"] == "open");
            CHECK(p["acknowledged_by"].is_null());
        }
    }
    // Alerts stored but never seen (killed between the store and PUB) join what the test knows.
    for (auto& [id, a] : restored) {
        CHECK(a["properties"]["state"] != "closed");
        if (!k.alerts.contains(id)) k.alerts[id] = a;
        if (k.maybe_acked.contains(id) && a["properties"]["state"] == "acknowledged") {
            k.maybe_acked.erase(id);
            k.acked[id] =
                Ack{a["properties"]["acknowledged_by"], Timestamp{}, life_clock_start(life),
                    a["properties"]["acknowledged_at"].get<std::string>()};
        }
    }
}

/// Alerts still open at the restart are announced again on PUB, as they were restored, to the
/// console that stayed connected through the restart.
void check_reannounced(Subscriber& console, const json& snap, Knowledge& k) {
    std::map<AlertId, json> pending;
    for (const json& a : snap["alerts"]) pending[id_of(a)] = a;
    const auto deadline = std::chrono::steady_clock::now() + scaled(5s);
    while (!pending.empty() && std::chrono::steady_clock::now() < deadline) {
        auto msg = console.next(50ms);
        if (!msg || msg->first != "alert") continue;
        const json& a = msg->second;
        const auto it = pending.find(id_of(a));
        REQUIRE(it != pending.end());  // no fleet yet: nothing new can be raised
        CHECK(a["seq"].get<std::uint64_t>() > snap["seq"].get<std::uint64_t>());
        // The same incident as restored; the announcement says why it is sent again.
        CHECK(a["properties"]["change"] == "restored");
        json announced = a["properties"], restored = it->second["properties"];
        announced.erase("change");
        restored.erase("change");
        CHECK(announced == restored);
        CHECK(a["geometry"] == it->second["geometry"]);
        k.alerts[it->first] = a;
        pending.erase(it);
    }
    for (const auto& [id, a] : pending) {
        INFO("restored alert " << id << " was not announced again on PUB within 5 s");
        CHECK(false);
    }
}

AlertId max_known_id(const Knowledge& k) { return k.alerts.empty() ? 0 : k.alerts.rbegin()->first; }

}  // namespace

TEST_CASE(
    "kill -9 of the real server loses no acknowledged alert, repeats no id, re-announces open "
    "alerts",
    "[e2e][crash]") {
    TempDir dir;
    const Deployment d = write_deployment(dir, /*record=*/true, /*store=*/true);
    zmq::context_t ctx;
    zmq::socket_t feed(ctx, zmq::socket_type::pub);
    feed.bind(d.feed_endpoint);
    Fleet fleet(feed);
    // One console connected through every restart, as a control room's would be (ZeroMQ
    // reconnects by itself).
    Subscriber console(ctx, d.publish_endpoint);
    Knowledge k;
    int kills = 0;

    for (std::size_t life = 0; life < std::size(kLives); ++life) {
        const Ending ending = kLives[life];
        INFO("life " << life);
        Life server(ctx, d, life, dir);
        if (life > 0) {
            check_restored(server.first_snapshot, k, life);
            check_reannounced(console, server.first_snapshot, k);
        }
        const AlertId max_before = max_known_id(k);
        std::this_thread::sleep_for(
            scaled(300ms));  // the server's feed SUB (re)connects to our PUB
        fleet.sail(fleet_for_life(life), kReportsPerLife, scaled_clock_speed(kClockSpeed));

        std::vector<AlertId> new_alerts;
        bool killed = false;
        const auto deadline = std::chrono::steady_clock::now() + scaled(15s);
        while (std::chrono::steady_clock::now() < deadline) {
            // After a kill, read what the server published before it died, then move on.
            auto msg = console.next(killed ? 200ms : 50ms);
            if (!msg) {
                if (killed || (fleet.done() && new_alerts.size() >= kVesselsPerLife)) break;
                continue;
            }
            const auto& [topic, body] = *msg;
            if (topic != "alert") continue;
            const AlertId id = id_of(body);
            const json& p = body["properties"];
            if (k.alerts.contains(id)) {
                // An update of an alert already known (an ack): the same alert.
                CHECK(k.alerts[id]["properties"]["time"] == p["time"]);
                CHECK(k.alerts[id]["properties"]["track_id"] == p["track_id"]);
                if (auto ack = k.acked.find(id);
                    ack != k.acked.end() && p["state"] == "acknowledged")
                    ack->second.at = p["acknowledged_at"].get<std::string>();
                k.alerts[id] = body;
                continue;
            }
            // A new alert: its id was never used before, in this life or any earlier one.
            CHECK(id > max_before);
            REQUIRE(p["kind"] == "border_crossing");
            CHECK(p["state"] == "open");
            const Mmsi mmsi = p["mmsi"].get<Mmsi>();
            CHECK_FALSE(k.crossing_of.contains(mmsi));  // one crossing, one alert, restarts or not
            k.crossing_of[mmsi] = id;
            k.alerts[id] = body;
            new_alerts.push_back(id);
            if (killed) continue;

            const auto ack = [&](AlertId which, const std::string& by) {
                const Timestamp before = time_of(server.snapshot(), "time");
                const auto reply =
                    server.command({{"cmd", "ack"}, {"alert_id", which}, {"by", by}});
                REQUIRE(reply);
                REQUIRE((*reply)["ok"] == true);
                k.acked[which] = Ack{by, before, life_clock_start(life + 1), std::nullopt};
                k.ack_commands_ok.push_back(which);
            };
            const std::string op = "op" + std::to_string(life);
            switch (ending) {
                case Ending::kill_after_ack_reply:
                    // Ack every other alert; die the instant the second ack is confirmed.
                    if (new_alerts.size() % 2 == 1) ack(id, op);
                    if (new_alerts.size() == 3) {
                        server.process().kill9();
                        killed = true;
                    }
                    break;
                case Ending::kill_while_streaming:
                    if (new_alerts.size() == 1) ack(id, op);
                    if (new_alerts.size() == 4) {
                        server.process().kill9();  // more vessels are about to cross
                        killed = true;
                    }
                    break;
                case Ending::kill_with_ack_in_flight:
                    if (new_alerts.size() == 1) ack(id, op);
                    if (new_alerts.size() == 3) {
                        server.command_no_wait({{"cmd", "ack"}, {"alert_id", id}, {"by", op}});
                        k.maybe_acked.insert(id);
                        server.process().kill9();
                        killed = true;
                    }
                    break;
                case Ending::kill_after_close_and_ack:
                    if (new_alerts.size() == 1) {
                        const auto reply =
                            server.command({{"cmd", "close"}, {"alert_id", id}, {"by", op}});
                        REQUIRE(reply);
                        REQUIRE((*reply)["ok"] == true);
                        k.closed.insert(id);
                    }
                    if (new_alerts.size() == 2) {
                        ack(id, op);
                        server.process().kill9();
                        killed = true;
                    }
                    break;
                case Ending::kill_during_command_burst:
                    if (new_alerts.size() == 2) {
                        // The ack, then labels for its track: the server handles them in one
                        // wake-up.
                        std::vector<json> cmds{{{"cmd", "ack"}, {"alert_id", id}, {"by", op}}};
                        for (int i = 0; i < kBurstCommands; ++i)
                            cmds.push_back({{"cmd", "label"},
                                            {"track_id", p["track_id"]},
                                            {"label", "suspect " + std::to_string(i)},
                                            {"by", op}});
                        const Timestamp before = time_of(server.snapshot(), "time");
                        const auto reply = server.burst(cmds);
                        server.process().kill9();  // the instant the ack is confirmed
                        killed = true;
                        REQUIRE(reply);
                        REQUIRE((*reply)["ok"] == true);
                        k.acked[id] = Ack{op, before, life_clock_start(life + 1), std::nullopt};
                        k.ack_commands_ok.push_back(id);
                    }
                    break;
                case Ending::clean_stop:
                    if (new_alerts.size() == 1) ack(id, op);
                    break;
            }
        }
        fleet.stop();
        INFO("new alerts this life: " << new_alerts.size());
        CHECK(new_alerts.size() >= (ending == Ending::clean_stop ? kVesselsPerLife : 2u));
        if (killed) {
            ++kills;
            continue;
        }
        // The last life: still everything, then a clean stop.
        const json last = server.snapshot();
        check_restored(last, k, life + 1);
        // The load was real: the background vessels are live tracks.
        CHECK(last["tracks"].size() >= kBackgroundVessels);
        CHECK(server.process().terminate() == 0);
    }

    // The audit log holds every acknowledgement the server confirmed.
    {
        outputs::SqliteStore store(dir.file("picket.db"),
                                   outputs::SqliteStore::Options{.read_only = true});
        const auto actions =
            store.actions_between(Timestamp{0}, life_clock_start(std::size(kLives) + 1));
        for (AlertId id : k.ack_commands_ok) {
            INFO("ack of alert " << id);
            CHECK(std::any_of(actions.begin(), actions.end(), [&](const outputs::ActionRecord& a) {
                const json c = json::parse(a.command_json);
                return c["cmd"] == "ack" && c["alert_id"] == id && a.result == R"({"ok":true})";
            }));
        }
    }

    // The recording: one segment per life, each readable up to its last complete record (at most
    // one torn record per kill), holding every confirmed ack command.
    record::RecordingReader reader(d.recording_dir);
    CHECK(reader.segments().size() == std::size(kLives));
    std::set<AlertId> recorded_acks;
    std::map<record::RecordType, int> by_type;
    while (auto r = reader.next()) {
        ++by_type[r->type];
        if (r->type != record::RecordType::command) continue;
        const std::string payload(r->payload);
        const json c = json::parse(payload.substr(payload.find('\n') + 1));
        if (c["cmd"] == "ack") recorded_acks.insert(c["alert_id"].get<AlertId>());
    }
    CHECK(reader.corrupt() <= static_cast<std::uint64_t>(kills));
    CHECK(by_type[record::RecordType::message] > 0);
    CHECK(by_type[record::RecordType::tick] > 0);
    for (AlertId id : k.ack_commands_ok) {
        INFO("recorded ack of alert " << id);
        CHECK(recorded_acks.contains(id));
    }

    // `picket replay` reads the whole recording, torn tails and all, and exits cleanly.
    ChildProcess replay({picket_binary(), "replay", d.recording_dir, "--fast", "--quiet", "--out",
                         dir.file("replay.jsonl")},
                        dir.file("replay.log"));
    CHECK(replay.wait() == 0);
}
