#pragma once
/// One measurement model per observation kind: h(x), the non-zero columns of its Jacobian, and
/// which rows are angles. The only place each is written: the fixed-size EKF kernels, the dynamic
/// `observe` / `observe_jacobian` (UKF, tests) and the innovation all use these.
///
/// Every kind has a fixed dimension D, and its Jacobian H touches only the first C state columns
/// (position and velocity, never the turn rate). The linear kinds select the first D states, so
/// H P H^T is a block of P and P H^T a column block.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "filters/observation.hpp"
#include "geo/ground_range.hpp"

namespace picket::filters {

template <ObsKind Kind>
struct MeasurementModel {
    static constexpr bool linear = Kind == ObsKind::position || Kind == ObsKind::position_velocity;
    static constexpr int D = Kind == ObsKind::position_velocity ? 4
                             : Kind == ObsKind::bearing         ? 1
                                                                : 2;
    static constexpr int C = Kind == ObsKind::position_velocity ? 4 : 2;
    using Vec = Eigen::Matrix<double, D, 1>;
    using Mat = Eigen::Matrix<double, D, D>;
    using Jac = Eigen::Matrix<double, D, C>;           ///< H's non-zero columns
    using Gain = Eigen::Matrix<double, kStateDim, D>;  ///< P H^T and K

    /// Whether row `row` of z is an angle (wrapped to (-pi, pi] in residuals).
    static constexpr bool angle_row(int row) {
        return (Kind == ObsKind::polar && row == 1) || (Kind == ObsKind::bearing && row == 0) ||
               (Kind == ObsKind::bearing_depression && row == 0);
    }

    /// h(x) and the non-zero columns of its Jacobian at x, together (they share the geometry).
    static void linearise(const StateVec& x, const Observation& obs, Vec& h, Jac& Hc) {
        if constexpr (linear) {
            h = x.template head<D>();
            Hc.setIdentity();
        } else {
            const double de = x(0) - obs.site_en(0);
            const double dn = x(1) - obs.site_en(1);
            const double raw2 = de * de + dn * dn;
            // Keep the Jacobian finite for a target sitting on the site; the range itself is
            // the true one.
            const double r2 = std::max(raw2, 1e-6);
            const double r = std::sqrt(r2);
            const double bearing = std::atan2(de, dn);
            if constexpr (Kind == ObsKind::polar) {
                Hc << de / r, dn / r, dn / r2, -de / r2;
                h << (r2 == raw2 ? r : std::sqrt(raw2)), bearing;
            } else if constexpr (Kind == ObsKind::bearing_depression) {
                const double range = r2 == raw2 ? r : std::sqrt(raw2);
                const double slope = geo::depression_slope_rad_per_m(obs.lens_height_m, range);
                Hc << dn / r2, -de / r2, slope * de / r, slope * dn / r;
                h << bearing, geo::depression_to_ground_rad(obs.lens_height_m, range);
            } else {
                Hc << dn / r2, -de / r2;
                h << bearing;
            }
        }
    }

    /// z - h(x), angles wrapped.
    static Vec residual(const Observation& obs, const Vec& h) {
        Vec nu = obs.z.template head<D>() - h;
        for (int i = 0; i < D; ++i)
            if (angle_row(i)) nu(i) = wrap_pi(nu(i));
        return nu;
    }
};

/// Calls fn(MeasurementModel<kind>{}) with the observation kind as a compile-time constant.
template <typename Fn>
decltype(auto) with_model(ObsKind kind, Fn&& fn) {
    switch (kind) {
        case ObsKind::position_velocity:
            return fn(MeasurementModel<ObsKind::position_velocity>{});
        case ObsKind::polar:
            return fn(MeasurementModel<ObsKind::polar>{});
        case ObsKind::bearing:
            return fn(MeasurementModel<ObsKind::bearing>{});
        case ObsKind::bearing_depression:
            return fn(MeasurementModel<ObsKind::bearing_depression>{});
        case ObsKind::position:
            break;
    }
    return fn(MeasurementModel<ObsKind::position>{});
}

}  // namespace picket::filters
