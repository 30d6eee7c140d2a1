#pragma once
/// The multi-sensor multi-target tracker: predict -> spatial pre-gate -> chi-square gate ->
/// clusters -> GNN (optimal 2-D assignment) or JPDA -> update -> initiate / confirm / coast /
/// delete / merge, with out-of-sequence measurements re-processed from a per-track buffer, AIS
/// identity, dark-target and spoof detection. See docs/tracking.md for the design and settings.
///
/// Pure: no clock, no threads, no sockets; deterministic (same input -> bit-identical tracks).
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/anomaly.hpp"
#include "core/ids.hpp"
#include "core/measurement.hpp"
#include "core/track.hpp"
#include "filters/associator.hpp"
#include "filters/gate_index.hpp"
#include "filters/history_buffer.hpp"
#include "filters/look_lifecycle.hpp"
#include "filters/multi_scan.hpp"
#include "filters/observation.hpp"
#include "filters/pre_gate.hpp"
#include "filters/track_filter.hpp"
#include "filters/tracker_counters.hpp"
#include "geo/local_frame.hpp"

namespace picket::filters {

inline constexpr int kTargetClassCount = 6;

/// What a sensor feed watches (a radar feed's `watches`): how the tracks it starts begin.
/// `surface`: boats, vehicles, people (class unknown, `init_speed_sigma_mps`); `air`: aircraft
/// (class aircraft: its process noise, no speed bound; `air_init_speed_sigma_mps`); `sea`: a
/// coastal radar whose land returns are masked (the usual VTS set-up): it starts tracks as
/// `surface` does, but it sees no person or vehicle, so none of its plots is theirs
/// (Tracker::plot_may_be_of: what it gives a land track is clutter or a boat).
enum class Watches : std::uint8_t { surface, air, sea };

struct TrackerConfig {
    LatLon origin;                    ///< local frame origin (ENU tangent plane)
    std::string filter = "imm";       ///< "kf" | "ekf" | "ukf" | "imm"; "kf" converts polar to
                                      ///< Cartesian (bearings still use the EKF)
    std::string association = "gnn";  ///< "gnn" | "jpda" | "gnn_pda" | "multi_scan"
    /// `multi_scan`: a look where confirmed tracks gated a common plot is decided again this many
    /// looks of its feed later (filters/multi_scan.hpp; N of N-scan pruning).
    int multi_scan_looks = kMultiScanDefaultLooks;
    double gate_probability = 0.999;  ///< chi-square gate P_G
    /// Process noise per TargetClass (index = enum value: unknown, vessel, fast_boat, person,
    /// vehicle, aircraft); white acceleration sigma m/s^2.
    std::array<ProcessNoise, kTargetClassCount> class_noise{
        ProcessNoise{0.5, 0.02}, ProcessNoise{0.1, 0.01}, ProcessNoise{1.0, 0.03},
        ProcessNoise{0.3, 0.05}, ProcessNoise{1.5, 0.03}, ProcessNoise{3.0, 0.02}};
    /// IMM coordinated-turn mode (acceleration: at least; see below). The turn-rate noise is
    /// kept low: at 0.02 rad/s^2 the CT mode explained a drifting boat's radar noise as tight
    /// circles at 10-20 kn (the demo's loitering boat); 0.005 still follows 6 deg/s turns.
    ProcessNoise imm_turn_noise{0.1, 0.005};
    /// The IMM's CV mode is the "steady leg" mode: the class's acceleration noise times this. Its
    /// CT mode carries the manoeuvres, with the class's full acceleration noise (or
    /// imm_turn_noise's, when larger) plus the turn-rate noise. A slow boat's speed is then read
    /// from the quiet mode while it holds its course, instead of scattering by knots.
    double imm_cv_noise_scale = 0.2;
    double imm_cv_sojourn_s = 30;
    double imm_ct_sojourn_s = 15;
    /// The life cycle in looks (filters/look_lifecycle.hpp): existence thresholds, and explicit
    /// M-of-N / k-of-n overrides. Two kinds confirm by M-of-N unless the config says otherwise:
    /// an AIS report names its vessel (1 of 1), and a ground sensor's rare events teach no clutter
    /// density to weigh them with (2 of 4, in its looks).
    LifecycleSettings life = [] {
        LifecycleSettings s;
        s.confirm_m_of_n[static_cast<std::size_t>(SensorKind::ais)] = {1, 1};
        s.confirm_m_of_n[static_cast<std::size_t>(SensorKind::ugs)] = {2, 4};
        return s;
    }();
    /// Which kinds may start tracks (cameras only confirm/classify: a bearing has no range).
    std::array<bool, kSensorKindCount> can_initiate{true, true, false, true};
    /// A track with no plot for this long is deleted whatever its looks say (a feed that went
    /// silent looks at nothing; an AIS vessel at anchor reports every 3 min).
    double max_coast_s = 600;
    double max_position_sigma_m =
        5000;                        ///< delete when the predicted 1-sigma position exceeds this
    double latency_window_s = 5;     ///< out-of-sequence measurements within this are used
    double merge_distance_m = 35;    ///< duplicate tracks closer than this ...
    double merge_speed_mps = 2;      ///< ... with velocities closer than this are merged
    double spoof_distance_m = 1000;  ///< AIS this far from its radar-held track is a spoof suspect
    double spoof_recency_s = 30;     ///< the track must have had a non-AIS update this recently
    /// Pd before a feed's own is learned (the hit rate of its established tracks' looks).
    double detection_probability = 0.9;
    /// Unexplained plots per m^2 per look; 0 (default): learned per feed (FeedLooks).
    double clutter_density_per_m2 = 0;
    /// The learned clutter density's map cell (m): each plot is weighed against the clutter of
    /// the cell it falls in, the feed-wide density its prior (0: one density over the extent of
    /// every plot the feed sent, 4x too low inside the clutter where targets roam beyond it:
    /// docs/benchmarks.md, "The clutter map, plot evidence and false-track ratio as defaults").
    double clutter_cell_m = 2000;
    double init_speed_sigma_mps = 10;  ///< initial velocity uncertainty without AIS velocity
    /// The same for tracks an air-watching feed starts (Watches::air): an aircraft's speed is
    /// anything up to ~260 m/s (Mach 0.85 at cruise) in any direction, and a velocity component
    /// spread evenly over +-260 m/s has a sigma of 150 m/s.
    double air_init_speed_sigma_mps = 150;
    /// The fastest a target of each class can move (m/s; index as class_noise; 0: no bound).
    /// A tentative track's velocity is still its wide prior, so its chi-square gate grows by
    /// init_speed_sigma_mps a second: a ground sensor's person track 91 s old took a radar
    /// clutter plot 3 km away (36 m/s) and was confirmed by it. Until a track is confirmed, a
    /// plot (not AIS: its own identity and spoof checks judge that) must be where its class could
    /// have gone since the track's last update: person 8 m/s (a sprint), vehicle 70 m/s, vessel
    /// 30 m/s (58 kn), fast_boat 45 m/s (87 kn); unknown and aircraft unbounded.
    std::array<double, kTargetClassCount> class_max_speed_mps{0, 30, 45, 8, 70, 0};
    /// The velocity spread of a track a ground sensor starts, by the class it starts as (m/s per
    /// component; index as class_noise; 0: init_speed_sigma_mps). A seismic event is a person's
    /// footsteps: with a boat's 10 m/s its gate took a second sensor's false alarm 550 m away
    /// 57 s later (9.7 m/s, 1 sigma of that prior) and two false alarms made a confirmed "dark"
    /// person (demo seed 41). 2 m/s puts 95 % of speeds below 4.9 m/s (a run; Rayleigh), and
    /// class_max_speed_mps still bounds the rest. Camera-started person tracks keep
    /// init_speed_sigma_mps: with 2 m/s Gambia seed 3's two walkers' camera-only tracks (sigma
    /// 200-400 m) swapped and walker-b's crossing was lost (docs/tracking.md, step 9).
    std::array<double, kTargetClassCount> class_init_speed_sigma_mps{0, 0, 0, 2, 0, 0};
    double init_turn_rate_sigma_radps = 0.05;
    double class_confidence_min = 0.6;  ///< camera classification accepted above this
    double grid_cell_m = 2000;          ///< spatial pre-gate cell size
    /// How small batches find their candidate tracks (filters/gate_index.hpp): `automatic` uses
    /// the standing index from kGateIndexMinTracks tracks up; `off` is the reference (PreGate's
    /// discs of every track for every batch); `check` uses the index whenever a batch allows it
    /// and compares its candidates with the reference's (gate_index_stats().mismatches: tests).
    enum class GateIndexMode : std::uint8_t { automatic, off, check };
    GateIndexMode gate_index = GateIndexMode::automatic;
};

/// From this many tracks up, small batches use the standing GateIndex (below it, PreGate's linear
/// scan of every track costs less than keeping the index).
inline constexpr std::size_t kGateIndexMinTracks = 512;

/// The tracker's local view of one track (for batch mode and scoring).
struct LocalTrack {
    TrackId id{0};
    TrackStatus status{TrackStatus::tentative};
    Eigen::Vector4d x = Eigen::Vector4d::Zero();  ///< east, north (m), v_east, v_north (m/s)
    Eigen::Matrix2d position_cov = Eigen::Matrix2d::Identity();
};

class Tracker {
public:
    explicit Tracker(TrackerConfig cfg);

