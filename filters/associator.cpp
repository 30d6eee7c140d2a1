#include "filters/associator.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "filters/jpda.hpp"

namespace picket::filters {
namespace {

const double kLogTwoPi = std::log(2 * std::numbers::pi);

struct UnionFind {
    std::vector<std::uint32_t> parent;
    void reset(std::size_t n) {
        parent.resize(n);
        for (std::size_t i = 0; i < n; ++i) parent[i] = static_cast<std::uint32_t>(i);
    }
    std::uint32_t find(std::uint32_t x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }
    void unite(std::uint32_t a, std::uint32_t b) {
        a = find(a);
        b = find(b);
        if (a != b) parent[std::max(a, b)] = std::min(a, b);
    }
};

int index_in(std::span<const std::uint32_t> sorted, std::uint32_t v) {
    return static_cast<int>(std::lower_bound(sorted.begin(), sorted.end(), v) - sorted.begin());
}

}  // namespace

void cluster_pairs(std::vector<GatedPair>& pairs, std::size_t tracks, std::size_t plots) {
    // Connected components of the gating graph, its nodes the tracks then the plots; a
    // component's root is its smallest node, so its smallest track. A whole scan pairs most
    // tracks: every track is a node. A small batch among many tracks (an AIS sentence among
    // 80,000) numbers only the tracks that have a pair, in track order: the same roots, at
    // O(pairs) instead of resetting a parent per track.
    UnionFind uf;
    if (tracks <= 8 * pairs.size()) {
        uf.reset(tracks + plots);
        for (const GatedPair& pr : pairs)
            uf.unite(pr.track, static_cast<std::uint32_t>(tracks + pr.meas));
        for (GatedPair& pr : pairs) pr.root = uf.find(pr.track);
    } else {
        std::vector<std::uint32_t> node_track;
        node_track.reserve(pairs.size());
        for (const GatedPair& pr : pairs) node_track.push_back(pr.track);
        std::sort(node_track.begin(), node_track.end());
        node_track.erase(std::unique(node_track.begin(), node_track.end()), node_track.end());
        const std::size_t T = node_track.size();
        auto node_of = [&](std::uint32_t track) {
            return static_cast<std::uint32_t>(index_in(node_track, track));
        };
        uf.reset(T + plots);
        for (const GatedPair& pr : pairs)
            uf.unite(node_of(pr.track), static_cast<std::uint32_t>(T + pr.meas));
        for (GatedPair& pr : pairs) pr.root = node_track[uf.find(node_of(pr.track))];
    }
    std::sort(pairs.begin(), pairs.end(), [](const GatedPair& a, const GatedPair& b) {
        if (a.root != b.root) return a.root < b.root;
        if (a.track != b.track) return a.track < b.track;
        return a.meas < b.meas;
    });
}

double log_likelihood(const GatedPair& p, ObsKind kind) {
    return -0.5 * (p.d2 + p.log_det_S + obs_dim(kind) * kLogTwoPi);
}

double association_log_likelihood(const GatedPair& p, ObsKind kind) {
    return log_likelihood(p, kind) + p.log_id;
}

void GnnAssociator::associate(const Cluster& c, const AssociationContext& ctx,
                              AssociationResult& out) {
    if (c.tracks.size() == 1 && c.plots.size() == 1) {
        const GatedPair& p = c.pairs[0];
        out.matches.push_back(
            Match{p.track, p.meas, log_likelihood(p, ctx.kind[p.meas]), p.log_det_S});
        return;
    }
    const int T = static_cast<int>(c.tracks.size());
    const int Mc = static_cast<int>(c.plots.size());
    const int cols = Mc + T;
    cost_.assign(static_cast<std::size_t>(T * cols), kForbiddenCost);
    const double log_pd = std::log(ctx.pd);
    for (const GatedPair& p : c.pairs) {
        const int r = index_in(c.tracks, p.track);
        const int col = index_in(c.plots, p.meas);
        cost_[static_cast<std::size_t>(r * cols + col)] =
            -2 *
            (association_log_likelihood(p, ctx.kind[p.meas]) + log_pd - ctx.log_clutter[p.meas]);
    }
    const double miss = -2 * std::log(1 - ctx.pd);
    for (int r = 0; r < T; ++r) cost_[static_cast<std::size_t>(r * cols + Mc + r)] = miss;
    row_to_col_.assign(static_cast<std::size_t>(T), -1);
    solve_assignment(T, cols, cost_.data(), row_to_col_.data(), scratch_);
    for (int r = 0; r < T; ++r) {
        const int col = row_to_col_[static_cast<std::size_t>(r)];
        if (col < 0 || col >= Mc ||
            !(cost_[static_cast<std::size_t>(r * cols + col)] < kForbiddenCost))
            continue;
        const std::uint32_t i = c.tracks[static_cast<std::size_t>(r)];
        const std::uint32_t j = c.plots[static_cast<std::size_t>(col)];
        for (const GatedPair& p : c.pairs) {
            if (p.track == i && p.meas == j) {
                out.matches.push_back(Match{i, j, log_likelihood(p, ctx.kind[j]), p.log_det_S});
                break;
            }
        }
    }
}

void JpdaAssociator::associate(const Cluster& c, const AssociationContext& ctx,
                               AssociationResult& out) {
    if (!try_jpda(c, ctx, out)) gnn_.associate(c, ctx, out);
}

bool JpdaAssociator::try_jpda(const Cluster& c, const AssociationContext& ctx,
                              AssociationResult& out) {
    const int T = static_cast<int>(c.tracks.size());
    const int Mc = static_cast<int>(c.plots.size());
    if (T > kJpdaMaxTracks) return false;
    // One H and S per track and kind: the PDA update needs one observation kind per cluster.
    const ObsKind k0 = ctx.kind[c.plots[0]];
    for (std::uint32_t j : c.plots)
        if (ctx.kind[j] != k0) return false;
    if (ctx.out_of_sequence) {
        for (std::uint32_t i : c.tracks)
            for (std::uint32_t j : c.plots)
                if (ctx.out_of_sequence(i, j)) return false;  // out-of-sequence data: GNN
    }
    lr_.assign(static_cast<std::size_t>(T * Mc), 0.0);
    log_id_.assign(static_cast<std::size_t>(T * Mc), 0.0);
    for (const GatedPair& p : c.pairs) {
        const int r = index_in(c.tracks, p.track);
        const int col = index_in(c.plots, p.meas);
        log_id_[static_cast<std::size_t>(r * Mc + col)] = p.log_id;
        lr_[static_cast<std::size_t>(r * Mc + col)] = std::max(
            ctx.pd * std::exp(association_log_likelihood(p, k0) - ctx.log_clutter[p.meas]), 1e-300);
    }
    if (!jpda_marginals(T, Mc, lr_, 1 - ctx.pd, beta_, kJpdaMaxEvents)) return false;
    for (int r = 0; r < T; ++r) {
        WeightedUpdate w;
        w.track = c.tracks[static_cast<std::size_t>(r)];
        w.beta0 = beta_[static_cast<std::size_t>(r * (Mc + 1) + Mc)];
        double best_b = 0;
        int best = -1;
        for (int col = 0; col < Mc && static_cast<int>(w.meas.size()) < kJpdaMaxObservations;
             ++col) {
            const double bb = beta_[static_cast<std::size_t>(r * (Mc + 1) + col)];
            if (lr_[static_cast<std::size_t>(r * Mc + col)] <= 0 || bb < 1e-9) continue;
            w.meas.push_back(c.plots[static_cast<std::size_t>(col)]);
            w.beta.push_back(bb);
            if (bb > best_b) {
                best_b = bb;
                best = col;
            }
        }
        if (w.meas.empty() || best < 0) continue;
        w.best = c.plots[static_cast<std::size_t>(best)];
        // The look's evidence (existence) is the plot's position, not its id.
        w.best_likelihood_ratio = lr_[static_cast<std::size_t>(r * Mc + best)] *
                                  std::exp(-log_id_[static_cast<std::size_t>(r * Mc + best)]);
        out.weighted.push_back(std::move(w));
    }
    out.consumed.insert(out.consumed.end(), c.plots.begin(), c.plots.end());
    return true;
}

void pda_weights(std::span<const double> likelihood_ratio, double miss_weight,
                 std::vector<double>& beta) {
    double total = miss_weight;
    for (double l : likelihood_ratio) total += l;
    beta.resize(likelihood_ratio.size() + 1);
    for (std::size_t i = 0; i < likelihood_ratio.size(); ++i) beta[i] = likelihood_ratio[i] / total;
    beta.back() = miss_weight / total;
}

void GnnPdaAssociator::associate(const Cluster& c, const AssociationContext& ctx,
                                 AssociationResult& out) {
    if (c.tracks.size() == 1 && (!ctx.may_weigh || ctx.may_weigh(c.tracks[0])) &&
        try_pda(c, ctx, out))
        return;
    gnn_.associate(c, ctx, out);
}

bool GnnPdaAssociator::try_pda(const Cluster& c, const AssociationContext& ctx,
                               AssociationResult& out) {
    const std::uint32_t track = c.tracks[0];
    const int Mc = static_cast<int>(c.plots.size());
    // One H and S per kind (the PDA update needs one), in sequence, and no more plots than the
    // update weighs: otherwise GNN.
    if (Mc > kJpdaMaxObservations) return false;
    const ObsKind k0 = ctx.kind[c.plots[0]];
    for (std::uint32_t j : c.plots) {
        if (ctx.kind[j] != k0) return false;
        if (ctx.out_of_sequence && ctx.out_of_sequence(track, j)) return false;
    }
    // A lone track's pairs are its plots, in plot order (cluster_pairs sorts them so).
    lr_.clear();
    for (const GatedPair& p : c.pairs)
        lr_.push_back(
            std::max(ctx.pd * std::exp(association_log_likelihood(p, k0) - ctx.log_clutter[p.meas]),
                     1e-300));
    pda_weights(lr_, 1 - ctx.pd, beta_);
    WeightedUpdate w;
    w.track = track;
    w.beta0 = beta_.back();
    double best_b = -1;
    std::size_t best_k = 0;
    for (int k = 0; k < Mc; ++k) {
        const auto kk = static_cast<std::size_t>(k);
        w.meas.push_back(c.pairs[kk].meas);
        w.beta.push_back(beta_[kk]);
        if (beta_[kk] > best_b) {
            best_b = beta_[kk];
            best_k = kk;
            w.best = c.pairs[kk].meas;
        }
    }
    w.best_likelihood_ratio = lr_[best_k] * std::exp(-c.pairs[best_k].log_id);
    if (1 - w.beta0 >= 0.5) out.consumed.push_back(w.best);
    out.weighted.push_back(std::move(w));
    return true;
}

std::unique_ptr<Associator> make_associator(const std::string& name) {
    if (name == "gnn") return std::make_unique<GnnAssociator>();
    if (name == "jpda") return std::make_unique<JpdaAssociator>();
    if (name == "gnn_pda") return std::make_unique<GnnPdaAssociator>();
    // Each look is GNN's; the tracker decides conflicts again looks later (filters/multi_scan.hpp).
    if (name == "multi_scan") return std::make_unique<GnnAssociator>();
    throw std::invalid_argument("unknown association '" + name +
                                "' (gnn, jpda, gnn_pda or multi_scan)");
}

}  // namespace picket::filters
