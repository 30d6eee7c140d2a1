// JSON detections -> Measurements. Geometry notes are next to each case.
#include "sensors/json/json_normalise.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "geo/ground_range.hpp"
#include "geo/local_frame.hpp"

namespace picket::sensors::json {
namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;

double pick(std::optional<double> message, double feed, double fallback) {
    if (message) return *message;
    return feed > 0 ? feed : fallback;
}

/// Covariance in east/north of independent along-bearing and cross-bearing errors.
Eigen::Matrix2d rotate_cov(double bearing_rad, double var_along, double var_across) {
    Eigen::Matrix2d rot;  // columns: along-bearing unit vector, cross-bearing unit vector (E, N)
    rot << std::sin(bearing_rad), std::cos(bearing_rad), std::cos(bearing_rad),
        -std::sin(bearing_rad);
    return rot * Eigen::Vector2d(var_along, var_across).asDiagonal() * rot.transpose();
}

Measurement base(const FeedParams& params, SensorKind kind, Timestamp observed,
                 Timestamp received) {
    Measurement m;
    m.feed = params.index;
    m.sensor = kind;
    m.observed = observed;
    m.received = received;
    return m;
}

}  // namespace

Measurement plot_to_measurement(const JsonPlot& plot, const FeedParams& params,
                                Timestamp received) {
    Measurement m = base(params, SensorKind::radar, plot.time, received);
    const double sr = pick(plot.sigma_range_m, params.sigma_range_m, kDefaultPlotSigmaRangeM);
    const double sb =
        pick(plot.sigma_bearing_deg, params.sigma_bearing_deg, kDefaultPlotSigmaBearingDeg);
    m.z = PolarZ{params.site, plot.range_m, plot.bearing_deg * kDegToRad, sr, sb * kDegToRad};
    if (plot.speed_mps && plot.course_deg) {
        VelocityZ v;
        const double c = *plot.course_deg * kDegToRad;
        v.east_mps = *plot.speed_mps * std::sin(c);
        v.north_mps = *plot.speed_mps * std::cos(c);
        const double sv = params.sigma_velocity_mps > 0 ? params.sigma_velocity_mps : 1.5;
        v.cov_m2ps2 = Eigen::Matrix2d::Identity() * sv * sv;
        m.velocity = v;
    }
    if (plot.track_id) m.source_object_id = *plot.track_id;
    return m;
}

