// A camera's frame ranged from its depression angle, as the tracker tests make them: the target's
// true depression and azimuth seen with noise, ranged on flat ground, the position's covariance
// long along the ray (the depression's reported noise at that range) and thin across it.
#pragma once

#include <Eigen/Core>

#include <cmath>
#include <random>

#include "core/measurement.hpp"
#include "filters/tracker.hpp"
#include "geo/ground_range.hpp"
#include "geo/local_frame.hpp"

namespace picket::tracker_tests {

struct CameraNoise {
    double height_m;              ///< the lens above the ground
    double sigma_e_rad;           ///< the depression's true noise
    double sigma_e_reported_rad;  ///< what the camera says it is
    double sigma_az_rad;          ///< the azimuth's noise
};

/// Camera feed 2's frame of a target at `target` (local east/north) at `t`, from a lens at
/// `lens` (`lens_ll` the same point as the test states it); the depression is drawn before the
/// azimuth from `unit`. `as_angles`: the frame says it was ranged (DepressionRanging), so the
/// tracker fuses its angles, not the position.
inline Measurement ranged_camera_frame(const geo::LocalFrame& frame, const Eigen::Vector2d& lens,
                                       const LatLon& lens_ll, const CameraNoise& n,
                                       const Eigen::Vector2d& target, Timestamp t,
                                       std::mt19937_64& gen, std::normal_distribution<double>& unit,
                                       bool as_angles = true) {
    const Eigen::Vector2d d = target - lens;
    const double e =
        geo::depression_to_ground_rad(n.height_m, d.norm()) + n.sigma_e_rad * unit(gen);
    const double az = std::atan2(d(0), d(1)) + n.sigma_az_rad * unit(gen);
    const double r = *geo::ground_range_from_depression(n.height_m, e);
    const double sr =
        n.sigma_e_reported_rad / std::abs(geo::depression_slope_rad_per_m(n.height_m, r));
    const Eigen::Vector2d u(std::sin(az), std::cos(az));
    const Eigen::Vector2d c(u(1), -u(0));
    Measurement m;
    m.feed = 2;
    m.sensor = SensorKind::camera;
    m.observed = m.received = t;
    m.class_confidence = 0.9F;
    PositionZ pz{
        frame.to_latlon(lens + r * u),
        sr * sr * u * u.transpose() + r * r * n.sigma_az_rad * n.sigma_az_rad * c * c.transpose()};
    if (as_angles)
        pz.ranged_from =
            DepressionRanging{lens_ll, n.height_m, n.sigma_e_reported_rad, n.sigma_az_rad};
    m.z = pz;
    return m;
}

/// Gambia's Kartong camera (config/scenarios/gambia-coast.yaml) in the tests' local frame: where
/// its lens is, and a tracker whose camera frames may start tracks, confirmed on 2 of 3.
struct KartongCamera {
    LatLon origin{13.3, -16.75};
    geo::LocalFrame frame{origin};
    Eigen::Vector2d lens{540, -22680};
    LatLon lens_ll{frame.to_latlon(lens)};

    [[nodiscard]] filters::TrackerConfig tracker_config() const {
        filters::TrackerConfig cfg;
        cfg.origin = origin;
        cfg.can_initiate[static_cast<std::size_t>(SensorKind::camera)] = true;
        cfg.life.confirm_m_of_n[static_cast<std::size_t>(SensorKind::camera)] = {2, 3};
        return cfg;
    }
};

}  // namespace picket::tracker_tests
