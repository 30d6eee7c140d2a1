#pragma once
/// The deterministic heart of the server: everything downstream of the sockets. Its inputs are
/// events (a feed message with its receive time, a clock tick, an operator command) and its
/// outputs are messages; it reads no clock and no socket. The live server, replay and the tests
/// all drive this same class, so a recording replayed gives the same bytes.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/alert.hpp"
#include "core/json_writer.hpp"
#include "core/source_track.hpp"
#include "core/track.hpp"
#include "filters/tracker.hpp"
#include "fusion/track_fuser.hpp"
#include "sensors/feed_decoder.hpp"
#include "src/engine/feed_health.hpp"
#include "src/engine/output_stage.hpp"
#include "src/engine/rules_picture.hpp"
#include "src/server_config.hpp"

namespace picket::rules {
class RuleEngine;
struct RuleShare;
}  // namespace picket::rules

namespace picket::server {

/// Where the engine's output goes. Called in a deterministic order on one thread: the fusion
/// thread, or the engine's output thread when it runs with OutputThreading::worker.
class EngineOutput {
public:
    virtual ~EngineOutput() = default;
    /// Before an alert (new or changed) is published: persist it (the store must have it first).
    virtual void persist_alert(const Alert& alert) { (void)alert; }
    /// A message for subscribers: topic "track", "track.deleted", "alert", "feed".
    virtual void publish(std::string_view topic, const std::string& json) = 0;
    /// Tracks that changed this step (for CoT, ASTERIX out, track history). Not for JSON.
    virtual void tracks_changed(std::span<const Track> tracks, Timestamp now) {
        (void)tracks;
        (void)now;
    }
    /// Tracks deleted this step, after tracks_changed (CoT removes their markers, ASTERIX sends
    /// end-of-track). The same ids as the "track.deleted" messages.
    virtual void tracks_deleted(std::span<const TrackId> ids, Timestamp now) {
        (void)ids;
        (void)now;
    }
};

struct EngineCounters {
    std::uint64_t events{0};
    std::uint64_t ticks{0};
    std::uint64_t commands{0};
    std::uint64_t published{0};
};

/// How a tick runs the rules (the recorded tick says which: replay.hpp).
enum class RulesCycle : std::uint8_t {
    whole,    ///< every rule over every track at once
    stepped,  ///< in parts of kRulesPartTracks tracks, rules_step() by rules_step()
};

/// Tracks per part of a stepped rules cycle: ~0.5 ms of rules at 10,000 tracks with the demo
/// rules (bench/rules), against ~7 ms for the whole cycle.
inline constexpr std::size_t kRulesPartTracks = 1000;

class FusionEngine {
public:
    /// `threading`: worker runs rules, JSON and `output` on a thread of their own (replay), so
    /// they overlap with decoding and tracking; the output is the same bytes either way.
    FusionEngine(const ServerConfig& config, EngineOutput& output,
                 OutputThreading threading = OutputThreading::inline_);
    ~FusionEngine();
    FusionEngine(const FusionEngine&) = delete;
    FusionEngine& operator=(const FusionEngine&) = delete;

    /// One ZeroMQ message from feed `feed`, received at `received` (server clock).
    void on_message(FeedIndex feed, Timestamp received, std::string_view bytes);
    /// Time passes: coast and delete tracks, evaluate the rules, escalate alerts, watch feeds.
    /// RulesCycle::stepped only starts the rules' cycle: the caller runs it in parts with
    /// rules_step() between messages (the live server: tracks behind a long cycle do not wait
    /// for all of it; it records where each part ran, so replay runs them at the same places).
    /// A cycle not finished when the next tick comes is finished first.
    void on_tick(Timestamp now, RulesCycle cycle = RulesCycle::whole);
    /// Runs the next part of a stepped rules cycle; returns whether parts are left.
    bool rules_step();
    [[nodiscard]] bool rules_pending() const { return pending_rules_ != nullptr; }
    /// A stepped cycle's copy of the picture is the last one brought up to date (RulesPicture);
    /// false: a fresh copy every tick (the plain reference, for tests and benchmarks).
    void set_incremental_rules_picture(bool on) { incremental_rules_picture_ = on; }
    /// The tracks the last stepped cycle evaluates (null before one), and how they were copied.
    [[nodiscard]] const std::vector<Track>* rules_cycle_tracks() const;
    [[nodiscard]] const RulesPicture& rules_picture() const { return rules_picture_; }
    /// An operator command (JSON, docs/protocol.md) from `user`; returns the JSON reply.
    std::string on_command(std::string_view json, std::string_view user, Timestamp now);
    /// Alerts restored from the database at startup; ids continue after them. Not published
    /// here: the server calls announce_open_alerts() once consoles can hear it.
    void restore_alerts(std::vector<Alert> not_closed, AlertId next_id);
    /// Publishes every alert not closed again (after a restart, for the consoles that knew them).
    void announce_open_alerts();
    /// Another server's alert as committed in the shared store (src/store/pg_alert_watch.hpp):
    /// published to this server's consoles (the `alert` topic) and kept in the snapshot until it
    /// is closed, so an acknowledgement made on another server's console shows here. Never this
    /// server's rules' or store's business (commands on it are refused: its server owns it), and
    /// not a recorded input (a replay shows the server's own alerts only).
    void show_shared_alert(const Alert& alert);
    /// Closed incidents within the false-alarm window, from the database at startup.
    void restore_closures(std::vector<IncidentClosure> closures);
    /// How far back closed incidents count in the false-alarm share (the rule file's).
    [[nodiscard]] Duration false_alarm_window() const;
    /// False-alarm share per rule (docs/rules.md), for /metrics and the snapshot.
    [[nodiscard]] std::vector<rules::RuleShare> rule_shares() const;

