#include "filters/motion_models.hpp"

#include <cmath>

namespace picket::filters {
namespace {

// Below this |omega*dt| the CT terms are evaluated by their Taylor series: sin(wT)/w loses all
// precision as w -> 0 and the CV limit must come out exactly.
constexpr double kSmallTurn = 1e-6;

void add_white_accel(StateMat& Q, double q, double dt) {
    const double adt = std::abs(dt);
    const double q11 = q * adt * adt * adt / 3.0;
    const double q12 = q * adt * adt / 2.0 * (dt < 0 ? -1.0 : 1.0);
    const double q22 = q * adt;
    for (int axis = 0; axis < 2; ++axis) {
        Q(axis, axis) += q11;
        Q(axis, axis + 2) += q12;
        Q(axis + 2, axis) += q12;
        Q(axis + 2, axis + 2) += q22;
    }
}

}  // namespace

StateVec ct_step(const StateVec& x, double dt) {
    const double w = x(4);
    const double wt = w * dt;
    double s_w = 0;  // sin(wT)/w
    double c_w = 0;  // (1 - cos(wT))/w
    if (std::abs(wt) < kSmallTurn) {
        s_w = dt;
        c_w = 0.5 * w * dt * dt;
    } else {
        s_w = std::sin(wt) / w;
        c_w = (1.0 - std::cos(wt)) / w;
    }
    const double c = std::cos(wt);
    const double s = std::sin(wt);
    StateVec out;
    out(0) = x(0) + s_w * x(2) - c_w * x(3);
    out(1) = x(1) + c_w * x(2) + s_w * x(3);
    out(2) = c * x(2) - s * x(3);
    out(3) = s * x(2) + c * x(3);
    out(4) = w;
    return out;
}

namespace {

// F differs from the identity only in its columns 2..4 of rows 0..3 (velocity and turn rate
// move the position; turn rate turns the velocity): F = [I2 B; 0 C; 0 0 0 0 1] with
// [B; C] = F.block<4, 3>(0, 2), which is what these helpers carry.
using TransitionBlock = Eigen::Matrix<double, 4, 3>;

// The CT mean after dt and F's non-trivial block at x, from one sin/cos pair.
void ct_terms(const StateVec& x, double dt, StateVec& mean, TransitionBlock& B) {
    const double w = x(4);
    const double vx = x(2);
    const double vy = x(3);
    const double wt = w * dt;
    if (std::abs(wt) < kSmallTurn) {
        // Limit of the Jacobian as w -> 0 (first order in w); the mean by ct_step's series.
        const double c_w = 0.5 * w * dt * dt;
        mean = ct_step(x, dt);
        B << dt, -c_w, -0.5 * dt * dt * vy,  //
            c_w, dt, 0.5 * dt * dt * vx,     //
            1, -wt, -dt * vy,                //
            wt, 1, dt * vx;
        return;
    }
    const double s = std::sin(wt);
    const double c = std::cos(wt);
    const double s_w = s / w;        // sin(wT)/w
    const double c_w = (1 - c) / w;  // (1 - cos(wT))/w
    mean << x(0) + s_w * vx - c_w * vy, x(1) + c_w * vx + s_w * vy, c * vx - s * vy,
        s * vx + c * vy, w;
    // d/dw of the position rows.
    const double ds = (dt * c * w - s) / (w * w);        // d(s/w)/dw
    const double dc = (dt * s * w - (1 - c)) / (w * w);  // d((1-c)/w)/dw
    B << s_w, -c_w, ds * vx - dc * vy,                   //
        c_w, s_w, dc * vx + ds * vy,                     //
        c, -s, -dt * s * vx - dt * c * vy, s, c, dt * c * vx - dt * s * vy;
}

// Q += the model's process noise over dt (CV leaves the turn rate without noise).
void add_process_noise(StateMat& Q, MotionModel model, const ProcessNoise& noise, double dt) {
    add_white_accel(Q, noise.accel_sigma_mps2 * noise.accel_sigma_mps2, dt);
    if (model == MotionModel::ct) {
        const double qw = noise.turn_rate_sigma_radps2 * noise.turn_rate_sigma_radps2;
        Q(4, 4) += qw * std::abs(dt);
    }
}

// P <- F P F^T for F = [I2 B; 0 C; 0 0 0 0 1], [B; C] = M: 120 multiplications instead of the
// 250 of two dense 5x5 products.
void propagate(StateMat& P, const TransitionBlock& M) {
    StateMat T;  // F P
    const Eigen::Matrix<double, 3, kStateDim> Pb = P.bottomRows<3>();
    T.topRows<4>().noalias() = M * Pb;
    T.topRows<2>() += P.topRows<2>();
    T.row(4) = P.row(4);
    const Eigen::Matrix<double, kStateDim, 3> Tr = T.rightCols<3>();
    P.leftCols<4>().noalias() = Tr * M.transpose();
    P.leftCols<2>() += T.leftCols<2>();
    P.col(4) = T.col(4);
}

// P <- F P F^T for the CV model, F = I + dt (E02 + E13): two row and two column updates.
void propagate_cv(StateMat& P, double dt) {
    for (int c = 0; c < kStateDim; ++c) {
        P(0, c) += dt * P(2, c);
        P(1, c) += dt * P(3, c);
    }
    for (int r = 0; r < kStateDim; ++r) {
        P(r, 0) += dt * P(r, 2);
        P(r, 1) += dt * P(r, 3);
    }
}

}  // namespace

Transition transition(const StateVec& x, MotionModel model, const ProcessNoise& noise, double dt) {
    Transition t{StateMat::Identity(), StateMat::Zero()};
    add_process_noise(t.Q, model, noise, dt);
    if (model == MotionModel::cv) {
        t.F(0, 2) = dt;
        t.F(1, 3) = dt;
        return t;
    }
    StateVec mean;
    TransitionBlock B;
    ct_terms(x, dt, mean, B);
    t.F.block<4, 3>(0, 2) = B;
    return t;
}

void predict(Gaussian& g, MotionModel model, const ProcessNoise& noise, double dt) {
    if (dt == 0) return;
    // F P F^T by blocks (F is mostly the identity; see propagate), then + Q.
    if (model == MotionModel::cv) {
        g.x(0) += dt * g.x(2);
        g.x(1) += dt * g.x(3);
        propagate_cv(g.P, dt);
    } else {
        StateVec mean;
        TransitionBlock B;
        ct_terms(g.x, dt, mean, B);
        g.x = mean;
        propagate(g.P, B);
    }
    add_process_noise(g.P, model, noise, dt);
    // F P F^T + Q is positive definite whenever P is: symmetrising is enough here (the full
    // check runs after every measurement update, where cancellation can do harm).
    g.P = (0.5 * (g.P + g.P.transpose())).eval();
}

void predict_ca(CaVec& x, CaMat& P, double jerk_sigma, double dt) {
    CaMat F = CaMat::Identity();
    CaMat Q = CaMat::Zero();
    const double q = jerk_sigma * jerk_sigma;
    const double t2 = dt * dt;
    const double t3 = t2 * dt;
    const double t4 = t3 * dt;
    const double t5 = t4 * dt;
    for (int a = 0; a < 2; ++a) {
        F(a, a + 2) = dt;
        F(a, a + 4) = 0.5 * t2;
        F(a + 2, a + 4) = dt;
        // Continuous white-noise jerk, exact discretisation (Bar-Shalom et al. 2001, 6.2.3).
        Q(a, a) = q * t5 / 20;
        Q(a, a + 2) = Q(a + 2, a) = q * t4 / 8;
        Q(a, a + 4) = Q(a + 4, a) = q * t3 / 6;
        Q(a + 2, a + 2) = q * t3 / 3;
        Q(a + 2, a + 4) = Q(a + 4, a + 2) = q * t2 / 2;
        Q(a + 4, a + 4) = q * dt;
    }
    x = (F * x).eval();
    P = (F * P * F.transpose() + Q).eval();
    P = (0.5 * (P + P.transpose())).eval();
}

}  // namespace picket::filters
