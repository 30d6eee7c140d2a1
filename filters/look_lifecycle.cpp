#include "filters/look_lifecycle.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace picket::filters {
namespace {

// Pd is learned over about this many looks of established tracks; until then the prior counts
// as kPdPriorLooks looks.
constexpr double kPdWindow = 2000;
constexpr double kPdPriorLooks = 50;
// The lifetime prior counts as this many looks: a feed's own ends outweigh it within a few hundred
// track-looks (16 targets for 10 scans), so neither a scene of stayers nor one of comers and goers
// is judged by the prior for long.
constexpr double kLifetimePriorLooks = 100;
// The clutter rate is learned over this many look intervals (20 s while the interval is unknown).
constexpr double kClutterLooks = 20;
constexpr double kDefaultLookS = 1.0;
// The targets a feed holds are counted over this many look intervals: what it holds now (a
// state, where the clutter is a rate, learned over kClutterLooks), so a feed that starts among
// 50 targets counts them within a few looks of their first confirmations.
constexpr double kTargetLooks = 3;
// The median revisit gap is recomputed after this many new gaps (a walk over the bins: cheap,
// but a batch of 10,000 hits should not walk them 10,000 times).
constexpr int kMedianEvery = 8;

}  // namespace

FeedLooks::FeedLooks(SensorKind kind, double pd_prior) : kind_(kind), pd_prior_(pd_prior) {}

void FeedLooks::revisit(double gap_s) {
    if (!(gap_s > 0) || !std::isfinite(gap_s)) return;
    const int b = gap_bin(gap_s);
    gap_weight_[static_cast<std::size_t>(b)] += gap_unit_;
    gap_sum_[static_cast<std::size_t>(b)] += gap_unit_ * gap_s;
    gap_total_ += gap_unit_;
    gap_count_ = std::min(gap_count_ + 1, kGapCountCap);
    if (++since_median_ >= kMedianEvery || gap_count_ <= 3) {
        since_median_ = 0;
        median_gap_s_ = gap_median();
    }
}

int FeedLooks::gap_bin(double gap_s) {
    const double b = std::floor(std::log(gap_s / kGapBinMinS) / kGapBinLog);
    return static_cast<int>(std::clamp(b, 0.0, static_cast<double>(kGapBins - 1)));
}

double FeedLooks::gap_median() const {
    double acc = 0;
    for (std::size_t b = 0; b < kGapBins; ++b) {
        acc += gap_weight_[b];
        // The median's bin, and the mean gap in it: exact when the feed's gaps are one value.
        if (acc >= 0.5 * gap_total_ && gap_weight_[b] > 0) return gap_sum_[b] / gap_weight_[b];
    }
    return median_gap_s_;
}

void FeedLooks::forget_gaps(Timestamp t) {
    // Older gaps weigh exp(-age / kGapMemoryS): the unit weight of a new gap grows instead of
    // every bin shrinking (O(1) per batch), and everything is rescaled before it overflows.
    if (gap_t_ == Timestamp{}) gap_t_ = t;
    const double dt = (t - gap_t_).seconds();
    if (!(dt > 0)) return;
    gap_t_ = t;
    gap_unit_ *= std::exp(dt / kGapMemoryS);
    if (gap_unit_ > 1e100) {
        for (std::size_t b = 0; b < kGapBins; ++b) {
            gap_weight_[b] /= gap_unit_;
            gap_sum_[b] /= gap_unit_;
        }
        gap_total_ /= gap_unit_;
        gap_unit_ = 1;
    }
}

double FeedLooks::period_s() const {
    if (stated_period_s_) return *stated_period_s_;
    return median_gap_s_;
}

void FeedLooks::saw_batch(Timestamp t) {
    ++clutter_version_;  // the start and the batch times the densities count from
    forget_gaps(t);
    // The last batch's looks at likely targets join the decayed count, dated at that batch.
    if (pending_target_looks_ > 0) {
        if (last_batch_ > target_looks_t_) {
            target_looks_ *= target_decay((last_batch_ - target_looks_t_).seconds());
            target_looks_t_ = last_batch_;
        }
        target_looks_ += static_cast<double>(pending_target_looks_);
        pending_target_looks_ = 0;
    }
    fold_looks();
    if (!started_) {
        started_ = true;
        first_batch_ = t;
        last_batch_ = t;
        unexplained_t_ = t;
        return;
    }
    const double period = period_s();
    if (scanning() && period > 0 && (t - last_batch_).seconds() > kOutageLooks * period) {
        outages_[outage_count_ % kOutagesKept] = {last_batch_, t - Duration::from_seconds(period)};
        ++outage_count_;
    }
    last_batch_ = std::max(last_batch_, t);
}

