// One batch through the roles: gate (tracker_gate.cpp), associate (clusters, GNN / JPDA),
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
    // The slot may be an earlier batch's (slots are not reset for every track each batch: that
    // was O(tracks) per AIS sentence): it counts only if this batch's entry there is track i's.
    const auto slot = static_cast<std::size_t>(pred_slot_[i]);
    if (pred_slot_[i] >= 0 && slot < preds_.size() && preds_[slot].track == i &&
        preds_[slot].t == t)
        return &preds_[slot];
    const TrackState& s = states_[i];
    if (!has_prior_at(s, t)) return nullptr;
    // Built in place: a PredEntry (a filter and its combined estimate, ~800 bytes) is not
    // worth copying.
    PredEntry& e = preds_.emplace_back();
    e.track = i;
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
    if (multi_scan_) {
        Timestamp t = prep[0].t;
        for (const Prepared& p : prep) t = std::max(t, p.t);
        decide_conflicts(batch[0].feed, t);
    }
}

// ---------------------------------------------------------------------------------------------
// Associate: clusters of the gating graph, each decided by the associator (decisions_).

void Tracker::associate_batch(std::span<const Measurement> batch,
                              const std::vector<Prepared>& prep) {
    const std::size_t M = prep.size();
    cluster_pairs(pairs_, states_.size(), M);
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
    ctx.may_weigh = [&](std::uint32_t i) { return proven(states_[i]); };
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
            if (multi_scan_ && first_proven) note_conflict(cluster, batch, prep);
            associate_pairs(cluster, ctx);
            continue;
        }
        // Proven tracks choose first; tentative ones take from the plots they left (Tracker::
        // proven says why). A tentative track's plot that carries the object id of its own last
        // one chooses with them: the id is not the wide gate the order guards against, and a
        // track restarted for one of two close walkers otherwise lost its walker's next frame to
        // the other walker's track (issue 14).
        stage_pairs_.clear();
        for (const GatedPair& p : cluster)
            if (proven(states_[p.track]) || p.log_id > 0) stage_pairs_.push_back(p);
        if (multi_scan_) note_conflict(stage_pairs_, batch, prep);
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
        auto chose = [&](std::uint32_t track) {
            for (std::size_t k = before_matches; k < decisions_.matches.size(); ++k)
                if (decisions_.matches[k].track == track) return true;
            return false;
        };
        stage_pairs_.clear();
        for (const GatedPair& p : cluster)
            if (!proven(states_[p.track]) && !plot_taken_[p.meas] && !chose(p.track))
                stage_pairs_.push_back(p);
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
    clutter_share_.assign(M, 1.0);
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
        const bool was_established = established(states_[i]);
        const bool was_proven = proven(states_[i]);
        apply_update(i, batch[p.index], p, upd, mt.log_g, hit_clutter(p, mt.log_g, mt.log_det_S));
        clutter_share_[j] = clutter_share_of(i, was_established, was_proven);
    }
    FeedLooks& looks = feeds_.at(batch[0].feed);
    // The clutter map leaves out the plots in a confirmed track's wide gate (likely its target's,
    // off the track in a turn); without the map there is nothing to mark.
    const bool map = cfg_.clutter_cell_m > 0;
    near_confirmed_.assign(map ? M : 0, 0);
    if (map)
        for (const auto& [j, i] : wide_gated_) near_confirmed_[j] = 1;
    for (std::uint32_t j = 0; j < M; ++j)
        if (clutter_share_[j] > 0 && prep[j].has_position)
            looks.unexplained(prep[j].pos_en, prep[j].t, !map || near_confirmed_[j] == 0,
                              clutter_share_[j]);
}

double Tracker::clutter_share_of(std::size_t i, bool was_established, bool was_proven) const {
    // Established before this plot: the plot is explained, not clutter.
    if (was_established) return 0;
    // Tentative before it: counted whole, and given back if the track is confirmed (a track this
    // plot confirms included: note_first_confirmation gives back all its hits).
    if (!was_proven) return 1;
    // Confirmed once, coasting: its target's plot by the chance that the target is there, the
    // existence the plot left it (a convincing plot near the prediction lifts it near 1). Counted
    // whole, a weak target's plots between its coasting spells made its cell read as clutter
    // 4-20 times the clean sea's (clutter_map_test).
    return std::clamp(1 - states_[i].life.r, 0.0, 1.0);
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
        const bool was_established = established(states_[i]);
        const bool was_proven = proven(states_[i]);
        apply_update(i, batch[prep[w.best].index], pb, f,
                     std::log(w.best_likelihood_ratio / feeds_.at(batch[0].feed).pd()));
        clutter_share_[w.best] = clutter_share_of(i, was_established, was_proven);
    } else {
        states_[i].filter = f;
        states_[i].t = t_upd;
        refresh_summary(states_[i]);
        gate_index_.touch(static_cast<std::uint32_t>(i));
        mark_stale(i);
    }
    // A PDA update is not one measurement: restart the re-processing buffer here.
    states_[i].anchor = states_[i].filter;
    states_[i].anchor_t = states_[i].t;
    states_[i].hist.clear();
}

}  // namespace picket::filters
