#include "filters/state.hpp"

#include <Eigen/Cholesky>

namespace picket::filters {

bool make_covariance_healthy(StateMat& P) {
    if (!P.allFinite()) return false;
    // Average with the transpose: rounding in P - K S K^T breaks symmetry by an ulp or two,
    // and an asymmetric P slowly drifts into indefiniteness.
    P = (0.5 * (P + P.transpose())).eval();
    for (int i = 0; i < kStateDim; ++i) {
        if (P(i, i) < 1e-12) P(i, i) = 1e-12;
    }
    Eigen::LLT<StateMat> llt(P);
    if (llt.info() == Eigen::Success) return true;
    // Not positive definite: add a small diagonal load proportional to the scale of P, once.
    const double load = 1e-9 * (P.trace() / kStateDim + 1.0);
    P.diagonal().array() += load;
    Eigen::LLT<StateMat> llt2(P);
    return llt2.info() == Eigen::Success;
}

}  // namespace picket::filters