Measurement camera_to_measurement(const CameraDetection& d, const FeedParams& params,
                                  Timestamp received) {
    Measurement m = base(params, SensorKind::camera, d.time, received);
    m.target_class = d.target_class;
    m.class_confidence = static_cast<float>(d.confidence);
    m.source_object_id = d.object_id;
    if (d.position) {
        // The analytics geolocated it themselves: trust their figure, else the feed's.
        const double s =
            pick(d.sigma_position_m, params.sigma_position_m, kDefaultCameraSigmaPositionM);
        m.z = PositionZ{*d.position, Eigen::Matrix2d::Identity() * s * s};
        return m;
    }
    const double az_rad = d.azimuth_deg.value_or(0) * kDegToRad;
    const double s_az_rad =
        pick(d.sigma_azimuth_deg, params.sigma_bearing_deg, kDefaultCameraSigmaAzimuthDeg) *
        kDegToRad;
    if (d.range_m) {
        const double r = *d.range_m;
        const double sr = pick(d.sigma_range_m, params.sigma_range_m, 0.05 * r + 1.0);
        PositionZ pz;
        pz.where = geo::geodesic_destination(params.site.position, *d.azimuth_deg, r);
        pz.cov_en_m2 = rotate_cov(az_rad, sr * sr, r * r * s_az_rad * s_az_rad);
        m.z = pz;
        return m;
    }
    const double height_m = d.camera_height_m.value_or(params.site.height_m);
    const double s_el_rad =
        d.sigma_elevation_deg.value_or(kDefaultCameraSigmaElevationDeg) * kDegToRad;
    if (d.elevation_deg && height_m > 0) {
        // The ray meets the ground at r(e) (curved earth, refraction). Ranged only when an
        // angle kGroundRangeFloorSigmas sigma shallower still meets it within kMaxGroundRangeM.
        // σ_r = |dr/de| σ_e (flat ground: h σ_e / sin²e): range noise explodes near the horizon.
        const double e = -*d.elevation_deg * kDegToRad;
        const auto r = geo::ground_range_from_depression(height_m, e);
        const auto far =
            geo::ground_range_from_depression(height_m, e - kGroundRangeFloorSigmas * s_el_rad);
        if (r && far && *far <= kMaxGroundRangeM) {
            const double step = 1e-7;
            const auto shallower = geo::ground_range_from_depression(height_m, e - step);
            const auto steeper = geo::ground_range_from_depression(height_m, e + step);
            const double slope = shallower && steeper ? (*shallower - *steeper) / (2 * step)
                                                      : height_m / (std::sin(e) * std::sin(e));
            const double sr = slope * s_el_rad;
            PositionZ pz;
            pz.where = geo::geodesic_destination(params.site.position, *d.azimuth_deg, *r);
            pz.cov_en_m2 = rotate_cov(az_rad, sr * sr, *r * *r * s_az_rad * s_az_rad);
            pz.ranged_from = DepressionRanging{params.site.position, height_m, s_el_rad, s_az_rad};
            m.z = pz;
            return m;
        }
    }
    BearingZ bz;
    bz.site = params.site;
    bz.bearing_rad = az_rad;
    bz.sigma_bearing_rad = s_az_rad;
    if (d.elevation_deg) {
        bz.elevation_rad = *d.elevation_deg * kDegToRad;
        bz.sigma_elevation_rad = s_el_rad;
    }
    m.z = bz;
    return m;
}

SectorMoments uniform_sector_moments(double radius_m, double sector_deg) {
    // Uniform density over the sector r ∈ [0, R], φ ∈ [-α, α] (φ from the bearing), α = width/2:
    //   E[r] = 2R/3, E[r²] = R²/2, E[cos φ] = sin α / α, E[cos² φ] = 1/2 + sin 2α / (4α).
    //   along u = r cos φ: mean 2R sin α / (3α), E[u²] = E[r²] E[cos² φ]; across v = r sin φ:
    //   mean 0, E[v²] = E[r²] (1/2 - sin 2α / (4α)).
    const double a = std::clamp(sector_deg, 1e-3, 360.0) * 0.5 * kDegToRad;
    const double r2 = radius_m * radius_m / 2.0;
    const double c2 = 0.5 + std::sin(2 * a) / (4 * a);
    SectorMoments s;
    s.mean_offset_m = 2.0 * radius_m * std::sin(a) / (3.0 * a);
    s.var_along_m2 = r2 * c2 - s.mean_offset_m * s.mean_offset_m;
    s.var_across_m2 = r2 * (1.0 - c2);
    return s;
}

Measurement ugs_to_measurement(const UgsEvent& e, const FeedParams& params, Timestamp received) {
    Measurement m = base(params, SensorKind::ugs, e.time, received);
    m.target_class = e.target_class;
    m.class_confidence = static_cast<float>(e.confidence);
    m.source_object_id = e.event_id;
    const LatLon centre = e.position.value_or(params.site.position);
    PositionZ pz;
    if (e.bearing_deg) {
        const SectorMoments s =
            uniform_sector_moments(e.radius_m, e.sector_deg.value_or(kDefaultUgsSectorDeg));
        pz.where = geo::geodesic_destination(centre, *e.bearing_deg, s.mean_offset_m);
        pz.cov_en_m2 = rotate_cov(*e.bearing_deg * kDegToRad, s.var_along_m2, s.var_across_m2);
    } else {
        // Uniform disc of radius R: Var(x) = Var(y) = R²/4.
        pz.where = centre;
        pz.cov_en_m2 = Eigen::Matrix2d::Identity() * (e.radius_m * e.radius_m / 4.0);
    }
    m.z = pz;
    return m;
}

}  // namespace picket::sensors::json
