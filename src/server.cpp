#include "src/server.hpp"

#include "src/replay.hpp"

#include <zmq.hpp>

#include <csignal>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "config/yaml_reader.hpp"
#include "core/json_writer.hpp"
#include "core/log.hpp"
#include "core/stage_errors.hpp"
#include "core/thread_role.hpp"
#include "src/engine/fusion_engine.hpp"
#include "src/io/feed_receiver.hpp"
#include "src/io/multipart.hpp"
#include "src/io/stream_instance.hpp"
#include "src/io/virtual_clock.hpp"
#include "src/io/zap_handler.hpp"
#include "src/outputs/alert_store.hpp"
#include "src/outputs/cat062_output.hpp"
#include "src/outputs/cot_output.hpp"
#include "src/partners/partner_output.hpp"
#include "src/persist/server_persistence.hpp"
#include "src/record/recorder.hpp"
#include "src/replay.hpp"
#include "src/server_metrics.hpp"
#include "src/standby/standby_link.hpp"
#include "src/store/open_store.hpp"
#include "src/store/pg_alert_watch.hpp"
#include "src/store/pg_store.hpp"
#include "src/web/web_server.hpp"
#include "src/web_replay.hpp"
#include "version.hpp"

namespace picket::server {
namespace {

constexpr const char* kHandOver = "inproc://picket-feeds";

/// Alerts restored at startup are announced again this long (wall time) after the fusion loop
/// starts. Published any earlier - the constructor used to do it right after binding - they reach
/// no one: consoles connected before the restart are still reconnecting (ZeroMQ retries every
/// 100 ms by default), and the track log and web server are not open yet.
/// tests/e2e/kill9_test.cpp checks that a console connected across a kill -9 receives them.
constexpr auto kReannounceAfter = std::chrono::seconds(1);
/// How long a starting server waits for its PostgreSQL site's writer lock: PostgreSQL frees a
/// killed server's as soon as it sees the connection close (at once on one host; across hosts
/// when TCP says so), so a restart right after a kill -9 waits a moment, not more.
constexpr auto kSiteLockWait = std::chrono::seconds(10);

std::optional<Timestamp> configured_start(const ServerConfig& c, const ServeOptions& o) {
    if (o.clock_start) return o.clock_start;
    if (c.clock.start.empty() || c.clock.start == "now") return std::nullopt;
    return parse_iso8601(c.clock.start);
}

std::string random_token() {
    std::random_device rd;
    static constexpr char kAlphabet[] = "abcdefghijkmnopqrstuvwxyz23456789";
    std::string t;
    for (int i = 0; i < 24; ++i) t.push_back(kAlphabet[rd() % (sizeof kAlphabet - 1)]);
    return t;
}

/// picket_stage_errors_total for every stage of the server, 0 until something goes wrong.
std::string stage_errors_text() {
    std::map<std::string, std::uint64_t, std::less<>> counts;
    for (std::string_view stage : kServerStages) counts[std::string(stage)] = 0;
    for (const auto& [stage, n] : stage_error_counts()) counts[stage] = n;
    std::string t =
        "# HELP picket_stage_errors_total Exceptions caught per stage thread (it carried on)\n"
        "# TYPE picket_stage_errors_total counter\n";
    for (const auto& [stage, n] : counts)
        t += "picket_stage_errors_total{stage=\"" + stage + "\"} " + std::to_string(n) + "\n";
    return t;
}

/// Replies on a ROUTER with the request's envelope (all frames but the body) and `body`.
void reply_routed(zmq::socket_t& s, std::vector<zmq::message_t>& frames, const std::string& body) {
    for (std::size_t i = 0; i + 1 < frames.size(); ++i) s.send(frames[i], zmq::send_flags::sndmore);
    s.send(zmq::buffer(body), zmq::send_flags::none);
}

}  // namespace

struct Server::Impl final : EngineOutput {
    Impl(const ServerConfig& config, const ServeOptions& options)
        : clock(configured_start(config, options),
                options.clock_speed.value_or(config.clock.speed)),
          pull(ctx, zmq::socket_type::pull),
          pub(ctx, zmq::socket_type::pub),
          snapshot(ctx, zmq::socket_type::router),
          commands(ctx, zmq::socket_type::router),
          quiet(options.quiet),
          following(options.standby),
          config_(config) {
        ZapHandler::AllowList allow;
        for (const FeedConfig& f : config.feeds)
            if (f.curve)
                allow["feed:" + f.params.id].insert(f.curve->allowed_client_keys.begin(),
                                                    f.curve->allowed_client_keys.end());
        for (const auto& p : config.partners.share)
            allow["partner:" + p.name].insert(p.allowed_client_keys.begin(),
                                              p.allowed_client_keys.end());
        if (config.outputs.commands_curve)
            allow["commands"].insert(config.outputs.commands_curve->allowed_client_keys.begin(),
                                     config.outputs.commands_curve->allowed_client_keys.end());
        if (!allow.empty()) zap = std::make_unique<ZapHandler>(ctx, allow, guard_metrics);

        pull.set(zmq::sockopt::rcvhwm, 0);
        pull.bind(kHandOver);
        set_public_socket_options();
        // A standby binds nothing public until it takes over (the primary holds those ports).
        if (!following) bind_public_sockets();

        engine = std::make_unique<FusionEngine>(config, *this);
        open_outputs(config);
        if (!following) open_network_outputs();
        if (!config.outputs.track_log.empty()) {
            track_log = std::fopen(config.outputs.track_log.c_str(), "ae");
            if (!track_log)
                throw std::runtime_error("cannot open track log " + config.outputs.track_log);
        }
        if (!following)
            receiver =
                std::make_unique<FeedReceiver>(ctx, config.feeds, clock, kHandOver, guard_metrics);
        if (config.outputs.insecure_local_commands) warn_insecure_commands(config.outputs.commands);
        tick = Duration::from_seconds(config.tick_s);
        open_standby_link(config);
    }