double FeedLooks::silent_s(Timestamp from, Timestamp to) const {
    double silent = 0;
    const std::size_t n = std::min(outage_count_, kOutagesKept);
    for (std::size_t k = 0; k < n; ++k) {
        const auto& [a, b] = outages_[k];
        const Timestamp lo = std::max(a, from);
        const Timestamp hi = std::min(b, to);
        if (hi > lo) silent += (hi - lo).seconds();
    }
    return silent;
}

void FeedLooks::look_outcome(bool hit) {
    ++pending_looks_;
    if (hit) ++pending_hits_;
}

void FeedLooks::fold_looks() {
    if (pending_looks_ == 0 && pending_ended_ == 0) return;
    // As if each of the batch's looks had been forgotten by `keep` in turn, but with the batch's
    // looks weighing alike: the estimate does not depend on the order a batch lists its tracks
    // in (the tracker books a batch's hits first and its misses last; counted one by one, a
    // 10,000-track batch ended on 1,000 misses and Pd read 0.6 at Pd 0.9).
    constexpr double keep = 1 - 1 / kPdWindow;
    const auto n = static_cast<double>(pending_looks_);
    const double old = std::pow(keep, n);
    const double w = pending_looks_ > 0 ? (1 - old) / (1 - keep) / n : 1.0;
    pd_hits_ = pd_hits_ * old + w * static_cast<double>(pending_hits_);
    pd_looks_ = pd_looks_ * old + w * n;
    ended_ = ended_ * old + w * pending_ended_;
    pending_looks_ = 0;
    pending_hits_ = 0;
    pending_ended_ = 0;
}

double FeedLooks::pd() const {
    const double pd = (pd_hits_ + kPdPriorLooks * pd_prior_) / (pd_looks_ + kPdPriorLooks);
    // Never certain either way: a miss must stay possible for a live target and a hit for a
    // dead one.
    return std::clamp(pd, 0.05, 0.995);
}

void FeedLooks::track_ended() { pending_ended_ += 1; }

double FeedLooks::lifetime_looks(double prior_looks) const {
    if (!(prior_looks > 0)) return prior_looks;
    return (pd_looks_ + kLifetimePriorLooks) / (ended_ + kLifetimePriorLooks / prior_looks);
}

double FeedLooks::decay_to(Timestamp t) const {
    const double look = period_s() > 0 ? period_s() : kDefaultLookS;
    const double dt = (t - unexplained_t_).seconds();
    return dt > 0 ? std::exp(-dt / (kClutterLooks * look)) : 1.0;
}

double FeedLooks::decay_over(double dt_s) const {
    const double look = period_s() > 0 ? period_s() : kDefaultLookS;
    return dt_s > 0 ? std::exp(-dt_s / (kClutterLooks * look)) : 1.0;
}

std::uint64_t FeedLooks::cell_key(const Eigen::Vector2d& en) const {
    // Cells of 2^31 x 2^31 around the origin: far beyond any feed's reach at a cell of metres.
    const auto ix = static_cast<std::int64_t>(std::floor(en(0) / clutter_cell_m_));
    const auto iy = static_cast<std::int64_t>(std::floor(en(1) / clutter_cell_m_));
    const auto ux = static_cast<std::uint32_t>(std::clamp<std::int64_t>(ix, INT32_MIN, INT32_MAX));
    const auto uy = static_cast<std::uint32_t>(std::clamp<std::int64_t>(iy, INT32_MIN, INT32_MAX));
    return (static_cast<std::uint64_t>(ux) << 32) | uy;
}

void FeedLooks::prune_cells(Timestamp t) {
    // Cells whose count has decayed to nothing are forgotten (a feed that covers the world,
    // AIS, would otherwise keep every cell it ever saw a plot in).
    cells_.erase_if(
        [&](const ClutterCell& c) { return c.count * decay_over((t - c.t).seconds()) < 1e-3; });
    cells_after_prune_ = cells_.size();
}

