#pragma once
/// Cholesky factorisation S = L L^T of a small fixed-size symmetric matrix (lower triangle read),
/// written out so that it unrolls: Eigen's LLT runs generic loops at these sizes, and the
/// tracker factors a 1x1-4x4 innovation covariance and checks a 5x5 state covariance on every
/// update. Fails, as Eigen::LLT decides, when a pivot is not > 0 (indefinite or NaN).
#include <Eigen/Core>
#include <cmath>

namespace picket::filters {

template <int D>
[[nodiscard]] bool cholesky_lower(const Eigen::Matrix<double, D, D>& S, double (&L)[D][D]) {
    for (int j = 0; j < D; ++j) {
        double d = S(j, j);
        for (int k = 0; k < j; ++k) d -= L[j][k] * L[j][k];
        if (!(d > 0)) return false;
        const double ljj = std::sqrt(d);
        L[j][j] = ljj;
        for (int i = j + 1; i < D; ++i) {
            double v = S(i, j);
            for (int k = 0; k < j; ++k) v -= L[i][k] * L[j][k];
            L[i][j] = v / ljj;
        }
    }
    return true;
}

}  // namespace picket::filters