    /// What process() did with a batch that the caller counts per feed.
    struct BatchOutcome {
        std::uint64_t late_dropped{0};   ///< older than now - latency_window, or its track's buffer
        std::uint64_t ahead_dropped{0};  ///< later than now + latency_window
    };
    /// One batch = the measurements decoded from one sensor message, at `now`: the caller's clock
    /// (the server's receive time). `now` never goes backwards (an earlier one is ignored), and a
    /// measurement's own time never moves it: a measurement older than now - latency_window is
    /// dropped as late, one later than now + latency_window as ahead. See docs/tracking.md.
    /// `latency_allowance`: how late the batch's feed is by nature (satellite AIS: minutes). Its
    /// data is fused that much older, and the tracks it keeps up coast and die that much later.
    BatchOutcome process(std::span<const Measurement> batch, Timestamp now,
                         Duration latency_allowance = {});
    /// Batch mode, for callers with no clock of their own (`picket track`, tests): the newest
    /// measurement time in the batch is `now`.
    BatchOutcome process(std::span<const Measurement> batch);
    /// Time passes without measurements: coast, delete stale tracks. `now` never goes backwards.
    void advance(Timestamp now);
    /// AIS static data: remember per MMSI; attach to tracks with that MMSI (now and later).
    void update_identity(const Identity& id);
    /// The feed's look interval as the sensor states it (a radar's antenna period from ASTERIX
    /// CAT034): the track life cycle counts looks of this length. Ignored unless finite and > 0.
    void set_scan_period(FeedIndex feed, double period_s);
    /// The feed's stated look interval, if one was set.
    [[nodiscard]] std::optional<double> scan_period(FeedIndex feed) const;
    /// What `feed` watches (its config's `watches`; surface unless set): the class, velocity
    /// spread and so the process noise of the tracks its plots start.
    void set_feed_watches(FeedIndex feed, Watches w);
    [[nodiscard]] Watches feed_watches(FeedIndex feed) const;
    /// How far `feed`'s sensor detects a target (a camera's `site.range_m`; 0 or unset: not
    /// stated): a bearing-only frame from it is of a target no farther out (in_feed_range).
    void set_feed_range(FeedIndex feed, double range_m);
    [[nodiscard]] double feed_range_m(FeedIndex feed) const;
    /// The sensor on `feed` ended its own track `source_object_id` (a radar's end-of-track
    /// record): the track whose last sensor update was that object's plot, and that no AIS
    /// identity keeps alive, is deleted now rather than coasting out. Returns how many ended.
    std::size_t end_source_track(FeedIndex feed, std::uint64_t source_object_id);

