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

Transition transition(const StateVec& x, MotionModel model, const ProcessNoise& noise, double dt) {
    Transition t{StateMat::Identity(), StateMat::Zero()};
    const double q = noise.accel_sigma_mps2 * noise.accel_sigma_mps2;
    add_white_accel(t.Q, q, dt);
    if (model == MotionModel::cv) {
        t.F(0, 2) = dt;
        t.F(1, 3) = dt;
        return t;
    }
    const double w = x(4);
    const double vx = x(2);
    const double vy = x(3);
    const double wt = w * dt;
    if (std::abs(wt) < kSmallTurn) {
        // Limit of the Jacobian as w -> 0 (first order in w).
        t.F(0, 2) = dt;
        t.F(0, 3) = -0.5 * w * dt * dt;
        t.F(1, 2) = 0.5 * w * dt * dt;
        t.F(1, 3) = dt;
        t.F(2, 3) = -wt;
        t.F(3, 2) = wt;
        t.F(0, 4) = -0.5 * dt * dt * vy;
        t.F(1, 4) = 0.5 * dt * dt * vx;
        t.F(2, 4) = -dt * vy;
        t.F(3, 4) = dt * vx;
    } else {
        const double s = std::sin(wt);
        const double c = std::cos(wt);
        t.F(0, 2) = s / w;
        t.F(0, 3) = -(1 - c) / w;
        t.F(1, 2) = (1 - c) / w;
        t.F(1, 3) = s / w;
        t.F(2, 2) = c;
        t.F(2, 3) = -s;
        t.F(3, 2) = s;
        t.F(3, 3) = c;
        // d/dw of the position rows.
        const double ds = (dt * c * w - s) / (w * w);        // d(s/w)/dw
        const double dc = (dt * s * w - (1 - c)) / (w * w);  // d((1-c)/w)/dw
        t.F(0, 4) = ds * vx - dc * vy;
        t.F(1, 4) = dc * vx + ds * vy;
        t.F(2, 4) = -dt * s * vx - dt * c * vy;
        t.F(3, 4) = dt * c * vx - dt * s * vy;
    }
    const double qw = noise.turn_rate_sigma_radps2 * noise.turn_rate_sigma_radps2;
    t.Q(4, 4) += qw * std::abs(dt);
    return t;
}

void predict(Gaussian& g, MotionModel model, const ProcessNoise& noise, double dt) {
    if (dt == 0) return;
    const Transition t = transition(g.x, model, noise, dt);
    if (model == MotionModel::cv) {
        g.x = (t.F * g.x).eval();
    } else {
        g.x = ct_step(g.x, dt);
    }
    g.P = (t.F * g.P * t.F.transpose() + t.Q).eval();
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
