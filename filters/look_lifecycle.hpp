#pragma once
/// The track life cycle counted in looks, not seconds (docs/tracking.md, "Life cycle").
///
/// A *look* is one chance a sensor had to see a track: a radar's sweep past it, an AIS vessel's
/// next report, a camera's next frame. Each track keeps, per feed that has seen it (its
/// *holders*), when that feed last hit it and how many of its looks since then are accounted.
/// Every look updates the track's existence probability r (integrated PDA, Musicki, Evans &
/// Stankovic, "Integrated probabilistic data association", IEEE TAC 39(6), 1994), with what the
/// tracker learns about the feed: its look interval, its probability of detection Pd and its
/// density of unexplained plots (clutter) lambda:
///   - a look with a plot z:  odds(r) <- odds(r) * (1 - Pd Pg + Pd g(z) / lambda)
///   - a look without one:    odds(r) <- odds(r) * (1 - Pd Pg)
///   - between looks the target survives with probability exp(-1 / L) per look, L the feed's
///     mean target lifetime in looks: learned from how many of its established tracks ended per
///     look (their existence fell to the drop level), starting from the prior lifetime_looks.
///     A scene where targets stay keeps a long-held track shown through a few missed looks; a
///     scene where they come and go hides one sooner once its looks stop.
/// A track starts at r = new_track_probability, is confirmed at r >= confirm_probability, is
/// reported (confirmed) while r >= hold_probability and coasting below, and is deleted below
/// drop_probability (tentative: below tentative_drop_ratio x new_track_probability).
/// Because r moves by the evidence, not by the clock, the same settings hold a 1 s camera, a 4-12 s
/// radar and an AIS vessel reporting every 2 s or every 3 min; Pd near 0.7 waits for more misses
/// before coasting than Pd 0.95; dense clutter asks for more hits before confirming.
///
/// Explicit overrides (config): M-of-N confirmation per starting sensor kind, counted in looks,
/// and "k misses of the last n looks" deletion (IMO MSC.192(79)'s lost target: 5 of 10 scans).
#include <array>
#include <cstdint>
#include <optional>
#include <utility>

#include <Eigen/Core>

#include "core/ids.hpp"
#include "core/measurement.hpp"
#include "core/time.hpp"
#include "filters/clutter_cells.hpp"

