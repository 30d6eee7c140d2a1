#pragma once
/// The rule engine: evaluates every rule of a RuleBook over the live track picture each cycle,
/// keeps the per-(rule, track) state (dwell, hysteresis, sides of a border), and hands what the
/// rules find to its IncidentLedger, which groups it into incidents (docs/rules.md).
///
/// Inputs come from the fusion thread: the full picture each cycle (evaluate), track deletions,
/// AIS anomalies and ground detections as they happen. Nothing here reads a clock: `now` is
/// passed in, and the same inputs give the same incidents with the same ids in the same order.
/// Not thread-safe: one thread owns the engine (the fusion thread, see docs/architecture.md).
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/alert.hpp"
#include "core/anomaly.hpp"
#include "core/measurement.hpp"
#include "core/track.hpp"
#include "rules/incident_ledger.hpp"
#include "rules/rule_book.hpp"

namespace picket::rules {

/// Counters for benchmarks and the status page.
struct RuleEngineStats {
    std::size_t tracks{0};              ///< tracks with state
    std::uint64_t geometry_queries{0};  ///< zone/line queries made (cache misses), cumulative
    std::size_t rendezvous_pairs{0};    ///< close pairs being timed
    std::size_t active_incidents{0};    ///< incidents whose situation is going on
    std::size_t active_findings{0};     ///< rule findings whose condition still holds
};

/// An identity anomaly as the tracker or a decoder reports it.
struct AnomalyReport {
    TrackId track{0};  ///< 0: no track carries it (a decoder's); then the MMSI is the subject
    Mmsi mmsi{0};
    AnomalyReason reason{AnomalyReason::position_jump};
    LatLon where;  ///< the reported position
    Timestamp at;
    /// How far the report is from where the track expected the vessel (m); 0 when unknown.
    double deviation_m{0};
};

class RuleEngine {
public:
    /// Takes the rule book; incident ids start at `next_alert_id`.
    explicit RuleEngine(RuleBook book, AlertId next_alert_id = 1);
    ~RuleEngine();
    RuleEngine(const RuleEngine&) = delete;
    RuleEngine& operator=(const RuleEngine&) = delete;

    /// One cycle over the full live picture at `now` (tracks in any order; each id once).
    /// Tentative and deleted tracks raise nothing. Also escalates and resolves incidents.
    void evaluate(std::span<const Track> tracks, Timestamp now);
    /// evaluate() in steps, for a server that must not stop for a whole cycle: the per-track
    /// rules of a part of the cycle's tracks (call once per part, the parts together being the
    /// cycle's tracks), then finish_cycle() over all of them (rendezvous, escalation, expiry).
    /// With nothing in between, the same as evaluate() (rule_engine_steps_test.cpp).
    void evaluate_part(std::span<const Track> part, Timestamp now);
    void finish_cycle(std::span<const Track> tracks, Timestamp now);
    /// Tracks the tracker deleted: AIS-gap "lost" findings, then their state is forgotten.
    void on_tracks_deleted(std::span<const TrackId> ids, Timestamp now);
    /// An identity anomaly from the tracker or a decoder (core/anomaly.hpp).
    void on_anomaly(const AnomalyReport& a);
    /// A ground-sensor or camera detection (for ground_detection rules); time = m.observed.
    void on_detection(const Measurement& m);

    /// Operator: no new findings for this track until `until` (conditions are still followed,
    /// so a condition that still holds when the mute ends raises then).
    void mute_track(TrackId id, Timestamp until);
    /// Operator actions on an incident (IncidentLedger).
    bool acknowledge(AlertId id, const std::string& by, Timestamp at);
    bool close(AlertId id, const std::string& by, Timestamp at,
               Disposition disposition = Disposition::none);
    bool assign(AlertId id, const std::string& asset, const std::string& by, Timestamp at);
    bool add_note(AlertId id, const std::string& by, Timestamp at, std::string text);

    /// Restart: next id and the incidents still open in the database.
    void restore_alerts(std::vector<Alert> open_alerts, AlertId next_alert_id);
    /// Restart: closures within the false-alarm share's window.
    void restore_closures(std::vector<Closure> closures);

    /// New and changed incidents since the last call, in the order the changes happened.
    std::vector<Alert> take_alert_updates();
    /// Open and acknowledged incidents, by id.
    [[nodiscard]] std::vector<Alert> open_alerts() const;
    [[nodiscard]] const IncidentLedger& ledger() const;
    [[nodiscard]] const RuleBook& book() const;
    [[nodiscard]] RuleEngineStats stats() const;
    /// False-alarm share per rule over the policy's window (7 days by default).
    [[nodiscard]] std::vector<RuleShare> rule_shares() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace picket::rules
