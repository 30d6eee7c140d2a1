#pragma once
/// Private to rules/: the RuleEngine's state, shared by rule_engine.cpp (the cycle), the
/// per-kind evaluators (evaluators.hpp, evaluate_*.cpp) and rule_engine_events.cpp (rendezvous
/// pairs, deletions, anomalies, detections). Not installed, not included outside rules/.
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "rules/condition_latch.hpp"
#include "rules/detection_placement.hpp"
#include "rules/incident_ledger.hpp"
#include "rules/raise_latch.hpp"
#include "rules/rule_book.hpp"
#include "rules/rule_engine.hpp"
#include "rules/track_geometry.hpp"

namespace picket::rules {

/// Subjects of findings that are not tracks: a high bit keeps them apart from track ids.
inline constexpr std::uint64_t kDetectionSubjectBit = 1ULL << 63;
inline constexpr std::uint64_t kMmsiSubjectBit = 1ULL << 62;
/// Key details: 0 for a rule's own condition, 1 for an AIS gap's "lost"; anomalies use 2 + their
/// situation, detections a hash of the sensor with the top bit set.
inline constexpr std::uint64_t kLostDetail = 1;
inline constexpr std::uint64_t kAnomalyDetail = 2;

/// FNV-1a, 64 bit: a stable hash for key details (std::hash is not guaranteed stable across
/// builds, and keys must replay identically).
std::uint64_t stable_hash(std::string_view s);

/// Per (track, rule): the latches and the shared raise state.
struct RuleTrackState {
    ConditionLatch area;  ///< membership (for entry/exit/presence: the alert condition itself)
    ConditionLatch cond;  ///< the rule's own condition (speed, dark, silence...)
    RaiseLatch raise;
    bool area_known{false};
    std::int8_t side{0};  ///< border crossing: +1 on the line's right, -1 on its left, 0 unknown
    /// Speeding: the track's time (`updated`) at the first measurement of the current dwell, so
    /// the dwell is raised only on measurements across it (evaluate_speeding).
    std::int64_t dwell_measured_from_ns{ConditionLatch::kUnset};
    /// Border crossing: the track has been farther than the rule's band (hysteresis_m) from the
    /// line since its last crossing. Until then a crossing back is the estimate wandering about
    /// the line within its error, not a second crossing (evaluate_border_crossing).
    bool side_settled{true};
    // Approach: the last predicted time to reach, reused while the velocity holds (see
    // evaluate_approach.cpp: a ray query per track per second would dominate the cycle).
    std::int64_t ttr_at_ns{ConditionLatch::kUnset};
    double ttr_s{0};
    float ttr_east_mps{0};
    float ttr_north_mps{0};
};

/// A track missing from evaluate() this long without a deletion notice is forgotten.
inline constexpr Duration kForgetAfter{3600 * kNsPerSecond};
/// How near a dark track an AIS report with an invalid MMSI must be to be that track's (m): an
/// AIS fix is good to tens of metres, a radar track to a hundred or two at range.
inline constexpr double kInvalidMmsiNearTrackM = 500;
/// The longest a vessel's transponder normally stays quiet between position reports: 3 min
/// (ITU-R M.1371-5: a Class A at anchor or moored, a Class B below 2 kn), plus the 10 % a
/// SOTDMA slot may move within its selection interval.
inline constexpr Duration kAisQuietestReport{198 * kNsPerSecond};
/// An AIS gap is a transponder that stopped, not a report lost on the way: a shore receiver
/// misses single reports routinely (slot collisions, fading; the simulator drops 4-6 %), two in
/// a row at 5 % loss 1 time in 400. So the silence must also pass this many of the vessel's own
/// reporting intervals: two missed reports and half the interval a third is due in. A Class B
/// fishing boat below 2 kn reports every 3 min: one lost report was a 6 min silence and a
/// false 4 min gap (Gulf of Honduras seed 37, FISH-HN-2).
inline constexpr double kAisGapIntervals = 2.5;
/// How many of a track's latest gaps between AIS reports its nominal interval is the shortest
/// of: a lost report lengthens one gap; a vessel that slows to the 3 min rate of one at anchor
/// is known to after this many reports.
inline constexpr std::size_t kAisGapsKept = 4;

/// Where an identified vessel whose radar track was lost (coasting, or deleted) was last heard on
/// AIS: a new dark track there is that vessel until its next report is due (evaluate_dark_target).
struct AisHeard {
    LatLon where;        ///< its track's last position
    Timestamp at;        ///< the track's time there
    Timestamp last_ais;  ///< its last AIS report
    double east_mps{0}, north_mps{0};
    bool deleted{false};  ///< its track was deleted (else it is coasting)
};

/// Loitering and rendezvous judge a track's speed by its recent mean velocity: Global Fishing
/// Watch judges average speed from AIS, but a radar-only boat's filtered speed scatters by a knot
/// or two from scan to scan (and its magnitude is biased up: a drifting boat reads 2-3 kn at
/// 20 km), so one high sample would restart a dwell of minutes. The mean of the velocity
/// *vector* averages that noise away and is what loitering means: not going anywhere. An
/// exponential mean with this time constant costs a few flops per track per cycle, no history.
inline constexpr double kMeanVelocityTimeConstantS = 120;

/// How far (squared Mahalanobis, in the velocity's own covariance) a track's velocity must be
/// from its mean velocity to be a turn: chi-square with 2 degrees of freedom at 0.999.
inline constexpr double kTurnChi2 = 13.8155;

/// Where a track's mean velocity started, while that start is its own target's first velocity
/// (a two-plot estimate of a boat that may already be still), so a lost vessel's mean can still
/// take its place (RuleEngine::Impl::continue_mean). The mean is linear: its start's weight now
/// is `keep`.
struct MeanStart {
    bool own{false};                  ///< the mean started from a first velocity of its own target
    float east_mps{0}, north_mps{0};  ///< that first velocity
    double keep{1};                   ///< the weight it still has in the mean
    std::int64_t at_ns{0};            ///< the cycle it started
};

/// A track lost (coasting, or deleted within kLostMotionKeep) with its mean velocity: a new
/// track born after its last measurement, on its path within explain_m, is its target found
/// again and starts from that mean (loitering and rendezvous judge it), not from its own first
/// velocity. A boat that stops dead from 34 kn loses its track (the filter runs on), and the new
/// track, still from its birth, "loitered" and "met" its mother ship 65-100 s before the boat's
/// mean speed fell below 2 kn (Gulf of Honduras seed 11: lancha-hn, mmsi-malo).
struct LostMotion {
    TrackId track{0};
    LatLon from;         ///< where its track was at its last measurement (dead-reckoned back)
    LatLon to;           ///< its track's last position
    Timestamp measured;  ///< its last measurement (`updated`)
    Timestamp lost_at;   ///< the cycle it was listed coasting, or its deletion
    std::int64_t mean_at_ns{0};
    double mean_east_mps{0}, mean_north_mps{0};
    Mmsi mmsi{0};
    std::optional<Timestamp> last_ais;  ///< its vessel's last AIS report (identified only)
    bool deleted{false};
    bool spoof_suspect{false};        ///< its last_ais is behind on purpose (evaluate_ais_gap)
    float east_mps{0}, north_mps{0};  ///< its velocity at its last measurement
    /// Bit i: gap_rules[i] had raised its silence (identified only): a new track of it found
    /// again does not raise the same silence a second time.
    std::uint64_t gaps_raised{0};
    /// Its mean's start, while that is its own (unidentified tracks only: a track that continues
    /// it takes its mean, and with it this start).
    MeanStart start;
    /// How far `p` is from its path (from `from` to `to`).
    [[nodiscard]] double distance_m(LatLon p) const;
};
inline constexpr Duration kLostMotionKeep{60 * kNsPerSecond};

/// A young track may learn only later that it is a lost vessel's: its AIS identity comes with the
/// vessel's next report (a Class B below 2 kn reports every 3 min), long after the new track was
/// born, and the old track may have run on taking stray plots until after that birth (Sixaola
/// seeds 3 and 11: a skiff at 12 kn stops dead beside a reefer, its track runs on for 40 s, a
/// radar-only track is born where it stopped; its first velocity, 2.1-3.6 m/s +- 10 from two
/// plots of a still boat, started the 120 s mean, which then read "slow" 70-111 s before the
/// skiff's did). An identified lost track's motion is kept until its vessel's next report is
/// overdue (`lost_vessels`), and a young track that takes that identity continues its mean
/// (RuleEngine::Impl::continue_mean): what the boat did before the new track existed is known
/// only from the old one, and no weighting of the new track's own first velocities can know it
/// (they are of a boat already still).
[[nodiscard]] inline bool keeps_lost_vessel(const LostMotion& l, Timestamp now) {
    return l.deleted && l.last_ais && now - *l.last_ais <= kAisQuietestReport;
}

/// A track whose mean velocity started from its own first velocity, for kLostMotionKeep: a lost
/// track listed after it started may still be its target (RuleEngine::Impl::reseed_young).
struct YoungTrack {
    TrackId id{0};
    Timestamp born;
    std::int64_t first_at_ns{0};
};

struct TrackState {
    std::int64_t seen_ns{0};  ///< last cycle the track was in the picture
    std::int64_t mean_velocity_at_ns{ConditionLatch::kUnset};
    double mean_east_mps{0};  ///< exponential mean velocity (kMeanVelocityTimeConstantS)
    double mean_north_mps{0};
    /// Its mean's start while that is a first velocity of its own target: its own (YoungTrack),
    /// or, carried on, that of the unidentified lost track whose mean it continued (a chain of
    /// dark tracks of one boat, each born where the last was lost, has one start).
    MeanStart mean_start;
    /// The mean was given another start (continue_mean) since the last cycle: loitering and
    /// rendezvous judge a dwell that started on the old mean strictly again (their lenient test
    /// would carry a clock the corrected mean never started). `rejudge_mean` is this cycle's.
    bool mean_continued{false};
    bool rejudge_mean{false};
    /// Its velocity has left its mean velocity by more than the velocity's own uncertainty
    /// explains (kTurnChi2) at this many measurements in a row (0: it has not): a turn, not a
    /// heading that wobbles. `turn_checked`: the last measurement judged.
    std::uint8_t turn_updates{0};
    Timestamp turn_checked;
    /// Its velocity variance (east + north, m^2/s^2), exponential mean over
    /// kMeanVelocityTimeConstantS: how sure of its velocity the filter usually is.
    double var_v_mean{0};
    /// A turn held at two measurements in a row (one may be noise at 1 in 1,000).
    [[nodiscard]] bool turned() const { return turn_updates >= 2; }
    [[nodiscard]] double mean_speed_mps() const {
        return std::hypot(mean_east_mps, mean_north_mps);
    }
    bool has_prev{false};
    LatLon prev;                      ///< position at the last cycle
    Timestamp prev_time;              ///< the track's time there (`updated`)
    float east_mps{0}, north_mps{0};  ///< velocity there (to place it at a detection's time)
    /// Its position's covariance there (east, north; m^2): how far off a detection's state is
    /// (the ledger's group test).
    float cov_ee{1}, cov_en{0}, cov_nn{1};
    TargetClass target_class{TargetClass::unknown};
    Mmsi mmsi{0};  ///< AIS identity (0: dark)
    /// An unidentified track that continues an identified vessel's lost track (born on its path
    /// after its last measurement, `continues`): that vessel's MMSI and last AIS report, until
    /// the vessel is heard again or the track takes an identity. Its silence goes on in this
    /// track: radar still holds the vessel (evaluate_ais_gap). 0: none.
    Mmsi continued_mmsi{0};
    Timestamp continued_last_ais;
    std::uint64_t continued_gaps_raised{0};  ///< LostMotion::gaps_raised
    Mmsi invalid_mmsi{0};  ///< dark, but heard sending this MMSI no ship may have (0: none)
    /// Its AIS reports as the track fused them: the last one's time, and the latest gaps
    /// between them (s, kAisGapsKept at most; note_ais_report).
    Timestamp ais_seen;
    std::array<float, kAisGapsKept> ais_gaps_s{};
    std::uint8_t ais_gaps{0};
    std::uint8_t ais_gap_next{0};
    /// Takes the track's latest report time (Track::last_ais) into the gaps.
    void note_ais_report(Timestamp last_ais);
    /// Its vessel's nominal reporting interval (s): the shortest of the gaps kept, at most
    /// kAisQuietestReport; 0 until one is known.
    [[nodiscard]] double ais_interval_s() const;
    std::vector<TargetFix> geo;         ///< per GeoTarget
    std::vector<RuleTrackState> rules;  ///< per RuleSpec
    std::optional<Track> last;          ///< identified tracks only: for "lost" and evidence
};

struct PairState {
    ConditionLatch latch;
    bool raised{false};
    std::int64_t seen_ns{0};
};

/// One event-driven finding still going on (an anomaly reported, a sensor firing): last seen,
/// and for anomalies the reasons seen so far (a bit per AnomalyReason) for its message.
struct EventState {
    Timestamp last;
    std::uint32_t reasons{0};
};

struct RuleEngine::Impl {
    explicit Impl(RuleBook b, AlertId next_id);