namespace picket::filters {

/// The existence thresholds and priors (TrackerConfig::life). Probabilities, not times.
struct LifecycleSettings {
    double new_track_probability = 0.01;  ///< r of a track started from one unexplained plot
    double confirm_probability = 0.99;    ///< tentative -> confirmed
    double hold_probability = 0.5;        ///< confirmed while r >= this, coasting below
    double drop_probability = 1e-4;       ///< confirmed / coasting track deleted below this
    double tentative_drop_ratio = 0.05;   ///< tentative deleted below this x new_track_probability
    double lifetime_looks = 500;  ///< mean target lifetime in looks, the prior of the learned one
    /// False-track budget per area (0: off, the default: a rate per km^2 is a different share of
    /// the picture on every sea; false_track_ratio is the default budget): expected clutter-born
    /// tracks per km^2 per hour that the budget test may confirm before the existence reaches
    /// confirm_probability. A tentative track is also confirmed, once its existence is at least
    /// hold_probability, when the tracks its feed starts from clutter would show its hits by chance
    /// at no more than this rate (false_confirm_rate): fewer hits where the gates are small against
    /// the clutter (light clutter, short looks), the existence's own count where they are not.
    double false_track_budget = 0;
    /// The false-track budget relative to what the feed shows (0: off; the default 1e-4, one
    /// clutter-born confirmation per 10,000 looks at targets; docs/tracking.md step 10,
    /// "A budget relative to the feed"): clutter-born confirmations the budget test may allow per
    /// look of the feed, per confirmed target the feed holds. The feed's false confirmations per
    /// look (its clutter-born starts, the learned clutter density here x the area its plots span,
    /// each confirmed with chance_from_clutter) are held below this share of the targets it
    /// carries, so a sparse sea, a dense coast and a 1,000-target scene get the same share of
    /// false tracks in the picture, at any scan rate. Used when false_track_budget is 0.
    double false_track_ratio = 1e-4;
    /// What the budget test counts as a hit's chance from clutter: `gate`, the
    /// clutter its whole gate was expected to hold (M-of-N: a hit is a hit); `plot` (the default),
    /// the clutter expected at least as close as the plot that came (within its observed
    /// Mahalanobis distance), the hits' chances combined as independent p-values (Fisher). A plot
    /// at the predicted position says more than one at the gate's edge (docs/benchmarks.md, "Late
    /// initiation: the split").
    /// `likelihood`: Wald's sequential probability ratio test (Wald 1947; Blackman & Popoli's
    /// track score): the track's likelihood ratio, target against clutter, over its looks after
    /// the first (each hit 1 - Pd + Pd g(z) / lambda(z), each miss 1 - Pd: the existence's own
    /// factors, without its prior and survival), and a clutter-born track reaches a ratio A
    /// with probability at most 1 / A, so its chance is (1 - beta) / LR, beta the probability
    /// that a target's tentative track is dropped (tentative_drop_ratio: the existence's drop is
    /// the SPRT's lower threshold). Unlike `plot` it weighs the misses by Pd (at Pd 0.9 a miss
    /// says ten times more than at 0.7) and each hit by the target's likelihood against the
    /// clutter's, the most powerful test of the two (Neyman-Pearson).
    enum class BudgetEvidence : std::uint8_t { gate, plot, likelihood };
    BudgetEvidence budget_evidence = BudgetEvidence::plot;
    /// Explicit M-of-N confirmation in looks (m = 0: by existence).
    struct MofN {
        int m{0};
        int n{0};
    };
    std::array<MofN, kSensorKindCount> confirm_m_of_n{};
    /// Explicit deletion when `misses` of the last `of_looks` looks missed (0: by existence).
    int delete_misses{0};
    int delete_of_looks{0};
};

/// What the tracker learns about one feed's looks. Deterministic (no clock, no randomness).
class FeedLooks {
public:
    FeedLooks() = default;
    FeedLooks(SensorKind kind, double pd_prior);

    [[nodiscard]] SensorKind kind() const { return kind_; }
    /// A scanning sensor (radar) looks at every target in its coverage each period; the others
    /// (AIS, cameras, ground sensors) report when they report, so each track has its own interval.
    [[nodiscard]] bool scanning() const { return kind_ == SensorKind::radar; }

    /// The sensor's own statement (a radar's CAT034 antenna period), preferred to what is learned.
    void set_stated_period(double period_s) { stated_period_s_ = period_s; }
    [[nodiscard]] std::optional<double> stated_period() const { return stated_period_s_; }
    /// A track was hit by this feed again after `gap_s` (its revisit interval, or a multiple of
    /// it when looks were missed).
    void revisit(double gap_s);
    /// The look interval: stated, else the median revisit gap (0 while unknown).
    [[nodiscard]] double period_s() const;

    /// A batch arrived at t.
    void saw_batch(Timestamp t);
    [[nodiscard]] bool active() const { return started_; }
    [[nodiscard]] Timestamp last_batch() const { return last_batch_; }
    /// Seconds of (from, to) in which a scanning feed was silent: an outage (no batch for more
    /// than kOutageLooks scans: a radar down, a link cut, the server failing over to its
    /// standby). Those are no looks: a track the radar could not report was not missed. The
    /// other feeds report when they see something (a ground sensor, a camera's detections, a
    /// lone vessel's AIS): their silence may be the news, so they have no outages.
    [[nodiscard]] double silent_s(Timestamp from, Timestamp to) const;
    /// Seconds of (from, to) the feed was reporting: the time its looks are counted over.
    [[nodiscard]] double reporting_s(Timestamp from, Timestamp to) const {
        return (to - from).seconds() - silent_s(from, to);
    }