void FeedLooks::unexplained(const Eigen::Vector2d& en, Timestamp t, bool in_map, double share) {
    if (!en.allFinite() || !(share > 0)) return;
    share = std::min(share, 1.0);
    ++clutter_version_;
    if (t > unexplained_t_) {
        unexplained_ *= decay_to(t);
        unexplained_t_ = t;
    }
    unexplained_ += share;
    if (clutter_cell_m_ > 0 && in_map) {
        ClutterCell& c = cells_[cell_key(en)];
        if (t > c.t) {
            c.count *= decay_over((t - c.t).seconds());
            c.t = t;
        }
        c.count += share;
        if (cells_.size() >= 4096 && cells_.size() > 2 * cells_after_prune_) prune_cells(t);
    }
    if (!has_extent_) {
        e0_ = e1_ = en(0);
        n0_ = n1_ = en(1);
        has_extent_ = true;
    } else {
        e0_ = std::min(e0_, en(0));
        e1_ = std::max(e1_, en(0));
        n0_ = std::min(n0_, en(1));
        n1_ = std::max(n1_, en(1));
    }
}

void FeedLooks::explained_later(int n, Timestamp t, const Eigen::Vector2d& en) {
    ++clutter_version_;
    if (t > unexplained_t_) {
        unexplained_ *= decay_to(t);
        unexplained_t_ = t;
    }
    unexplained_ = std::max(0.0, unexplained_ - n);
    if (clutter_cell_m_ > 0 && en.allFinite()) {
        // The track's plots of its few tentative looks lie within a cell or two of where it is.
        if (ClutterCell* c = cells_.find(cell_key(en))) c->count = std::max(0.0, c->count - n);
    }
}

double FeedLooks::exposure_s(Timestamp t, double look, double memory_looks) const {
    // The decayed exposure: exact for a steady rate from the first batch on, the first batch
    // counting as one look of exposure.
    const double tau = memory_looks * look;
    const double elapsed = std::max(0.0, (t - first_batch_).seconds()) + look;
    return tau * (1 - std::exp(-elapsed / tau));
}

double FeedLooks::cell_density(double n, double prior_plots, double denominator, double per_look) {
    const double rate = (n + prior_plots) / denominator;  // plots per m^2 per second
    return std::max(kMinClutterPerM2, rate * per_look);
}

double FeedLooks::clutter_per_m2_at_reference(const Eigen::Vector2d& en, Timestamp t,
                                              double look_s) const {
    const double feed_wide = clutter_per_m2(t, look_s);
    if (!(clutter_cell_m_ > 0) || !started_ || !en.allFinite()) return feed_wide;
    const double look = period_s() > 0 ? period_s() : kDefaultLookS;
    const double per_look = look_s > 0 ? look_s : look;
    double n = 0;
    if (const ClutterCell* c = cells_.find(cell_key(en)))
        n = c->count * decay_over((t - c->t).seconds());
    // Gamma-Poisson: the cell's plots over its exposure (m^2 s), with the feed-wide rate as the
    // prior mean, worth kClutterPriorLooks looks of the cell.
    const double prior_rate = feed_wide / per_look;  // plots per m^2 per second
    const double area = clutter_cell_m_ * clutter_cell_m_;
    const double prior_exposure = kClutterPriorLooks * area * look;
    return cell_density(n, prior_rate * prior_exposure,
                        area * exposure_s(t, look, kClutterLooks) + prior_exposure, per_look);
}

FeedLooks::CellPrior& FeedLooks::cell_prior(Timestamp t, double look_s) const {
    CellPrior& p = cell_prior_;
    const double period = period_s();
    if (p.version == clutter_version_ && p.t == t && p.look_s == look_s && p.period == period)
        return p;
    // The reference's terms, in the reference's order (bit-identical results).
    p.version = clutter_version_;
    p.t = t;
    p.look_s = look_s;
    p.period = period;
    p.feed_wide = clutter_per_m2(t, look_s);
    const double look = period > 0 ? period : kDefaultLookS;
    p.per_look = look_s > 0 ? look_s : look;
    const double prior_rate = p.feed_wide / p.per_look;
    const double area = clutter_cell_m_ * clutter_cell_m_;
    const double prior_exposure = kClutterPriorLooks * area * look;
    p.prior_plots = prior_rate * prior_exposure;
    p.denominator = area * exposure_s(t, look, kClutterLooks) + prior_exposure;
    p.decay_dt = -1;
    p.decay = 1;
    return p;
}