    /// Waits until the output half has caught up with every event given so far (a no-op
    /// inline). The accessors below that read the output half (sequence, alerts, counters,
    /// snapshot, status) call it themselves.
    void drain() const { stage_.drain(); }

    /// The whole picture at the current sequence number (docs/protocol.md, Clone pattern).
    [[nodiscard]] std::string snapshot() const;
    [[nodiscard]] std::uint64_t sequence() const {
        drain();
        return seq_;
    }
    [[nodiscard]] Timestamp now() const { return now_; }
    [[nodiscard]] const std::vector<FeedHealth>& feeds() const { return health_; }
    [[nodiscard]] const filters::Tracker& tracker() const { return *tracker_; }
    /// A regional server's track-to-track fusion (config `regional`), else nullptr.
    [[nodiscard]] const fusion::TrackFuser* fuser() const { return fuser_.get(); }
    /// The published picture: the tracker's tracks, or on a regional server the fused ones.
    [[nodiscard]] const std::vector<Track>& picture() const {
        return fuser_ ? fuser_->tracks() : tracker_->tracks();
    }
    [[nodiscard]] std::vector<Alert> alerts() const;
    [[nodiscard]] const EngineCounters& counters() const {
        drain();
        return counters_;
    }
    [[nodiscard]] const ServerConfig& config() const { return config_; }
    /// Health and counters as JSON: feeds (messages, rejects by reason, silence), tracker, rules.
    [[nodiscard]] std::string status_json() const;
    /// GeoJSON FeatureCollection of the border layers the rules use (for the control room map).
    [[nodiscard]] std::string layers_geojson() const;

private:
    class Collector;
    void publish(std::string_view topic, const std::string& json);
    /// `from`: the feed whose message caused the changes (its bit goes into those tracks'
    /// "feeds"); none for ticks and commands.
    void publish_track_changes(std::optional<FeedIndex> from = std::nullopt);
    [[nodiscard]] TrackOrigin origin_of(TrackId id) const;
    void publish_alert_updates();
    /// A feed's health changed (silence, clock flag): the `feed` topic.
    void publish_feed_health(const FeedHealth& h);
    void announce_clock(FeedHealth& h);
    void reject_clock(FeedHealth& h, std::string_view reason, Timestamp observed,
                      Timestamp received);
    void log_late(const FeedHealth& h, std::uint64_t n);
    [[nodiscard]] std::string describe_clock(const FeedHealth& h) const;
    void advance_clock(Timestamp t);
    /// A `tracks` feed's message: its source tracks, ends and snapshot to the fuser.
    void fuse_source_tracks(FeedIndex feed);
    void write_fusion_status(JsonWriter& w) const;

    /// A stepped rules cycle: its tick's picture and anomalies, and how far it got.
    struct RulesCycleInput;
    void run_rules_part(const std::shared_ptr<const RulesCycleInput>& cycle, std::size_t begin,
                        std::size_t end);

    ServerConfig config_;
    EngineOutput& output_;
    std::vector<std::unique_ptr<sensors::FeedDecoder>> decoders_;
    std::vector<FeedHealth> health_;
    std::unique_ptr<filters::Tracker> tracker_;
    std::unique_ptr<fusion::TrackFuser> fuser_;
    std::vector<std::string> feed_names_;  ///< by FeedIndex: names feeds in track messages
    /// Per live track, the feeds (bit per FeedIndex < 64) whose messages have updated it.
    std::map<TrackId, std::uint64_t> feeds_;
    std::unique_ptr<rules::RuleEngine> rules_;
    std::unique_ptr<Collector> collector_;
    /// Other servers' alerts not closed, by id (show_shared_alert), for the snapshot.
    std::map<AlertId, Alert> shared_alerts_;
    std::uint64_t seq_{0};
    Timestamp now_{};
    EngineCounters counters_;
    std::shared_ptr<const RulesCycleInput> pending_rules_;  ///< tracking half
    std::size_t pending_from_{0};                           ///< its next part's first track
    std::shared_ptr<RulesCycleInput> last_cycle_;  ///< its copy of the picture, refreshed next tick
    RulesPicture rules_picture_;
    bool incremental_rules_picture_{true};
    /// Last member: destroyed first, so its worker finishes before the state its jobs use goes.
    mutable OutputStage stage_;
};

}  // namespace picket::server
