#pragma once
/// The tracker's state vector and the guards that keep a covariance healthy.
///
/// Every filter in picket works on one 5-element state in the local ENU plane (see
/// geo/local_frame.hpp): x = [east_m, north_m, v_east_mps, v_north_mps, turn_rate_radps].
/// One shared layout lets the IMM mix its constant-velocity and coordinated-turn modes without
/// re-mapping (the CV mode simply leaves the turn rate alone). Turn rate is counter-clockwise
/// positive in the east/north plane (mathematical convention, not compass).
#include <Eigen/Core>

namespace picket::filters {

inline constexpr int kStateDim = 5;
using StateVec = Eigen::Matrix<double, kStateDim, 1>;
using StateMat = Eigen::Matrix<double, kStateDim, kStateDim>;

/// A Gaussian estimate in the local frame.
struct Gaussian {
    StateVec x = StateVec::Zero();
    StateMat P = StateMat::Identity();
};

/// Makes P exactly symmetric and repairs tiny negative diagonal terms left by rounding.
/// Returns false when P holds NaN/Inf or is not positive definite even after repair: the caller
/// must then reject the update that produced it (NaN never enters a track).
bool make_covariance_healthy(StateMat& P);

/// True when every element of v is finite.
template <typename Derived>
bool all_finite(const Eigen::MatrixBase<Derived>& v) {
    return v.allFinite();
}

}  // namespace picket::filters
