#include "filters/observation.hpp"

#include <Eigen/Cholesky>
#include <array>
#include <cmath>
#include <numbers>

namespace picket::filters {

int obs_dim(ObsKind k) {
    switch (k) {
        case ObsKind::position: return 2;
        case ObsKind::position_velocity: return 4;
        case ObsKind::polar: return 2;
        case ObsKind::bearing: return 1;
    }
    return 2;
}

double wrap_pi(double a) {
    constexpr double pi = std::numbers::pi;
    if (a > -pi && a <= pi) return a;
    a = std::fmod(a + pi, 2 * pi);
    if (a <= 0) a += 2 * pi;
    return a - pi;
}

namespace {
bool is_angle_row(ObsKind k, int row) {
    return (k == ObsKind::polar && row == 1) || (k == ObsKind::bearing && row == 0);
}
}  // namespace

ObsVec observe(const StateVec& x, const Observation& obs) {
    const int d = obs_dim(obs.kind);
    ObsVec h(d);
    switch (obs.kind) {
        case ObsKind::position:
            h << x(0), x(1);
            break;
        case ObsKind::position_velocity:
            h << x(0), x(1), x(2), x(3);
            break;
        case ObsKind::polar: {
            const double de = x(0) - obs.site_en(0);
            const double dn = x(1) - obs.site_en(1);
            h << std::hypot(de, dn), std::atan2(de, dn);
            break;
        }
        case ObsKind::bearing: {
            const double de = x(0) - obs.site_en(0);
            const double dn = x(1) - obs.site_en(1);
            h << std::atan2(de, dn);
            break;
        }
    }
    return h;
}

ObsJac observe_jacobian(const StateVec& x, const Observation& obs) {
    const int d = obs_dim(obs.kind);
    ObsJac H = ObsJac::Zero(d, kStateDim);
    switch (obs.kind) {
        case ObsKind::position:
            H(0, 0) = 1;
            H(1, 1) = 1;
            break;
        case ObsKind::position_velocity:
            for (int i = 0; i < 4; ++i) H(i, i) = 1;
            break;
        case ObsKind::polar:
        case ObsKind::bearing: {
            const double de = x(0) - obs.site_en(0);
            const double dn = x(1) - obs.site_en(1);
            // Keep the Jacobian finite for a target sitting on the site.
            const double r2 = std::max(de * de + dn * dn, 1e-6);
            const double r = std::sqrt(r2);
            int row = 0;
            if (obs.kind == ObsKind::polar) {
                H(0, 0) = de / r;
                H(0, 1) = dn / r;
                row = 1;
            }
            H(row, 0) = dn / r2;
            H(row, 1) = -de / r2;
            break;
        }
    }
    return H;
}

Innovation innovate(const Gaussian& g, const Observation& obs) {
    Innovation in;
    const int d = obs_dim(obs.kind);
    in.H = observe_jacobian(g.x, obs);
    in.nu = obs.z - observe(g.x, obs);
    for (int i = 0; i < d; ++i) {
        if (is_angle_row(obs.kind, i)) in.nu(i) = wrap_pi(in.nu(i));
    }
    in.S = in.H * g.P * in.H.transpose() + obs.R;
    in.S = (0.5 * (in.S + in.S.transpose())).eval();
    if (!in.S.allFinite() || !in.nu.allFinite()) return in;
    Eigen::LLT<ObsMat> llt(in.S);
    if (llt.info() != Eigen::Success) return in;
    const ObsVec w = llt.matrixL().solve(in.nu);
    in.d2 = w.squaredNorm();
    in.log_det_S = 2.0 * llt.matrixL().toDenseMatrix().diagonal().array().log().sum();
    in.ok = std::isfinite(in.d2) && std::isfinite(in.log_det_S);
    return in;
}

bool ekf_update(Gaussian& g, const Observation& obs, const Innovation& in) {
    if (!in.ok) return false;
    // K = P H^T S^-1, computed by solving S K^T = H P (S symmetric).
    Eigen::LLT<ObsMat> llt(in.S);
    const Eigen::Matrix<double, Eigen::Dynamic, kStateDim, 0, kMaxObsDim, kStateDim> HP = in.H * g.P;
    const Eigen::Matrix<double, kStateDim, Eigen::Dynamic, 0, kStateDim, kMaxObsDim> K =
        llt.solve(HP).transpose();
    Gaussian out;
    out.x = g.x + K * in.nu;
    const StateMat IKH = StateMat::Identity() - K * in.H;
    out.P = IKH * g.P * IKH.transpose() + K * obs.R * K.transpose();
    if (!out.x.allFinite() || !make_covariance_healthy(out.P)) return false;
    g = out;
    return true;
}

bool ukf_update(Gaussian& g, const Observation& obs) {
    constexpr int n = kStateDim;
    constexpr int m = 2 * n + 1;
    // alpha = 1, kappa = 0 -> lambda = 0: W0 = 0 for the mean, the rest 1/(2n).
    constexpr double lambda = 0.0;
    constexpr double beta = 2.0;
    const int d = obs_dim(obs.kind);
    Eigen::LLT<StateMat> llt(g.P);
    if (llt.info() != Eigen::Success) return false;
    const StateMat L = llt.matrixL().toDenseMatrix() * std::sqrt(n + lambda);
    std::array<StateVec, m> X;
    X[0] = g.x;
    for (int i = 0; i < n; ++i) {
        X[1 + i] = g.x + L.col(i);
        X[1 + n + i] = g.x - L.col(i);
    }
    const double wm0 = lambda / (n + lambda);
    const double wc0 = wm0 + (1 - 1.0 + beta);  // (1 - alpha^2 + beta) with alpha = 1
    const double wi = 1.0 / (2 * (n + lambda));
    std::array<ObsVec, m> Z;
    for (int i = 0; i < m; ++i) Z[i] = observe(X[i], obs);
    // Mean: angles by the circular mean of unit vectors, others linearly.
    ObsVec zbar = ObsVec::Zero(d);
    for (int r = 0; r < d; ++r) {
        if (is_angle_row(obs.kind, r)) {
            double s = 0;
            double c = 0;
            for (int i = 0; i < m; ++i) {
                const double w = i == 0 ? wm0 : wi;
                s += w * std::sin(Z[i](r));
                c += w * std::cos(Z[i](r));
            }
            zbar(r) = std::atan2(s, c);
        } else {
            for (int i = 0; i < m; ++i) zbar(r) += (i == 0 ? wm0 : wi) * Z[i](r);
        }
    }
    ObsMat S = obs.R;
    Eigen::Matrix<double, n, Eigen::Dynamic, 0, n, kMaxObsDim> Pxz =
        Eigen::Matrix<double, n, Eigen::Dynamic, 0, n, kMaxObsDim>::Zero(n, d);
    for (int i = 0; i < m; ++i) {
        ObsVec dz = Z[i] - zbar;
        for (int r = 0; r < d; ++r)
            if (is_angle_row(obs.kind, r)) dz(r) = wrap_pi(dz(r));
        const double w = i == 0 ? wc0 : wi;
        S += w * dz * dz.transpose();
        Pxz += w * (X[i] - g.x) * dz.transpose();
    }
    S = (0.5 * (S + S.transpose())).eval();
    Eigen::LLT<ObsMat> lls(S);
    if (lls.info() != Eigen::Success) return false;
    ObsVec nu = obs.z - zbar;
    for (int r = 0; r < d; ++r)
        if (is_angle_row(obs.kind, r)) nu(r) = wrap_pi(nu(r));
    const Eigen::Matrix<double, n, Eigen::Dynamic, 0, n, kMaxObsDim> K =
        lls.solve(Pxz.transpose()).transpose();
    Gaussian out;
    out.x = g.x + K * nu;
    out.P = g.P - K * S * K.transpose();
    if (!out.x.allFinite() || !make_covariance_healthy(out.P)) return false;
    g = out;
    return true;
}

bool pda_update(Gaussian& g, const Innovation* innovations, const double* betas, int count,
                double beta0) {
    if (count == 0) return true;
    const Innovation& ref = innovations[0];
    if (!ref.ok) return false;
    const int d = static_cast<int>(ref.nu.size());
    Eigen::LLT<ObsMat> llt(ref.S);
    const Eigen::Matrix<double, kStateDim, Eigen::Dynamic, 0, kStateDim, kMaxObsDim> K =
        llt.solve(ref.H * g.P).transpose();
    ObsVec nu = ObsVec::Zero(d);
    ObsMat spread = ObsMat::Zero(d, d);
    for (int i = 0; i < count; ++i) {
        nu += betas[i] * innovations[i].nu;
        spread += betas[i] * innovations[i].nu * innovations[i].nu.transpose();
    }
    spread -= nu * nu.transpose();
    Gaussian out;
    out.x = g.x + K * nu;
    const StateMat Pc = g.P - K * ref.S * K.transpose();
    out.P = beta0 * g.P + (1 - beta0) * Pc + K * spread * K.transpose();
    if (!out.x.allFinite() || !make_covariance_healthy(out.P)) return false;
    g = out;
    return true;
}

}  // namespace picket::filters
