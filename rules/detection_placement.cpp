#include "rules/detection_placement.hpp"

#include <cmath>
#include <numbers>
#include <variant>

#include "geo/ground_range.hpp"
#include "geo/local_frame.hpp"

namespace picket::rules {
namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;
constexpr double kRadToDeg = 180.0 / std::numbers::pi;
/// WGS84 semi-major axis and first eccentricity squared.
constexpr double kWgs84A = 6'378'137.0;
constexpr double kWgs84E2 = 0.00669437999014;

/// East/north (m) of `p` from `origin`, with the ellipsoid's radii of curvature at the origin
/// (a sphere would be 0.4 % off in the north at the equator): the rays are at most 20 km long.
struct En {
    double e, n;
};
En to_en(LatLon origin, LatLon p) {
    double dlon = p.lon_deg - origin.lon_deg;
    if (dlon > 180) dlon -= 360;
    if (dlon < -180) dlon += 360;
    const double sin_lat = std::sin(origin.lat_deg * kDegToRad);
    const double w = 1 - kWgs84E2 * sin_lat * sin_lat;
    const double prime_vertical_m = kWgs84A / std::sqrt(w);
    const double meridian_m = kWgs84A * (1 - kWgs84E2) / (w * std::sqrt(w));
    return {dlon * kDegToRad * prime_vertical_m * std::cos(origin.lat_deg * kDegToRad),
            (p.lat_deg - origin.lat_deg) * kDegToRad * meridian_m};
}

Depression depression_of(const BearingZ& b) {
    Depression d;
    if (!b.elevation_rad || !b.sigma_elevation_rad || !(b.site.height_m > 0)) return d;
    d.height_m = b.site.height_m;
    d.angle_rad = -*b.elevation_rad;
    d.sigma_rad = *b.sigma_elevation_rad;
    return d;
}

/// The depression angle a camera measured for a position it ranged from it (the range inverts
/// to the angle exactly: geo::ground_range_from_depression's inverse).
Depression camera_ranged_depression(const DepressionRanging& r, LatLon where) {
    Depression d;
    d.height_m = r.height_m;
    d.angle_rad =
        geo::depression_to_ground_rad(r.height_m, geo::geodesic_distance_m(r.lens, where));
    d.sigma_rad = r.sigma_depression_rad;
    return d;
}

}  // namespace

bool same_thing_possible(TargetClass a, TargetClass b) {
    return a == b || a == TargetClass::unknown || b == TargetClass::unknown;
}

bool Depression::allows(double range_m) const {
    if (!(sigma_rad > 0) || !(range_m > 0)) return true;
    return std::fabs(geo::depression_to_ground_rad(height_m, range_m) - angle_rad) <= 3 * sigma_rad;
}

bool Depression::fixes_range() const {
    if (!(sigma_rad > 0)) return false;
    const auto nearest = geo::ground_range_from_depression(height_m, angle_rad + sigma_rad);
    const auto farthest = geo::ground_range_from_depression(height_m, angle_rad - sigma_rad);
    const auto range = geo::ground_range_from_depression(height_m, angle_rad);
    return nearest && farthest && range && *farthest - *nearest < *range;
}

std::optional<double> Depression::range_sigma_m() const {
    if (!(sigma_rad > 0)) return std::nullopt;
    const auto nearest = geo::ground_range_from_depression(height_m, angle_rad + sigma_rad);
    const auto farthest = geo::ground_range_from_depression(height_m, angle_rad - sigma_rad);
    if (!nearest || !farthest) return std::nullopt;
    return (*farthest - *nearest) / 2;
}

LatLon point_on_ray(LatLon site, double bearing_deg, double along_m) {
    return geo::geodesic_destination(site, bearing_deg, along_m);
}

RayOffset ray_offset(LatLon site, double bearing_deg, LatLon p) {
    const En d = to_en(site, p);
    const double ue = std::sin(bearing_deg * kDegToRad);
    const double un = std::cos(bearing_deg * kDegToRad);
    return {d.e * ue + d.n * un, d.e * un - d.n * ue};
}

