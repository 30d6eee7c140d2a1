// Gate: every (track, plot) pair inside the chi-square gate (pairs_), and the plots inside a
// confirmed track's wider initiation gate (wide_gated_). A plot's candidate tracks come from
// PreGate (discs of every track at the batch's time: whole scans, and the reference) or, for a
// small batch among many tracks, from the standing GateIndex (only the tracks near the plot).
#include <algorithm>
#include <cmath>

#include "filters/tracker.hpp"
#include "filters/tracker_internal.hpp"

namespace picket::filters {
using namespace detail;

namespace {
/// The epoch's window around the batch that starts it: late plots (AIS is often a few seconds
/// behind the radar) still fall inside it, and it lasts long enough that its O(tracks) start is
/// paid a few times a minute of data rather than per message.
constexpr double kEpochBack_s = 5;
constexpr double kEpochAhead_s = 2;
/// Batches wider than these never go through the index (their envelopes would be too large to
/// help): they take the PreGate way.
constexpr double kEpochMaxSpread_s = 2;
constexpr double kEpochMaxSigma_m = 1000;
}  // namespace

double Tracker::gate_variance(const TrackState& s, double adt, double sigma_m) const {
    const double q = settings_for(s).noise.accel_sigma_mps2;
    const double qq = std::max(
        q * q, cfg_.imm_turn_noise.accel_sigma_mps2 * cfg_.imm_turn_noise.accel_sigma_mps2);
    return s.pos_var + s.vel_var * adt * adt + qq * adt * adt * adt + sigma_m * sigma_m;
}

GateDisc Tracker::gate_disc(const TrackState& s, const BatchSpan& b) const {
    if (s.dead) return GateDisc{};
    const double dt = (b.tmax - s.t).seconds();
    const double adt = std::abs(dt) + b.spread_s;
    const double var = gate_variance(s, adt, b.sigma_m);
    return GateDisc{s.xs(0) + s.xs(2) * dt, s.xs(1) + s.xs(3) * dt,
                    std::sqrt(init_gate_[2] * var) * 1.2, s.xs(2), s.xs(3)};
}

GateEnvelope Tracker::gate_envelope(const TrackState& s, const GateEpoch& ep) const {
    if (s.dead) return GateEnvelope{};
    // gate_disc at a batch time t in [from, to]: centre xs + v (t - s.t), radius base(|t - s.t|
    // + spread) + |v| spread + 1, base growing with its argument. So a disc centred at the
    // window's middle, of the largest base, plus |v| x half the window, holds every one of them;
    // the factor and the metre cover rounding.
    const double da = (ep.from - s.t).seconds();
    const double db = (ep.to - s.t).seconds();
    const double half = 0.5 * (db - da);
    const double adt = std::max(std::abs(da), std::abs(db)) + ep.max_spread_s;
    const double base = std::sqrt(init_gate_[2] * gate_variance(s, adt, ep.max_sigma_m)) * 1.2;
    const double speed = std::hypot(s.xs(2), s.xs(3));
    const double mid = da + half;
    const double r = (base + speed * (ep.max_spread_s + half) + 1.0) * (1 + 1e-9) + 1.0;
    return GateEnvelope{s.xs(0) + s.xs(2) * mid, s.xs(1) + s.xs(3) * mid, r};
}

void Tracker::gate_batch(std::span<const Measurement> batch, const std::vector<Prepared>& prep) {
    const std::size_t N = states_.size();
    if (pred_slot_.size() < N) pred_slot_.resize(N, -1);
    preds_.clear();
    preds_.reserve(std::min<std::size_t>(N, 4 * prep.size() + 16));
    Timestamp tmin = prep[0].t;
    BatchSpan b{prep[0].t};
    for (const Prepared& p : prep) {
        tmin = std::min(tmin, p.t);
        b.tmax = std::max(b.tmax, p.t);
        if (p.has_position) b.sigma_m = std::max(b.sigma_m, p.sigma_m);
    }
    b.spread_s = (b.tmax - tmin).seconds();
    pairs_.clear();
    wide_gated_.clear();
    if (gate_index_ready(prep.size(), b))
        gate_by_index(batch, prep, b);
    else
        gate_by_pre_gate(batch, prep, b);
}

bool Tracker::gate_index_ready(std::size_t plots, const BatchSpan& b) {
    using Mode = TrackerConfig::GateIndexMode;
    const std::size_t N = states_.size();
    const bool wanted = cfg_.gate_index == Mode::check ||
                        (cfg_.gate_index == Mode::automatic && N >= kGateIndexMinTracks);
    if (!wanted) {
        gate_index_.clear();
        return false;
    }
    // Whole scans take PreGate's grid; the index stays, their updates touched in it.
    if (plots >= kGridMinPlots) return false;
    epoch_seen_spread_s_ = std::max(epoch_seen_spread_s_, b.spread_s);
    epoch_seen_sigma_m_ = std::max(epoch_seen_sigma_m_, b.sigma_m);
    const GateEpoch& ep = gate_index_.epoch();
    if (gate_index_.active() && ep.holds(b.tmax, b.spread_s, b.sigma_m)) {
        // Up to date: the tracks changed since the last batch, and the tracks born since.
        std::vector<std::uint32_t>& touched = gate_index_.touched();
        for (std::size_t k = 0; k < touched.size(); ++k)
            gate_index_.set(touched[k], gate_envelope(states_[touched[k]], ep));
        touched.clear();
        for (auto i = static_cast<std::uint32_t>(gate_index_.size()); i < N; ++i)
            gate_index_.set(i, gate_envelope(states_[i], ep));
        ++gate_stats_.batches;
        return true;
    }
    if ((gate_index_.active() && b.tmax < ep.from) || b.spread_s > kEpochMaxSpread_s ||
        b.sigma_m > kEpochMaxSigma_m) {
        ++gate_stats_.fallbacks;  // too old for the epoch, or too wide for any
        return false;
    }
    // A new epoch, for batches like those of the last one (or this one, if wider).
    GateEpoch next;
    next.from = b.tmax - Duration::from_seconds(kEpochBack_s);
    next.to = b.tmax + Duration::from_seconds(kEpochAhead_s);
    next.max_spread_s = std::min(kEpochMaxSpread_s, epoch_seen_spread_s_);
    next.max_sigma_m = std::min(kEpochMaxSigma_m, epoch_seen_sigma_m_);
    epoch_seen_spread_s_ = b.spread_s;
    epoch_seen_sigma_m_ = b.sigma_m;
    gate_index_.start_epoch(next);
    for (std::uint32_t i = 0; i < N; ++i) gate_index_.set(i, gate_envelope(states_[i], next));
    ++gate_stats_.epochs;
    ++gate_stats_.batches;
    return true;
}

void Tracker::gate_pair(std::span<const Measurement> batch, const std::vector<Prepared>& prep,
                        std::size_t i, std::uint32_t j) {
    const Prepared& p = prep[j];
    const Measurement& m = batch[p.index];
    const TrackState& s = states_[i];
    if (s.dead) return;
    if (m.mmsi && s.mmsi && *s.mmsi != *m.mmsi) return;  // two transponders, two vessels
    if (m.aircraft_address != 0 && !address_allows(i, m.aircraft_address)) return;  // aircraft
    // One plot per target per look: a track that took a plot of this look already (from an
    // earlier batch: cameras send one detection per message) cannot have made this one.
    if (m.sensor != SensorKind::ais && took_same_look(s, m.feed, p.t)) return;
    if (!plot_may_be_of(i, m)) return;
    if (!reachable(i, m, p)) return;
    const PredEntry* pe = prior_for(i, p.t);
    if (pe == nullptr) return;
    if (!in_feed_range(m, p, pe->g)) return;
    const InnovationScore in = innovation_score(pe->g, p.obs);
    if (!in.ok) return;
    const int dof = obs_dim(p.obs.kind);
    // A plot just outside a confirmed track's gate may be that target's: it must not start a
    // duplicate track, so initiation is suppressed in a wider gate (unless the track took
    // another plot of this look: see initiate_unassigned).
    if (public_[i].status == TrackStatus::confirmed &&
        in.d2 <= init_gate_[static_cast<std::size_t>(dof)])
        wide_gated_.emplace_back(j, static_cast<std::uint32_t>(i));
    if (in.d2 > gate_[static_cast<std::size_t>(dof)]) return;
    pairs_.push_back(GatedPair{static_cast<std::uint32_t>(i), j, in.d2, in.log_det_S, 0,
                               same_source_object(s, m) ? kLogSameSourceObject : 0.0});
}

bool Tracker::same_source_object(const TrackState& s, const Measurement& m) {
    if (m.source_object_id == 0 ||
        (m.sensor != SensorKind::camera && m.sensor != SensorKind::radar))
        return false;
    // The id most of the track's last few hits from the feed carried (the newest on a tie): one
    // plot of the other object, taken where the two were closer than the noise, does not hand
    // the track that object's id.
    int votes = 0, best = 0;
    Timestamp newest_with_id;
    std::uint64_t id = 0;
    for (const TrackState::SensorHit& h : s.recent_hits) {
        if (!h.used || h.feed != m.feed || h.object == 0) continue;
        int n = 0;
        Timestamp newest = h.t;
        for (const TrackState::SensorHit& g : s.recent_hits)
            if (g.used && g.feed == m.feed && g.object == h.object) {
                ++n;
                newest = std::max(newest, g.t);
            }
        if (n > best || (n == best && newest_with_id < newest)) {
            best = n;
            newest_with_id = newest;
            id = h.object;
        }
        ++votes;
    }
    return votes > 0 && id == m.source_object_id;
}

bool Tracker::reachable(std::size_t i, const Measurement& m, const Prepared& p) const {
    const TrackState& s = states_[i];
    if (s.life.ever_confirmed || m.sensor == SensorKind::ais || !p.has_position) return true;
    const auto c = static_cast<std::size_t>(public_[i].target_class);
    const double top_speed = c < cfg_.class_max_speed_mps.size() ? cfg_.class_max_speed_mps[c] : 0;
    if (!(top_speed > 0)) return true;
    const double dt = std::abs((p.t - s.t).seconds());
    const double sigma = std::sqrt(s.pos_var + p.sigma_m * p.sigma_m);
    return (p.pos_en - s.xs.head<2>()).norm() <= top_speed * dt + 3.0 * sigma;
}

bool Tracker::in_feed_range(const Measurement& m, const Prepared& p, const Gaussian& g) const {
    const double range = feed_range_m(m.feed);
    if (!(range > 0) || p.obs.kind != ObsKind::bearing) return true;
    const Eigen::Vector2d d = g.x.head<2>() - p.obs.site_en;
    // The prior's largest position sigma, along any direction (the ray's included).
    const Eigen::Matrix2d P = g.P.topLeftCorner<2, 2>();
    const double half_trace = 0.5 * P.trace();
    const double spread = std::sqrt(
        std::max(0.0, 0.25 * (P(0, 0) - P(1, 1)) * (P(0, 0) - P(1, 1)) + P(0, 1) * P(0, 1)));
    const double sigma_max = std::sqrt(half_trace + spread);
    return d.norm() <= range + 3.0 * sigma_max;
}

bool Tracker::plot_may_be_of(std::size_t i, const Measurement& m) const {
    if (m.sensor != SensorKind::radar || feed_watches(m.feed) != Watches::sea) return true;
    return !land_class(public_[i].target_class);
}

void Tracker::gate_by_pre_gate(std::span<const Measurement> batch,
                               const std::vector<Prepared>& prep, const BatchSpan& b) {
    const std::size_t N = states_.size();
    std::vector<GateDisc>& discs = pre_gate_.discs();
    discs.resize(N);
    for (std::size_t i = 0; i < N; ++i) discs[i] = gate_disc(states_[i], b);
    pre_gate_.build(b.spread_s, prep.size(), cfg_.grid_cell_m);
    for (std::uint32_t j = 0; j < prep.size(); ++j) {
        if (!prep[j].has_position) {
            // A bearing has no position to look up: every live track is a candidate.
            for (std::size_t i = 0; i < N; ++i)
                if (pre_gate_.live(i)) gate_pair(batch, prep, i, j);
            continue;
        }
        pre_gate_.candidates(prep[j].pos_en,
                             [&](std::uint32_t i) { gate_pair(batch, prep, i, j); });
    }
}

void Tracker::gate_by_index(std::span<const Measurement> batch, const std::vector<Prepared>& prep,
                            const BatchSpan& b) {
    const std::size_t N = states_.size();
    for (std::uint32_t j = 0; j < prep.size(); ++j) {
        if (!prep[j].has_position) {
            for (std::size_t i = 0; i < N; ++i)
                if (gate_disc(states_[i], b).base >= 0) gate_pair(batch, prep, i, j);
            continue;
        }
        // The envelope's candidates, then each one's exact disc (PreGate's test, to the bit),
        // in track order as PreGate's linear scan gives them: the same pairs, in the same order.
        const Eigen::Vector2d& z = prep[j].pos_en;
        gate_found_.clear();
        gate_index_.candidates(z, [&](std::uint32_t i) {
            const GateDisc d = gate_disc(states_[i], b);
            if (!(d.base >= 0)) return;
            const double r = gate_disc_radius(d, b.spread_s);
            const double de = z(0) - d.e;
            const double dn = z(1) - d.n;
            if (de * de + dn * dn <= r * r) gate_found_.push_back(i);
        });
        std::sort(gate_found_.begin(), gate_found_.end());
        if (cfg_.gate_index == TrackerConfig::GateIndexMode::check)
            check_gate_index(z, b, gate_found_);
        for (std::uint32_t i : gate_found_) gate_pair(batch, prep, i, j);
    }
}

void Tracker::check_gate_index(const Eigen::Vector2d& z, const BatchSpan& b,
                               const std::vector<std::uint32_t>& found) {
    std::vector<GateDisc>& discs = pre_gate_.discs();
    discs.resize(states_.size());
    for (std::size_t i = 0; i < states_.size(); ++i) discs[i] = gate_disc(states_[i], b);
    pre_gate_.build(b.spread_s, 1, cfg_.grid_cell_m);
    pre_gate_.candidates_reference(z, gate_reference_);
    if (gate_reference_ != found) ++gate_stats_.mismatches;
}

}  // namespace picket::filters
