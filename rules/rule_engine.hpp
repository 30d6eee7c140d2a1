#pragma once
/// The rule engine: evaluates every rule of a RuleBook over the live track picture each cycle,
/// keeps the per-(rule, track) state (dwell, hysteresis, sides of a border), and raises alerts
/// through its AlertLedger, once per incident.
///
/// Inputs come from the fusion thread: the full picture each cycle (evaluate), track deletions,
/// AIS anomalies and ground detections as they happen. Nothing here reads a clock: `now` is
/// passed in, and the same inputs give the same alerts with the same ids in the same order.
/// Not thread-safe: one thread owns the engine (the fusion thread, see docs/architecture.md).
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/alert.hpp"
#include "core/measurement.hpp"
#include "core/track.hpp"
#include "rules/alert_ledger.hpp"
#include "rules/rule_book.hpp"

namespace picket::rules {

/// Counters for benchmarks and the status page.
struct RuleEngineStats {
    std::size_t tracks{0};              ///< tracks with state
    std::uint64_t geometry_queries{0};  ///< zone/line queries made (cache misses), cumulative
    std::size_t rendezvous_pairs{0};    ///< close pairs being timed
    std::size_t active_incidents{0};
};

class RuleEngine {
public:
    /// Takes the rule book; alert ids start at `next_alert_id`.
    explicit RuleEngine(RuleBook book, AlertId next_alert_id = 1);
    ~RuleEngine();
    RuleEngine(const RuleEngine&) = delete;
    RuleEngine& operator=(const RuleEngine&) = delete;

    /// One cycle over the full live picture at `now` (tracks in any order; each id once).
    /// Tentative and deleted tracks raise nothing. Also escalates overdue alerts.
    void evaluate(std::span<const Track> tracks, Timestamp now);
    /// Tracks the tracker deleted: raises AIS-gap "lost" alerts, then forgets their state.
    void on_tracks_deleted(std::span<const TrackId> ids, Timestamp now);
    /// An AIS identity anomaly from the tracker or a decoder (spoof candidate, impossible jump,
    /// MMSI clash...). `track` may be 0 when no track is involved (then the MMSI is the subject).
    void on_anomaly(TrackId track, Mmsi mmsi, std::string_view reason, LatLon where, Timestamp at);
    /// A ground-sensor or camera detection (for ground_detection rules); time = m.observed.
    void on_detection(const Measurement& m);

    /// Operator: no new alerts for this track until `until` (conditions are still followed, so
    /// a condition that still holds when the mute ends raises then).
    void mute_track(TrackId id, Timestamp until);
    bool acknowledge(AlertId id, const std::string& by, Timestamp at);
    bool close(AlertId id, const std::string& by, Timestamp at);

    /// Restart: next id and the alerts still open in the database.
    void restore_alerts(std::vector<Alert> open_alerts, AlertId next_alert_id);

    /// New alerts and changed ones (acknowledged, closed, escalated) since the last call.
    std::vector<Alert> take_alert_updates();
    [[nodiscard]] std::vector<Alert> open_alerts() const;
    [[nodiscard]] const AlertLedger& ledger() const;
    [[nodiscard]] const RuleBook& book() const;
    [[nodiscard]] RuleEngineStats stats() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace picket::rules
