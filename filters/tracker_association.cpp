// One batch through the roles: gate (pre-gate + chi-square), associate (clusters, GNN / JPDA),
// update the tracks from the decisions, initiate from the plots nobody took.
#include <Eigen/Cholesky>
#include <algorithm>
#include <array>
#include <cmath>

#include "filters/tracker.hpp"
#include "filters/tracker_internal.hpp"

namespace picket::filters {
using namespace detail;

const Tracker::PredEntry* Tracker::prior_for(std::size_t i, Timestamp t) {
    const std::int32_t slot = pred_slot_[i];
    if (slot >= 0 && preds_[static_cast<std::size_t>(slot)].t == t)
        return &preds_[static_cast<std::size_t>(slot)];
    const TrackState& s = states_[i];
    if (!has_prior_at(s, t)) return nullptr;
    // Built in place: a PredEntry (a filter and its combined estimate, ~800 bytes) is not
    // worth copying.
    PredEntry& e = preds_.emplace_back();
    e.t = t;
    prior_at(s, t, e.f);
    e.g = e.f.combined();
    pred_slot_[i] = static_cast<std::int32_t>(preds_.size() - 1);
    return &e;
}

void Tracker::associate_and_update(std::span<const Measurement> batch,
                                   std::vector<Prepared>& prep) {
    if (prep.empty()) return;
    gate_batch(batch, prep);
    associate_batch(batch, prep);
    update_from_decisions(batch, prep);
    initiate_unassigned(batch, prep);
}

// ---------------------------------------------------------------------------------------------
// Gate: every (track, plot) pair inside the chi-square gate (pairs_), and the plots inside a
// confirmed track's wider initiation gate (wide_gated_).

void Tracker::gate_batch(std::span<const Measurement> batch, const std::vector<Prepared>& prep) {
    const std::size_t N = states_.size();
    const std::size_t M = prep.size();
    pred_slot_.assign(N, -1);
    preds_.clear();
    preds_.reserve(std::min<std::size_t>(N, 4 * M + 16));
    Timestamp tmin = prep[0].t;
    Timestamp tmax = prep[0].t;
    double sig_max = 0;
    for (const Prepared& p : prep) {
        tmin = std::min(tmin, p.t);
        tmax = std::max(tmax, p.t);
        if (p.has_position) sig_max = std::max(sig_max, p.sigma_m);
    }
    const double spread = (tmax - tmin).seconds();

    // Pre-gate disc of each track at tmax: conservative (trace bounds the largest eigenvalue).
    std::vector<GateDisc>& discs = pre_gate_.discs();
    discs.resize(N);
    for (std::size_t i = 0; i < N; ++i) {
        const TrackState& s = states_[i];
        if (s.dead) {
            discs[i] = GateDisc{};
            continue;
        }
        const double dt = (tmax - s.t).seconds();
        const double adt = std::abs(dt) + spread;
        const double q = settings_for(s).noise.accel_sigma_mps2;
        const double qq = std::max(
            q * q, cfg_.imm_turn_noise.accel_sigma_mps2 * cfg_.imm_turn_noise.accel_sigma_mps2);
        const double var =
            s.pos_var + s.vel_var * adt * adt + qq * adt * adt * adt + sig_max * sig_max;
        discs[i] = GateDisc{s.xs(0) + s.xs(2) * dt, s.xs(1) + s.xs(3) * dt,
                            std::sqrt(init_gate_[2] * var) * 1.2, s.xs(2), s.xs(3)};
    }
    pre_gate_.build(spread, M, cfg_.grid_cell_m);

    pairs_.clear();
    wide_gated_.clear();
    auto consider = [&](std::size_t i, std::uint32_t j) {
        const Prepared& p = prep[j];
        const Measurement& m = batch[p.index];
        const TrackState& s = states_[i];
        if (s.dead) return;
        if (m.mmsi && s.mmsi && *s.mmsi != *m.mmsi) return;  // two transponders, two vessels
        // One plot per target per look: a track that took a plot of this look already (from an
        // earlier batch: cameras send one detection per message) cannot have made this one.
        if (m.sensor != SensorKind::ais && took_same_look(s, m.feed, p.t)) return;
        const PredEntry* pe = prior_for(i, p.t);
        if (pe == nullptr) return;
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
        pairs_.push_back(GatedPair{static_cast<std::uint32_t>(i), j, in.d2, in.log_det_S, 0});
    };
    for (std::uint32_t j = 0; j < M; ++j) {
        const Prepared& p = prep[j];
        if (!p.has_position) {
            // A bearing has no position to look up: every live track is a candidate.
            for (std::size_t i = 0; i < N; ++i)
                if (pre_gate_.live(i)) consider(i, j);
            continue;
        }
        pre_gate_.candidates(p.pos_en, [&](std::uint32_t i) { consider(i, j); });
    }
}

// ---------------------------------------------------------------------------------------------
// Associate: clusters of the gating graph, each decided by the associator (decisions_).

void Tracker::associate_batch(std::span<const Measurement> batch,
                              const std::vector<Prepared>& prep) {
    const std::size_t N = states_.size();
    const std::size_t M = prep.size();
    cluster_pairs(pairs_, N, M);
    plot_log_clutter_.resize(M);
    plot_kind_.resize(M);
    for (std::uint32_t j = 0; j < M; ++j) {
        plot_log_clutter_[j] = prep[j].log_clutter;
        plot_kind_[j] = prep[j].obs.kind;
    }
    AssociationContext ctx;
    // Pd as this feed has shown it (FeedLooks): every plot of a batch is one feed's.
    ctx.pd = feeds_.at(batch[0].feed).pd();
    ctx.log_clutter = plot_log_clutter_;
    ctx.kind = plot_kind_;
    ctx.out_of_sequence = [&](std::uint32_t i, std::uint32_t j) {
        return prep[j].t < states_[i].t;
    };
    decisions_.clear();
    plot_taken_.assign(M, 0);
    for (std::size_t b = 0; b < pairs_.size();) {
        std::size_t e = b;
        bool mixed = false;
        const bool first_proven = proven(states_[pairs_[b].track]);
        while (e < pairs_.size() && pairs_[e].root == pairs_[b].root) {
            mixed = mixed || proven(states_[pairs_[e].track]) != first_proven;
            ++e;
        }
        const std::span<const GatedPair> cluster(pairs_.data() + b, e - b);
        b = e;
        if (!mixed) {
            associate_pairs(cluster, ctx);
            continue;
        }
        // Proven tracks choose first; tentative ones take from the plots they left (Tracker::
        // proven says why).
        stage_pairs_.clear();
        for (const GatedPair& p : cluster)
            if (proven(states_[p.track])) stage_pairs_.push_back(p);
        const std::size_t before_matches = decisions_.matches.size();
        const std::size_t before_consumed = decisions_.consumed.size();
        const std::size_t before_weighted = decisions_.weighted.size();
        associate_pairs(stage_pairs_, ctx);
        for (std::size_t k = before_matches; k < decisions_.matches.size(); ++k)
            plot_taken_[decisions_.matches[k].meas] = 1;
        for (std::size_t k = before_consumed; k < decisions_.consumed.size(); ++k)
            plot_taken_[decisions_.consumed[k]] = 1;
        for (std::size_t k = before_weighted; k < decisions_.weighted.size(); ++k)
            for (std::uint32_t j : decisions_.weighted[k].meas) plot_taken_[j] = 1;
        stage_pairs_.clear();
        for (const GatedPair& p : cluster)
            if (!proven(states_[p.track]) && !plot_taken_[p.meas]) stage_pairs_.push_back(p);
        associate_pairs(stage_pairs_, ctx);
    }
}

void Tracker::associate_pairs(std::span<const GatedPair> pairs, const AssociationContext& ctx) {
    if (pairs.empty()) return;
    cluster_tracks_.clear();
    cluster_plots_.clear();
    for (const GatedPair& p : pairs) {
        if (cluster_tracks_.empty() || cluster_tracks_.back() != p.track)
            cluster_tracks_.push_back(p.track);
        cluster_plots_.push_back(p.meas);
    }
    std::sort(cluster_plots_.begin(), cluster_plots_.end());
    cluster_plots_.erase(std::unique(cluster_plots_.begin(), cluster_plots_.end()),
                         cluster_plots_.end());
    associator_->associate(Cluster{pairs, cluster_tracks_, cluster_plots_}, ctx, decisions_);
}

// ---------------------------------------------------------------------------------------------
// Update: the tracks the decisions name (assigned_, took_plot_), and the feed's clutter from the
// plots no established track explains.

void Tracker::update_from_decisions(std::span<const Measurement> batch,
                                    const std::vector<Prepared>& prep) {
    const std::size_t M = prep.size();
    assigned_.assign(M, 0);
    explained_.assign(M, 0);
    took_plot_.assign(states_.size(), 0);
    for (const WeightedUpdate& w : decisions_.weighted) update_weighted(batch, prep, w);
    for (std::uint32_t j : decisions_.consumed) assigned_[j] = 1;
    for (const Match& mt : decisions_.matches) {
        const std::uint32_t i = mt.track;
        const std::uint32_t j = mt.meas;
        const Prepared& p = prep[j];
        const PredEntry* pe = prior_for(i, p.t);
        if (pe == nullptr) continue;
        TrackFilter upd = pe->f;
        if (!upd.update(p.obs, kind_)) {
            ++counters_.numeric_rejects;
            continue;
        }
        assigned_[j] = 1;
        took_plot_[i] = 1;
        // Established before this plot: the plot is explained, not clutter.
        if (established(states_[i])) explained_[j] = 1;
        apply_update(i, batch[p.index], p, upd, mt.log_g);
    }
    FeedLooks& looks = feeds_.at(batch[0].feed);
    for (std::uint32_t j = 0; j < M; ++j)
        if (!explained_[j] && prep[j].has_position) looks.unexplained(prep[j].pos_en, prep[j].t);
}

void Tracker::update_weighted(std::span<const Measurement> batch, const std::vector<Prepared>& prep,
                              const WeightedUpdate& w) {
    const std::size_t i = w.track;
    const int n = static_cast<int>(w.meas.size());
    std::array<Observation, kJpdaMaxObservations> obs;
    Timestamp t_upd = states_[i].t;
    for (int k = 0; k < n; ++k) {
        const Prepared& p = prep[w.meas[static_cast<std::size_t>(k)]];
        obs[static_cast<std::size_t>(k)] = p.obs;
        t_upd = std::max(t_upd, p.t);
    }
    TrackFilter f;
    prior_at(states_[i], t_upd, f);  // in sequence: the associator checked
    if (!f.pda_update(obs.data(), w.beta.data(), n, w.beta0)) {
        ++counters_.numeric_rejects;
        return;
    }
    if (1 - w.beta0 >= 0.5) {
        Prepared pb = prep[w.best];
        pb.t = t_upd;
        // The look's evidence: the most probable plot's likelihood ratio (Pd g / lambda).
        pb.log_clutter = 0;
        if (established(states_[i])) explained_[w.best] = 1;
        apply_update(i, batch[prep[w.best].index], pb, f,
                     std::log(w.best_likelihood_ratio / feeds_.at(batch[0].feed).pd()));
    } else {
        states_[i].filter = f;
        states_[i].t = t_upd;
        refresh_summary(states_[i]);
        mark_stale(i);
    }
    // A PDA update is not one measurement: restart the re-processing buffer here.
    states_[i].anchor = states_[i].filter;
    states_[i].anchor_t = states_[i].t;
    states_[i].hist.clear();
}

}  // namespace picket::filters
