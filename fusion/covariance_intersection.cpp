#include "fusion/covariance_intersection.hpp"

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <cmath>

namespace picket::fusion {

std::vector<double> fast_ci_weights(std::span<const Estimate> in) {
    std::vector<double> w(in.size());
    double sum = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
        w[i] = 1.0 / in[i].P.trace();
        sum += w[i];
    }
    for (double& v : w) v /= sum;
    return w;
}

Estimate ci_with_weights(std::span<const Estimate> in, std::span<const double> weights) {
    Eigen::Matrix4d info = Eigen::Matrix4d::Zero();
    Eigen::Vector4d info_x = Eigen::Vector4d::Zero();
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (weights[i] <= 0) continue;
        const Eigen::Matrix4d inv = in[i].P.llt().solve(Eigen::Matrix4d::Identity());
        info += weights[i] * inv;
        info_x += weights[i] * (inv * in[i].x);
    }
    Estimate out;
    out.P = info.llt().solve(Eigen::Matrix4d::Identity());
    out.P = 0.5 * (out.P + out.P.transpose()).eval();
    out.x = out.P * info_x;
    return out;
}

Estimate fast_ci(std::span<const Estimate> in) {
    if (in.size() == 1) return in[0];
    const auto w = fast_ci_weights(in);
    return ci_with_weights(in, w);
}

Estimate optimal_ci(const Estimate& a, const Estimate& b, double* omega) {
    const Estimate both[2] = {a, b};
    const auto det_at = [&](double w) {
        const double ws[2] = {w, 1 - w};
        return ci_with_weights(both, ws).P.determinant();
    };
    const double g = (std::sqrt(5.0) - 1) / 2;
    double lo = 0, hi = 1;
    double c = hi - g * (hi - lo), d = lo + g * (hi - lo);
    double fc = det_at(c), fd = det_at(d);
    while (hi - lo > 1e-6) {
        if (fc < fd) {
            hi = d;
            d = c;
            fd = fc;
            c = hi - g * (hi - lo);
            fc = det_at(c);
        } else {
            lo = c;
            c = d;
            fc = fd;
            d = lo + g * (hi - lo);
            fd = det_at(d);
        }
    }
    double w = 0.5 * (lo + hi);
    // The ends are candidates too: one estimate may contain the other entirely.
    if (det_at(0) < det_at(w)) w = 0;
    if (det_at(1) < det_at(w)) w = 1;
    if (omega) *omega = w;
    const double ws[2] = {w, 1 - w};
    return ci_with_weights(both, ws);
}

}  // namespace picket::fusion