    bool set_standing(TrackId id, Standing s);
    bool set_class(TrackId id, TargetClass c);
    bool set_label(TrackId id, std::string label);

    /// All live tracks, any status, in TrackId order. Position/velocity at `Track::updated`.
    [[nodiscard]] const std::vector<Track>& tracks() const { return public_; }

    struct Changes {
        std::vector<TrackId> updated;
        std::vector<TrackId> deleted;
    };
    Changes take_changes();

    struct Anomaly {
        TrackId track;
        Mmsi mmsi;
        AnomalyReason reason;  ///< core/anomaly.hpp: shared with the decoders and the rules
        LatLon where;
        Timestamp when;
        double deviation_m{0};  ///< how far the report is from where the track expected it
    };
    std::vector<Anomaly> take_anomalies();

    [[nodiscard]] const TrackerCounters& counters() const { return counters_; }
    /// Batches gated with the standing index, and (mode `check`) plots whose candidates differ
    /// from the reference's: 0 unless the index missed a change of a track.
    struct GateIndexStats {
        std::uint64_t batches{0};
        std::uint64_t epochs{0};
        std::uint64_t fallbacks{0};  ///< small batches too old or too wide for the epoch
        std::uint64_t mismatches{0};
    };
    [[nodiscard]] const GateIndexStats& gate_index_stats() const { return gate_stats_; }
    [[nodiscard]] const geo::LocalFrame& frame() const { return frame_; }
    [[nodiscard]] const TrackerConfig& config() const { return cfg_; }
    /// What the tracker learned of `feed`'s looks (period, Pd, clutter map), or nullptr before
    /// its first batch.
    [[nodiscard]] const FeedLooks* looks_of(FeedIndex feed) const;
    /// Live tracks in the local plane, means extrapolated (constant velocity) to `at`.
    [[nodiscard]] std::vector<LocalTrack> local_tracks(Timestamp at) const;
    /// Bytes held per track (state, buffer, public view), for the memory benchmark.
    [[nodiscard]] std::size_t bytes_per_track_estimate() const;

