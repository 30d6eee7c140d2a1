// The Deleter, in looks: each feed's looks at each track (hit or missed), the existence they
// give, the verdict (confirm, coast, delete); the time-based backstops; compaction.
#include "filters/tracker.hpp"

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "filters/chi_square.hpp"
#include "filters/frame_geometry.hpp"
#include "filters/jpda.hpp"
#include "filters/tracker_internal.hpp"

namespace picket::filters {
using namespace detail;

// ---------------------------------------------------------------------------------------------
// Track management

namespace {
// At most this many missed looks are counted at once (a track this far behind is dead anyway).
constexpr int kMaxLooksAtOnce = 64;
// The time-based look pass runs at most once per this much data time per feed.
constexpr double kLookPassS = 1.0;
}  // namespace

void Tracker::book_look(std::size_t i, FeedIndex feed, Timestamp t, bool hit, double g_over_lambda,
                        HitClutter clutter) {
    TrackState& s = states_[i];
    auto fit = feeds_.find(feed);
    if (fit == feeds_.end()) return;
    FeedLooks& fl = fit->second;
    TrackLife& life = s.life;
    LookHolder* h = life.holder(feed);
    const bool first_hit = h == nullptr;
    if (h == nullptr) {
        // A feed that never saw the track cannot have missed it.
        if (!hit) return;
        h = &life.hold(feed, t);
        h->accounted = t - Duration::from_seconds(1e-3);  // this hit is the holder's first look
    } else if (hit) {
        // A second plot of one look, or a plot older than the looks already counted (late data:
        // its look was counted as missed): no new look.
        if ((t - h->last_hit).seconds() < kSameLookS || t <= h->accounted) {
            h->last_hit = std::max(h->last_hit, t);
            return;
        }
        const double gap = (t - h->last_hit).seconds();
        fl.revisit(gap);
        if (!fl.scanning())
            h->gap_s = h->gap_s > 0 ? static_cast<float>(0.75 * h->gap_s + 0.25 * gap)
                                    : static_cast<float>(gap);
    }
    const double look = look_interval(*h, fl);
    int missed = 0;
    if (hit && look > 0) {
        // Looks since the last one counted that brought nothing (not yet counted by time; a
        // silence of the feed is no looks).
        missed = static_cast<int>(std::round(fl.reporting_s(h->accounted, t) / look)) - 1;
        missed = std::clamp(missed, 0, kMaxLooksAtOnce);
    } else if (!hit) {
        missed = 1;
    }
    // Survival runs on the track's fastest holder's looks, and that feed's learned lifetime.
    double fastest = 0;
    const FeedLooks* fastest_feed = &fl;
    for (const LookHolder& o : life.holders) {
        if (!o.used) continue;
        const auto oit = feeds_.find(o.feed);
        if (oit == feeds_.end()) continue;
        const double li = look_interval(o, oit->second);
        if (li > 0 && (fastest == 0 || li < fastest)) {
            fastest = li;
            fastest_feed = &oit->second;
        }
    }
    survive_until(life, t, fastest, fastest_feed->lifetime_looks(cfg_.life.lifetime_looks));
    // The feed's Pd on this target (holder_pd): its own, unless its record on this track, while
    // other feeds showed the target, says it sees this one less often.
    const double pd = holder_pd(*h, fl.pd());
    const double hold = cfg_.life.hold_probability;
    for (int k = 0; k < missed; ++k) {
        if (life.ever_confirmed && life.r >= hold) fl.look_outcome(false);
        look_miss(life, pd);
        note_holder_look(*h, false);
        if (life.r >= hold) fl.target_look();
    }
    if (hit) {
        if (life.ever_confirmed && life.r >= hold) fl.look_outcome(true);
        // The holder's first hit made it a holder: its record starts after it.
        if (!first_hit) note_holder_look(*h, true);
        for (LookHolder& o : life.holders)
            if (o.used && o.feed != feed) note_seen_by_other(o);
        if (g_over_lambda >= 0) {
            look_hit(life, pd, g_over_lambda);
        } else {
            // A hit whose likelihood is not known (a PDA update): counted, existence kept.
            ++life.looks;
            ++life.hits;
            life.look_bits = (life.look_bits << 1) | 1U;
        }
        if (life.r >= hold) fl.target_look();
        if (!life.ever_confirmed) {
            // A plot as likely as not in a gate this large from clutter alone says nothing.
            life.clutter_chance *= clutter.gate >= 0 ? std::min(clutter.gate, 1.0) : 1.0;
            // The chance that clutter put a plot at least this close: 1 - e^-mu (Poisson).
            if (clutter.plot >= 0)
                life.log_plot_chance += std::log(std::max(-std::expm1(-clutter.plot), 1e-300));
        }
        h->last_hit = t;
    }
    h->accounted = std::max(h->accounted, t);
    apply_verdict(i);
}

HitClutter Tracker::hit_clutter(const Prepared& p, double log_g, double log_det_S) const {
    // The set {d2 <= gamma} is an ellipsoid of volume pi^(m/2) / Gamma(m/2 + 1) gamma^(m/2)
    // |S|^(1/2) in the plot's m-dimensional measurement space, where p.log_clutter is the
    // clutter density; the plot's own d2 = -2 ln g - m ln(2 pi) - ln|S| bounds the set of
    // positions at least as likely as it.
    const int m = obs_dim(p.obs.kind);
    const double gamma = gate_[static_cast<std::size_t>(m)];
    auto expected = [&](double d2) {
        const double log_volume =
            0.5 * m * std::log(std::numbers::pi * d2) - std::lgamma(0.5 * m + 1) + 0.5 * log_det_S;
        const double mu = std::exp(p.log_clutter + log_volume);
        return std::isfinite(mu) ? mu : -1.0;
    };
    HitClutter c;
    c.gate = expected(gamma);
    const double d2 = -2 * log_g - m * std::log(2 * std::numbers::pi) - log_det_S;
    if (c.gate >= 0 && std::isfinite(d2)) c.plot = d2 > 0 ? std::min(expected(d2), c.gate) : 0.0;
    return c;
}

double Tracker::budget_share(const TrackState& s) const {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    const LifecycleSettings& life = cfg_.life;
    if (!(life.false_track_budget > 0 || life.false_track_ratio > 0) || s.life.ever_confirmed)
        return kInf;
    const auto fit = feeds_.find(s.init_feed);
    if (fit == feeds_.end()) return kInf;
    const FeedLooks& feed = fit->second;
    const double look = feed.period_s();
    if (!(look > 0)) return kInf;  // no look interval learned yet: no rate either
    double per_m2 = cfg_.clutter_density_per_m2;
    if (!(per_m2 > 0)) per_m2 = feed.clutter_per_m2_at(s.xs.head<2>(), s.t, look);
    // Every plot no track takes starts a tentative track, and each shows these hits by chance
    // with this probability: clutter-born confirmations per m^2 per look.
    double chance = 1;
    switch (life.budget_evidence) {
        case LifecycleSettings::BudgetEvidence::gate:
            chance = chance_from_clutter(s.life);
            break;
        case LifecycleSettings::BudgetEvidence::plot:
            chance = chance_from_clutter_by_plot(s.life);
            break;
        case LifecycleSettings::BudgetEvidence::likelihood:
            chance = chance_from_clutter_by_likelihood(s.life, life.tentative_drop_ratio);
            break;
    }
    const double false_per_m2 = per_m2 * chance;
    if (life.false_track_budget > 0)  // the explicit budget, per km^2 per hour
        return false_per_m2 * 1e6 * 3600.0 / look / life.false_track_budget;
    // Relative to the feed: against the confirmed targets it holds over the same area, per look.
    // A feed holding none yet has no budget to spend.
    const double targets = feed.targets_per_m2(s.t, recheck_pass_);
    if (!(targets > 0)) return kInf;
    return false_per_m2 / (life.false_track_ratio * targets);
}

void Tracker::apply_verdict(std::size_t i) {
    TrackState& s = states_[i];
    Track& t = public_[i];
    if (s.dead) return;
    // The budget's share is asked for only where judge can use it: a tentative track, judged by
    // existence, at least as likely real as not. Most tentative tracks are clutter-born far below
    // that, and their every look asked for it (the clutter map's density, the feed's targets,
    // C(looks, hits)): the same verdicts, for a fraction of the cost.
    constexpr double kNoBudget = std::numeric_limits<double>::infinity();
    const bool may_spend = !s.life.ever_confirmed && s.life.r >= cfg_.life.hold_probability &&
                           cfg_.life.confirm_m_of_n[static_cast<std::size_t>(s.init_kind)].m == 0;
    const LifeVerdict v =
        judge(s.life, s.init_kind, cfg_.life, may_spend ? budget_share(s) : kNoBudget);
    TrackStatus next = t.status;
    // Judged again at the batch's end, with the targets its feed holds after every look of the
    // batch (recheck_budget).
    if (v == LifeVerdict::tentative && cfg_.life.false_track_ratio > 0 && !recheck_pass_ &&
        s.life.r >= cfg_.life.hold_probability)
        budget_recheck_.push_back(i);
    switch (v) {
        case LifeVerdict::dead:
            s.dead = true;
            any_dead_ = true;
            // An established track's end teaches its feeds how long targets live (in looks).
            if (s.life.ever_confirmed) {
                for (const LookHolder& h : s.life.holders) {
                    if (!h.used) continue;
                    auto fit = feeds_.find(h.feed);
                    if (fit != feeds_.end()) fit->second.track_ended();
                }
            }
            return;
        case LifeVerdict::tentative:
            return;
        case LifeVerdict::confirmed:
            next = TrackStatus::confirmed;
            break;
        case LifeVerdict::coasting:
            next = TrackStatus::coasting;
            break;
    }
    if (!s.life.ever_confirmed) note_first_confirmation(s);
    if (next != t.status) {
        t.status = next;
        mark_stale(i);
        mark(changed_ids_, s.changed, t.id);
    }
}

bool Tracker::Footprint::covers(const Eigen::Vector2d& en) const {
    switch (shape) {
        case Shape::none:
            return false;
        case Shape::box:
            return en(0) >= e0 && en(0) <= e1 && en(1) >= n0 && en(1) <= n1;
        case Shape::wedge: {
            const Eigen::Vector2d d = en - site;
            if (d.squaredNorm() > range * range) return false;
            double b = std::atan2(d(0), d(1)) - bearing0;
            b -= kTwoPi * std::floor(b / kTwoPi);
            return b <= span;
        }
    }
    return false;
}

Tracker::Footprint Tracker::footprint_of(std::span<const Measurement> batch,
                                         const std::vector<Prepared>& prep) const {
    Footprint fp;
    // Only a scanning sensor's batch is a look at an area; two plots at least span one.
    if (prep.size() < 2 || batch[0].sensor != SensorKind::radar) return fp;
    if (const auto* pz = std::get_if<PolarZ>(&batch[prep[0].index].z)) {
        // The wedge from the first plot's bearing clockwise to the last one, as far out as the
        // farthest plot: the part of the sweep this batch is known to have covered.
        fp.site = frame_.to_en(pz->site.position);
        double lo = 0;
        double hi = 0;
        double range = 0;
        double b0 = 0;
        bool first = true;
        for (const Prepared& p : prep) {
            if (!p.has_position) continue;
            const Eigen::Vector2d d = p.pos_en - fp.site;
            const double b = std::atan2(d(0), d(1));
            range = std::max(range, d.norm());
            if (first) {
                b0 = b;
                first = false;
                continue;
            }
            const double rel = wrap_pi(b - b0);
            lo = std::min(lo, rel);
            hi = std::max(hi, rel);
        }
        fp.shape = Footprint::Shape::wedge;
        fp.bearing0 = b0 + lo;
        fp.span = hi - lo;
        fp.range = range;
        // Plots all around (a whole scan in one batch): the whole disc.
        if (fp.span > std::numbers::pi) {
            fp.bearing0 = 0;
            fp.span = kTwoPi;
        }
        return fp;
    }
    bool first = true;
    for (const Prepared& p : prep) {
        if (!p.has_position) continue;
        if (first) {
            fp.e0 = fp.e1 = p.pos_en(0);
            fp.n0 = fp.n1 = p.pos_en(1);
            first = false;
            continue;
        }
        fp.e0 = std::min(fp.e0, p.pos_en(0));
        fp.e1 = std::max(fp.e1, p.pos_en(0));
        fp.n0 = std::min(fp.n0, p.pos_en(1));
        fp.n1 = std::max(fp.n1, p.pos_en(1));
    }
    if (!first) fp.shape = Footprint::Shape::box;
    return fp;
}

void Tracker::note_first_confirmation(TrackState& s) {
    s.life.ever_confirmed = true;
    // From now on the existence decides, starting as sure as a track it confirmed.
    s.life.r = std::max(s.life.r, cfg_.life.confirm_probability);
    ++counters_.confirmed;
    // Its plots were counted as unexplained (clutter) while it was tentative: they were a
    // target's.
    auto fit = feeds_.find(s.init_feed);
    if (fit != feeds_.end())
        fit->second.explained_later(static_cast<int>(s.life.hits), s.t, s.xs.head<2>());
}

void Tracker::account_looks(FeedIndex feed, const Footprint& fp, Timestamp t) {
    auto fit = feeds_.find(feed);
    if (fit == feeds_.end()) return;
    FeedLooks& fl = fit->second;
    auto pass = last_look_pass_.find(feed);
    const bool time_pass =
        pass == last_look_pass_.end() || (t - pass->second).seconds() >= kLookPassS;
    if (fp.shape == Footprint::Shape::none && !time_pass) return;
    if (time_pass) last_look_pass_[feed] = t;
    const Timestamp feed_now = fl.last_batch();
    for (std::size_t i = 0; i < states_.size(); ++i) {
        TrackState& s = states_[i];
        if (s.dead) continue;
        LookHolder* h = s.life.holder(feed);
        if (h == nullptr) continue;
        const double look = look_interval(*h, fl);
        if (!(look > 0)) continue;
        const double since = fl.reporting_s(h->accounted, t);
        if (fp.shape != Footprint::Shape::none && since >= 0.5 * look) {
            const Eigen::Vector2d en = s.xs.head<2>() + s.xs.tail<2>() * (t - s.t).seconds();
            if (fp.covers(en)) {
                // The sweep passed the track and brought no plot for it: the looks since the
                // last one counted, this one included, were missed.
                const int n =
                    std::clamp(static_cast<int>(std::round(since / look)), 1, kMaxLooksAtOnce);
                for (int k = 0; k < n && !s.dead; ++k) book_look(i, feed, t, false, 0);
                continue;
            }
        }
        if (!time_pass) continue;
        // Looks known missed by time: the feed went on sending for 1.5 intervals past the last
        // look counted without a plot for this track.
        const double behind = fl.reporting_s(h->accounted, feed_now) / look - 0.5;
        if (behind < 1) continue;
        const int n = std::min(static_cast<int>(std::floor(behind)), kMaxLooksAtOnce);
        const Timestamp upto = h->accounted + Duration::from_seconds(n * look);
        for (int k = 0; k < n && !s.dead; ++k) book_look(i, feed, upto, false, 0);
    }
}

void Tracker::mark_stale(std::size_t i) {
    if (!states_[i].stale) {
        states_[i].stale = true;
        stale_ids_.push_back(public_[i].id);
    }
}

// Life-cycle passes over every track run at most twice a second of data (or after a big
// batch), so that a stream of one-report batches (AIS) costs O(log N) each, not O(N).
void Tracker::recheck_budget() {
    // The false-track ratio weighs a young track against the targets its feed holds, and a
    // batch's looks at them are all counted only now: at start-up, among 50 targets at once,
    // the first that earn their existence are what the feed holds.
    if (budget_recheck_.empty()) return;
    std::sort(budget_recheck_.begin(), budget_recheck_.end());
    budget_recheck_.erase(std::unique(budget_recheck_.begin(), budget_recheck_.end()),
                          budget_recheck_.end());
    recheck_pass_ = true;
    for (std::size_t i : budget_recheck_)
        if (i < states_.size() && !states_[i].dead && !states_[i].life.ever_confirmed)
            apply_verdict(i);
    recheck_pass_ = false;
    budget_recheck_.clear();
}

void Tracker::finish_batch(bool force) {
    if (force || (now_ - last_housekeeping_).seconds() >= 0.5) {
        housekeeping();
        last_housekeeping_ = now_;
    }
    if (force || (now_ - last_merge_).seconds() >= 1.0) {
        merge_duplicates();
        last_merge_ = now_;
    }
    if (any_dead_) {
        compact();
        any_dead_ = false;
    }
    for (TrackId id : stale_ids_) {
        const std::size_t i = index_of(id);
        if (i == static_cast<std::size_t>(-1)) continue;
        if (states_[i].stale) {
            refresh_public(i);
            states_[i].stale = false;
        }
    }
    stale_ids_.clear();
}

std::size_t Tracker::end_source_track(FeedIndex feed, std::uint64_t source_object_id) {
    if (source_object_id == 0) return 0;
    std::size_t ended = 0;
    for (std::size_t i = 0; i < states_.size(); ++i) {
        TrackState& s = states_[i];
        // Another sensor's later plot, or an AIS identity, means the object is still seen.
        if (s.dead || s.source_object != source_object_id || s.source_feed != feed || s.mmsi ||
            !s.has_sensor_update || s.last_sensor_update != s.source_t)
            continue;
        s.dead = true;
        any_dead_ = true;
        ++ended;
    }
    if (ended > 0) finish_batch(false);
    return ended;
}

void Tracker::housekeeping() {
    for (std::size_t i = 0; i < states_.size(); ++i) {
        TrackState& s = states_[i];
        if (s.dead) continue;
        // A track kept up by data late by nature (satellite AIS) is aged from when such data is
        // due, not from when it was observed.
        const double dt = std::max(0.0, (now_ - s.t - s.latency_allowance).seconds());
        // Looks decide; these two end tracks no look can reach (every feed that held it silent).
        if (dt > cfg_.max_coast_s) s.dead = true;
        const double q = settings_for(s).noise.accel_sigma_mps2;
        const double var = s.pos_var + s.vel_var * dt * dt + 2.0 / 3.0 * q * q * dt * dt * dt;
        if (std::sqrt(0.5 * var) > cfg_.max_position_sigma_m) s.dead = true;
        any_dead_ = any_dead_ || s.dead;
    }
}

void Tracker::compact() {
    std::size_t out = 0;
    compact_index_.assign(states_.size(), -1);
    for (std::size_t i = 0; i < states_.size(); ++i) {
        if (states_[i].dead) {
            ++counters_.deleted;
            deleted_ids_.push_back(public_[i].id);
            if (states_[i].mmsi) {
                auto it = mmsi_owner_.find(*states_[i].mmsi);
                if (it != mmsi_owner_.end() && it->second == public_[i].id) mmsi_owner_.erase(it);
            }
            if (states_[i].aircraft_address != 0) {
                auto it = address_owner_.find(states_[i].aircraft_address);
                if (it != address_owner_.end() && it->second == public_[i].id)
                    address_owner_.erase(it);
            }
            continue;
        }
        if (out != i) {
            states_[out] = std::move(states_[i]);
            public_[out] = std::move(public_[i]);
        }
        compact_index_[i] = static_cast<std::int64_t>(out);
        ++out;
    }
    states_.resize(out);
    public_.resize(out);
    gate_index_.compact(compact_index_);
}

}  // namespace picket::filters