std::optional<LatLon> rays_crossing(LatLon site_a, double bearing_a_deg, LatLon site_b,
                                    double bearing_b_deg) {
    const En b = to_en(site_a, site_b);
    const double ae = std::sin(bearing_a_deg * kDegToRad), an = std::cos(bearing_a_deg * kDegToRad);
    const double be = std::sin(bearing_b_deg * kDegToRad), bn = std::cos(bearing_b_deg * kDegToRad);
    // site_a + t a = site_b + s b  ->  t a - s b = b_site
    const double det = -ae * bn + an * be;
    // Nearly parallel rays (under ~3 deg apart) cross far off, where bearing noise dominates.
    if (std::fabs(det) < std::sin(3 * kDegToRad)) return std::nullopt;
    const double t = (-b.e * bn + b.n * be) / det;
    const double s = (ae * b.n - an * b.e) / det;
    if (t <= 0 || s <= 0 || t > kMaxCameraRayM || s > kMaxCameraRayM) return std::nullopt;
    return point_on_ray(site_a, bearing_a_deg, t);
}

void DetectionPlacer::forget_before(Timestamp t) {
    while (!bearings_.empty() && bearings_.front().at < t - kBearingWindow) bearings_.pop_front();
    while (!ground_.empty() && ground_.front().at < t - kGroundWindow) ground_.pop_front();
}

PlacedDetection DetectionPlacer::place(const Measurement& m) {
    PlacedDetection out;
    out.target_class = m.target_class;
    forget_before(m.observed);
    if (const auto* pz = std::get_if<PositionZ>(&m.z)) {
        out.where = pz->where;
        if (m.sensor == SensorKind::ugs) ground_.push_back({m.observed, pz->where});
        if (const auto& r = pz->ranged_from; r && r->height_m > 0) {
            out.camera_ranged = true;
            out.site = r->lens;
            out.bearing_deg = geo::geodesic_bearing_deg(r->lens, pz->where);
            out.depression = camera_ranged_depression(*r, pz->where);
            out.sigma_bearing_rad = r->sigma_bearing_rad;
        }
        return out;
    }
    if (const auto* polar = std::get_if<PolarZ>(&m.z)) {
        out.where = geo::geodesic_destination(polar->site.position, polar->bearing_rad * kRadToDeg,
                                              polar->range_m);
        return out;
    }
    const auto& b = std::get<BearingZ>(m.z);
    out.bearing_only = true;
    out.site = b.site.position;
    out.bearing_deg = std::fmod(b.bearing_rad * kRadToDeg + 360.0, 360.0);
    out.sigma_bearing_rad = b.sigma_bearing_rad;
    out.where = out.site;
    out.how = PlacedDetection::How::camera_site;
    // 1. Another camera's bearing at the same moment, of something that may be the same thing:
    // the nearest crossing to the later site. (A walker's ray from one camera crossed a
    // pickup's from another 1.6 km from the pickup: the Gulf of Honduras scenario.)
    // Each camera's depression angle, when measured, must allow the crossing's range: a low
    // camera's ray crossed a high one's 1.6 km short of what the high one's angle said.
    const Depression depression = depression_of(b);
    out.depression = depression;
    std::optional<LatLon> best;
    double best_along = kMaxCameraRayM;
    for (const Bearing& o : bearings_) {
        if (o.feed == m.feed || !same_thing_possible(o.target_class, m.target_class)) continue;
        const auto x = rays_crossing(out.site, out.bearing_deg, o.site, o.bearing_deg);
        if (!x) continue;
        const double along = ray_offset(out.site, out.bearing_deg, *x).along_m;
        if (!depression.allows(along) ||
            !o.depression.allows(ray_offset(o.site, o.bearing_deg, *x).along_m))
            continue;
        if (along < best_along) {
            best_along = along;
            best = x;
        }
    }
    if (best) {
        out.where = *best;
        out.how = PlacedDetection::How::cameras_crossed;
    } else {
        // 2. A ground sensor near the ray that fired recently: the latest one.
        for (auto it = ground_.rbegin(); it != ground_.rend(); ++it) {
            const RayOffset o = ray_offset(out.site, out.bearing_deg, it->where);
            if (o.along_m <= 0 || o.along_m > kMaxCameraRayM ||
                std::fabs(o.across_m) > kGroundNearRayM)
                continue;
            out.where = point_on_ray(out.site, out.bearing_deg, o.along_m);
            out.how = PlacedDetection::How::ground_sensor;
            break;
        }
    }
    bearings_.push_back(
        {m.feed, m.observed, out.site, out.bearing_deg, m.target_class, depression});
    if (bearings_.size() > 256) bearings_.pop_front();  // a busy frame must not grow it
    return out;
}

}  // namespace picket::rules
