#include "filters/observation.hpp"

#include <Eigen/Cholesky>
#include <array>
#include <cmath>
#include <numbers>
#include <type_traits>

#include "filters/measurement_model.hpp"
#include "filters/small_cholesky.hpp"

namespace picket::filters {

int obs_dim(ObsKind k) {
    switch (k) {
        case ObsKind::position:
            return 2;
        case ObsKind::position_velocity:
            return 4;
        case ObsKind::polar:
            return 2;
        case ObsKind::bearing:
            return 1;
        case ObsKind::bearing_depression:
            return 2;
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
    return with_model(k, [row](auto model) { return decltype(model)::angle_row(row); });
}
}  // namespace

ObsVec observe(const StateVec& x, const Observation& obs) {
    return with_model(obs.kind, [&](auto model) {
        using M = decltype(model);
        typename M::Vec h;
        typename M::Jac Hc;
        M::linearise(x, obs, h, Hc);
        return ObsVec(h);
    });
}

ObsJac observe_jacobian(const StateVec& x, const Observation& obs) {
    return with_model(obs.kind, [&](auto model) {
        using M = decltype(model);
        typename M::Vec h;
        typename M::Jac Hc;
        M::linearise(x, obs, h, Hc);
        ObsJac H = ObsJac::Zero(M::D, kStateDim);
        H.leftCols(M::C) = Hc;
        return H;
    });
}

namespace {

// The EKF on fixed-size matrices, from the kind's MeasurementModel (filters/measurement_model.hpp).
template <ObsKind Kind>
using Model = MeasurementModel<Kind>;

// S = L L^T (filters/small_cholesky.hpp), giving L^-1 and prod(L_ii); false when a pivot is not
// > 0, as Eigen::LLT decides.
template <int D>
bool inverse_cholesky(const Eigen::Matrix<double, D, D>& S, Eigen::Matrix<double, D, D>& Li,
                      double& diag_prod) {
    double L[D][D] = {};
    if (!cholesky_lower<D>(S, L)) return false;
    diag_prod = 1;
    for (int j = 0; j < D; ++j) diag_prod *= L[j][j];
    // L^-1 by forward substitution, column by column.
    Li.setZero();
    for (int c = 0; c < D; ++c) {
        Li(c, c) = 1 / L[c][c];
        for (int i = c + 1; i < D; ++i) {
            double v = 0;
            for (int k = c; k < i; ++k) v -= L[i][k] * Li(k, c);
            Li(i, c) = v / L[i][i];
        }
    }
    return true;
}

// One innovation, kept whole so that the update reuses P H^T and the factor of S.
template <ObsKind Kind>
struct FixedInnovation {
    using M = Model<Kind>;
    typename M::Vec nu;
    typename M::Jac Hc;  ///< H.leftCols<C>() (nonlinear kinds only)
    typename M::Mat S;
    typename M::Gain PHt;
    typename M::Mat Li;  ///< inverse of S's lower Cholesky factor: S^-1 = Li^T Li
    InnovationScore score;
};

// nu = z - h(x) and the non-zero columns of H at x.
template <ObsKind Kind>
void linearise(const StateVec& x, const Observation& obs, FixedInnovation<Kind>& f) {
    typename Model<Kind>::Vec h;
    Model<Kind>::linearise(x, obs, h, f.Hc);
    f.nu = Model<Kind>::residual(obs, h);
}

template <ObsKind Kind>
void innovate_fixed(const Gaussian& g, const Observation& obs, FixedInnovation<Kind>& f) {
    using M = Model<Kind>;
    linearise(g.x, obs, f);
    if constexpr (M::linear) {
        f.PHt = g.P.template leftCols<M::D>();
        f.S = g.P.template topLeftCorner<M::D, M::D>() + obs.R.template topLeftCorner<M::D, M::D>();
    } else {
        f.PHt.noalias() = g.P.template leftCols<M::C>() * f.Hc.transpose();
        f.S = obs.R.template topLeftCorner<M::D, M::D>();
        f.S.noalias() += f.Hc * f.PHt.template topRows<M::C>();
    }
    f.S = (0.5 * (f.S + f.S.transpose())).eval();
    f.score = {};
    if (!f.S.allFinite() || !f.nu.allFinite()) return;
    double diag_prod = 0;
    if (!inverse_cholesky(f.S, f.Li, diag_prod)) return;
    f.score.d2 = (f.Li * f.nu).squaredNorm();
    // log |S| = 2 log prod L_ii: one logarithm (the diagonal of a covariance's factor cannot
    // overflow or underflow in metres and radians).
    f.score.log_det_S = 2.0 * std::log(diag_prod);
    f.score.ok = std::isfinite(f.score.d2) && std::isfinite(f.score.log_det_S);
}

// The Joseph-form update from an ok innovation: P = (I-KH) P (I-KH)^T + K R K^T, kept for its
// robustness to a K that is not exactly optimal (rounding, gates at the edge of validity).
template <ObsKind Kind>
bool update_fixed(Gaussian& g, const Observation& obs, const FixedInnovation<Kind>& f) {
    using M = Model<Kind>;
    // K = P H^T S^-1 = (P H^T Li^T) Li.
    const typename M::Gain W = f.PHt * f.Li.transpose();
    const typename M::Gain K = W * f.Li;
    const StateVec x = g.x + K * f.nu;
    // A = (I - KH) P = P - K (P H^T)^T.
    StateMat A = g.P;
    A.noalias() -= K * f.PHt.transpose();
    typename M::Gain AHt;
    if constexpr (M::linear) {
        AHt = A.template leftCols<M::D>();
    } else {
        AHt.noalias() = A.template leftCols<M::C>() * f.Hc.transpose();
    }
    const typename M::Gain KR = K * obs.R.template topLeftCorner<M::D, M::D>();
    StateMat P = A;
    P.noalias() -= AHt * K.transpose();
    P.noalias() += KR * K.transpose();
    if (!x.allFinite() || !make_covariance_healthy(P)) return false;
    g.x = x;
    g.P = P;
    return true;
}

// Calls fn(FixedInnovation<kind>&) with the observation's kind as a compile-time constant.
template <typename Fn>
decltype(auto) with_kind(ObsKind kind, Fn&& fn) {
    switch (kind) {
        case ObsKind::position_velocity: {
            FixedInnovation<ObsKind::position_velocity> f;
            return fn(f);
        }
        case ObsKind::polar: {
            FixedInnovation<ObsKind::polar> f;
            return fn(f);
        }
        case ObsKind::bearing: {
            FixedInnovation<ObsKind::bearing> f;
            return fn(f);
        }
        case ObsKind::bearing_depression: {
            FixedInnovation<ObsKind::bearing_depression> f;
            return fn(f);
        }
        case ObsKind::position:
            break;
    }
    FixedInnovation<ObsKind::position> f;
    return fn(f);
}

}  // namespace

Innovation innovate(const Gaussian& g, const Observation& obs) {
    return with_kind(obs.kind, [&](auto& f) {
        using M = typename std::remove_reference_t<decltype(f)>::M;
        innovate_fixed(g, obs, f);
        Innovation in;
        in.nu = f.nu;
        in.S = f.S;
        in.H = ObsJac::Zero(M::D, kStateDim);
        if constexpr (M::linear) {
            in.H.leftCols(M::D).setIdentity();
        } else {
            in.H.leftCols(M::C) = f.Hc;
        }
        in.d2 = f.score.d2;
        in.log_det_S = f.score.log_det_S;
        in.ok = f.score.ok;
        return in;
    });
}

InnovationScore innovation_score(const Gaussian& g, const Observation& obs) {
    return with_kind(obs.kind, [&](auto& f) {
        innovate_fixed(g, obs, f);
        return f.score;
    });
}

InnovationScore ekf_innovate_update(Gaussian& g, const Observation& obs) {
    return with_kind(obs.kind, [&](auto& f) {
        innovate_fixed(g, obs, f);
        InnovationScore s = f.score;
        if (s.ok && !update_fixed(g, obs, f)) s.ok = false;
        return s;
    });
}

bool ekf_update(Gaussian& g, const Observation& obs, const Innovation& in) {
    if (!in.ok) return false;
    return with_kind(obs.kind, [&](auto& f) {
        using M = typename std::remove_reference_t<decltype(f)>::M;
        // The innovation given, on fixed sizes (H, S and nu as the caller computed them).
        f.nu = in.nu.template head<M::D>();
        f.Hc = in.H.template block<M::D, M::C>(0, 0);
        f.S = in.S.template topLeftCorner<M::D, M::D>();
        // For the linear kinds update_fixed takes H to be the selection innovate() made.
        f.PHt.noalias() = g.P.template leftCols<M::C>() * f.Hc.transpose();
        double diag_prod = 0;
        if (!inverse_cholesky(f.S, f.Li, diag_prod)) return false;
        return update_fixed(g, obs, f);
    });
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
