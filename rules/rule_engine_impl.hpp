#pragma once
/// Private to rules/: the RuleEngine's state, shared by rule_engine.cpp (per-track rules)
/// and rule_engine_events.cpp (rendezvous pairs, deletions, anomalies, detections). Not
/// installed, not included outside rules/.
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "rules/alert_ledger.hpp"
#include "rules/condition_latch.hpp"
#include "rules/rule_book.hpp"
#include "rules/rule_engine.hpp"
#include "rules/track_geometry.hpp"

namespace picket::rules {

/// Subjects of incidents that are not tracks: a high bit keeps them apart from track ids.
inline constexpr std::uint64_t kDetectionSubjectBit = 1ULL << 63;
inline constexpr std::uint64_t kMmsiSubjectBit = 1ULL << 62;
inline constexpr std::uint64_t kLostDetail = 1;

/// FNV-1a, 64 bit: a stable hash of a reason string for incident keys (std::hash is not
/// guaranteed stable across builds, and keys must replay identically).
std::uint64_t stable_hash(std::string_view s);

struct RuleTrackState {
    ConditionLatch area;  ///< membership (for entry/exit/presence: the alert condition itself)
    ConditionLatch cond;  ///< the rule's own condition (speed, dark, silence...)
    bool area_known{false};
    bool raised{false};   ///< an alert was raised for the current incident
    std::int8_t side{0};  ///< border crossing: +1 on the line's right, -1 on its left, 0 unknown
    std::int64_t rearm_since_ns{ConditionLatch::kUnset};
    // Approach: the last predicted time to reach, reused while the velocity holds (see
    // rule_engine.cpp: a ray query per track per second would dominate the cycle).
    std::int64_t ttr_at_ns{ConditionLatch::kUnset};
    double ttr_s{0};
    float ttr_east_mps{0};
    float ttr_north_mps{0};
};

/// A track missing from evaluate() this long without a deletion notice is forgotten.
inline constexpr Duration kForgetAfter{3600 * kNsPerSecond};

/// Loitering and rendezvous judge a track's speed by its recent mean velocity: Global Fishing
/// Watch judges average speed from AIS, but a radar-only boat's filtered speed scatters by a knot
/// or two from scan to scan (and its magnitude is biased up: a drifting boat reads 2-3 kn at
/// 20 km), so one high sample would restart a dwell of minutes. The mean of the velocity
/// *vector* averages that noise away and is what loitering means: not going anywhere. An
/// exponential mean with this time constant costs a few flops per track per cycle, no history.
inline constexpr double kMeanVelocityTimeConstantS = 120;

struct TrackState {
    std::int64_t seen_ns{0};  ///< last cycle the track was in the picture
    std::int64_t mean_velocity_at_ns{ConditionLatch::kUnset};
    double mean_east_mps{0};  ///< exponential mean velocity (kMeanVelocityTimeConstantS)
    double mean_north_mps{0};
    [[nodiscard]] double mean_speed_mps() const {
        return std::hypot(mean_east_mps, mean_north_mps);
    }
    bool has_prev{false};
    LatLon prev;
    std::vector<TargetFix> geo;         ///< per GeoTarget
    std::vector<RuleTrackState> rules;  ///< per RuleSpec
    std::optional<Track> last;          ///< identified tracks only: for "lost" and evidence
};

struct PairState {
    ConditionLatch latch;
    bool raised{false};
    std::int64_t seen_ns{0};
};

struct PendingAlert {
    IncidentKey key;
    Alert alert;
    std::optional<Duration> escalate_after;
};

struct RuleEngine::Impl {
    explicit Impl(RuleBook b, AlertId next_id);

    RuleBook book;
    AlertLedger ledger;
    std::vector<GeoTarget> targets;
    std::vector<std::optional<std::size_t>> rule_target;  ///< per rule: index into targets
    std::vector<std::vector<Mmsi>> rule_exempt_mmsi;      ///< per rule: sorted, incl. global
    std::vector<bool> rule_exempt_friendly;
    std::vector<std::size_t> track_rules;  ///< rules evaluated per track each cycle
    std::vector<std::size_t> rendezvous_rules;
    std::vector<std::size_t> ground_rules;
    std::vector<std::size_t> anomaly_rules;
    std::vector<std::size_t> gap_rules;
    TrackGeometry geom;

    std::unordered_map<TrackId, std::size_t> slot_of;
    std::vector<TrackState> slots;
    std::vector<std::size_t> free_slots;
    std::vector<std::map<std::pair<TrackId, TrackId>, PairState>> pairs;  ///< per rule
    std::map<IncidentKey, Timestamp> events;  ///< anomaly/detection incidents: last seen
    std::unordered_map<TrackId, Timestamp> muted;
    std::vector<PendingAlert> pending;
    std::int64_t last_sweep_ns{0};
    // Per-track scratch for one evaluation: each target's bounds are computed once and shared
    // by all the rules that use it (several rules usually watch the same zone).
    std::vector<Where> where_scratch;
    std::vector<std::uint8_t> where_known;

    TrackState& state_for(TrackId id);
    [[nodiscard]] bool exempt(std::size_t rule, const Track& t) const;
    [[nodiscard]] bool is_muted(TrackId id, Timestamp now) const;
    /// Queues an alert unless the track is muted. Returns whether it was queued.
    bool propose(std::size_t rule, std::uint64_t subject, std::uint64_t detail, const Track& t,
                 LatLon where, Timestamp now, std::string message);
    /// Raises the queued alerts in key order (deterministic whatever the input order).
    void flush_pending();
    void clear(std::size_t rule, std::uint64_t subject, std::uint64_t detail);

    void evaluate_track(const Track& t, TrackState& st, Timestamp now);
    void evaluate_rendezvous(std::span<const Track> tracks, Timestamp now);
    void expire_events(Timestamp now);
    /// Drops everything known about a track (deleted, or gone from the picture for too long).
    void forget(TrackId id);
    /// Forgets tracks absent from the picture for longer than kForgetAfter, in case the
    /// tracker's deletion notice never came (keeps memory bounded over weeks of running).
    void sweep(Timestamp now);
};

}  // namespace picket::rules