    RuleBook book;
    IncidentLedger ledger;
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
    std::unordered_map<Mmsi, TrackId> track_of_mmsi;  ///< identified tracks, last cycle
    std::vector<std::map<std::pair<TrackId, TrackId>, PairState>> pairs;  ///< per rule
    std::map<EvidenceKey, EventState> events;  ///< anomaly/detection findings going on
    std::unordered_map<TrackId, Timestamp> muted;
    std::vector<Finding> pending;
    std::int64_t last_sweep_ns{0};
    DetectionPlacer placer;  ///< where a bearing-only camera detection is (detection_placement)
    /// A ground sensor's trigger that says nothing of what it felt (class unknown) and that no
    /// track explains, held until a second detection within `cluster_m` corroborates it within
    /// the rule's `clear_after` (RuleEngine::on_detection); dropped after that.
    struct HeldTrigger {
        std::size_t rule{0};
        LatLon where;
        Timestamp at;
    };
    std::vector<HeldTrigger> held_triggers;
    /// Identified vessels whose radar track is coasting or was deleted, heard on AIS within
    /// kAisQuietestReport: the coasting ones listed at the end of each cycle (finish_cycle), the
    /// deleted ones as they are deleted (forget), so a cycle's dark tests see the same list
    /// whatever order its tracks come in.
    std::vector<AisHeard> ais_heard;
    /// Tracks lost (coasting: listed at the end of each cycle; deleted: as they are deleted,
    /// kept kLostMotionKeep), for a new track's mean velocity (LostMotion).
    std::vector<LostMotion> lost_motion;
    /// Identified lost tracks by MMSI, deleted ones kept until the vessel's next report is
    /// overdue (keeps_lost_vessel): a young track may take the identity that long after.
    std::unordered_map<Mmsi, LostMotion> lost_vessels;
    std::vector<YoungTrack> young;
    /// Whether a track born at `born`, of identity `mmsi`, at `p` continues lost track `l`: of
    /// the same identity, born after its last measurement (within kLostMotionKeep), within
    /// explain_m of its path.
    [[nodiscard]] bool continues(const LostMotion& l, Timestamp born, Mmsi mmsi, LatLon p) const;
    /// The lost track a new track continues, if any (the nearest).
    [[nodiscard]] const LostMotion* continued_motion(const Track& t) const;
    /// Young tracks that continue `l` take its mean velocity as their start.
    void reseed_young(const LostMotion& l);
    /// Its mean as if it had started from `l`'s (decayed to its first cycle): the mean is
    /// linear, its start's weight now is mean_start.keep.
    static void continue_mean(TrackState& st, const LostMotion& l);
    /// The identified vessel whose lost track an unidentified track continues, if any (the
    /// nearest; not a spoof suspect's, whose last report is behind on purpose).
    [[nodiscard]] const LostMotion* continued_vessel(const Track& t) const;
    /// Whether a track born at `born`, at `p` at `at`, is lost identified track `l`'s vessel
    /// found again: born after its last measurement (within kLostMotionKeep), within explain_m
    /// of its path (a vessel that stopped) or of where its last or its mean velocity puts it
    /// by `at` (one that ran on: a 32 kn boat is 500 m on after 30 s).
    [[nodiscard]] bool finds_vessel(const LostMotion& l, Timestamp born, LatLon p,
                                    Timestamp at) const;
    /// Starts an unidentified track's continuation of a lost vessel's silence, if `l` is its.
    static void continue_vessel(TrackState& st, const LostMotion& l);
    /// Whether vessel `mmsi` has been heard on AIS after `since` (a live track of that identity
    /// with a later report).
    [[nodiscard]] bool heard_since(Mmsi mmsi, Timestamp since) const;
    /// The lost track of the vessel a young track just took the identity of, if any.
    [[nodiscard]] const LostMotion* lost_vessel(Mmsi mmsi, TrackId self) const;
    /// Lists a lost track's motion (`seen_ns`: the cycle its last position is from).
    void note_lost(TrackId id, const TrackState& st, std::int64_t seen_ns, Timestamp lost_at,
                   bool deleted);
    /// Whether an identified vessel's AIS, heard within its quietest reporting interval, puts
    /// it within kInvalidMmsiNearTrackM of `p` at `now`.
    [[nodiscard]] bool ais_heard_near(LatLon p, Timestamp now) const;
    /// Whether a detection of rule `rule` at `where`, `at` no track explains follows a held
    /// trigger nearby (and lets that one go); expired triggers are dropped on the way.
    bool corroborates_held(std::size_t rule, LatLon where, Timestamp at);
    // Per-track scratch for one evaluation: each target's bounds are computed once and shared
    // by all the rules that use it (several rules usually watch the same zone).
    std::vector<Where> where_scratch;
    std::vector<std::uint8_t> where_known;

