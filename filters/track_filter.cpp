#include "filters/track_filter.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace picket::filters {
namespace {
constexpr double kMinModeProb = 1e-4;  // keeps a mode alive so the IMM can switch back
}

TrackFilter::TrackFilter(const Gaussian& init, FilterKind kind) {
    modes_[0] = init;
    modes_[1] = init;
    if (kind == FilterKind::imm) {
        modes_n_ = 2;
        mu_ = {0.9, 0.1};
    } else {
        modes_n_ = 1;
        mu_ = {1.0, 0.0};
    }
}

void TrackFilter::predict(double dt, const FilterSettings& s) {
    if (dt <= 0) return;
    if (modes_n_ == 1) {
        filters::predict(modes_[0], MotionModel::cv, s.noise, dt);
        modes_[0].x(4) = 0;
        return;
    }
    // Markov matrix for this step.
    const double p00 = std::exp(-dt / s.cv_sojourn_s);
    const double p11 = std::exp(-dt / s.ct_sojourn_s);
    const double p[2][2] = {{p00, 1 - p00}, {1 - p11, p11}};
    std::array<double, 2> c{};
    for (int j = 0; j < 2; ++j) c[j] = p[0][j] * mu_[0] + p[1][j] * mu_[1];
    // Mixed mode j: x = w0 x0 + w1 x1 and P = sum_i w_i (P_i + d_i d_i^T), d_i = x_i - x. With two
    // modes (w0 + w1 = 1) d_0 = w1 (x0 - x1) and d_1 = -w0 (x0 - x1), so the spread term is
    // w0 w1 (x0 - x1)(x0 - x1)^T: one outer product serves both mixed modes.
    const StateVec delta = modes_[0].x - modes_[1].x;
    const StateMat spread = delta * delta.transpose();
    std::array<Gaussian, 2> mixed;
    for (int j = 0; j < 2; ++j) {
        const double w0 = p[0][j] * mu_[0] / c[j];
        const double w1 = p[1][j] * mu_[1] / c[j];
        mixed[j].x = w0 * modes_[0].x + w1 * modes_[1].x;
        mixed[j].P = w0 * modes_[0].P + w1 * modes_[1].P + (w0 * w1) * spread;
    }
    modes_ = mixed;
    filters::predict(modes_[0], MotionModel::cv, s.noise, dt);
    filters::predict(modes_[1], MotionModel::ct, s.turn_noise, dt);
    mu_ = c;
}

bool TrackFilter::update(const Observation& obs, FilterKind kind) {
    const bool nonlinear = obs.kind == ObsKind::polar || obs.kind == ObsKind::bearing ||
                           obs.kind == ObsKind::bearing_depression;
    if (modes_n_ == 1) {
        if (kind == FilterKind::ukf && nonlinear) return ukf_update(modes_[0], obs);
        return ekf_innovate_update(modes_[0], obs).ok;
    }
    std::array<double, 2> ll{};
    std::array<Gaussian, 2> next = modes_;
    for (int j = 0; j < 2; ++j) {
        const InnovationScore in = ekf_innovate_update(next[j], obs);
        if (!in.ok) return false;
        ll[j] = -0.5 * (in.d2 + in.log_det_S);
    }
    // Normalise in the log domain: likelihoods of far-off modes underflow otherwise.
    const double mx = std::max(ll[0], ll[1]);
    double total = 0;
    std::array<double, 2> mu{};
    for (int j = 0; j < 2; ++j) {
        mu[j] = mu_[j] * std::exp(ll[j] - mx);
        total += mu[j];
    }
    if (!(total > 0) || !std::isfinite(total)) return false;
    for (int j = 0; j < 2; ++j) mu[j] = std::max(mu[j] / total, kMinModeProb);
    const double norm = mu[0] + mu[1];
    mu_ = {mu[0] / norm, mu[1] / norm};
    modes_ = next;
    return true;
}

bool TrackFilter::pda_update(const Observation* obs, const double* betas, int count, double beta0) {
    if (count == 0) return true;
    std::array<Innovation, 16> ins;
    count = std::min(count, static_cast<int>(ins.size()));
    std::array<Gaussian, 2> next = modes_;
    std::array<double, 2> lik{};
    for (int j = 0; j < modes_n_; ++j) {
        double l = 0;
        for (int i = 0; i < count; ++i) {
            ins[static_cast<std::size_t>(i)] = innovate(modes_[j], obs[i]);
            const Innovation& in = ins[static_cast<std::size_t>(i)];
            if (!in.ok) return false;
            l += betas[i] * std::exp(-0.5 * (in.d2 + in.log_det_S));
        }
        if (!filters::pda_update(next[j], ins.data(), betas, count, beta0)) return false;
        lik[j] = l;
    }
    modes_ = next;
    if (modes_n_ == 2) {
        const double total = mu_[0] * lik[0] + mu_[1] * lik[1];
        if (total > 0 && std::isfinite(total)) {
            double m0 = std::max(mu_[0] * lik[0] / total, kMinModeProb);
            double m1 = std::max(mu_[1] * lik[1] / total, kMinModeProb);
            mu_ = {m0 / (m0 + m1), m1 / (m0 + m1)};
        }
    }
    return true;
}

Gaussian TrackFilter::combined() const {
    if (modes_n_ == 1) return modes_[0];
    // Moment matching; the spread term is mu0 mu1 (x0 - x1)(x0 - x1)^T as in the mixing above.
    Gaussian g;
    g.x = mu_[0] * modes_[0].x + mu_[1] * modes_[1].x;
    const StateVec delta = modes_[0].x - modes_[1].x;
    g.P = mu_[0] * modes_[0].P + mu_[1] * modes_[1].P +
          (mu_[0] * mu_[1]) * (delta * delta.transpose());
    return g;
}

}  // namespace picket::filters