double FeedLooks::clutter_per_m2_at(const Eigen::Vector2d& en, Timestamp t, double look_s) const {
    if (!(clutter_cell_m_ > 0) || !started_ || !en.allFinite()) return clutter_per_m2(t, look_s);
    CellPrior& p = cell_prior(t, look_s);
    double n = 0;
    if (const ClutterCell* c = cells_.find(cell_key(en))) {
        const double dt = (t - c->t).seconds();
        if (dt != p.decay_dt) {
            p.decay_dt = dt;
            p.decay = decay_over(dt);
        }
        n = c->count * p.decay;
    }
    return cell_density(n, p.prior_plots, p.denominator, p.per_look);
}

double FeedLooks::extent_m2() const {
    // The extent of every plot seen, at least 1 km across in each direction.
    return std::max(e1_ - e0_, 1000.0) * std::max(n1_ - n0_, 1000.0);
}

double FeedLooks::clutter_per_m2(Timestamp t, double look_s) const {
    if (!has_extent_ || !started_) return kMinClutterPerM2;
    const double look = period_s() > 0 ? period_s() : kDefaultLookS;
    // The decayed count over the decayed exposure.
    const double rate =
        unexplained_ * decay_to(t) / exposure_s(t, look, kClutterLooks);  // plots per second
    return std::max(kMinClutterPerM2, rate * (look_s > 0 ? look_s : look) / extent_m2());
}

double FeedLooks::target_decay(double dt_s) const {
    const double look = period_s() > 0 ? period_s() : kDefaultLookS;
    return dt_s > 0 ? std::exp(-dt_s / (kTargetLooks * look)) : 1.0;
}

double FeedLooks::targets_per_m2(Timestamp t, bool with_current_batch) const {
    if (!has_extent_ || !started_) return 0;
    const double look = period_s() > 0 ? period_s() : kDefaultLookS;
    const double looks = target_looks_ * target_decay((t - target_looks_t_).seconds()) +
                         (with_current_batch ? static_cast<double>(pending_target_looks_) : 0.0);
    // Over the decayed number of look intervals since the first batch (a geometric sum, one
    // term per look): exact for a radar that sends each scan as one batch; one that sends it in
    // sectors reads up to ~15 % low, the safe side.
    const double keep = target_decay(look);
    const double elapsed_looks = std::max(0.0, (t - first_batch_).seconds()) / look + 1;
    const double exposure_looks = (1 - std::pow(keep, elapsed_looks)) / (1 - keep);
    return looks / exposure_looks / extent_m2();
}

LookHolder* TrackLife::holder(FeedIndex feed) {
    for (LookHolder& h : holders)
        if (h.used && h.feed == feed) return &h;
    return nullptr;
}

LookHolder& TrackLife::hold(FeedIndex feed, Timestamp t) {
    if (LookHolder* h = holder(feed)) return *h;
    LookHolder* slot = nullptr;
    for (LookHolder& h : holders) {
        if (!h.used) {
            slot = &h;
            break;
        }
        if (slot == nullptr || h.last_hit < slot->last_hit) slot = &h;
    }
    *slot = LookHolder{};
    slot->feed = feed;
    slot->used = true;
    slot->last_hit = t;
    slot->accounted = t;
    return *slot;
}

double holder_pd(const LookHolder& h, double feed_pd) {
    const double own =
        (h.seen_hits + kHolderPdPriorLooks * feed_pd) / (h.seen_looks + kHolderPdPriorLooks);
    return std::min(feed_pd, own);
}

void note_holder_look(LookHolder& h, bool hit) {
    // Halved together at 4,096 looks: the ratio kept, the record still able to move.
    constexpr std::uint16_t kHalveAt = 4096;
    if (h.looks >= kHalveAt) {
        h.looks /= 2;
        h.hits /= 2;
        h.seen_looks /= 2;
        h.seen_hits /= 2;
    }
    ++h.looks;
    if (hit) ++h.hits;
}

void note_seen_by_other(LookHolder& h) {
    h.seen_looks = h.looks;
    h.seen_hits = h.hits;
}

double look_interval(const LookHolder& h, const FeedLooks& feed) {
    if (feed.stated_period()) return *feed.stated_period();
    if (feed.scanning()) return feed.period_s();
    // Reporting sensors: the track's own interval, else the feed's typical one.
    return h.gap_s > 0 ? h.gap_s : feed.period_s();
}

void survive_until(TrackLife& life, Timestamp t, double look_s, double lifetime_looks) {
    const double dt = (t - life.r_t).seconds();
    if (!(dt > 0)) return;
    life.r_t = t;
    if (!(look_s > 0)) return;
    life.r *= std::exp(-dt / (look_s * lifetime_looks));
}

