#include "src/engine/fusion_engine.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/json_writer.hpp"
#include "core/log.hpp"
#include "rules/rule_engine.hpp"
#include "rules/rule_file.hpp"
#include "src/engine/layers_geojson.hpp"
#include "src/engine/message_format.hpp"

namespace picket::server {
namespace {

/// "1560.0 s", "-0.250 s": offsets and limits in log lines.
std::string format_seconds(Duration d) {
    char buf[48];
    std::snprintf(buf, sizeof buf, std::abs(d.seconds()) >= 10 ? "%.1f s" : "%.3f s", d.seconds());
    return buf;
}

/// A feed's health as the `feed` topic and the snapshot say it (docs/protocol.md): a copy, so the
/// output half can write it while the tracking half moves on.
struct FeedHealthView {
    std::string id;
    bool silent{false};
    std::optional<Timestamp> last_message;
    ClockStatus clock{ClockStatus::ok};
    std::optional<Duration> measured;
    Duration applied;
    std::string_view source;

    explicit FeedHealthView(const FeedHealth& h)
        : id(h.id),
          silent(h.silent),
          last_message(h.last_message),
          clock(h.clock.status()),
          measured(h.clock.measured_offset()),
          applied(h.clock.applied_offset()),
          source(h.clock.offset_source()) {}
};

/// The clock fields of a feed, shared by the `feed` topic, the snapshot and the status JSON.
void write_clock_fields(JsonWriter& w, ClockStatus status, std::optional<Duration> measured,
                        Duration applied, std::string_view source) {
    w.key("clock").begin_object().field("status", to_string(status)).key("measured_offset_s");
    if (measured)
        w.value(measured->seconds(), 3);
    else
        w.null();
    w.field("applied_offset_s", applied.seconds(), 3).field("offset_source", source).end_object();
}

/// "feed", "status", "last_message", "clock" of one feed (inside an object being written).
void write_feed_health(JsonWriter& w, const FeedHealthView& h) {
    w.field("feed", h.id).field("status", h.silent ? "silent" : "ok").key("last_message");
    if (h.last_message)
        w.value(to_iso8601(*h.last_message));
    else
        w.null();
    write_clock_fields(w, h.clock, h.measured, h.applied, h.source);
}

}  // namespace

/// Gathers what one message decodes to, so the tracker sees it as one batch; judges every time
/// in it against the feed's clock first (src/engine/feed_clock.hpp).
class FusionEngine::Collector final : public sensors::DecodeSink {
public:
    explicit Collector(FusionEngine& engine) : engine_(engine) {}

    void begin(FeedIndex index, FeedHealth& feed, Timestamp received) {
        index_ = index;
        feed_ = &feed;
        received_ = received;
        batch_.clear();
        ended_.clear();
        sources_.clear();
        picture_.reset();
        restarted_ = false;
    }
    /// Source tracks (a `tracks` feed), judged against the feed's clock like measurements.
    std::vector<SourceTrack>& sources() { return sources_; }
    /// The source restarted before (or with) this message.
    bool restarted() const { return restarted_; }
    /// The source's whole picture, when the message was a snapshot.
    const std::optional<std::vector<std::uint64_t>>& picture() const { return picture_; }
    std::vector<Measurement>& batch() { return batch_; }
    /// Sensor tracks the message ended, after its measurements are fused.
    const std::vector<std::uint64_t>& ended() const { return ended_; }