    /// An established track's expected look: hit or not (learns Pd, from the next batch on).
    void look_outcome(bool hit);
    /// Pd x Pg as observed on established tracks (the prior while few looks were seen).
    [[nodiscard]] double pd() const;
    /// An established (once confirmed) track this feed held ended: its existence fell below the
    /// drop level.
    void track_ended();
    /// Mean target lifetime in looks: established-track looks per ended track, over the same
    /// window as Pd, with `prior_looks` as the prior (weighing kLifetimePriorLooks looks).
    [[nodiscard]] double lifetime_looks(double prior_looks) const;

    /// A plot that no established track explains (clutter, or a new target), at `en`.
    /// `in_map` false: counted feed-wide only, not in the clutter map (a plot in a confirmed
    /// track's wide gate: likely its target's, off the track in a turn). `share`: the part of
    /// the plot counted, its chance of being clutter (a coasting track's plot: 1 - existence).
    void unexplained(const Eigen::Vector2d& en, Timestamp t, bool in_map = true,
                     double share = 1.0);
    /// `n` plots counted as unexplained turned out to be a target's (its track confirmed at
    /// `en`).
    void explained_later(int n, Timestamp t, const Eigen::Vector2d& en);
    /// Unexplained plots per square metre per look of `look_s` seconds at time t over the area
    /// every plot of the feed spans (never below kMinClutterPerM2: a feed with no clutter at all
    /// still cannot make one plot certain).
    [[nodiscard]] double clutter_per_m2(Timestamp t, double look_s) const;
    /// The same near `en`, from the clutter map (set_clutter_cell): the unexplained plots of
    /// the map cell holding `en`, with the feed-wide density as the prior (a Gamma prior worth
    /// kClutterPriorLooks looks of the cell); the feed-wide density when the map is off.
    /// Asked for every plot and every tentative track's look: the feed-wide terms are kept
    /// from one call to the next while nothing they depend on changed (CellPrior), so a call
    /// is the cell's lookup and its decay.
    [[nodiscard]] double clutter_per_m2_at(const Eigen::Vector2d& en, Timestamp t,
                                           double look_s) const;
    /// The same, every term computed afresh: the reference clutter_per_m2_at must equal
    /// bit for bit (clutter_map_test).
    [[nodiscard]] double clutter_per_m2_at_reference(const Eigen::Vector2d& en, Timestamp t,
                                                     double look_s) const;
    /// A look (hit or missed) that left a track more likely real than not (existence >= hold):
    /// one of the targets the feed holds, for the false-track ratio.
    void target_look() { ++pending_target_looks_; }
    /// Targets per square metre the feed holds, at time t: its looks at tracks more likely real
    /// than not per look interval over the last few looks, over the same area as the clutter's
    /// (the extent of its plots); 0 while it holds none. Confirmed or not: at start-up, before
    /// any track is confirmed, the tracks whose evidence already makes them likely targets are
    /// what the feed shows.
    /// `with_current_batch`: the current batch's looks counted too (once all of them are: the
    /// end of batch pass, so no track's verdict depends on the order the batch lists them in).
    [[nodiscard]] double targets_per_m2(Timestamp t, bool with_current_batch) const;
    /// The clutter map's cell size in metres (0: off, one density over the plots' extent).
    void set_clutter_cell(double cell_m) {
        clutter_cell_m_ = cell_m > 0 ? cell_m : 0;
        ++clutter_version_;
    }

private:
    [[nodiscard]] double decay_to(Timestamp t) const;
    SensorKind kind_{SensorKind::radar};
    std::optional<double> stated_period_s_;
    // Revisit gaps in log-spaced bins (weight and sum of gaps per bin), forgotten with data
    // time, not with insertions: a batch of 10,000 hits lists its tracks in an order (newest
    // tracks last, and those are the ones back after missed looks), so "the last few gaps"
    // would be a biased sample (a 2 s radar was learned as 6 s, and its misses were counted
    // three times too slowly). The median is the mean gap of the median's bin.
    static constexpr std::size_t kGapBins = 160;
    static constexpr double kGapBinMinS = 0.01;  ///< bins from 10 ms ...
    static constexpr double kGapBinLog = 0.08;   ///< ... each 8 % wider (to ~1 h)
    static constexpr double kGapMemoryS = 120;   ///< a gap's weight falls by e in this much data
    static constexpr int kGapCountCap = 1 << 20;
    [[nodiscard]] static int gap_bin(double gap_s);
    [[nodiscard]] double gap_median() const;
    void forget_gaps(Timestamp t);
    std::array<double, kGapBins> gap_weight_{};
    std::array<double, kGapBins> gap_sum_{};
    double gap_total_{0};
    double gap_unit_{1};  ///< weight of a gap observed now
    Timestamp gap_t_{};   ///< data time gap_unit_ refers to
    int gap_count_{0};
    int since_median_{0};
    double median_gap_s_{0};
    // Pd: hits and looks, exponentially forgotten (window ~kPdWindow looks).
    double pd_hits_{0};
    double pd_looks_{0};
    double pd_prior_{0.9};
    double ended_{0};  ///< established tracks ended, forgotten like pd_looks_
    // The current batch's looks and ends, folded in when the next batch starts (fold_looks).
    std::uint64_t pending_looks_{0};
    std::uint64_t pending_hits_{0};
    double pending_ended_{0};
    void fold_looks();
    // Looks at likely targets (target_look), a decayed count like unexplained_ (the targets the
    // feed holds per look, for the false-track ratio), the time it refers to, and the current
    // batch's, folded in when the next batch starts.
    double target_looks_{0};
    Timestamp target_looks_t_{};
    std::uint64_t pending_target_looks_{0};
    [[nodiscard]] double extent_m2() const;
    [[nodiscard]] double target_decay(double dt_s) const;  ///< target_looks_'s over dt_s
    // Clutter: a decayed count of unexplained plots, the time it refers to, and the extent
    // (bounding box, m) of every plot seen.
    double unexplained_{0};
    Timestamp unexplained_t_{};
    Timestamp first_batch_{};
    Timestamp last_batch_{};
    bool started_{false};
    // Outages: a silence longer than this many scans is the radar down, not a scan that brought
    // no plot (a radar's scan almost always has clutter).
    static constexpr double kOutageLooks = 3;
    // The last outages, oldest overwritten: each is (from, to), the time in which looks were due
    // and none came (the silence less the one look interval a normal gap has). A track's looks
    // are counted from its last look, rarely minutes back, so a few suffice.
    static constexpr std::size_t kOutagesKept = 8;
    std::array<std::pair<Timestamp, Timestamp>, kOutagesKept> outages_{};
    std::size_t outage_count_{0};
    double e0_{0}, e1_{0}, n0_{0}, n1_{0};
    bool has_extent_{false};
    // The clutter map: per square cell, the decayed count of unexplained plots and the time it
    // refers to. Clutter is where the sea, the land or the weather makes it, not spread over
    // wherever targets went: on issue 13's 10 s scenes the targets roam 36 x 36 km while the
    // clutter covers 10 x 10 km, and the extent-wide density was 4x too low inside it.
    static constexpr double kClutterPriorLooks = 1;
    [[nodiscard]] std::uint64_t cell_key(const Eigen::Vector2d& en) const;
    [[nodiscard]] double exposure_s(Timestamp t, double look, double memory_looks) const;
    [[nodiscard]] double decay_over(double dt_s) const;  ///< a count's decay over dt_s
    void prune_cells(Timestamp t);
    double clutter_cell_m_{0};
    ClutterCells cells_;
    std::size_t cells_after_prune_{0};
    // What clutter_per_m2_at needs beyond the cell, for one (t, look_s), while the counts, the
    // look interval and the feed's start are as they were (clutter_version_, period): the
    // feed-wide density, the Gamma prior's terms, and the last cell decay (most cells were
    // last counted one look before).
    struct CellPrior {
        std::uint64_t version{~0ULL};
        Timestamp t{};
        double look_s{-1};
        double period{-1};
        double feed_wide{0};
        double per_look{0};
        double prior_plots{0};  ///< the prior's plots: prior rate x prior exposure
        double denominator{0};  ///< the cell's exposure plus the prior's (m^2 s)
        double decay_dt{-1};    ///< the last cell decay asked for, over decay_dt seconds
        double decay{1};
    };
    mutable CellPrior cell_prior_;
    std::uint64_t clutter_version_{0};  ///< bumped whenever a count or the start changes
    /// The cache brought up to (t, look_s) (mutable: the decay memo is written by the caller).
    [[nodiscard]] CellPrior& cell_prior(Timestamp t, double look_s) const;
    /// The cell density from its decayed count `n` and the prior's terms (one expression for
    /// the fast path and the reference).
    [[nodiscard]] static double cell_density(double n, double prior_plots, double denominator,
                                             double per_look);
};

/// Floor of the clutter density (per m^2 per look): one false plot per 1,000 km^2.
inline constexpr double kMinClutterPerM2 = 1e-9;

/// The clutter a tentative track's hit could have come from (the false-track budget's evidence),
/// in expected clutter plots; negative when unknown.
struct HitClutter {
    double gate{-1};  ///< in the track's whole gate (lambda x the gate's volume)
    double plot{-1};  ///< at least as close as the plot taken (lambda x the volume within its d2)
};

/// One feed that has seen a track.
struct LookHolder {
    FeedIndex feed{0};
    bool used{false};
    /// This feed's looks at the track after its first hit, and its hits among them (halved
    /// together when they grow large, so the record follows a target that comes into range).
    std::uint16_t looks{0};
    std::uint16_t hits{0};
    Timestamp last_hit;   ///< the feed's last plot on this track
    Timestamp accounted;  ///< looks up to here are counted (hit or missed)
    float gap_s{0};  ///< this track's own report interval from this feed (EWMA; reporting feeds)
    /// Of those, the looks (and hits) up to the latest hit by another feed: looks at which the
    /// target is known to have been there, the record holder_pd weighs.
    std::uint16_t seen_looks{0};
    std::uint16_t seen_hits{0};
};

/// The feed's Pd on this track: its learned Pd `feed_pd` (over all its tracks), lowered by its
/// own record on this track while another feed showed the target there (a Beta posterior with
/// `feed_pd` worth kHolderPdPriorLooks looks). A radar that cannot see a small boat at 40 km
/// while a nearer one does must not count its sweeps past it as misses at the Pd it has on the
/// ships it does see: on Gambia seed 7 a pirogue hit once by a far radar then took 740 of its
/// misses at Pd 0.92, three to every hit of the near radar, and lost its track as soon as the
/// near radar's plots weighed less against clutter (docs/tracking.md step 10). Never above
/// `feed_pd`: a track one feed alone holds, or one every feed sees, keeps the feed's Pd.
[[nodiscard]] double holder_pd(const LookHolder& h, double feed_pd);
/// The feed's own Pd weighs as much as this many looks of the track's record: a feed that
/// missed one of five looks while another saw the target keeps ~its Pd, one that missed ten in
/// a row (30 s of a 3 s radar) is at a third of it.
inline constexpr double kHolderPdPriorLooks = 5;
/// Counts a look of `h` (hit or missed) in its record on the track.
void note_holder_look(LookHolder& h, bool hit);
/// Another feed hit the track: `h`'s looks so far were at a target that is there.
void note_seen_by_other(LookHolder& h);

/// A track's life in looks: existence and the feeds that hold it.
struct TrackLife {
    double r{0.01};  ///< existence probability
    Timestamp r_t;   ///< time r refers to (survival applied up to here)
    bool ever_confirmed{false};
    std::uint32_t looks{0};      ///< looks since the track started (hit or missed)
    std::uint32_t hits{0};       ///< hit looks since the track started
    std::uint32_t look_bits{0};  ///< the last 32 looks, newest in bit 0 (1 = hit)
    /// While tentative: the product, over its hit looks after the first, of the number of
    /// clutter plots its gate was expected to hold (lambda x gate volume; 1 when unknown).
    double clutter_chance{1};
    /// While tentative: the sum, over the same hits, of ln p_k, p_k the chance that clutter put a
    /// plot at least as close to the prediction as the one taken (lambda x the volume within its
    /// Mahalanobis distance); 0 when unknown (then p_k = 1).
    double log_plot_chance{0};
    /// ln of the likelihood ratio, target against clutter, of its looks after the first (the
    /// SPRT's score; BudgetEvidence::likelihood): the sum of ln of the existence's hit and miss
    /// factors. Read only while tentative.
    double log_lr{0};
    static constexpr int kHolders = 3;
    std::array<LookHolder, kHolders> holders{};