    /// A measurement converted to the local plane (internal, exposed for tests).
    struct Prepared {
        std::uint32_t index{0};  ///< position in the batch
        Timestamp t;
        Observation obs;
        Eigen::Vector2d pos_en = Eigen::Vector2d::Zero();  ///< position, when it has one
        Eigen::Matrix2d pos_cov = Eigen::Matrix2d::Identity();
        bool has_position{false};
        bool has_velocity{false};  ///< fused as position + velocity (ObsKind::position_velocity)
        /// The sensor's own velocity of the target (AIS SOG/COG, a radar's or ARPA's tracked
        /// velocity) in the local plane, with its covariance: a new track starts from it. A
        /// polar plot's velocity only starts tracks (its updates are range and bearing).
        bool has_start_velocity{false};
        Eigen::Vector2d vel_en = Eigen::Vector2d::Zero();
        Eigen::Matrix2d vel_cov = Eigen::Matrix2d::Identity();
        double sigma_m{0};  ///< position-equivalent 1-sigma (pre-gate radius)
        /// ln of the clutter density in the observation's own space (per m^2, per m rad for
        /// polar, per rad for bearings; per m^2 (m/s)^-2 with a velocity), per look.
        double log_clutter{0};
    };

private:
    struct HistItem {
        Timestamp t;
        Observation obs;
        TrackFilter post;  ///< state after this update: trimming the buffer costs no re-filtering
    };
    /// Laid out by use: the fields every pass over all tracks reads (gate discs, missed looks,
    /// housekeeping, merge, compaction, and a candidate's checks in gate_pair) come first and
    /// share the first few cache lines; the filters, ~1 kB, and the rarely read identity fields
    /// follow. At 160,000 tracks (bench_tracking's 100,000 targets) those passes touched three
    /// or four lines of each state spread over 1.5 kB (docs/benchmarks.md, issue 13).
    struct TrackState {
        Timestamp t;                                   ///< time of the filter state (last update)
        Eigen::Vector4d xs = Eigen::Vector4d::Zero();  ///< combined e, n, ve, vn at t
        double pos_var{0};                             ///< trace of the position covariance at t
        double vel_var{0};
        /// Latency allowance of the feed that gave the newest update (satellite AIS): the track
        /// is aged from `t` + this.
        Duration latency_allowance{};
        Timestamp anchor_t;
        Timestamp last_sensor_update;   ///< last non-AIS update (spoof checks)
        FeedIndex last_sensor_feed{0};  ///< feed of that update (duplicate test: resolved plots)
        bool has_sensor_update{false};
        bool changed{false};  ///< listed in changed_ids_ since the last take_changes
        bool stale{false};    ///< public view needs refreshing
        bool dead{false};
        std::optional<Mmsi> mmsi;
        /// Mode S identity (a radar plot's I048/220) the track holds, 0: none; and the time of
        /// the first plot that brought it (a later look with it confirms a tentative track).
        AircraftAddress aircraft_address{0};
        HistoryBuffer<HistItem> hist;
        TrackLife life;  ///< existence and the feeds that hold the track, in looks
        /// The last few non-AIS updates (time, feed), newest at recent_next - 1: two tracks
        /// that took different plots of one look in any of them are two objects the sensor
        /// resolved (the merge pass must not fuse them when one of them missed the last look).
        struct SensorHit {
            Timestamp t;
            FeedIndex feed{0};
            bool used{false};
            /// The sensor's own id of the object (a camera's object id, a radar's track
            /// number), 0: none: the next plot with it is the same object's (same_source_object).
            std::uint64_t object{0};
        };
        static constexpr int kRecentHits = 4;
        std::array<SensorHit, kRecentHits> recent_hits{};
        std::uint8_t recent_next{0};
        FeedIndex init_feed{0};
        SensorKind init_kind{SensorKind::radar};
        /// Live multi-scan conflicts naming this track (Tracker::conflicts_): its updates extend
        /// their tails.
        std::uint8_t conflicts{0};
        bool class_locked{false};  ///< operator set the class
        /// A `watches: sea` radar's plot updated it once it was confirmed: it is on the water,
        /// and a camera's person or vehicle label of it is the classifier's mistake (a label
        /// taken would shut that radar out of it: Tracker::plot_may_be_of).
        bool held_at_sea{false};
        std::uint64_t hit_batch{0};  ///< serial of the last batch that updated the track
        TrackFilter filter;
        TrackFilter anchor;  ///< state before hist.front() (OOSM re-processing)
        /// The sensor's own id of the object in the last update that carried one (a radar's
        /// track number), its feed and time: which track a sensor's end-of-track ends.
        std::uint64_t source_object{0};
        FeedIndex source_feed{0};
        Timestamp source_t;
        /// The last AIS report fused (grid position, velocity, time): where the vessel's own
        /// reports say it is, whatever plots the track took since (identity_moves_to).
        Eigen::Vector2d ais_pos = Eigen::Vector2d::Zero();
        Eigen::Vector2d ais_vel = Eigen::Vector2d::Zero();
        Timestamp ais_t;
        bool has_ais_report{false};
        /// The track's own state when it took that report (e, n, ve, vn at ais_track_t, the
        /// traces of its position and velocity covariances): where the vessel's plots go next if
        /// the track stays on the vessel (identity_moves_to: the track, or a spoofer, broke it).
        Eigen::Vector4d ais_track_xs = Eigen::Vector4d::Zero();
        Timestamp ais_track_t;
        double ais_track_pos_var{0};
        double ais_track_vel_var{0};
        Timestamp address_since;  ///< see aircraft_address
    };