    void measurement(Measurement m) override {
        const FeedClock::Judgement j = feed_->clock.judge(m.observed, received_);
        switch (j.verdict) {
            case FeedClock::Verdict::ahead:
                return engine_.reject_clock(*feed_, "clock_ahead", m.observed, received_);
            case FeedClock::Verdict::behind:
                return engine_.reject_clock(*feed_, "clock_behind", m.observed, received_);
            case FeedClock::Verdict::clamped:
                ++feed_->clock_clamped;
                break;
            case FeedClock::Verdict::ok:
                break;
        }
        if (j.stepped_back) feed_->on_anomaly("time_backwards");
        m.observed = j.observed;
        ++feed_->measurements;
        batch_.push_back(std::move(m));
    }
    void identity(const Identity& id, Timestamp observed) override {
        (void)observed;
        ++feed_->identities;
        engine_.tracker_->update_identity(id);
    }
    void anomaly(std::string_view reason, std::optional<Mmsi> mmsi, LatLon where,
                 Timestamp observed) override {
        feed_->on_anomaly(reason);
        // Decoders name their reasons by core/anomaly.hpp; one the rules do not know is counted
        // above and goes no further.
        const auto typed = anomaly_reason_from_string(reason);
        if (!engine_.rules_ || !mmsi || !typed) return;
        // Alerts are dated by the server's clock where the feed's is not believable: an AIS
        // sentence stamped 2255 must not raise an alert dated 2255.
        observed = feed_->clock.bound(observed, received_);
        engine_.stage_.run([&rules = *engine_.rules_,
                            report = rules::AnomalyReport{0, *mmsi, *typed, where, observed, 0}] {
            rules.on_anomaly(report);
        });
    }
    /// A radar's stated antenna period (CAT034): the tracker counts its looks by it, so that
    /// `min_miss_interval` need not be set by hand per radar.
    void scan(double period_s, Timestamp observed) override {
        (void)observed;
        engine_.tracker_->set_scan_period(index_, period_s);
    }
    void source_track_ended(std::uint64_t source_object_id, Timestamp observed) override {
        (void)observed;
        ended_.push_back(source_object_id);
    }
    void source_track(SourceTrack t) override {
        const FeedClock::Judgement j = feed_->clock.judge(t.time, received_);
        switch (j.verdict) {
            case FeedClock::Verdict::ahead:
                return engine_.reject_clock(*feed_, "clock_ahead", t.time, received_);
            case FeedClock::Verdict::behind:
                // An estimate dated by its last update (a coasting track in a snapshot) is old,
                // not wrong: the fuser brings it forward with its covariance.
                break;
            case FeedClock::Verdict::clamped:
                ++feed_->clock_clamped;
                t.time = j.observed;
                break;
            case FeedClock::Verdict::ok:
                t.time = j.observed;
                break;
        }
        ++feed_->measurements;
        sources_.push_back(std::move(t));
    }
    void source_picture(std::span<const std::uint64_t> live, Timestamp observed) override {
        (void)observed;
        picture_.emplace(live.begin(), live.end());
    }
    void source_restarted(Timestamp observed) override {
        (void)observed;
        restarted_ = true;
    }
    void rejected(const DecodeError& error) override { feed_->on_rejected(error.reason); }
    void quirk(std::string_view kind) override { feed_->on_quirk(kind); }

private:
    FusionEngine& engine_;
    FeedIndex index_{0};
    FeedHealth* feed_{nullptr};
    Timestamp received_;
    std::vector<Measurement> batch_;
    std::vector<std::uint64_t> ended_;
    std::vector<SourceTrack> sources_;
    std::optional<std::vector<std::uint64_t>> picture_;
    bool restarted_{false};
};

FusionEngine::FusionEngine(const ServerConfig& config, EngineOutput& output,
                           OutputThreading threading)
    : config_(config),
      output_(output),
      collector_(std::make_unique<Collector>(*this)),
      stage_(threading) {
    for (const FeedConfig& f : config_.feeds) {
        auto decoder = sensors::make_feed_decoder(f.params);
        if (!decoder)
            throw std::runtime_error("feed " + f.params.id + ": no decoder for format " +
                                     f.params.format);
        decoders_.push_back(std::move(decoder));
        FeedHealth h;
        h.id = f.params.id;
        h.expected_interval_s = f.expected_interval_s;
        FeedClockConfig clock = f.clock;
        clock.late_after = Duration::from_seconds(config_.tracker.latency_window_s);
        // AIS times are each vessel's own, a track stream's each track's: they interleave.
        clock.check_backwards = f.params.kind != SensorKind::ais && !f.params.tracks;
        h.clock = FeedClock(clock);
        health_.push_back(std::move(h));
    }
    tracker_ = std::make_unique<filters::Tracker>(config_.tracker);
    for (const FeedConfig& f : config_.feeds) {
        tracker_->set_feed_watches(f.params.index, f.watches);
        tracker_->set_feed_range(f.params.index, f.params.range_m);
    }
    if (config_.regional) fuser_ = std::make_unique<fusion::TrackFuser>(config_.fusion);
    for (const FeedConfig& f : config_.feeds) feed_names_.push_back(f.params.id);
    if (!config_.rules_file.empty())
        rules_ = std::make_unique<rules::RuleEngine>(rules::load_rule_file(config_.rules_file));
}

FusionEngine::~FusionEngine() = default;

void FusionEngine::advance_clock(Timestamp t) {
    // The engine's clock only moves forward: a message stamped earlier than the last tick (two
    // I/O paths racing) must not make rules see time run backwards.
    if (t > now_) now_ = t;
}

void FusionEngine::publish(std::string_view topic, const std::string& json) {
    ++counters_.published;
    output_.publish(topic, json);
}

void FusionEngine::on_message(FeedIndex feed, Timestamp received, std::string_view bytes) {
    ++counters_.events;
    advance_clock(received);
    if (feed >= decoders_.size()) return;
    FeedHealth& health = health_[feed];
    health.on_message(received, bytes.size());
    collector_->begin(feed, health, received);
    decoders_[feed]->decode(bytes, received, *collector_);
    if (health.clock.end_message()) announce_clock(health);
    if (fuser_) return fuse_source_tracks(feed);
    auto& batch = collector_->batch();
    if (batch.empty() && collector_->ended().empty()) return;
    if (!batch.empty()) {
        // "Now" is the server's clock, never a measurement's own time (issue 12).
        const auto outcome = tracker_->process(batch, now_, health.clock.config().expected_latency);
        if (outcome.late_dropped > 0) {
            health.on_rejected("late", outcome.late_dropped);
            if (const auto n = health.late_log.note(now_, outcome.late_dropped))
                log_late(health, n);
        }
        if (outcome.ahead_dropped > 0) health.on_rejected("clock_ahead", outcome.ahead_dropped);
    }
    // The radar's end-of-track records, after its last plots were fused (issue 15).
    for (const std::uint64_t id : collector_->ended()) tracker_->end_source_track(feed, id);
    if (rules_) {
        for (const Measurement& m : batch)
            if (m.sensor == SensorKind::ugs || m.sensor == SensorKind::camera)
                stage_.run([&rules = *rules_, m] { rules.on_detection(m); });
    }
    publish_track_changes(feed);
}

void FusionEngine::fuse_source_tracks(FeedIndex feed) {
    // The source's picture first (a snapshot lists every track it holds, and sends them all;
    // a restarted source holds none of its old ones), then its tracks, then what it ended.
    if (collector_->restarted()) fuser_->on_source_restart(feed);
    if (const auto& live = collector_->picture()) fuser_->on_picture(feed, *live);
    for (SourceTrack& t : collector_->sources()) fuser_->on_track(feed, std::move(t));
    for (const std::uint64_t id : collector_->ended()) fuser_->on_ended(feed, id);
    publish_track_changes();
}

void FusionEngine::write_fusion_status(JsonWriter& w) const {
    if (!fuser_) return;
    const fusion::FuserCounters& c = fuser_->counters();
    w.key("fusion").begin_object();
    w.field("tracks", static_cast<std::uint64_t>(fuser_->tracks().size()));
    w.field("source_updates", c.source_updates).field("out_of_order", c.out_of_order);
    w.field("associated", c.associated).field("created", c.created);
    w.field("merged", c.merged).field("detached", c.detached);
    w.field("redundant", c.redundant).field("aged_out", c.aged_out);
    w.field("source_ended", c.source_ended).field("source_restarts", c.source_restarts);
    w.field("held", c.held).field("rebound", c.rebound).field("hold_expired", c.hold_expired);
    // Per source: the translation bias taken off its positions (m east, north).
    w.key("bias").begin_array();
    for (const auto& [feed, b] : fuser_->bias().biases()) {
        w.begin_object().field("feed", feed < feed_names_.size() ? feed_names_[feed] : "?");
        w.field("east_m", b.x(), 1).field("north_m", b.y(), 1).end_object();
    }
    w.end_array().end_object();
}

void FusionEngine::reject_clock(FeedHealth& h, std::string_view reason, Timestamp observed,
                                Timestamp received) {
    h.on_rejected(reason);
    const std::uint64_t n = h.clock_reject_log.note(received);
    if (n == 0) return;
    log::warn("feed " + h.id + ": " + std::to_string(n) + (n == 1 ? " record" : " records") +
              " rejected as " + std::string(reason) + " (the latest stamped " +
              to_iso8601(observed) + ", received " + to_iso8601(received) + "; max_clock_skew " +
              format_seconds(h.clock.config().max_skew) + ")");
}

void FusionEngine::log_late(const FeedHealth& h, std::uint64_t n) {
    log::warn("feed " + h.id + ": " + std::to_string(n) +
              (n == 1 ? " measurement" : " measurements") +
              " dropped as late (older than the tracker's latency window, " +
              format_seconds(Duration::from_seconds(config_.tracker.latency_window_s)) +
              ", behind the server's clock)");
}

std::string FusionEngine::describe_clock(const FeedHealth& h) const {
    const FeedClock& c = h.clock;
    const std::string measured =
        c.measured_offset() ? format_seconds(*c.measured_offset()) : std::string("unknown");
    std::string out = "feed " + h.id + ": clock ";
    switch (c.status()) {
        case ClockStatus::ok:
            return out + "within " + format_seconds(c.config().tolerance) +
                   " of the server's (offset " + measured + ")";
        case ClockStatus::corrected:
            return out + "offset " + measured + ", corrected by a " +
                   std::string(c.offset_source()) + " offset of " +
                   format_seconds(c.applied_offset());
        case ClockStatus::ahead:
            return out + "ahead of the server's by " + measured +
                   " (median of its recent messages); records beyond max_clock_skew are "
                   "rejected as clock_ahead, the rest fused at their receive time. Set the "
                   "feed's clock_offset, or clock_offset: learn (docs/configuration.md)";
        case ClockStatus::behind:
            return out + "behind the server's by " + measured +
                   " (median of its recent messages); its data is dropped as late. A slow "
                   "clock: set clock_offset (or learn); data late by nature: set "
                   "expected_latency (docs/configuration.md)";
    }
    return out;
}

void FusionEngine::announce_clock(FeedHealth& h) {
    if (h.clock_status_log.note(now_) > 0) log::warn(describe_clock(h));
    publish_feed_health(h);
}

// The tracking half copies what changed; the output half encodes and publishes it, so the two
// may run on different threads without sharing the tracker's state.
TrackOrigin FusionEngine::origin_of(TrackId id) const {
    if (fuser_) return TrackOrigin{0, fuser_->lineage(id)};
    const auto it = feeds_.find(id);
    return TrackOrigin{it == feeds_.end() ? 0 : it->second, nullptr};
}

void FusionEngine::publish_track_changes(std::optional<FeedIndex> from) {
    filters::Tracker::Changes changes;
    if (fuser_) {
        auto c = fuser_->take_changes();
        changes.updated = std::move(c.updated);
        changes.deleted = std::move(c.deleted);
    } else {
        changes = tracker_->take_changes();
    }
    if (changes.updated.empty() && changes.deleted.empty()) return;
    const auto& tracks = picture();
    std::vector<Track> changed;
    std::vector<TrackOrigin> origins;
    changed.reserve(changes.updated.size());
    origins.reserve(changes.updated.size());
    for (TrackId id : changes.updated) {
        // tracks() is in TrackId order: binary search instead of a map lookup per change.
        auto it = std::lower_bound(tracks.begin(), tracks.end(), id,
                                   [](const Track& t, TrackId v) { return t.id < v; });
        if (it == tracks.end() || it->id != id) continue;
        // A track a feed's message changed took that feed's data (or its static identity).
        if (from && *from < 64 && !fuser_) feeds_[id] |= std::uint64_t{1} << *from;
        changed.push_back(*it);
        origins.push_back(origin_of(id));
    }
    for (TrackId id : changes.deleted) feeds_.erase(id);
    if (rules_) rules_picture_.note(changes.updated, changes.deleted);
    stage_.run([this, changed = std::move(changed), origins = std::move(origins),
                deleted = std::move(changes.deleted), now = now_] {
        for (std::size_t i = 0; i < changed.size(); ++i) {
            publish("track", track_message(changed[i], seq_ + 1, feed_names_, origins[i]));
            ++seq_;
        }
        for (TrackId id : deleted) publish("track.deleted", track_deleted_message(id, now, ++seq_));
        if (rules_ && !deleted.empty()) rules_->on_tracks_deleted(deleted, now);
        if (!changed.empty()) output_.tracks_changed(changed, now);
        if (!deleted.empty()) output_.tracks_deleted(deleted, now);
    });
}

void FusionEngine::publish_alert_updates() {
    if (!rules_) return;
    bool shares_changed = false;
    for (const Alert& a : rules_->take_alert_updates()) {
        output_.persist_alert(a);
        publish("alert", alert_message(a, ++seq_));
        shares_changed = shares_changed || a.change == IncidentChange::closed ||
                         a.change == IncidentChange::reopened;
    }
    // The supervisor's false-alarm share moves only when an incident is closed or re-opened.
    if (shares_changed)
        publish("rules.shares", rule_shares_message(rules_->rule_shares(), ++seq_, now_));
}

struct FusionEngine::RulesCycleInput {
    std::vector<filters::Tracker::Anomaly> anomalies;
    std::vector<Track> tracks;
    Timestamp now;
};

void FusionEngine::on_tick(Timestamp now, RulesCycle cycle) {
    ++counters_.ticks;
    while (rules_step()) {
    }
    advance_clock(now);
    if (fuser_)
        fuser_->advance(now_);
    else
        tracker_->advance(now_);
    publish_track_changes();
    if (rules_) {
        // The rules see the tracks as they are at this tick: a copy, when the output half runs
        // on its own thread while the tracker moves on, or when the cycle runs in parts.
        auto input = std::make_shared<RulesCycleInput>(
            RulesCycleInput{tracker_->take_anomalies(), {}, now_});
        if (cycle == RulesCycle::stepped) {
            // The last cycle's copy, brought up to date, when no part of that cycle still holds
            // it (its parts have all run: the loop above; a worker may still hold its jobs).
            if (last_cycle_ && last_cycle_.use_count() == 1)
                input->tracks = std::move(last_cycle_->tracks);
            last_cycle_.reset();
            if (incremental_rules_picture_)
                rules_picture_.refresh(input->tracks, picture());
            else
                rules_picture_.refresh_reference(input->tracks, picture());
            last_cycle_ = input;
            pending_rules_ = std::move(input);
            pending_from_ = 0;
        } else if (stage_.threaded()) {
            rules_picture_.discard();
            input->tracks = picture();
            run_rules_part(input, 0, input->tracks.size());
        } else {
            rules_picture_.discard();
            // Inline and whole: the tracker's own vector, no copy (nothing moves meanwhile).
            stage_.run([this, &input] {
                for (const auto& a : input->anomalies)
                    rules_->on_anomaly(rules::AnomalyReport{a.track, a.mmsi, a.reason, a.where,
                                                            a.when, a.deviation_m});
                rules_->evaluate(picture(), input->now);
                publish_alert_updates();
            });
        }
    }
    for (FeedHealth& h : health_) {
        if (h.check_silence(now_)) {
            log::warn("feed " + h.id + (h.silent ? " is silent" : " is back"));
            publish_feed_health(h);
        }
        // Lines held back by the rate limits, once their minute is up.
        if (const auto n = h.late_log.flush(now_)) log_late(h, n);
        if (h.clock_status_log.flush(now_) > 0) log::warn(describe_clock(h));
        if (const auto n = h.clock_reject_log.flush(now_))
            log::warn("feed " + h.id + ": " + std::to_string(n) + " more records rejected as " +
                      "clock_ahead / clock_behind");
    }
}

const std::vector<Track>* FusionEngine::rules_cycle_tracks() const {
    return last_cycle_ ? &last_cycle_->tracks : nullptr;
}

bool FusionEngine::rules_step() {
    if (!pending_rules_) return false;
    const auto cycle = pending_rules_;
    const std::size_t begin = pending_from_;
    const std::size_t end = std::min(cycle->tracks.size(), begin + kRulesPartTracks);
    pending_from_ = end;
    if (end == cycle->tracks.size()) pending_rules_.reset();
    run_rules_part(cycle, begin, end);
    return pending_rules_ != nullptr;
}

// One part of a rules cycle on the output half: the anomalies with the first part, the cycle's
// end (rendezvous, escalation, expiry) and its alerts with the last.
void FusionEngine::run_rules_part(const std::shared_ptr<const RulesCycleInput>& cycle,
                                  std::size_t begin, std::size_t end) {
    stage_.run([this, cycle, begin, end] {
        if (begin == 0)
            for (const auto& a : cycle->anomalies)
                rules_->on_anomaly(rules::AnomalyReport{a.track, a.mmsi, a.reason, a.where, a.when,
                                                        a.deviation_m});
        const std::span<const Track> tracks(cycle->tracks);
        rules_->evaluate_part(tracks.subspan(begin, end - begin), cycle->now);
        if (end == tracks.size()) {
            rules_->finish_cycle(tracks, cycle->now);
            publish_alert_updates();
        }
    });
}

void FusionEngine::publish_feed_health(const FeedHealth& h) {
    stage_.run([this, view = FeedHealthView(h), now = now_] {
        std::string json;
        JsonWriter w(json);
        w.begin_object().field("seq", static_cast<std::uint64_t>(++seq_));
        write_feed_health(w, view);
        w.field("time", to_iso8601(now)).end_object();
        publish("feed", json);
    });
}

std::string FusionEngine::on_command(std::string_view text, std::string_view user, Timestamp now) {
    ++counters_.commands;
    advance_clock(now);
    // Commands read and change the output half (alerts) and answer at once: let it catch up.
    stage_.drain();
    const auto reply = [](bool ok, std::string_view error = {}) {
        std::string out;
        JsonWriter w(out);
        w.begin_object().field("ok", ok);
        if (!ok) w.field("error", error);
        w.end_object();
        return out;
    };
    const auto cmd = nlohmann::json::parse(text, nullptr, false);
    if (cmd.is_discarded() || !cmd.is_object()) return reply(false, "not a JSON object");
    if (!cmd.contains("cmd") || !cmd["cmd"].is_string()) return reply(false, "missing 'cmd'");
    const std::string name = cmd["cmd"].get<std::string>();
    std::string by =
        cmd.contains("by") && cmd["by"].is_string() ? cmd["by"].get<std::string>() : "";
    if (by.empty()) by = std::string(user);

    const auto id_field = [&](const char* key) -> std::optional<std::uint64_t> {
        if (!cmd.contains(key) || !cmd[key].is_number_unsigned()) return std::nullopt;
        return cmd[key].get<std::uint64_t>();
    };

    if (name == "ack" || name == "close" || name == "assign" || name == "note") {
        // Incident commands (docs/protocol.md): `incident_id`, or `alert_id` as in version 1.
        auto id = id_field("incident_id");
        if (!id) id = id_field("alert_id");
        if (!id) return reply(false, "missing or invalid 'incident_id'");
        if (!rules_) return reply(false, "no rules configured");
        const auto string_field = [&](const char* key) -> std::optional<std::string> {
            if (!cmd.contains(key) || !cmd[key].is_string()) return std::nullopt;
            return cmd[key].get<std::string>();
        };
        bool ok = false;
        if (name == "ack") {
            ok = rules_->acknowledge(*id, by, now_);
        } else if (name == "close") {
            Disposition d = Disposition::none;
            if (cmd.contains("disposition")) {
                const auto v = string_field("disposition");
                const auto parsed = v ? disposition_from_string(*v) : std::nullopt;
                if (!parsed || *parsed == Disposition::none)
                    return reply(false,
                                 "invalid 'disposition' (confirmed, false_alarm, duplicate, "
                                 "exercise)");
                d = *parsed;
            }
            ok = rules_->close(*id, by, now_, d);
        } else if (name == "assign") {
            const auto asset = string_field("asset");
            if (!asset || asset->size() > 128) return reply(false, "missing or invalid 'asset'");
            ok = rules_->assign(*id, *asset, by, now_);
        } else {
            auto note = string_field("text");
            if (!note || note->empty() || note->size() > 2000)
                return reply(false, "a note needs 'text' of 1 to 2000 characters");
            ok = rules_->add_note(*id, by, now_, std::move(*note));
        }
        if (!ok) return reply(false, "no such incident, or not in a state that allows it");
        publish_alert_updates();
        return reply(true);
    }
    const auto track = id_field("track_id");
    if (!track) return reply(false, "missing or invalid 'track_id'");
    bool ok = false;
    if (name == "mute") {
        // Bounded: 1e300 s overflowed the clock (found by the command fuzzer); a track to ignore
        // for longer than a week is marked friendly instead.
        constexpr double kMaxMuteSeconds = 7 * 24 * 3600.0;
        const bool valid = cmd.contains("seconds") && cmd["seconds"].is_number() &&
                           cmd["seconds"].get<double>() > 0 &&
                           cmd["seconds"].get<double>() <= kMaxMuteSeconds;
        if (!valid)
            return reply(false, "missing or invalid 'seconds' (more than 0, at most 604800)");
        if (!rules_) return reply(false, "no rules configured");
        rules_->mute_track(*track, now_ + Duration::from_seconds(cmd["seconds"].get<double>()));
        return reply(true);
    } else if (name == "standing") {
        const auto s = cmd.contains("standing") && cmd["standing"].is_string()
                           ? standing_from_string(cmd["standing"].get<std::string>())
                           : std::nullopt;
        if (!s) return reply(false, "missing or invalid 'standing'");
        ok = fuser_ ? fuser_->set_standing(*track, *s) : tracker_->set_standing(*track, *s);
    } else if (name == "class") {
        const auto c = cmd.contains("class") && cmd["class"].is_string()
                           ? target_class_from_string(cmd["class"].get<std::string>())
                           : std::nullopt;
        if (!c) return reply(false, "missing or invalid 'class'");
        ok = fuser_ ? fuser_->set_class(*track, *c) : tracker_->set_class(*track, *c);
    } else if (name == "label") {
        if (!cmd.contains("label") || !cmd["label"].is_string())
            return reply(false, "missing 'label'");
        ok = fuser_ ? fuser_->set_label(*track, cmd["label"].get<std::string>())
                    : tracker_->set_label(*track, cmd["label"].get<std::string>());
    } else {
        return reply(false, "unknown command '" + name + "'");
    }
    if (!ok) return reply(false, "no such track");
    publish_track_changes();
    return reply(true);
}

void FusionEngine::restore_alerts(std::vector<Alert> not_closed, AlertId next_id) {
    if (!rules_) return;
    stage_.drain();
    rules_->restore_alerts(std::move(not_closed), next_id);
}

void FusionEngine::announce_open_alerts() {
    if (!rules_) return;
    stage_.drain();
    for (Alert a : rules_->open_alerts()) {
        a.change = IncidentChange::restored;
        publish("alert", alert_message(a, ++seq_));
    }
}

void FusionEngine::show_shared_alert(const Alert& alert) {
    stage_.drain();
    // Older than what was shown (a notification overtaken by a newer read): nothing to say.
    if (const auto it = shared_alerts_.find(alert.id);
        it != shared_alerts_.end() && it->second.revision > alert.revision)
        return;
    if (alert.state == AlertState::closed)
        shared_alerts_.erase(alert.id);
    else
        shared_alerts_[alert.id] = alert;
    publish("alert", alert_message(alert, ++seq_));
}

void FusionEngine::restore_closures(std::vector<IncidentClosure> closures) {
    if (!rules_) return;
    stage_.drain();
    rules_->restore_closures(std::move(closures));
}

Duration FusionEngine::false_alarm_window() const {
    return rules_ ? rules_->ledger().policy().share_window : rules::IncidentPolicy{}.share_window;
}

std::vector<rules::RuleShare> FusionEngine::rule_shares() const {
    if (!rules_) return {};
    stage_.drain();
    return rules_->rule_shares();
}

std::vector<Alert> FusionEngine::alerts() const {
    if (!rules_) return {};
    stage_.drain();
    return rules_->open_alerts();
}

std::string FusionEngine::snapshot() const {
    auto all = alerts();
    for (const auto& [id, a] : shared_alerts_) all.push_back(a);
    // The feeds' health too: a console that joins after a feed was flagged still shows the flag.
    std::string feeds;
    JsonWriter w(feeds);
    w.begin_array();
    for (const FeedHealth& h : health_) {
        w.begin_object();
        write_feed_health(w, FeedHealthView(h));
        w.end_object();
    }
    w.end_array();
    const auto shares = rule_shares();
    const auto& tracks = picture();
    std::vector<TrackOrigin> origins;
    origins.reserve(tracks.size());
    for (const Track& t : tracks) origins.push_back(origin_of(t.id));
    return snapshot_message(tracks, all, seq_, now_, shares, feeds, feed_names_, origins);
}

std::string FusionEngine::status_json() const {
    stage_.drain();
    std::string out;
    JsonWriter w(out);
    const auto count = [&](std::string_view key, std::uint64_t v) { w.field(key, v); };
    w.begin_object().field("time", to_iso8601(now_)).field("seq", static_cast<std::uint64_t>(seq_));
    w.key("feeds").begin_array();
    for (const FeedHealth& h : health_) {
        w.begin_object().field("id", h.id);
        for (const FeedCounterInfo& c : kFeedCounters) count(c.name, h.*c.member);
        count("rejected_total", h.rejected_total());
        w.key("rejected").begin_object();
        for (const auto& [reason, n] : h.rejected) count(reason, n);
        w.end_object().key("anomalies").begin_object();
        for (const auto& [reason, n] : h.anomalies) count(reason, n);
        w.end_object().key("quirks").begin_object();
        for (const auto& [kind, n] : h.quirks) count(kind, n);
        w.end_object().key("last_message");
        if (h.last_message)
            w.value(to_iso8601(*h.last_message));
        else
            w.null();
        w.field("rate_per_s", h.rate_per_s, 2).field("silent", h.silent);
        write_clock_fields(w, h.clock.status(), h.clock.measured_offset(), h.clock.applied_offset(),
                           h.clock.offset_source());
        w.end_object();
    }
    w.end_array();
    const filters::TrackerCounters& t = tracker_->counters();
    w.key("tracker").begin_object();
    count("tracks", picture().size());
    for (const filters::TrackerCounterInfo& c : filters::kTrackerCounters)
        count(c.name, t.*c.member);
    w.end_object();
    write_fusion_status(w);
    w.key("alerts").begin_object();
    std::uint64_t open = 0, acknowledged = 0;
    for (const Alert& a : alerts()) (a.state == AlertState::open ? open : acknowledged)++;
    count("open", open);
    count("acknowledged", acknowledged);
    w.end_object();
    w.key("engine").begin_object();
    count("events", counters_.events);
    count("ticks", counters_.ticks);
    count("commands", counters_.commands);
    count("published", counters_.published);
    w.end_object().end_object();
    return out;
}

std::string FusionEngine::layers_geojson() const {
    if (!rules_) return R"({"type":"FeatureCollection","features":[]})";
    return layers_feature_collection(rules_->book());
}

}  // namespace picket::server
