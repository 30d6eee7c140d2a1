#pragma once
/// Measurement models in the local frame: Cartesian position, position + velocity (AIS),
/// polar range-bearing (radar) and bearing-only (camera), with the innovation, the EKF update
/// (Joseph form) and the UKF update. Fixed maximum sizes: no heap allocation per measurement.
/// The EKF math runs on fixed-size matrices, dispatched once per call on the observation kind
/// (observation.cpp): Eigen's dynamic-size-with-maximum types are neither unrolled nor vectorised.
#include <Eigen/Core>
#include <cstdint>

#include "filters/state.hpp"

namespace picket::filters {

enum class ObsKind : std::uint8_t {
    position,
    position_velocity,
    polar,
    bearing,
    bearing_depression
};

inline constexpr int kMaxObsDim = 4;
using ObsVec = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, kMaxObsDim, 1>;
using ObsMat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, kMaxObsDim, kMaxObsDim>;
using ObsJac = Eigen::Matrix<double, Eigen::Dynamic, kStateDim, 0, kMaxObsDim, kStateDim>;

/// One measurement expressed in the tracker's local plane.
/// - position: z = (east_m, north_m)
/// - position_velocity: z = (east_m, north_m, v_east_mps, v_north_mps)
/// - polar: z = (range_m, bearing_rad) with the bearing measured clockwise from *local grid*
///   north at the site (the caller adds the meridian convergence to the true bearing)
/// - bearing: z = (bearing_rad), same convention
/// - bearing_depression: z = (bearing_rad, depression_rad) of a camera `lens_height_m` above the
///   ground looking down at the target's foot (geo/ground_range.hpp: curved earth, refraction).
///   A camera ranges a target from the depression angle, and the range's noise grows about as
///   its square: as a position, a frame whose noise made it short carried a smaller covariance
///   and weighed more, and tracks sat 140-400 m short of a vehicle 2.8 km out. In angle space
///   every frame's noise is the same, and the range the track expects sets the geometry.
struct Observation {
    ObsKind kind{ObsKind::position};
    ObsVec z;
    ObsMat R;
    Eigen::Vector2d site_en = Eigen::Vector2d::Zero();  ///< sensor site (polar, bearing), m
    double lens_height_m{0};  ///< bearing_depression: the lens above the ground, m
};

[[nodiscard]] int obs_dim(ObsKind k);

/// Innovation of an observation against a predicted estimate, linearised at the prediction.
struct Innovation {
    ObsVec nu;  ///< z - h(x), angles wrapped to (-pi, pi]
    ObsMat S;   ///< H P H^T + R
    ObsJac H;
    double d2{0};  ///< squared Mahalanobis distance nu^T S^-1 nu
    double log_det_S{0};
    bool ok{false};  ///< false when S is not positive definite or anything is non-finite
};

/// The scalars of an innovation, without its matrices: all that gating and the IMM's mode
/// likelihoods need.
struct InnovationScore {
    double d2{0};
    double log_det_S{0};
    bool ok{false};
};

/// h(x): the noiseless observation of state x.
ObsVec observe(const StateVec& x, const Observation& obs);
/// Jacobian of h at x.
ObsJac observe_jacobian(const StateVec& x, const Observation& obs);
/// Wraps an angle to (-pi, pi].
double wrap_pi(double a);

Innovation innovate(const Gaussian& g, const Observation& obs);
/// innovate() reduced to its scores (same values), on fixed-size matrices: the gating hot path.
InnovationScore innovation_score(const Gaussian& g, const Observation& obs);

/// Kalman/EKF update with the Joseph form P = (I-KH)P(I-KH)^T + K R K^T, from `in` =
/// innovate(g, obs). Leaves g unchanged and returns false when the result would not be finite
/// and positive definite.
bool ekf_update(Gaussian& g, const Observation& obs, const Innovation& in);

/// innovate() then ekf_update() in one pass on fixed-size matrices (the tracker's hot path: the
/// IMM updates each mode this way). Returns the innovation's scores; g holds the posterior when
/// the result is ok, and is left unchanged otherwise (innovation or update failed).
InnovationScore ekf_innovate_update(Gaussian& g, const Observation& obs);

/// Unscented update (Julier & Uhlmann 2004; scaled sigma points, alpha=1, beta=2, kappa=0, which
/// keeps all weights positive for n=5). Angles are averaged on the circle. Returns false (and
/// leaves g unchanged) on a non-finite or indefinite result.
bool ukf_update(Gaussian& g, const Observation& obs);

/// PDA / JPDA combined update (Bar-Shalom & Fortmann 1988): `betas[i]` weight innovation i,
/// `beta0` is the probability that none is from the target. All innovations must share one H, S
/// (linearised at the same prediction). Joseph-equivalent: P = P - (1-beta0) K S K^T + spread.
bool pda_update(Gaussian& g, const Innovation* innovations, const double* betas, int count,
                double beta0);

}  // namespace picket::filters