    /// The public sockets' options, before they bind (at start, and again on a standby's
    /// fresh sockets when its takeover retries).
    void set_public_socket_options() {
        // A slow subscriber must never slow the fusion: PUB drops for that subscriber at its
        // high-water mark; every message carries a sequence number, so the subscriber sees the
        // gap and re-syncs from the snapshot service (docs/protocol.md).
        pub.set(zmq::sockopt::sndhwm, 200000);
        for (auto* s : {&snapshot, &commands})
            s->set(zmq::sockopt::maxmsgsize, std::int64_t{1} << 16);
        if (config_.outputs.commands_curve)
            make_curve_server(commands, config_.outputs.commands_curve->server_secret_key,
                              "commands");
    }

    void bind_public_sockets() {
        bind(pub, config_.outputs.publish, "publish");
        bind(snapshot, config_.outputs.snapshot, "snapshot");
        bind(commands, config_.outputs.commands, "commands");
    }

    /// The primary sends its records to a standby; a standby follows them (src/standby).
    void open_standby_link(const ServerConfig& config) {
        const StandbyConfig& s = config.standby;
        const auto lease = std::chrono::milliseconds(static_cast<long>(s.lease_s * 1e3));
        if (following) {
            follower = std::make_unique<standby::StandbyFollower>(
                ctx, s.endpoint, lease,
                [this](record::RecordType type, FeedIndex feed, Timestamp t,
                       std::string_view payload) { apply_followed(type, feed, t, payload); });
            follower->expect_start_alert_id(start_alert_id);
            log::info("standby: following the primary at " + s.endpoint);
        } else if (!s.endpoint.empty()) {
            primary_link = std::make_unique<standby::PrimaryLink>(ctx, s.endpoint, lease);
            persistence->tap_records(&primary_link->tap());
            primary_link->set_start_alert_id(start_alert_id);
            // The standby shares the store: it must have every record whose effects the store
            // holds (else it could take over without an ack the database has).
            if (s.shares_store) persistence->store_after_standby();
        }
    }

    ~Impl() override {
        if (track_log) std::fclose(track_log);
    }

    /// Loud on purpose: an unauthenticated command socket must never go unnoticed in a log.
    void warn_insecure_commands(const std::string& endpoint) {
        guard_metrics
            .gauge("picket_commands_unauthenticated",
                   "1 when the ZeroMQ command socket accepts commands without CURVE")
            .set(1);
        log::warn("********************************************************************");
        log::warn("INSECURE: the command socket " + endpoint +
                  " accepts operator commands WITHOUT authentication");
        log::warn("(outputs.insecure_local_commands: true). Any user of this machine can");
        log::warn("acknowledge, close and mute alerts. Use outputs.commands_curve instead.");
        log::warn("********************************************************************");
    }

    void open_outputs(const ServerConfig& config) {
        const OutputsConfig& o = config.outputs;
        std::unique_ptr<outputs::Store> store;
        std::unique_ptr<outputs::HistoryStore> history;
        if (!o.database.empty()) {
            if (!store::is_postgresql(o.database))
                std::filesystem::create_directories(
                    std::filesystem::path(o.database).parent_path());
            try {
                store = store::open_store(o.database, {.site = o.store_site});
                if (!following) hold_site_lock(*store);
            } catch (const std::runtime_error& e) {
                // A shared store that cannot be reached at startup is the config's to fix.
                if (o.store_file.empty()) throw;
                throw config::ConfigError(o.store_file, o.store_line, 1, "outputs.store", e.what());
            }
            // Alert ids continue after the last one ever stored; alerts still open are
            // re-announced (loop(), kReannounceAfter) so a console that knew them before the
            // restart sees them again.
            auto restored = store->restore();
            start_alert_id = restored.next_alert_id;
            reannounce_pending = !restored.alerts_not_closed.empty();
            engine->restore_alerts(std::move(restored.alerts_not_closed), restored.next_alert_id);
            engine->restore_closures(
                store->closures_since(clock.now() - engine->false_alarm_window()));
            history = store->open_history();
        }
        std::unique_ptr<record::Recorder> recorder;
        if (!o.recording.empty()) {
            record::Recorder::Options ro;
            ro.compression = o.recording_compression;
            recorder = std::make_unique<record::Recorder>(o.recording, ro);
            // Replay's default --config: the file this recording was made with.
            std::ofstream(o.recording + "/config-path.txt") << config.file << "\n";
        }
        // From here on the store and the recorder belong to the persistence thread, the history
        // to its own thread.
        persistence = std::make_unique<persist::ServerPersistence>(
            std::move(store), std::move(recorder), std::move(history), persistence_settings(o));
        // A standby on the primary's PostgreSQL store: the primary writes the shared rows.
        if (following && config.standby.shares_store) persistence->withhold_store_writes();
    }

