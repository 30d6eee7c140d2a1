#pragma once
/// Motion models: constant velocity (CV), coordinated turn (CT) on the shared 5-state, and a
/// constant-acceleration (CA) model on its own 6-state for stand-alone use.
///
/// Process noise is continuous white noise acceleration with spectral density q = sigma_a^2
/// (m^2/s^3), discretised exactly (Bar-Shalom, Li & Kirubarajan, "Estimation with Applications to
/// Tracking and Navigation", 2001, section 6.2.2): per axis
///   Q = q [dt^3/3  dt^2/2; dt^2/2  dt].
#include <Eigen/Core>

#include "filters/state.hpp"

namespace picket::filters {

/// Process-noise settings of one target class.
struct ProcessNoise {
    double accel_sigma_mps2{0.5};         ///< sqrt of the white-acceleration spectral density
    double turn_rate_sigma_radps2{0.02};  ///< sqrt of the turn-rate random-walk density (CT only)
};

enum class MotionModel : std::uint8_t { cv, ct };

/// The state transition Jacobian and process noise for one step of dt seconds.
/// For CV the turn rate is carried unchanged (no noise added) and does not move the target.
/// For CT, F is the Jacobian of the nonlinear transition at x (exact for the mean via `ct_step`).
struct Transition {
    StateMat F;
    StateMat Q;
};

/// Predicts g in place over dt (may be negative for retrodiction of the mean; Q uses |dt|).
void predict(Gaussian& g, MotionModel model, const ProcessNoise& noise, double dt_s);

/// The CT transition of the mean alone (also used by the scene generator for truth).
StateVec ct_step(const StateVec& x, double dt_s);

/// CV/CT Jacobian and noise at x (for tests and the IMM).
Transition transition(const StateVec& x, MotionModel model, const ProcessNoise& noise, double dt_s);

/// Constant acceleration: x = [e, n, ve, vn, ae, an], continuous white-noise jerk of density
/// jerk_sigma^2 (m^2/s^5).
using CaVec = Eigen::Matrix<double, 6, 1>;
using CaMat = Eigen::Matrix<double, 6, 6>;
void predict_ca(CaVec& x, CaMat& P, double jerk_sigma_mps3, double dt_s);

}  // namespace picket::filters
