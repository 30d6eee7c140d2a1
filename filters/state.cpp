#include "filters/state.hpp"

#include "filters/small_cholesky.hpp"

namespace picket::filters {
namespace {

// Whether the Cholesky factorisation of P succeeds, as Eigen::LLT decides: this check runs after
// every update.
bool cholesky_succeeds(const StateMat& P) {
    double L[kStateDim][kStateDim];
    return cholesky_lower<kStateDim>(P, L);
}

}  // namespace

bool make_covariance_healthy(StateMat& P) {
    if (!P.allFinite()) return false;
    // Average with the transpose: rounding in P - K S K^T breaks symmetry by an ulp or two,
    // and an asymmetric P slowly drifts into indefiniteness.
    P = (0.5 * (P + P.transpose())).eval();
    for (int i = 0; i < kStateDim; ++i) {
        if (P(i, i) < 1e-12) P(i, i) = 1e-12;
    }
    if (cholesky_succeeds(P)) return true;
    // Not positive definite: add a small diagonal load proportional to the scale of P, once.
    const double load = 1e-9 * (P.trace() / kStateDim + 1.0);
    P.diagonal().array() += load;
    return cholesky_succeeds(P);
}

}  // namespace picket::filters
