#include "sim/camera_model.hpp"

#include <cmath>
#include <numbers>

#include "geo/ground_range.hpp"
#include "geo/local_frame.hpp"
#include "sensors/json/json_detections.hpp"

namespace picket::sim {
namespace {

constexpr double kRad = std::numbers::pi / 180.0;

double wrap360(double deg) {
    double d = std::fmod(deg, 360.0);
    if (d < 0) d += 360.0;
    return d >= 360.0 ? 0.0 : d;
}
double angle_diff_deg(double a, double b) { return std::fmod(a - b + 540.0, 360.0) - 180.0; }

/// A wrong class, for a misclassification: one of the other plausible classes.
TargetClass confuse(TargetClass truth, Rng& rng) {
    constexpr TargetClass kChoices[] = {TargetClass::person, TargetClass::vehicle,
                                        TargetClass::vessel, TargetClass::unknown};
    for (;;) {
        const TargetClass c = kChoices[static_cast<std::size_t>(rng.uniform() * 4.0) % 4];
        if (c != truth) return c;
    }
}

}  // namespace

CameraModel::CameraModel(const CameraSpec& spec, const SimWorld& world)
    : spec_(spec),
      world_(world),
      site_en_(world.frame.to_en(spec.site.position)),
      rng_(Rng::derive(world.seed, "camera:" + spec.feed.id)) {}

void CameraModel::step(std::vector<SimMessage>& out) {
    const double t = next_s_;
    next_s_ = t + spec_.frame_period_s < world_.duration_s ? t + spec_.frame_period_s : kNever;
    for (std::size_t i = 0; i < world_.targets.size(); ++i) {
        const Trajectory& path = world_.paths[i];
        if (!path.active(t)) continue;
        const Eigen::Vector2d en = path.at(t).en;
        if ((en - site_en_).norm() > spec_.range_m * 1.02 + 50) continue;
        const LatLon where = world_.frame.to_latlon(en);
        const double range = geo::geodesic_distance_m(spec_.site.position, where);
        if (range > spec_.range_m || range < 1.0) continue;
        const double bearing = geo::geodesic_bearing_deg(spec_.site.position, where);
        if (std::abs(angle_diff_deg(bearing, spec_.site.boresight_deg)) > spec_.fov_deg / 2)
            continue;
        if (!rng_.chance(spec_.pd)) continue;
        const TargetClass truth = target_class_of(world_.targets[i].kind);
        sensors::json::CameraDetection d;
        d.camera_id = spec_.feed.id;
        d.time = world_.time_at(t);
        d.azimuth_deg = wrap360(bearing + rng_.normal(spec_.sigma_bearing_deg));
        d.sigma_azimuth_deg = spec_.sigma_bearing_deg;
        if (spec_.site.height_m > 0) {
            // Looking down at the target's foot: depression angle from the lens height, over
            // the curved earth with optical refraction (geo/ground_range.hpp).
            d.elevation_deg = -geo::depression_to_ground_rad(spec_.site.height_m, range) / kRad +
                              rng_.normal(0.05);
            d.sigma_elevation_deg = 0.1;
        }
        const bool right = rng_.chance(spec_.class_accuracy);
        d.target_class = right ? truth : confuse(truth, rng_);
        d.confidence = right ? rng_.uniform(0.7, 0.98) : rng_.uniform(0.4, 0.7);
        d.object_id = Rng::derive(0, spec_.feed.id + "/" + world_.targets[i].name) % 1'000'000;
        out.push_back({spec_.feed.id, spec_.feed.endpoint, d.time,
                       sensors::json::encode_camera_detection(d)});
    }
}

}  // namespace picket::sim