    [[nodiscard]] bool prepare(const Measurement& m, std::uint32_t index, Prepared& out) const;
    /// The measurement's velocity, if it has a usable one, into p (Prepared::vel_en, vel_cov),
    /// rotated from true east/north to the local grid by `rot`.
    static void prepare_start_velocity(const Measurement& m, const Eigen::Matrix2d& rot,
                                       Prepared& p);
    /// Whether a position is a camera's depression-angle range the filter fuses as its angles
    /// (not with the converted-measurement "kf", which keeps the position).
    [[nodiscard]] bool depression_ranged(const PositionZ& pz) const;
    [[nodiscard]] const FilterSettings& settings_for(const TrackState& s) const;
    /// One batch through the roles: gate_batch (PreGate + chi-square), associate_batch
    /// (clusters, Associator), update_from_decisions (filters, looks), initiate_unassigned.
    void associate_and_update(std::span<const Measurement> batch, std::vector<Prepared>& prep);
    void gate_batch(std::span<const Measurement> batch, const std::vector<Prepared>& prep);
    /// What gating a batch needs to know of it: the newest time, the time spread, the largest
    /// plot sigma.
    struct BatchSpan {
        Timestamp tmax;
        double spread_s{0};
        double sigma_m{0};
    };
    /// Track i's pre-gate disc for a batch (conservative: the trace bounds the largest
    /// eigenvalue); base < 0 for a dead track.
    [[nodiscard]] GateDisc gate_disc(const TrackState& s, const BatchSpan& b) const;
    /// The disc's variance (m^2) `adt` seconds from the track's time, for plots of sigma `sigma_m`.
    [[nodiscard]] double gate_variance(const TrackState& s, double adt, double sigma_m) const;
    /// Track s's GateIndex envelope: it holds gate_disc(s, b) for every batch b the epoch holds.
    [[nodiscard]] GateEnvelope gate_envelope(const TrackState& s, const GateEpoch& ep) const;
    /// Whether this batch goes through the GateIndex (bringing the index up to date, or starting
    /// an epoch, first); false: the PreGate way.
    bool gate_index_ready(std::size_t plots, const BatchSpan& b);
    /// Every (track, plot) pair through the chi-square gate (pairs_, wide_gated_), the plot's
    /// candidates found either way.
    void gate_pair(std::span<const Measurement> batch, const std::vector<Prepared>& prep,
                   std::size_t i, std::uint32_t j);
    /// Whether plot p is where track i's target could be by the plot's time, for a track still
    /// on its velocity prior (TrackerConfig::class_max_speed_mps): within the class's top speed
    /// times the time since the track's last update, plus three sigmas of both positions.
    [[nodiscard]] bool reachable(std::size_t i, const Measurement& m, const Prepared& p) const;
    /// Whether measurement m's sensor can have seen a target of track i's class at all: a
    /// `watches: sea` radar sees no person or vehicle, whatever the track's age (a land track
    /// fed its clutter is dragged at any speed its class allows: a car's ground-sensor track at
    /// 64 m/s toward a border, docs/rules.md "Incident figures", ninth round).
    [[nodiscard]] bool plot_may_be_of(std::size_t i, const Measurement& m) const;
    /// Whether a bearing-only frame from a feed with a stated range can be of the target whose
    /// prior is g: the prior's position no more than three sigmas beyond that range from the
    /// site. A bearing fixes no range, so without this every track on the ray is a candidate:
    /// a sea radar's clutter plot on land, held by a low camera's bearings of two walkers,
    /// slid out along the ray to 3.8 km of a 2.5 km camera at 8-33 m/s, sigma 2 km, and
    /// raised a border crossing 6 km from them (Gulf of Honduras seed 29, docs/tracking.md).
    [[nodiscard]] bool in_feed_range(const Measurement& m, const Prepared& p,
                                     const Gaussian& g) const;
    /// Whether m carries the object id of the track's newest plot from m's feed, from a sensor
    /// whose id names the object it follows (radar, camera; not a ground sensor's event id).
    [[nodiscard]] static bool same_source_object(const TrackState& s, const Measurement& m);
    void gate_by_pre_gate(std::span<const Measurement> batch, const std::vector<Prepared>& prep,
                          const BatchSpan& b);
    void gate_by_index(std::span<const Measurement> batch, const std::vector<Prepared>& prep,
                       const BatchSpan& b);
    /// The reference's candidates of plot z (PreGate over every track), for mode `check`.
    void check_gate_index(const Eigen::Vector2d& z, const BatchSpan& b,
                          const std::vector<std::uint32_t>& found);
    void associate_batch(std::span<const Measurement> batch, const std::vector<Prepared>& prep);
    /// The associator on a run of gated pairs (sorted by track, then plot), into decisions_.
    void associate_pairs(std::span<const GatedPair> pairs, const AssociationContext& ctx);
    /// A track that has been confirmed (coasting or not): in a cluster it chooses its plot
    /// before tentative tracks, which take only the plots the proven ones left. A tentative
    /// track's velocity is barely known, so at a 10 s scan its gate spans hundreds of metres
    /// and, in one joint assignment, taking the plot of a confirmed track that had missed a
    /// look or two could cost less than that track's own plot, and the confirmed track took a
    /// clutter plot instead and was lost (most of the lost-and-replaced tracks, i.e. ID
    /// switches, at N = 1,000 with 10 s scans).
    [[nodiscard]] static bool proven(const TrackState& s) { return s.life.ever_confirmed; }
    void update_from_decisions(std::span<const Measurement> batch,
                               const std::vector<Prepared>& prep);
    /// Association `multi_scan` (filters/multi_scan.hpp): a look in which two or more confirmed
    /// tracks gated a common plot, decided again `multi_scan_looks` looks of its feed later.
    struct Conflict {
        FeedIndex feed{0};
        Timestamp t;                     ///< the look the plots were ambiguous in
        Timestamp last_look;             ///< the newest look of the feed counted since
        int looks{0};                    ///< looks of the feed since t
        std::vector<TrackId> ids;        ///< the confirmed tracks of the cluster, ascending
        std::vector<TrackFilter> heads;  ///< each one's state before that look ...
        std::vector<Timestamp> head_t;   ///< ... and its time
        std::vector<std::vector<TailPlot>> tails;  ///< the plots each took from that look on
        bool valid{true};  ///< false: a late, AIS or exchanged update made it moot
    };
    /// Opens a conflict for the confirmed tracks of a cluster (its proven stage's pairs).
    void note_conflict(std::span<const GatedPair> pairs, std::span<const Measurement> batch,
                       const std::vector<Prepared>& prep);
    /// Track i takes plot p (before its state changes): the conflicts naming it extend its tail.
    void extend_conflicts(std::size_t i, const Measurement& m, const Prepared& p);
    /// After a batch of `feed` at t: counts its look, decides the conflicts that are due.
    void decide_conflicts(FeedIndex feed, Timestamp t);
    /// The best exchange of a conflict's tails (the identity unless another is more likely).
    void decide_conflict(Conflict& c);
    /// A JPDA decision: the track's PDA update from its weighted plots.
    void update_weighted(std::span<const Measurement> batch, const std::vector<Prepared>& prep,
                         const WeightedUpdate& w);
    void initiate_unassigned(std::span<const Measurement> batch, const std::vector<Prepared>& prep);
    /// The share of a plot track i took that is counted as clutter, from whether the track was
    /// established or once confirmed before the plot (`was_established`, `was_proven`) and its
    /// existence after it: 0 for an established track's plot; 1 - r for a coasting track's,
    /// the chance that the plot is not its target's (the clutter count leaves out what the
    /// tracks explain, in expectation: track-aided clutter density estimation, Song and
    /// Musicki, IEEE TAES 47(2), 2011; Musicki et al., "Clutter map and target tracking",
    /// Fusion 2005); 1 for a tentative track's, given back if it is confirmed
    /// (note_first_confirmation).
    [[nodiscard]] double clutter_share_of(std::size_t i, bool was_established,
                                          bool was_proven) const;
    /// Confirmed and more likely there than not: its plots are not clutter.
    [[nodiscard]] bool established(const TrackState& s) const {
        return s.life.ever_confirmed && s.life.r >= cfg_.life.hold_probability;
    }
    bool handle_bound_ais(const Measurement& m, const Prepared& p);
    /// The unidentified, sensor-held track a bound AIS report fits when its own track, not the
    /// report, broke the identity's story (the track took another target's plots), or -1.
    [[nodiscard]] std::size_t identity_moves_to(std::size_t owner, const Prepared& p) const;
    /// Where the vessel is at `t` if the owner track's state when it took the vessel's last
    /// report held on (dead-reckoned), and that position's per-axis variance: the state's own and
    /// a manoeuvre's (the class's larger acceleration noise) over the time since.
    struct Reckoned {
        Eigen::Vector2d pos;
        double var{0};  ///< per axis, m^2
    };
    [[nodiscard]] Reckoned vessel_reckoned(const TrackState& o, Timestamp t) const;
    /// Books an AIS report fused into a track as the vessel's own latest word
    /// (TrackState::ais_pos).
    static void note_ais_report(TrackState& s, const Prepared& p);
    /// `log_g`: ln of the plot's Gaussian likelihood N(nu; 0, S) against the track (its look's
    /// evidence against clutter, with Prepared::log_clutter); NaN when there is none to count.
    /// `clutter`: the clutter the hit could have come from (the false-track budget's evidence).
    void apply_update(std::size_t ti, const Measurement& m, const Prepared& p,
                      const TrackFilter& prior, double log_g, HitClutter clutter = {});
    /// For plot p taken by a track with innovation covariance |S| = exp(log_det_S) and likelihood
    /// exp(log_g): lambda x the volume of the gate {d2 <= gate} (the clutter plots that gate is
    /// expected to hold) and lambda x the volume within the plot's own d2.
    [[nodiscard]] HitClutter hit_clutter(const Prepared& p, double log_g, double log_det_S) const;
    /// A new track's state from one measurement: its position, the sensor's velocity when the
    /// measurement has one (Prepared::has_start_velocity), otherwise a wide velocity prior.
    [[nodiscard]] Gaussian initial_state(const Prepared& p, double speed_sigma_mps) const;
    void initiate(const Measurement& m, const Prepared& p);
    /// ln of the clutter density for plot p in its observation's space (Prepared::log_clutter).
    [[nodiscard]] double log_clutter_of(const Prepared& p, const FeedLooks& feed) const;
    /// The feed's FeedLooks, made on first use.
    FeedLooks& feed_looks(FeedIndex feed, SensorKind kind);
    /// A look of `feed` at track i at time t: hit (with the plot's likelihood ratio against
    /// clutter) or missed, after any looks missed since the last one.
    void book_look(std::size_t i, FeedIndex feed, Timestamp t, bool hit, double g_over_lambda,
                   HitClutter clutter = {});
    /// Applies the life cycle's verdict to track i (confirm, coast, delete).
    void apply_verdict(std::size_t i);
    /// The share of the false-track budget that confirming tentative track s now would spend:
    /// the clutter-born tracks its feed would confirm if tracks with its hits were confirmed,
    /// per km^2 per hour against false_track_budget, else per look against false_track_ratio x
    /// the targets the feed holds (infinite when unknown or no budget is set).
    [[nodiscard]] double budget_share(const TrackState& s) const;
    /// Judges again, once every look of the batch is counted, the tentative tracks the
    /// false-track ratio may confirm (apply_verdict queues them in budget_recheck_).
    void recheck_budget();
    std::vector<std::size_t> budget_recheck_;
    bool recheck_pass_{false};
    /// The area a scanning sensor's batch looked at: tracks inside it that took no plot missed
    /// a look (without it, a miss is known only after 1.5 look intervals).
    struct Footprint {
        enum class Shape : std::uint8_t { none, box, wedge } shape{Shape::none};
        double e0{0}, e1{0}, n0{0}, n1{0};  ///< box (m)
        Eigen::Vector2d site = Eigen::Vector2d::Zero();
        double bearing0{0}, span{0}, range{0};  ///< wedge: clockwise from bearing0 (rad), m
        [[nodiscard]] bool covers(const Eigen::Vector2d& en) const;
    };
    [[nodiscard]] Footprint footprint_of(std::span<const Measurement> batch,
                                         const std::vector<Prepared>& prep) const;
    /// Looks of `feed` after a batch at t: the footprint's misses, and the looks missed by time
    /// (every track the feed holds, at most once a second of data).
    void account_looks(FeedIndex feed, const Footprint& fp, Timestamp t);
    void housekeeping();
    void merge_duplicates();
    /// Whether `s` took a plot from `feed` in the look (radar sweep past the spot, camera frame)
    /// that made a plot at `t`: one sensor gives one plot per target per look, so another plot
    /// of that look is another object.
    [[nodiscard]] static bool took_same_look(const TrackState& s, FeedIndex feed, Timestamp t);
    /// Whether a and b took different plots of one look of one sensor among their last few
    /// updates (TrackState::recent_hits).
    [[nodiscard]] static bool shared_a_look(const TrackState& a, const TrackState& b);
    [[nodiscard]] bool same_target(std::size_t i, std::size_t j, const Eigen::Vector2d& pi,
                                   const Eigen::Vector2d& pj) const;
    void compact();
    void refresh_summary(TrackState& s);
    void refresh_public(std::size_t i);
    void push_history(TrackState& s, Timestamp t, const Observation& obs, const TrackFilter& post);
    /// The track's state predicted to t: its filter predicted forward, or, for a time before its
    /// last update (out of sequence), the buffered state before t predicted to it. False when t
    /// is older than the buffer reaches (the anchor; never before the track was born).
    bool prior_at(const TrackState& s, Timestamp t, TrackFilter& out) const;
    [[nodiscard]] static bool has_prior_at(const TrackState& s, Timestamp t);
    /// The state after the last buffered update at or before `upto` (or the anchor), and its time.
    TrackFilter replay(const TrackState& s, Timestamp upto, Timestamp& t_out) const;
    /// The state before buffered item k.
    TrackFilter replay_prefix(const TrackState& s, std::size_t k, Timestamp& t_out) const;
    [[nodiscard]] std::size_t index_of(TrackId id) const;
    void bind_mmsi(std::size_t i, Mmsi mmsi);
    /// The live track holding aircraft address `a`, or -1.
    [[nodiscard]] std::size_t address_holder(AircraftAddress a) const;
    /// Whether a plot carrying address `a` may be fused into track i: one address, one track.
    [[nodiscard]] bool address_allows(std::size_t i, AircraftAddress a) const;
    /// A plot with a Mode S address was fused into track i (or started it) at t: the track takes
    /// the address, and a tentative track is confirmed when the radar's own tracker confirms the
    /// plot or a second look brings the same address (docs/radar.md, "Mode S identity").
    void note_aircraft_address(std::size_t i, const Measurement& m, Timestamp t);
    /// A Mode S plot nobody took whose address a live track holds: that track's aircraft. A
    /// reflection (the track took a plot of this look) or a late plot is dropped; otherwise the
    /// track lost its aircraft (a turn, a take-off roll) and restarts at the plot. False when no
    /// live track holds the address (the plot may start one).
    bool take_by_address(const Measurement& m, const Prepared& p);
    /// Confirms tentative track i now (an identity vouches for it), as M-of-N would have.
    void confirm_by_identity(std::size_t i);
    /// The first confirmation of a track, however it came (M-of-N, the existence, an identity):
    /// the existence starts from the confirmation threshold, and the plots its feed counted as
    /// clutter while it was tentative are given back as a target's.
    void note_first_confirmation(TrackState& s);

