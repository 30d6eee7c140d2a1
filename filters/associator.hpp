#pragma once
/// Data association of one batch, after the gate: the gated (track, plot) pairs are split into
/// clusters (connected components of the gating graph) and each cluster is associated on its
/// own, by GNN (optimal 2-D assignment), JPDA (exact marginals, GNN where a cluster is too big) or
/// GNN with a PDA update for a lone proven track (gnn_pda).
/// The associator only decides; the tracker updates the tracks from its decisions.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "filters/assignment.hpp"
#include "filters/observation.hpp"

namespace picket::filters {

/// JPDA enumerates joint events: clusters of more tracks than this go to GNN (the number of
/// events grows as tracks! in a dense cluster: 12 tracks with 12 plots is ~10^9 events).
inline constexpr int kJpdaMaxTracks = 12;
/// ... and so do clusters with more feasible joint events than this (the enumeration's cost).
inline constexpr long kJpdaMaxEvents = 200000;
/// A track's PDA update weighs at most this many plots (the most probable; the others' weights
/// are below any that matter in a cluster this associator accepts).
inline constexpr int kJpdaMaxObservations = 16;

/// A gated pair: track `track` may have made plot `meas`.
struct GatedPair {
    std::uint32_t track;
    std::uint32_t meas;
    double d2;              ///< squared Mahalanobis distance of the innovation
    double log_det_S;       ///< ln |S|
    std::uint32_t root{0};  ///< the pair's cluster (set by cluster_pairs)
    /// ln of the likelihood ratio the sensor's own object id adds (the tracker's
    /// kLogSameSourceObject when the plot carries the id of the track's last plot from that feed,
    /// else 0): what tells apart two targets closer than the plots' noise (issue 14, Gambia's
    /// walkers).
    double log_id{0};
};

/// Sets each pair's cluster (its smallest track) and sorts the pairs by cluster, then track, then
/// plot. `tracks`, `plots`: the counts (track < tracks, meas < plots).
void cluster_pairs(std::vector<GatedPair>& pairs, std::size_t tracks, std::size_t plots);

/// What the associator knows of a batch's plots and tracks.
struct AssociationContext {
    double pd{0.9};                       ///< the feed's Pd (x Pg)
    std::span<const double> log_clutter;  ///< per plot: ln of the clutter density (its space)
    std::span<const ObsKind> kind;        ///< per plot
    /// Whether plot `meas` is older than track `track`'s state (out of sequence: JPDA leaves
    /// those clusters to GNN). Empty: never.
    std::function<bool(std::uint32_t track, std::uint32_t meas)> out_of_sequence;
    /// Whether track `track` may weigh the plots of its gate (gnn_pda: a track that has been
    /// confirmed; a tentative track's velocity is the initiation prior, too wide to weigh
    /// by). Empty: every track may.
    std::function<bool(std::uint32_t track)> may_weigh;
};

/// ln N(nu; 0, S) of a gated pair: its position's evidence (the look's, for existence).
double log_likelihood(const GatedPair& p, ObsKind kind);
/// What association weighs a pair by: its position's evidence and its sensor id's.
double association_log_likelihood(const GatedPair& p, ObsKind kind);

/// One cluster: its pairs (a run of the sorted pairs) and its tracks and plots, ascending.
struct Cluster {
    std::span<const GatedPair> pairs;
    std::span<const std::uint32_t> tracks;
    std::span<const std::uint32_t> plots;
};

/// A decision: track `track` made plot `meas`.
struct Match {
    std::uint32_t track;
    std::uint32_t meas;
    double log_g;      ///< ln N(nu; 0, S)
    double log_det_S;  ///< ln |S| (the gate's volume)
};

/// A decision: track `track` is updated by several plots, weighted (JPDA).
struct WeightedUpdate {
    std::uint32_t track;
    std::vector<std::uint32_t> meas;
    std::vector<double> beta;
    double beta0;        ///< probability that none of them is the track's
    std::uint32_t best;  ///< the most probable plot
    /// Pd g / lambda of that plot: the look's evidence for the existence update (summed over
    /// the gate, IPDA's, it kept more clutter tracks alive at 10 s scans: docs/benchmarks.md).
    double best_likelihood_ratio;
};

struct AssociationResult {
    std::vector<Match> matches;
    std::vector<WeightedUpdate> weighted;
    /// Plots of JPDA clusters: shared among their tracks, none may start a track (gnn_pda: the
    /// lone track's most probable plot, when the look counts as its hit).
    std::vector<std::uint32_t> consumed;
    void clear() {
        matches.clear();
        weighted.clear();
        consumed.clear();
    }
};

class Associator {
public:
    virtual ~Associator() = default;
    /// Associates one cluster, appending its decisions to `out`.
    virtual void associate(const Cluster& c, const AssociationContext& ctx,
                           AssociationResult& out) = 0;
};

/// Global nearest neighbour: the assignment of plots to tracks that maximises the joint
/// likelihood ratio, each track taking one plot or none. Cost of "track r made plot c": the
/// negative log-likelihood ratio against "c is clutter or a new target",
/// d2 + ln|2 pi S| - 2 ln(Pd / lambda) - 2 log_id; of "track r made none": -2 ln(1 - Pd Pg).
/// Plain d2 would let a young track with a wide covariance steal the plot of an established one.
class GnnAssociator final : public Associator {
public:
    void associate(const Cluster& c, const AssociationContext& ctx,
                   AssociationResult& out) override;

private:
    std::vector<double> cost_;
    std::vector<int> row_to_col_;
    AssignmentScratch scratch_;
};

/// Joint probabilistic data association (filters/jpda.hpp) on clusters of one observation kind,
/// all in sequence, of at most kJpdaMaxTracks tracks and kJpdaMaxEvents joint events; GNN
/// otherwise.
class JpdaAssociator final : public Associator {
public:
    void associate(const Cluster& c, const AssociationContext& ctx,
                   AssociationResult& out) override;

private:
    bool try_jpda(const Cluster& c, const AssociationContext& ctx, AssociationResult& out);
    GnnAssociator gnn_;
    std::vector<double> lr_;
    std::vector<double> log_id_;  ///< per (track, plot), as lr_
    std::vector<double> beta_;
};

/// The PDA weights of one track's gated plots (Bar-Shalom & Tse 1975): beta_i = L_i / (b + sum L),
/// beta_0 = b / (b + sum L), L_i = Pd g_i / lambda_i, b = 1 - Pd Pg. `beta` gets L's size + 1
/// entries, beta_0 last. jpda_marginals with one track is the reference (roles_test).
void pda_weights(std::span<const double> likelihood_ratio, double miss_weight,
                 std::vector<double>& beta);

/// GNN between tracks, PDA within a lone track's gate: a cluster of one proven track (see
/// AssociationContext::may_weigh) updates it from every plot in its gate, weighted by PDA;
/// every other cluster is GNN's. Taking one plot, a track whose target was missed takes
/// any clutter plot in its gate at full weight (in 5 N clutter a 4 s track's gate holds one
/// every ~20 looks, and that update pulls it tens of metres: the settled RMSE's tail); weighed,
/// a far plot moves it by its probability. Clusters of several tracks stay GNN's: JPDA's joint
/// weights pull crossing tracks together (more ID switches at 10 s, docs/tracking.md). Only the
/// most probable plot is the track's (consumed, explained, the look's evidence); the others may
/// still be clutter or start a track under the usual initiation rules.
class GnnPdaAssociator final : public Associator {
public:
    void associate(const Cluster& c, const AssociationContext& ctx,
                   AssociationResult& out) override;

private:
    bool try_pda(const Cluster& c, const AssociationContext& ctx, AssociationResult& out);
    GnnAssociator gnn_;
    std::vector<double> lr_;
    std::vector<double> beta_;
};

/// "gnn", "jpda", "gnn_pda" or "multi_scan" (GNN's per look; the tracker revisits conflicts:
/// filters/multi_scan.hpp); throws std::invalid_argument otherwise.
std::unique_ptr<Associator> make_associator(const std::string& name);

}  // namespace picket::filters
