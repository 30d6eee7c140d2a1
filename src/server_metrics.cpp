#include "src/server_metrics.hpp"

namespace picket::server {

ServerMetrics::ServerMetrics()
    : latency_(registry_.histogram(
          "picket_processing_latency_seconds",
          "From a feed message's receive time to its tracks and alerts being published",
          outputs::default_latency_buckets_s())) {}

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
        advance(registry_.counter("picket_feed_messages_total", "Messages received per feed", feed),
                h.messages);
        advance(registry_.counter("picket_feed_bytes_total", "Bytes received per feed", feed),
                h.bytes);
        advance(registry_.counter("picket_feed_measurements_total", "Measurements decoded per feed",
                                  feed),
                h.measurements);
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
    }
    registry_
        .gauge("picket_ingest_queue_depth",
               "Messages handed over by the I/O thread, not yet processed")
        .set(static_cast<double>(forwarded - std::min(forwarded, processed)));
    std::map<TrackStatus, int> by_status;
    for (const Track& t : engine.tracker().tracks()) ++by_status[t.status];
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
    const auto& c = engine.tracker().counters();
    advance(registry_.counter("picket_tracker_late_dropped_total",
                              "Measurements older than the latency window"),
            c.late_dropped);
    advance(registry_.counter("picket_tracker_late_used_total",
                              "Out-of-sequence measurements re-processed"),
            c.late_used);
    advance(registry_.counter("picket_published_messages_total", "Messages published"),
            engine.counters().published);
}

}  // namespace picket::server
