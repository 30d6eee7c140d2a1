#pragma once
/// Multi-scan association by deferred exchange (association `multi_scan`): GNN decides each
/// look as usual, and a look where two or more confirmed tracks gated a common plot (a
/// *conflict*: their cluster) is decided again N looks later, with the plots of those N looks.
///
/// The hypotheses are the exchanges of the conflicting tracks' plot sequences from the
/// conflict on: track k's state before the conflict (its *head*) continued by the plots track
/// pi(k) took since (its *tail*), for every permutation pi. A swap at a crossing is one
/// wrong exchange: one head bent toward the other target took that target's plot at the
/// closest approach, and each track then followed the other's target; the looks after the
/// crossing, where the targets are apart again, put each plot sequence back on the line of the
/// head it came from. Each tail is used exactly once under every permutation, so the hits,
/// misses and clutter terms of the hypotheses' likelihoods are equal and their ratio is the
/// product of the tails' Gaussian innovation likelihoods under their heads: the best
/// hypothesis is a 2-D assignment of tails to heads on the matrix of those log-likelihoods
/// (best_exchange; best_exchange_reference enumerates the permutations). The decision is then
/// final (N-scan pruning: nothing before the conflict is revisited).
///
/// This is track-oriented MHT restricted to what crossings need: the branches are only the
/// exchanges of whole tails, which assumes the looks after the conflict were associated
/// consistently (each tail one target's); a later look that is itself ambiguous is a conflict
/// of its own, decided N looks after it.
#include <span>
#include <vector>

#include "core/time.hpp"
#include "filters/observation.hpp"
#include "filters/track_filter.hpp"

namespace picket::filters {

/// The conflict's decision waits this many looks of its feed by default (N of N-scan pruning;
/// TrackerConfig::multi_scan_looks). Fewer looks leave the targets of a shallow crossing (10-30
/// degrees) too close to tell apart: at 3 a 0.1-nat difference undid a right GNN decision at
/// Pd 0.9. More looks let a later swap fall inside the tails (a tail then holds two targets'
/// plots and no exchange of whole tails is right): at 8 the shallow crossings at Pd 0.7 swapped
/// more than with GNN alone. Chosen on encounter seeds 201-212 (docs/benchmarks.md, "Multi-scan
/// association"), measured on others. Until the decision the tracks shown are GNN's.
inline constexpr int kMultiScanDefaultLooks = 5;
/// Conflicts of more confirmed tracks than this are left as GNN decided them (the reference
/// enumerates tracks! permutations; a cluster this large is a dense crowd, not a crossing).
inline constexpr int kMultiScanMaxTracks = 6;

/// One plot a track took after a conflict.
struct TailPlot {
    Timestamp t;
    Observation obs;
};

/// ln of the likelihood of the plots `tail` (in time order, none before t0) under a track whose
/// state at t0 is `head`: the filter predicted to each plot, scored by the Gaussian N(nu; 0, S)
/// of its combined estimate, and updated. `end`, `end_t` (optional): the state after the last
/// plot and its time (head and t0 for an empty tail). A numerical failure scores -infinity.
double tail_log_likelihood(TrackFilter head, Timestamp t0, std::span<const TailPlot> tail,
                           const FilterSettings& fs, FilterKind kind, TrackFilter* end = nullptr,
                           Timestamp* end_t = nullptr);

/// The permutation tail_of (head k takes tail tail_of[k]) that maximises the sum of
/// score[k * n + tail_of[k]] (ln likelihoods; -infinity allowed), and that sum: a 2-D
/// assignment (filters/assignment.hpp).
double best_exchange(int n, std::span<const double> score, std::vector<int>& tail_of);
/// The same by enumerating every permutation (the reference; n <= kMultiScanMaxTracks). Of
/// permutations that score alike, the first in lexicographic order (the identity first).
double best_exchange_reference(int n, std::span<const double> score, std::vector<int>& tail_of);

}  // namespace picket::filters