namespace {
void apply_odds(TrackLife& life, double factor) {
    const double odds = life.r / (1 - life.r) * factor;
    // Kept strictly inside (0, 1): certainty would make every later look meaningless.
    life.r = std::clamp(odds / (1 + odds), 1e-12, 1 - 1e-12);
}
}  // namespace

void look_hit(TrackLife& life, double pd, double g_over_lambda) {
    const double factor = 1 - pd + pd * std::max(0.0, g_over_lambda);
    apply_odds(life, factor);
    if (!life.ever_confirmed) life.log_lr += std::log(std::max(factor, 1e-300));
    ++life.looks;
    ++life.hits;
    life.look_bits = (life.look_bits << 1) | 1U;
}

void look_miss(TrackLife& life, double pd) {
    apply_odds(life, 1 - pd);
    if (!life.ever_confirmed) life.log_lr += std::log(std::max(1 - pd, 1e-300));
    ++life.looks;
    life.look_bits <<= 1;
}

namespace {

/// ln C(looks - 1, hits - 1): the ways of placing a track's hits after the first among its looks
/// after the first.
double log_placings(const TrackLife& life) {
    const double n = static_cast<double>(life.looks) - 1;
    const double k = static_cast<double>(life.hits) - 1;
    return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1);
}

}  // namespace

double chance_from_clutter(const TrackLife& life) {
    if (life.hits < 2) return 1.0;
    return std::min(1.0, std::exp(log_placings(life)) * life.clutter_chance);
}

double chance_from_clutter_by_plot(const TrackLife& life) {
    if (life.hits < 2) return 1.0;
    const int k = static_cast<int>(life.hits) - 1;
    // P(prod of k uniform chances <= x): x times the first k terms of e^(-ln x)'s series.
    const double log_x = std::min(0.0, life.log_plot_chance);
    double term = 1;
    double series = 1;
    for (int j = 1; j < k; ++j) {
        term *= -log_x / j;
        series += term;
    }
    const double fisher = std::exp(log_x) * series;
    return std::min(1.0, std::exp(log_placings(life)) * std::min(fisher, life.clutter_chance));
}

double chance_from_clutter_by_likelihood(const TrackLife& life, double beta) {
    if (life.hits < 2) return 1.0;
    return std::min(1.0, (1 - beta) * std::exp(-life.log_lr));
}

LifeVerdict judge(const TrackLife& life, SensorKind started_by, const LifecycleSettings& s) {
    return judge(life, started_by, s, std::numeric_limits<double>::infinity());
}

LifeVerdict judge(const TrackLife& life, SensorKind started_by, const LifecycleSettings& s,
                  double budget_share) {
    if (!life.ever_confirmed) {
        const LifecycleSettings::MofN& mn = s.confirm_m_of_n[static_cast<std::size_t>(started_by)];
        if (mn.m > 0) {
            if (static_cast<int>(life.hits) >= mn.m) return LifeVerdict::confirmed;
            const int misses = static_cast<int>(life.looks - life.hits);
            return misses > mn.n - mn.m ? LifeVerdict::dead : LifeVerdict::tentative;
        }
        if (life.r >= s.confirm_probability) return LifeVerdict::confirmed;
        if (budget_share <= 1 && life.r >= s.hold_probability) return LifeVerdict::confirmed;
        if (life.r < s.tentative_drop_ratio * s.new_track_probability) return LifeVerdict::dead;
        return LifeVerdict::tentative;
    }
    if (s.delete_misses > 0) {
        const int n = std::min(s.delete_of_looks, 32);
        const std::uint32_t window = n >= 32 ? ~0U : ((1U << n) - 1);
        const int seen = static_cast<int>(std::min<std::uint32_t>(life.looks, 32));
        const std::uint32_t valid = seen >= 32 ? ~0U : ((1U << seen) - 1);
        const int missed = std::popcount(~life.look_bits & window & valid);
        if (missed >= s.delete_misses) return LifeVerdict::dead;
        return (life.look_bits & 1U) ? LifeVerdict::confirmed : LifeVerdict::coasting;
    }
    if (life.r < s.drop_probability) return LifeVerdict::dead;
    return life.r >= s.hold_probability ? LifeVerdict::confirmed : LifeVerdict::coasting;
}

}  // namespace picket::filters
