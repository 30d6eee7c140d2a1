#pragma once
/// Joint probabilistic data association (Fortmann, Bar-Shalom & Scheffe, "Sonar tracking of
/// multiple targets using joint probabilistic data association", IEEE JOE 8(3), 1983): exact
/// marginal association probabilities of one gated cluster, by enumerating the feasible joint
/// events (each measurement from at most one track, each track at most one measurement).
#include <vector>

namespace picket::filters {

/// Input: `likelihood_ratio[t * meas + m]` = Pd * N(nu_tm; 0, S_tm) / clutter_density for a gated
/// pair, 0 for a pair outside the gate; `miss_weight` = 1 - Pd * Pg.
/// Output: `beta[t * (meas + 1) + m]` for m < meas, and beta[t * (meas + 1) + meas] = beta_0 (no
/// measurement from track t). Returns false when the cluster has more than `max_events` feasible
/// events (the caller then falls back to GNN for that cluster).
bool jpda_marginals(int tracks, int meas, const std::vector<double>& likelihood_ratio,
                    double miss_weight, std::vector<double>& beta, long max_events = 200000);

}  // namespace picket::filters
