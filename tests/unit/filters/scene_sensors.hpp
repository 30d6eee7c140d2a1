// A radar's plots and a camera's bearing-only frames of targets in the tracker tests' local
// plane, the noise drawn from the test's own generator (range first, then bearing).
#pragma once

#include <Eigen/Core>

#include <random>

#include "core/measurement.hpp"
#include "geo/local_frame.hpp"
#include "tests/unit/filters/scene_time.hpp"

namespace picket::tracker_tests {

/// Feed `feed`'s radar plot of a target at `en` at scene time `t`, seen from `site` with range
/// and bearing noise of sigma `sigma_r_m` and `sigma_b_rad` (also the plot's stated noise).
inline Measurement radar_plot(const geo::LocalFrame& frame, const SensorSite& site, FeedIndex feed,
                              const Eigen::Vector2d& en, double t, double sigma_r_m,
                              double sigma_b_rad, std::mt19937_64& gen,
                              std::normal_distribution<double>& unit) {
    const LatLon p = frame.to_latlon(en);
    Measurement m;
    m.feed = feed;
    m.sensor = SensorKind::radar;
    m.observed = m.received = at(t);
    const double r = geo::geodesic_distance_m(site.position, p) + sigma_r_m * unit(gen);
    const double b = geo::geodesic_bearing_deg(site.position, p) * kDeg + sigma_b_rad * unit(gen);
    m.z = PolarZ{site, r, b, sigma_r_m, sigma_b_rad};
    return m;
}

/// Feed `feed`'s camera frame of a target at `en` at scene time `t`: its bearing alone, stated
/// to sigma `sigma_b_rad`, drawn with that noise when `noisy` (else exact), of class `c`.
inline Measurement bearing_frame(const geo::LocalFrame& frame, const SensorSite& site,
                                 FeedIndex feed, const Eigen::Vector2d& en, double t,
                                 double sigma_b_rad, bool noisy, TargetClass c,
                                 std::mt19937_64& gen, std::normal_distribution<double>& unit) {
    Measurement m;
    m.feed = feed;
    m.sensor = SensorKind::camera;
    m.observed = m.received = at(t);
    double b = geo::geodesic_bearing_deg(site.position, frame.to_latlon(en)) * kDeg;
    if (noisy) b += sigma_b_rad * unit(gen);
    m.z = BearingZ{site, b, sigma_b_rad, std::nullopt, std::nullopt};
    m.target_class = c;
    m.class_confidence = 0.9F;
    return m;
}

}  // namespace picket::tracker_tests