    /// The holder of `feed`, or nullptr.
    [[nodiscard]] LookHolder* holder(FeedIndex feed);
    /// The holder of `feed`, taking the slot of the holder hit longest ago when all are used.
    LookHolder& hold(FeedIndex feed, Timestamp t);
};

/// The look interval a holder's looks are counted in (0: unknown, no look can be missed yet).
double look_interval(const LookHolder& h, const FeedLooks& feed);

/// Applies survival from life.r_t to t: a mean lifetime of `lifetime_looks` looks of `look_s`.
void survive_until(TrackLife& life, Timestamp t, double look_s, double lifetime_looks);
/// One look with a plot whose likelihood ratio against clutter is `g_over_lambda` (g(z) /
/// lambda, both in the plot's measurement space).
void look_hit(TrackLife& life, double pd, double g_over_lambda);
/// One look without a plot.
void look_miss(TrackLife& life, double pd);

/// The probability that a track started from a clutter plot shows at least this tentative
/// track's hits by chance: its hits after the first fell in gates expected to hold mu_k clutter
/// plots each (clutter_chance = prod mu_k), in any of the C(looks - 1, hits - 1) ways of placing
/// them among its looks after the first (the M-of-N false-track probability, Blackman & Popoli,
/// "Design and Analysis of Modern Tracking Systems", 1999, sec. 9.3), at most 1.
[[nodiscard]] double chance_from_clutter(const TrackLife& life);
/// The same, judged by how close its plots came (LifecycleSettings::BudgetEvidence::plot): the
/// probability that a clutter-born track shows these hits with a product of per-hit chances
/// p_k no larger than this one's, P(prod p <= x) = x sum_{j < k} (-ln x)^j / j! for k hits after
/// the first (Fisher's combination of independent p-values), times the C(looks - 1, hits - 1)
/// placings; never above chance_from_clutter (every hit was at least in its gate).
[[nodiscard]] double chance_from_clutter_by_plot(const TrackLife& life);

/// The same by Wald's bound (LifecycleSettings::BudgetEvidence::likelihood): a track started
/// from clutter reaches this track's likelihood ratio LR = exp(life.log_lr) with probability at
/// most (1 - beta) / LR (Wald 1947: the SPRT's alpha is at most (1 - beta) / A at threshold A),
/// at most 1.
[[nodiscard]] double chance_from_clutter_by_likelihood(const TrackLife& life, double beta);

/// What the life cycle decides for a track after its looks were counted.
enum class LifeVerdict : std::uint8_t { tentative, confirmed, coasting, dead };
LifeVerdict judge(const TrackLife& life, SensorKind started_by, const LifecycleSettings& s);
/// The same, with the share of the false-track budget (s.false_track_budget per km^2 per hour,
/// or s.false_track_ratio per look per target) that confirming it now would spend on clutter-born
/// tracks like it: a tentative track is confirmed when that share is at most 1 and its existence
/// at least s.hold_probability (infinite: no budget).
LifeVerdict judge(const TrackLife& life, SensorKind started_by, const LifecycleSettings& s,
                  double budget_share);

}  // namespace picket::filters