    /// A PostgreSQL store: the serving server of a site holds the site's writer lock, so that
    /// a standby that took over (or a second server on the same site) and this one never both
    /// write its rows. A server killed a moment ago may still hold it: wait a little.
    static void hold_site_lock(outputs::Store& s) {
        auto* pg = dynamic_cast<store::PgStore*>(&s);
        if (!pg) return;
        const auto deadline = std::chrono::steady_clock::now() + kSiteLockWait;
        while (!pg->try_lock_site()) {
            if (std::chrono::steady_clock::now() >= deadline)
                throw std::runtime_error(
                    "store: site " + std::to_string(pg->site()) +
                    " is held by another picket server (a standby that took over, or another "
                    "server with this store_site): stop it, or give this server its own site");
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }

    /// CoT, CAT062 and the partners' sockets: what a standby opens only when it takes over.
    void open_network_outputs() {
        const ServerConfig& config = config_;
        const OutputsConfig& o = config.outputs;
        if (!config.partners.share.empty())
            partner_out = std::make_unique<partners::PartnerOutput>(
                ctx, config.partners.share, config.partners.audit_log, instance);
        if (!o.cot.udp.empty() || !o.cot.tak_server.empty()) {
            outputs::CotOutputConfig c;
            c.udp = o.cot.udp;
            c.tak_server = o.cot.tak_server;
            c.track_stale = Duration::from_seconds(o.cot.stale_s);
            c.tracks = o.cot.all_tracks ? outputs::CotTracks::all : outputs::CotTracks::confirmed;
            c.alert_stale = Duration::from_seconds(o.cot.alert_stale_s);
            c.alert_refresh = Duration::from_seconds(o.cot.alert_refresh_s);
            c.emergencies = o.cot.emergencies;
            cot = std::make_unique<outputs::CotOutput>(c);
        }
        if (!o.cat062.udp.empty()) {
            outputs::Cat062OutputConfig c;
            c.udp = o.cat062.udp;
            c.sac = static_cast<std::uint8_t>(o.cat062.sac);
            c.sic = static_cast<std::uint8_t>(o.cat062.sic);
            c.number_hold_off = Duration::from_seconds(o.cat062.number_hold_off_s);
            cat062 = std::make_unique<outputs::Cat062Output>(c);
        }
    }

    static persist::PersistenceSettings persistence_settings(const OutputsConfig& o) {
        persist::PersistenceSettings p;
        p.stage.recording_flush = std::chrono::milliseconds(
            static_cast<std::int64_t>(std::max(1.0, o.recording_flush_s * 1e3)));
        p.decimation.interval = Duration::from_seconds(o.history.interval_s);
        p.decimation.position_m = o.history.position_m;
        p.decimation.course_deg = o.history.course_deg;
        p.decimation.speed_mps = o.history.speed_mps;
        p.history.retention_days = o.history.retention_days;
        return p;
    }

    static void bind(zmq::socket_t& s, const std::string& endpoint, const char* what) {
        if (endpoint.empty()) return;
        try {
            s.bind(endpoint);
        } catch (const zmq::error_t& e) {
            throw std::runtime_error(std::string("cannot bind the ") + what + " socket to " +
                                     endpoint + ": " + e.what());
        }
    }

    // --- EngineOutput -------------------------------------------------------------------
    // Everything sent goes through the persistence gate: at once, unless an alert published
    // earlier is not yet in the store (src/persist/output_gate.hpp).
    void publish(std::string_view topic, const std::string& json) override {
        persistence->emit([&] { send(topic, json); },
                          [this, topic = std::string(topic), json] {
                              return [this, topic, json] { send(topic, json); };
                          },
                          /*droppable=*/topic == "track");
    }

    void send(std::string_view topic, const std::string& json) {
        pub.send(zmq::buffer(topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
        pub.send(zmq::buffer(with_instance(json, instance)), zmq::send_flags::dontwait);
        if (track_log) {
            std::fwrite(topic.data(), 1, topic.size(), track_log);
            std::fputc(' ', track_log);
            std::fwrite(json.data(), 1, json.size(), track_log);
            std::fputc('\n', track_log);
        }
        if (web) web->broadcast(topic, json);
    }

    void persist_alert(const Alert& a) override {
        hold_for_standby();     // published once the standby has the record that raised it
        persistence->alert(a);  // ... and the store has it
        if (cot) {
            const Timestamp now = clock.now();
            persistence->emit(
                [&] { cot->publish_alert(a, now); },
                [this, a, now] { return [this, a, now] { cot->publish_alert(a, now); }; },
                /*droppable=*/false);
        }
    }

    void tracks_changed(std::span<const Track> tracks, Timestamp now) override {
        if (cot) cot->publish_tracks(tracks, now);
        if (partner_out) partner_out->on_tracks(tracks, now);
        persistence->tracks_changed(tracks);
    }

    void tracks_deleted(std::span<const TrackId> ids, Timestamp now) override {
        if (cot) cot->tracks_deleted(ids, now);
        if (cat062) cat062->tracks_deleted(ids, now);
        if (partner_out) partner_out->on_deleted(ids, now);
    }

    void on_tick_outputs(Timestamp now) {
        if (cot) cot->refresh(now);
        persistence->on_tick(now);
        if (cat062) cat062->publish(engine->picture(), now);
        if (partner_out)
            partner_out->flush(now,
                               Timestamp{std::chrono::duration_cast<std::chrono::nanoseconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count()});
    }

    /// A reply (command, snapshot) goes out in order with what was published before it.
    void reply_in_order(std::vector<zmq::message_t>& frames, zmq::socket_t& socket,
                        std::string body) {
        persistence->emit([&] { reply_routed(socket, frames, body); },
                          [&] {
                              auto owned =
                                  std::make_shared<std::vector<zmq::message_t>>(std::move(frames));
                              return [&socket, owned, body = std::move(body)] {
                                  reply_routed(socket, *owned, body);
                              };
                          },
                          /*droppable=*/false);
    }

    // --- the fusion thread -----------------------------------------------------------------
    void record(record::RecordType type, FeedIndex feed, Timestamp t, std::string_view payload) {
        persistence->record(type, feed, t, payload);
    }

    /// The catch site of the fusion thread: whatever escapes one pass of the loop (a decoder or
    /// rule bug, an output failure) is counted and logged, and the loop starts again.
    void loop() {
        while (!stopping) {
            try {
                run_loop();
            } catch (const std::exception& e) {
                report_stage_error("fusion", e.what());
            }
        }
    }

    void run_loop() {
        std::vector<zmq::pollitem_t> items{{pull.handle(), 0, ZMQ_POLLIN, 0},
                                           {snapshot.handle(), 0, ZMQ_POLLIN, 0},
                                           {commands.handle(), 0, ZMQ_POLLIN, 0},
                                           {nullptr, persistence->wake_fd(), ZMQ_POLLIN, 0}};
        zmq::socket_t* link = follower       ? &follower->socket()
                              : primary_link ? &primary_link->socket()
                                             : nullptr;
        if (link) items.push_back({link->handle(), 0, ZMQ_POLLIN, 0});
        Timestamp next_tick = clock.now() + tick;
        auto reannounce_at = std::chrono::steady_clock::now() + kReannounceAfter;
        while (!stopping) {
            if (follower) {
                const auto steady = std::chrono::steady_clock::now();
                if (follower->in_sync() && follower->primary_lost(steady)) {
                    items.pop_back();
                    take_over(steady);
                    items[1].socket = snapshot.handle();  // new sockets if a bind was retried
                    items[2].socket = commands.handle();
                    next_tick = clock.now() + tick;
                    reannounce_at = std::chrono::steady_clock::now() + kReannounceAfter;
                    continue;
                }
            }
            if (reannounce_pending && !following &&
                std::chrono::steady_clock::now() >= reannounce_at) {
                engine->announce_open_alerts();
                // TAK clients knew them too (never linked: track ids start again after a restart).
                if (cot)
                    for (const Alert& a : engine->alerts())
                        cot->publish_alert(a, clock.now(), true);
                reannounce_pending = false;
            }
            Timestamp now = clock.now();
            if (following) next_tick = now + tick;  // the primary's ticks come as records
            if (now >= next_tick) {
                record(record::RecordType::tick, 0, now, kTickRulesStepped);
                metrics.timed(FusionWork::tick, [&] { engine->on_tick(now, RulesCycle::stepped); });
                metrics.timed(FusionWork::tick_outputs, [&] { on_tick_outputs(now); });
                next_tick = next_tick + tick;
                if (next_tick < now) next_tick = now + tick;  // fell behind: do not burst
            }
            const double wall_to_tick_ms = (next_tick - now).seconds() * 1e3 / clock.speed();
            const auto timeout = std::chrono::milliseconds(
                static_cast<long>(std::clamp(wall_to_tick_ms, 0.0, 20.0)));
            // A rules cycle in parts: one part per wake-up, between the messages (no sleep
            // while parts are left), so a track waits for a part, never the whole cycle.
            zmq::poll(items, engine->rules_pending() && !following ? std::chrono::milliseconds(0)
                                                                   : timeout);
            if (items[3].revents & ZMQ_POLLIN)
                metrics.timed(FusionWork::persistence, [&] { persistence->on_wake(); });
            if (items[0].revents & ZMQ_POLLIN) drain_feeds();
            if (items[1].revents & ZMQ_POLLIN) serve_snapshots();
            if (items[2].revents & ZMQ_POLLIN) serve_commands();
            if (items.size() > 4 && (items[4].revents & ZMQ_POLLIN)) {
                const auto steady = std::chrono::steady_clock::now();
                if (follower) {
                    follower->read(steady);
                    persistence->primary_stored_through(follower->stored());
                } else {
                    primary_link->read(steady);
                    persistence->standby_acked(primary_link->acked());
                }
            }
            if (follower) follower->tick(std::chrono::steady_clock::now());
            if (!following && engine->rules_pending()) {
                record(record::RecordType::tick, 0, clock.now(), kTickRulesStep);
                metrics.timed(FusionWork::rules_part, [&] { engine->rules_step(); });
            }
            run_tasks();
            persistence->end_of_wakeup();
            if (primary_link) primary_link_wakeup(std::chrono::steady_clock::now());
            if (track_log) std::fflush(track_log);
        }
        persistence->end_of_wakeup();
    }

    void drain_feeds() {
        // Bounded per wake-up so snapshot requests, commands and ticks are never starved.
        for (int i = 0; i < 4096; ++i) {
            zmq::message_t header, payload;
            if (!pull.recv(header, zmq::recv_flags::dontwait)) return;
            if (!pull.recv(payload, zmq::recv_flags::none)) return;
            ReceivedHeader h{};
            std::memcpy(&h, header.data(), sizeof h);
            const std::string_view bytes(static_cast<const char*>(payload.data()), payload.size());
            record(record::RecordType::message, h.feed, Timestamp{h.received_ns}, bytes);
            metrics.timed(FusionWork::message,
                          [&] { engine->on_message(h.feed, Timestamp{h.received_ns}, bytes); });
            ++processed;
            // Latency in virtual seconds scaled back to wall seconds: what the operator waits.
            metrics.observe_latency((clock.now() - Timestamp{h.received_ns}).seconds() /
                                    clock.speed());
        }
    }

    void serve_snapshots() {
        for (int i = 0; i < 16; ++i) {
            auto frames = io::receive_multipart(snapshot);
            if (frames.empty()) return;
            metrics.timed(FusionWork::snapshot, [&] {
                reply_in_order(frames, snapshot, with_instance(engine->snapshot(), instance));
            });
        }
    }

    void serve_commands() {
        for (int i = 0; i < 64; ++i) {
            auto frames = io::receive_multipart(commands);
            if (frames.empty()) return;
            const char* user_id = nullptr;
            try {
                user_id = frames.back().gets("User-Id");
            } catch (const zmq::error_t&) {
                user_id = nullptr;  // no ZAP: the socket is unauthenticated (loopback only)
            }
            const std::string user = user_id && *user_id ? std::string("curve:") + user_id : "zmq";
            const std::string body = frames.back().to_string();
            metrics.timed(FusionWork::command,
                          [&] { reply_in_order(frames, commands, command(body, user)); });
        }
    }

    /// Runs an operator command. The caller sends the reply through the gate (reply_in_order,
    /// deliver), so that it goes out only once the store holds the action and its effects.
    std::string command(const std::string& json, const std::string& user) {
        const Timestamp now = clock.now();
        persistence->begin_command(now, user, json);
        std::string reply = engine->on_command(json, user, now);
        hold_for_standby();
        persistence->end_command(now, user, json, reply);
        return reply;
    }

    // --- the hot standby (docs/deployment.md, "Hot standby") --------------------------------
    /// What is published from now on waits until the standby acked every record so far.
    void hold_for_standby() {
        if (primary_link && standby_attached)
            persistence->hold_for_standby(primary_link->last_seq());
    }

    /// Primary: after a wake-up, the records to the standby; its lease.
    void primary_link_wakeup(standby::SteadyTime now) {
        persistence->records_handed_over_through(primary_link->last_seq());
        primary_link->flush(clock.now(), now, persistence->records_stored_through());
        const bool attached = primary_link->attached(now);
        if (attached && !standby_attached) log::info("standby: attached");
        if (!attached && standby_attached) {
            log::warn("standby: no ack for the lease: publishing no longer waits for it");
            persistence->standby_lost();
        }
        standby_attached = attached;
    }

    /// Standby: one of the primary's records, applied as the primary applied it (and recorded
    /// and stored here too, so this server's files are its own).
    void apply_followed(record::RecordType type, FeedIndex feed, Timestamp t,
                        std::string_view payload) {
        switch (type) {
            case record::RecordType::message:
                persistence->applying_record(follower->applied() + 1);
                record(type, feed, t, payload);
                engine->on_message(feed, t, payload);
                ++processed;
                break;
            case record::RecordType::tick:
                persistence->applying_record(follower->applied() + 1);
                record(type, feed, t, payload);
                if (apply_tick(*engine, t, payload)) on_tick_outputs(t);
                break;
            case record::RecordType::command: {
                const auto nl = payload.find('\n');
                const std::string user(payload.substr(0, nl));
                const std::string json(nl == std::string_view::npos ? std::string_view{}
                                                                    : payload.substr(nl + 1));
                persistence->applying_record(follower->applied() + 1);
                persistence->begin_command(t, user, json);
                const std::string reply = engine->on_command(json, user, t);
                persistence->end_command(t, user, json, reply);
                break;
            }
            case record::RecordType::alert:
                break;  // an output: this engine makes its own
        }
    }

    /// The primary is gone: bind its public sockets (waiting while it still holds them: a
    /// primary only paused fences us out), open the feeds and outputs, carry on from here.
    void take_over(standby::SteadyTime now) {
        const std::uint64_t applied = follower->applied();
        const std::uint64_t stored = follower->stored();
        if (auto t = follower->primary_clock(now, clock.speed())) clock.set(*t);
        follower.reset();
        log::warn("standby: no word from the primary for " +
                  std::to_string(config_.standby.lease_s) + " s: taking over at record " +
                  std::to_string(applied));
        if (persistence->withholding()) take_over_shared_store(stored);
        bool warned = false;
        while (!stopping) {
            try {
                bind_public_sockets();
                break;
            } catch (const std::exception& e) {
                if (!warned) log::error(std::string("standby: ") + e.what() + " (retrying)");
                warned = true;
                pub.close();
                snapshot.close();
                commands.close();
                pub = zmq::socket_t(ctx, zmq::socket_type::pub);
                snapshot = zmq::socket_t(ctx, zmq::socket_type::router);
                commands = zmq::socket_t(ctx, zmq::socket_type::router);
                set_public_socket_options();
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }
        const std::lock_guard lock(takeover_mutex);
        if (stopping) return;
        open_network_outputs();
        receiver =
            std::make_unique<FeedReceiver>(ctx, config_.feeds, clock, kHandOver, guard_metrics);
        receiver->start();
        if (on_takeover) on_takeover();
        following = false;
        reannounce_pending = true;  // consoles knew the open alerts from the primary
        watch_shared_alerts();
        log::info("standby: now the primary");
    }

    /// A standby on the primary's PostgreSQL store (docs/deployment.md, "Hot standby on a
    /// shared PostgreSQL store"): before binding anything, take the site's writer lock (free
    /// once the old primary's connection is gone: a primary still connected fences us out) and
    /// write what the old primary may not have committed (what this engine produced after the
    /// last record the primary said it had committed, less what the database holds).
    void take_over_shared_store(std::uint64_t stored) {
        const int site = config_.outputs.store_site;
        const std::uint64_t ticket = persistence->take_over_store(
            stored, [site](outputs::Store& s, const persist::StandbyWrites::Left& left) {
                auto& pg = dynamic_cast<store::PgStore&>(s);
                if (!pg.try_lock_site())
                    throw std::runtime_error("store: site " + std::to_string(site) +
                                             " is still held by another session (the old "
                                             "primary's connection, or a second primary)");
                const auto [alerts, actions] = pg.save_missing(left.alerts, left.actions);
                log::info("standby: the store's site " + std::to_string(site) +
                          " is this server's; of what the old primary may not have committed, " +
                          std::to_string(alerts) + " of " + std::to_string(left.alerts.size()) +
                          " alert versions and " + std::to_string(actions) + " of " +
                          std::to_string(left.actions.size()) + " actions were missing");
            });
        persistence->end_of_wakeup();
        while (!stopping && persistence->confirmed() < ticket)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }

    /// Runs `deliver` in order with what was published before (a web reply).
    void deliver(std::function<void()> fn) {
        persistence->emit([&] { fn(); }, [&] { return std::move(fn); }, /*droppable=*/false);
    }

    /// A shared PostgreSQL store: the other servers' alert changes, as they commit, go to this
    /// server's consoles (FusionEngine::show_shared_alert), so an acknowledgement made on
    /// another server's console shows here within a poll. On a thread of its own: the watch
    /// waits on its connection, the fusion thread never does. A lost connection is reported
    /// (stage "store") and opened again a second later, starting again from the open alerts;
    /// an alert closed meanwhile shows open until its next change (docs/deployment.md).
    void watch_shared_alerts() {
        const OutputsConfig& o = config_.outputs;
        if (o.database.empty() || !store::is_postgresql(o.database) || following) return;
        shared_watch = std::thread([this, location = o.database, site = o.store_site] {
            enter_thread_role(ThreadRole::store_watch);
            std::unique_ptr<store::PgAlertWatch> watch;
            while (!stopping) {
                try {
                    if (!watch) watch = std::make_unique<store::PgAlertWatch>(location, site);
                    auto changed = watch->wait(std::chrono::milliseconds(200));
                    if (changed.empty()) continue;
                    const std::lock_guard lock(tasks_mutex);
                    tasks.emplace_back([this, changed = std::move(changed)] {
                        for (const Alert& a : changed) engine->show_shared_alert(a);
                    });
                } catch (const std::exception& e) {
                    report_stage_error("store", std::string("shared alert watch: ") + e.what());
                    watch.reset();
                    for (int i = 0; i < 10 && !stopping; ++i)
                        std::this_thread::sleep_for(std::chrono::milliseconds(100));
                }
            }
        });
    }

    void run_tasks() {
        std::deque<std::function<void()>> batch;
        {
            const std::lock_guard lock(tasks_mutex);
            batch.swap(tasks);
        }
        for (auto& t : batch) metrics.timed(FusionWork::tasks, t);
    }

    zmq::context_t ctx;
    VirtualClock clock;
    /// Refusals and caught errors of the I/O, ZAP and fusion threads (rendered after `metrics`).
    outputs::Registry guard_metrics;
    outputs::Counter& busy = guard_metrics.counter(
        "picket_fusion_busy_total",
        "Requests answered 'server busy' (fusion thread too slow); they never run");
    std::unique_ptr<ZapHandler> zap;
    zmq::socket_t pull, pub, snapshot, commands;
    /// This run's track stream instance id, on the wire only (src/io/stream_instance.hpp).
    const std::string instance = new_stream_instance();
    std::unique_ptr<FusionEngine> engine;
    std::unique_ptr<persist::ServerPersistence> persistence;
    std::unique_ptr<FeedReceiver> receiver;
    std::FILE* track_log{nullptr};
    Duration tick{};
    bool quiet{false};
    bool reannounce_pending{false};  ///< restored alerts not yet announced again
    /// The alert id the engine started from (restored; 0 without a store): a hot standby pair
    /// must agree on it (src/standby/standby_link.hpp).
    std::uint64_t start_alert_id{0};
    std::atomic<bool> stopping{false};
    std::thread fusion;
    std::thread shared_watch;  ///< watch_shared_alerts()
    std::mutex tasks_mutex;
    std::deque<std::function<void()>> tasks;
    std::unique_ptr<web::WebServer> web;
    ServerMetrics metrics;
    std::uint64_t processed{0};
    std::unique_ptr<outputs::CotOutput> cot;
    std::unique_ptr<outputs::Cat062Output> cat062;
    std::unique_ptr<partners::PartnerOutput> partner_out;  ///< docs/deployment.md, "Partners"
    // The hot standby (src/standby): a primary's link to its standby, or a standby's to its
    // primary (`following` until it takes over).
    bool following{false};
    const ServerConfig& config_;
    std::unique_ptr<standby::PrimaryLink> primary_link;
    bool standby_attached{false};
    std::unique_ptr<standby::StandbyFollower> follower;
    std::mutex takeover_mutex;          ///< take_over() against Server::stop()
    std::function<void()> on_takeover;  ///< Server's: starts the web server
};

Server::Server(ServerConfig config, ServeOptions options)
    : config_(std::move(config)), options_(options) {
    if (options_.http_port) config_.outputs.http.port = *options_.http_port;
    http_token_ = config_.outputs.http.token.empty() ? random_token() : config_.outputs.http.token;
    // Each of a pair would draw its own token, and a page loaded from the primary has every
    // command refused by the standby after a takeover (docs/deployment.md, "Hot standby").
    if (!config_.standby.endpoint.empty() && config_.outputs.http.enabled &&
        config_.outputs.http.token.empty())
        log::warn(
            "standby: outputs.http.token is not set: the primary and the standby each draw their "
            "own, and after a takeover the standby refuses the open pages' commands (set the same "
            "token for both)");
    if (options_.standby) {
        if (config_.standby.endpoint.empty())
            throw std::runtime_error(
                "--standby needs a `standby:` section with the primary's "
                "endpoint (docs/configuration.md)");
        // Same config, own files: both may run on one host.
        config_.outputs.database = config_.standby.database;
        config_.outputs.recording = config_.standby.recording;
        config_.outputs.track_log = config_.standby.track_log;
    }
    impl_ = std::make_unique<Impl>(config_, options_);
    impl_->on_takeover = [this] { take_over_outputs(); };
}

Server::~Server() { stop(); }

void Server::start() {
    // Before any thread starts: the store's and the history's writers give way to fusion.
    set_background_nice(config_.outputs.background_nice);
    impl_->clock.restart();
    if (config_.outputs.http.enabled && !options_.standby) start_web();
    impl_->persistence->start();
    impl_->fusion = std::thread([this] {
        enter_thread_role(ThreadRole::fusion);
        impl_->loop();
    });
    impl_->watch_shared_alerts();
    if (impl_->receiver) impl_->receiver->start();
}

void Server::take_over_outputs() {
    if (config_.outputs.http.enabled) start_web();
}

void Server::stop() {
    if (!impl_ || impl_->stopping.exchange(true)) return;
    {
        const std::lock_guard lock(impl_->takeover_mutex);
        if (impl_->web) impl_->web->stop();
        if (impl_->receiver) impl_->receiver->stop();
    }
    if (impl_->fusion.joinable()) impl_->fusion.join();
    // After the fusion thread: a takeover there may have started the watch.
    if (impl_->shared_watch.joinable()) impl_->shared_watch.join();
    impl_->persistence->stop();  // everything handed over is written, the recording flushed
}

void Server::start_web() {
    const HttpConfig& http = config_.outputs.http;
    web::WebConfig wc;
    wc.bind = http.bind;
    wc.port = http.port;
    wc.static_dir = http.static_dir.empty() ? std::string(kSourceDir) + "/web" : http.static_dir;
    wc.tiles_dir = http.tiles_dir.empty() ? std::string(kSourceDir) + "/data/basemap/tiles-v2"
                                          : http.tiles_dir;
    wc.token = http_token_;
    wc.allowed_hosts = http.allowed_hosts;
    web::Hooks hooks;
    hooks.snapshot = [this] { return call_in_order([this] { return impl_->engine->snapshot(); }); };
    hooks.command = [this](const std::string& json, const std::string& user) {
        return command(json, user);
    };
    // Zones do not change while the server runs: serialise them once.
    auto layers = std::make_shared<const std::string>(impl_->engine->layers_geojson());
    hooks.layers = [layers] { return *layers; };
    hooks.metrics = [this] { return metrics_text(); };
    hooks.assets = [this] { return call([this] { return assets_json(); }); };
    const std::string recording = config_.outputs.recording;
    hooks.recordings = [recording] { return list_recordings_json(recording); };
    hooks.replay = [this, recording](const web::ReplayRequest& request, web::ReplaySink sink) {
        if (recording.empty())
            throw std::runtime_error("this server does not record (outputs.recording)");
        return start_web_replay(config_, recording, request, std::move(sink));
    };
    impl_->web = std::make_unique<web::WebServer>(wc, std::move(hooks));
    impl_->web->start();
    config_.outputs.http.port = impl_->web->port();
    // docs/configuration.md promises it: whoever starts the server needs the token to command
    // from a browser that is not on this machine (a loopback page gets it written in).
    const std::string url = "http://" + http.bind + ":" + std::to_string(http_port()) + "/";
    if (config_.outputs.http.token.empty()) {
        log::info("control room " + url + "  operator token: " + http_token_ +
                  " (generated; set outputs.http.token to keep one)");
    } else {
        log::info("control room " + url + "  operator token: as configured (outputs.http.token)");
    }
}

std::string Server::assets_json() const {
    // Configured patrol assets, then own vessels the operators marked friendly that AIS identifies.
    std::string out = "[";
    for (const std::string& a : config_.patrol_assets_json) out += (out.size() > 1 ? "," : "") + a;
    for (const Track& t : impl_->engine->picture()) {
        if (t.standing != Standing::friendly || !t.identity) continue;
        std::string one;
        JsonWriter w(one);
        w.begin_object().field("id", "track-" + std::to_string(t.id));
        w.field("name", t.identity->name.empty() ? "MMSI " + std::to_string(t.identity->mmsi)
                                                 : t.identity->name);
        w.field("kind", "vessel")
            .field("lat", t.position.lat_deg, 7)
            .field("lon", t.position.lon_deg, 7);
        w.field("max_speed_mps", 15.0, 2)
            .field("available", true)
            .field("track_id", static_cast<std::uint64_t>(t.id));
        w.end_object();
        out += (out.size() > 1 ? "," : "") + one;
    }
    return out + "]";
}

std::string Server::call(std::function<std::string()> fn) {
    return run_on_fusion(std::move(fn), false);
}

std::string Server::call_in_order(std::function<std::string()> fn) {
    return run_on_fusion(std::move(fn), true);
}

std::string Server::run_on_fusion(std::function<std::string()> fn, bool in_order) {
    // A task answered "busy" must never run later: an operator told "busy" acks again, and a
    // command that ran behind their back (a close, a mute) is worse than one refused. The task
    // and the caller race on one flag: whoever moves it first from `queued` decides.
    enum Phase : int { queued, started, abandoned };
    auto phase = std::make_shared<std::atomic<int>>(queued);
    auto promise = std::make_shared<std::promise<std::string>>();
    auto result = promise->get_future();
    auto task = [this, fn = std::move(fn), promise, in_order, phase] {
        int expected = queued;
        if (!phase->compare_exchange_strong(expected, started)) return;  // answered "busy"
        std::string value;
        try {
            value = fn();
        } catch (...) {
            promise->set_exception(std::current_exception());
            return;
        }
        if (!in_order) {
            promise->set_value(std::move(value));
            return;
        }
        // After what was published before it: a snapshot or a command's reply is seen only
        // once the store holds every alert and action it shows.
        impl_->deliver([promise, value = std::move(value)] { promise->set_value(value); });
    };
    {
        const std::lock_guard lock(impl_->tasks_mutex);
        impl_->tasks.emplace_back(std::move(task));
    }
    if (result.wait_for(options_.call_timeout) == std::future_status::ready) return result.get();
    int expected = queued;
    if (phase->compare_exchange_strong(expected, abandoned)) {
        impl_->busy.inc();
        return R"({"ok":false,"error":"server busy"})";
    }
    return result.get();  // it started just before the deadline: its own answer, however late
}

std::string Server::command(const std::string& json, const std::string& user) {
    return call_in_order([this, json, user] { return impl_->command(json, user); });
}

std::string Server::status() {
    return call([this] {
        // The engine's status with the persistence's health added as a last member.
        std::string s = impl_->engine->status_json();
        if (!s.empty() && s.back() == '}') {
            s.pop_back();
            s += ",\"persistence\":" + impl_->persistence->status_json() + "}";
        }
        return s;
    });
}

std::string Server::metrics_text() {
    return call([this] {
        impl_->metrics.update(*impl_->engine, impl_->receiver->forwarded(), impl_->processed);
        impl_->metrics.update_outputs(impl_->cot.get(), impl_->cat062.get());
        impl_->metrics.update_persistence(impl_->persistence->report());
        return impl_->metrics.render() + impl_->guard_metrics.render_prometheus() +
               stage_errors_text();
    });
}

Timestamp Server::now() const { return impl_->clock.now(); }

std::uint16_t Server::http_port() const { return config_.outputs.http.port; }

namespace {
std::atomic<bool> g_signalled{false};
extern "C" void picket_serve_on_signal(int) { g_signalled = true; }
}  // namespace

int run_server_until_signal(Server& server) {
    std::signal(SIGINT, picket_serve_on_signal);
    std::signal(SIGTERM, picket_serve_on_signal);
    // A file size limit (ulimit -f, a full quota) would kill the process on the write that
    // crosses it; ignored, the write fails with EFBIG and the stage's catch site reports it.
    std::signal(SIGXFSZ, SIG_IGN);
    server.start();
    while (!g_signalled) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    log::info("stopping");
    server.stop();
    return 0;
}

}  // namespace picket::server