    TrackerConfig cfg_;
    geo::LocalFrame frame_;
    FilterKind kind_;
    std::unique_ptr<Associator> associator_;  ///< GNN or JPDA, by cfg_.association
    std::array<FilterSettings, kTargetClassCount> settings_;
    std::array<double, 5> gate_{};       ///< chi-square threshold by dof (index 1..4)
    std::array<double, 5> init_gate_{};  ///< wider gate in which plots cannot start tracks
    /// One look's two plots farther apart than this (chi-square 99 %, 2 dof, on the plot's own
    /// noise) are two objects: the second may start a track in the first's initiation gate.
    double resolved_d2_{0};
    Timestamp now_{};
    bool started_{false};
    Duration batch_allowance_{};  ///< latency allowance of the batch being processed
    std::uint64_t batch_serial_{0};
    Timestamp last_merge_{};
    Timestamp last_housekeeping_{};
    std::map<FeedIndex, FeedLooks> feeds_;           ///< what each feed's looks taught
    std::vector<Watches> watches_;                   ///< by FeedIndex (surface when absent)
    std::vector<double> feed_range_m_;               ///< by FeedIndex (0: not stated)
    std::map<FeedIndex, Timestamp> last_look_pass_;  ///< time-based look accounting, by feed
    std::vector<TrackId> stale_ids_;  ///< public views to refresh at the end of the batch
    bool any_dead_{false};
    void mark_stale(std::size_t i);
    void finish_batch(bool force);
    TrackId next_id_{1};
    std::vector<TrackState> states_;  ///< by TrackId order
    std::vector<Track> public_;       ///< parallel to states_
    std::map<Mmsi, Identity> identities_;
    std::map<Mmsi, TrackId> mmsi_owner_;
    std::map<AircraftAddress, TrackId> address_owner_;
    std::vector<TrackId> changed_ids_;
    std::vector<TrackId> deleted_ids_;
    std::vector<Anomaly> anomalies_;
    TrackerCounters counters_;
    // Scratch, reused across batches: a one-plot batch (an AIS sentence) allocates nothing per
    // track.
    PreGate pre_gate_;
    GateIndex gate_index_;
    GateIndexStats gate_stats_;
    /// Bounds seen since the epoch started: the next epoch's envelopes hold batches like them.
    double epoch_seen_spread_s_{0};
    double epoch_seen_sigma_m_{0};
    std::vector<std::uint32_t> gate_found_, gate_reference_;  ///< scratch: one plot's candidates
    std::vector<std::int64_t> compact_index_;                 ///< scratch: compact()'s renumbering
    std::vector<std::pair<std::int64_t, std::uint32_t>> grid_;  ///< merge pass cells
    std::vector<char> took_plot_;
    std::vector<Eigen::Vector2d> merge_pos_;
    /// The merge pass's copy of each track's `dead` flag: the pass visits tracks in grid order,
    /// and reading the flag from the ~1.4 kB TrackState cost a cache miss per track (60 % of
    /// the pass at 10,000 tracks); this one fits in cache.
    std::vector<char> merge_dead_;
    std::vector<Prepared> prep_;
    std::vector<std::int32_t> pred_slot_;
    struct PredEntry {
        std::size_t track{0};  ///< pred_slot_ entries of earlier batches are checked against it
        Timestamp t;
        TrackFilter f;
        Gaussian g;
        Timestamp base_t;  ///< time of the state the prediction started from
    };
    std::vector<PredEntry> preds_;
    const PredEntry* prior_for(std::size_t i, Timestamp t);
    // Association scratch, reused across batches.
    std::vector<GatedPair> pairs_;
    std::vector<std::uint32_t> cluster_tracks_, cluster_plots_;
    std::vector<GatedPair> stage_pairs_;  ///< one stage of a mixed cluster (proven, tentative)
    std::vector<char> plot_taken_;        ///< per plot: taken in a cluster's proven stage
    std::vector<double> plot_log_clutter_;
    std::vector<ObsKind> plot_kind_;
    AssociationResult decisions_;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> wide_gated_;  ///< (plot, confirmed track)
    std::vector<char> assigned_;  ///< per plot: fused into a track (or a JPDA cluster's)
    /// Per plot: the share of it counted as clutter (Tracker::clutter_share_of): 1 unless a
    /// track once confirmed took it.
    std::vector<double> clutter_share_;
    std::vector<char> gated_by_confirmed_;  ///< per plot: may be a confirmed track's own
    std::vector<char> near_confirmed_;      ///< per plot: in a confirmed track's wide gate
    bool multi_scan_{false};                ///< cfg_.association == "multi_scan"
    std::vector<Conflict> conflicts_;       ///< live, oldest first
};

/// Parses "kf"/"ekf"/"ukf"/"imm"; throws std::invalid_argument otherwise.
FilterKind filter_kind_from_string(const std::string& s);

}  // namespace picket::filters
