#include "filters/state.hpp"

#include <cmath>

namespace picket::filters {
namespace {

// Whether the Cholesky factorisation of P succeeds (every pivot > 0), as Eigen::LLT decides, but
// unrolled for 5x5 and without keeping the factor: this check runs after every update.
bool cholesky_succeeds(const StateMat& P) {
    double L[kStateDim][kStateDim];
    for (int j = 0; j < kStateDim; ++j) {
        double d = P(j, j);
        for (int k = 0; k < j; ++k) d -= L[j][k] * L[j][k];
        if (!(d > 0)) return false;
        const double ljj = std::sqrt(d);
        L[j][j] = ljj;
        for (int i = j + 1; i < kStateDim; ++i) {
            double v = P(i, j);
            for (int k = 0; k < j; ++k) v -= L[i][k] * L[j][k];
            L[i][j] = v / ljj;
        }
    }
    return true;
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
