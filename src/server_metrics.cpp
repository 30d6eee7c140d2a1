#include "src/server_metrics.hpp"

#include "rules/incident_ledger.hpp"

namespace picket::server {

ServerMetrics::ServerMetrics()
    : latency_(registry_.histogram(
          "picket_processing_latency_seconds",
          "From a feed message's receive time to its tracks and alerts being published",
          outputs::default_latency_buckets_s())) {
    // Families whose series appear only with their first label value (a reject reason, an
    // anomaly): declared now, so /metrics names them from the first scrape.
    registry_.declare_counter("picket_feed_rejected_total", "Input rejected per feed and reason");
    registry_.declare_counter("picket_feed_anomalies_total",
                              "Sanity-check failures per feed and reason");
    registry_.declare_counter("picket_feed_quirks_total",
                              "Input decoded despite a vendor quirk, per feed and kind");
    // 10 us to 5 s: a message costs tens of microseconds, a tick at 50,000 tracks milliseconds.
    const std::vector<double> work_buckets{1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 2e-3, 5e-3, 1e-2,
                                           2e-2, 5e-2, 0.1,  0.2,  0.5,  1.0,  5.0};
    for (std::size_t i = 0; i < kFusionWorkNames.size(); ++i) {
        const outputs::Labels work{{"work", kFusionWorkNames[i]}};
        work_[i] = {
            &registry_.histogram("picket_fusion_work_seconds",
                                 "Pieces of the fusion thread's work, by kind (a message "
                                 "waits for the piece running when it arrives)",
                                 work_buckets, work),
            &registry_.gauge("picket_fusion_work_max_seconds",
                             "Longest single piece of the fusion thread's work so far", work)};
    }
}

void ServerMetrics::observe_work(FusionWork w, double seconds) {
    const WorkSeries& s = work_[static_cast<std::size_t>(w)];
    s.seconds->observe(seconds);
    // One writer (the fusion thread): a plain compare, no compare-and-swap loop needed.
    if (seconds > s.max->value()) s.max->set(seconds);
}

void ServerMetrics::advance(outputs::Counter& c, std::uint64_t total) {
    // The engine's counts are totals; Prometheus counters only go up: add the difference.
    std::uint64_t& last = seen_[&c];
    if (total > last) c.inc(total - last);
    last = total;
}

void ServerMetrics::update(const FusionEngine& engine, std::uint64_t forwarded,
                           std::uint64_t processed) {
    for (const FeedHealth& h : engine.feeds()) {
        const outputs::Labels feed{{"feed", h.id}};
        for (const FeedCounterInfo& c : kFeedCounters)
            advance(
                registry_.counter("picket_feed_" + std::string(c.name) + "_total", c.help, feed),
                h.*c.member);
        for (const auto& [reason, n] : h.rejected)
            advance(registry_.counter("picket_feed_rejected_total",
                                      "Input rejected per feed and reason",
                                      {{"feed", h.id}, {"reason", reason}}),
                    n);
        for (const auto& [reason, n] : h.anomalies)
            advance(registry_.counter("picket_feed_anomalies_total",
                                      "Sanity-check failures per feed and reason",
                                      {{"feed", h.id}, {"reason", reason}}),
                    n);
        for (const auto& [kind, n] : h.quirks)
            advance(registry_.counter("picket_feed_quirks_total",
                                      "Input decoded despite a vendor quirk, per feed and kind",
                                      {{"feed", h.id}, {"kind", kind}}),
                    n);
        registry_.gauge("picket_feed_rate_per_second", "Smoothed message rate per feed", feed)
            .set(h.rate_per_s);
        registry_
            .gauge("picket_feed_silent",
                   "1 when the feed has been silent past its expected interval", feed)
            .set(h.silent ? 1 : 0);
        const ClockStatus clock = h.clock.status();
        registry_
            .gauge("picket_feed_clock_off",
                   "1 when the feed's clock is off (ahead, or its data too late) and not corrected",
                   feed)
            .set(clock == ClockStatus::ahead || clock == ClockStatus::behind ? 1 : 0);
        registry_
            .gauge("picket_feed_clock_offset_seconds",
                   "The feed's clock minus the server's: median over its recent messages", feed)
            .set(h.clock.measured_offset() ? h.clock.measured_offset()->seconds() : 0.0);
        registry_
            .gauge("picket_feed_clock_applied_offset_seconds",
                   "Offset taken off the feed's times (configured or learned)", feed)
            .set(h.clock.applied_offset().seconds());
    }
    registry_
        .gauge("picket_ingest_queue_depth",
               "Messages handed over by the I/O thread, not yet processed")
        .set(static_cast<double>(forwarded - std::min(forwarded, processed)));
    std::map<TrackStatus, int> by_status;
    for (const Track& t : engine.picture()) ++by_status[t.status];
    for (TrackStatus s : {TrackStatus::tentative, TrackStatus::confirmed, TrackStatus::coasting})
        registry_
            .gauge("picket_tracks", "Live tracks by status",
                   {{"status", std::string(to_string(s))}})
            .set(by_status[s]);
    int open = 0, acknowledged = 0;
    for (const Alert& a : engine.alerts()) (a.state == AlertState::open ? open : acknowledged)++;
    registry_.gauge("picket_alerts", "Alerts by state", {{"state", "open"}}).set(open);
    registry_.gauge("picket_alerts", "Alerts by state", {{"state", "acknowledged"}})
        .set(acknowledged);
    // Which rule to tune first: per rule, the share of its incidents closed as false alarms
    // over the rule file's false_alarm_window (docs/rules.md).
    for (const rules::RuleShare& s : engine.rule_shares()) {
        registry_
            .gauge("picket_rule_false_alarm_share",
                   "Share of the incidents with this rule's evidence closed as false alarms, "
                   "over the false-alarm window",
                   {{"rule", s.rule}})
            .set(s.share());
        registry_
            .gauge("picket_rule_incidents_closed",
                   "Incidents with this rule's evidence closed in the false-alarm window",
                   {{"rule", s.rule}})
            .set(s.closed);
    }
    const filters::TrackerCounters& t = engine.tracker().counters();
    for (const filters::TrackerCounterInfo& c : filters::kTrackerCounters)
        advance(registry_.counter("picket_tracker_" + std::string(c.name) + "_total", c.help),
                t.*c.member);
    advance(registry_.counter("picket_published_messages_total", "Messages published"),
            engine.counters().published);
}

void ServerMetrics::update_outputs(const outputs::CotOutput* cot,
                                   const outputs::Cat062Output* cat062) {
    if (cot) {
        const auto& c = cot->counters();
        const auto events = [&](const char* what, std::uint64_t n) {
            advance(registry_.counter("picket_cot_events_total",
                                      "CoT events made, by what they carry", {{"what", what}}),
                    n);
        };
        events("track", c.track_events);
        events("alert", c.alert_events);
        events("removal", c.removals);
        advance(registry_.counter("picket_cot_tracks_withheld_total",
                                  "Track updates not sent to TAK: the track is not confirmed"),
                c.tracks_withheld);
        registry_
            .gauge("picket_cot_picture", "Tracks and alerts on the TAK picture",
                   {{"what", "track"}})
            .set(static_cast<double>(cot->tracks_on_picture()));
        registry_
            .gauge("picket_cot_picture", "Tracks and alerts on the TAK picture",
                   {{"what", "alert"}})
            .set(static_cast<double>(cot->alerts_on_picture()));
        advance(registry_.counter("picket_cot_udp_sent_total", "CoT datagrams sent"),
                cot->events_sent_udp());
        advance(registry_.counter("picket_cot_udp_dropped_total",
                                  "CoT datagrams dropped (socket buffer full or send error)"),
                cot->events_dropped_udp());
        if (const outputs::TakTcpClient* tak = cot->tak()) {
            advance(
                registry_.counter("picket_tak_sent_total", "CoT events written to the TAK server"),
                tak->sent());
            const auto dropped = [&](const char* what, std::uint64_t n) {
                advance(registry_.counter("picket_tak_dropped_total",
                                          "CoT events dropped from the TAK queue when full",
                                          {{"what", what}}),
                        n);
            };
            dropped("track", tak->tracks_dropped());
            dropped("alert", tak->alerts_dropped());
            dropped("removal", tak->removals_dropped());
            registry_.gauge("picket_tak_connected", "1 while connected to the TAK server")
                .set(tak->connected() ? 1 : 0);
        }
    }
    if (cat062) {
        advance(registry_.counter("picket_cat062_datagrams_total", "CAT062 datagrams sent"),
                cat062->sender().sent());
        advance(registry_.counter("picket_cat062_dropped_total",
                                  "CAT062 datagrams dropped (socket buffer full or send error)"),
                cat062->sender().dropped());
        advance(registry_.counter("picket_cat062_tracks_ended_total",
                                  "End-of-track records sent (I062/080 TSE)"),
                cat062->tracks_ended());
        advance(registry_.counter("picket_cat062_numbers_exhausted_total",
                                  "Track records left out: no free track number"),
                cat062->numbers_exhausted());
        registry_.gauge("picket_cat062_track_numbers", "Track numbers held by live tracks")
            .set(static_cast<double>(cat062->numbers().live()));
    }
}

void ServerMetrics::update_persistence(const persist::PersistenceReport& r) {
    const persist::PersistenceStats& s = r.stage;
    const auto saved = [&](const char* what, std::uint64_t n) {
        advance(registry_.counter("picket_persist_saved_total", "Written by the persistence thread",
                                  {{"what", what}}),
                n);
    };
    saved("alert", s.alerts_saved);
    saved("action", s.actions_saved);
    saved("history_point", r.history.saved);
    saved("record", s.records_written);
    const auto dropped = [&](const char* what, std::uint64_t n) {
        advance(registry_.counter("picket_persist_dropped_total",
                                  "Dropped because the disk was behind (history first, then the "
                                  "recording; held track messages)",
                                  {{"what", what}}),
                n);
    };
    dropped("history_point", r.history.dropped);
    dropped("record", s.records_dropped);
    dropped("held_track_message", r.held_dropped);
    advance(registry_.counter("picket_persist_store_errors_total",
                              "Failed store commits (retried; alerts are never dropped)"),
            s.store_errors);
    registry_
        .gauge("picket_persist_backlog", "Handed to the persistence thread, not yet written",
               {{"queue", "recording_bytes"}})
        .set(static_cast<double>(s.recording_backlog_bytes));
    registry_
        .gauge("picket_persist_backlog", "Handed to the persistence thread, not yet written",
               {{"queue", "history_points"}})
        .set(static_cast<double>(r.history.backlog));
    registry_
        .gauge("picket_persist_backlog", "Handed to the persistence thread, not yet written",
               {{"queue", "unconfirmed_batches"}})
        .set(static_cast<double>(s.handed_over - s.confirmed));
    registry_
        .gauge("picket_publish_held_messages",
               "Messages waiting for an alert before them to be stored")
        .set(static_cast<double>(r.held));
    registry_.gauge("picket_persist_commit_seconds_max", "Longest alert/action commit so far")
        .set(s.max_commit_ms / 1e3);
    registry_
        .gauge("picket_persist_degraded",
               "1 once the disk fell behind far enough to drop history or records")
        .set(r.degraded() ? 1 : 0);
    registry_.gauge("picket_history_disk_bytes", "Track history on disk (day files)")
        .set(static_cast<double>(r.history.disk_bytes));
    advance(registry_.counter("picket_history_updates_total",
                              "Track updates seen by the history decimator"),
            r.history_updates);
    advance(registry_.counter("picket_history_kept_total", "Track updates kept as history"),
            r.history_kept);
}

}  // namespace picket::server