    TrackState& state_for(TrackId id);
    [[nodiscard]] bool exempt(std::size_t rule, const Track& t) const;
    [[nodiscard]] bool is_muted(TrackId id, Timestamp now) const;
    /// Who a track's findings are about: the track, and its MMSI when identified.
    [[nodiscard]] static std::vector<std::uint64_t> subjects_of(const Track& t);
    /// Queues a finding of `rule` about track `t` unless the track is muted. Returns whether it
    /// was queued. `message` is only built when it is.
    template <class Message>
    bool propose(std::size_t rule, std::uint64_t subject, std::uint64_t detail, const Track& t,
                 LatLon where, Timestamp now, Message&& message) {
        if (t.id != 0 && is_muted(t.id, now)) return false;
        pending.push_back(finding(rule, subject, detail, t, where, now, message()));
        return true;
    }
    [[nodiscard]] Finding finding(std::size_t rule, std::uint64_t subject, std::uint64_t detail,
                                  const Track& t, LatLon where, Timestamp now,
                                  std::string message) const;
    /// Hands the queued findings to the ledger in key order (deterministic whatever the input
    /// order).
    void flush_pending(Timestamp now);
    void clear(std::size_t rule, std::uint64_t subject, std::uint64_t detail, Timestamp now);

    void evaluate_track(const Track& t, TrackState& st, Timestamp now);
    void evaluate_rendezvous(std::span<const Track> tracks, Timestamp now);
    void expire_events(Timestamp now);
    /// Drops everything known about a track (deleted, or gone from the picture for too long).
    void forget(TrackId id, Timestamp now);
    /// Forgets tracks absent from the picture for longer than kForgetAfter, in case the
    /// tracker's deletion notice never came (keeps memory bounded over weeks of running).
    void sweep(Timestamp now);
    /// The live track nearest to `where` at `at` within `max_m` (extrapolated from the last
    /// cycle), if any; for a bearing, the one nearest the ray. `band`: for a frame that does not
    /// fix its place, only a track within `band_m` of that line (at one sigma of its position),
    /// since the track is where the finding will say the target is.
    [[nodiscard]] std::optional<TrackId> track_explaining(const PlacedDetection& d, double max_m,
                                                          Timestamp at,
                                                          const LineDef* band = nullptr,
                                                          double band_m = 0) const;
};

}  // namespace picket::rules
