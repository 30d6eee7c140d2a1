#include "rules/track_geometry.hpp"

#include <algorithm>
#include <cmath>

namespace picket::rules {

namespace {
// 111'700 m per degree exceeds the WGS84 meridian degree (max 111'694 m at the poles) and the
// equatorial parallel degree (111'320 m); the 1 % factor and 1 m added to each estimate cover the
// equirectangular error over the few kilometres a track moves between cache refreshes.
constexpr double kMetresPerDegree = 111'700.0;
constexpr double kDegToRad = 3.14159265358979323846 / 180.0;
}  // namespace

double approx_distance_upper_m(LatLon a, LatLon b) {
    double dlon = std::fabs(a.lon_deg - b.lon_deg);
    if (dlon > 180) dlon = 360 - dlon;  // the short way across the antimeridian
    const double dlat = std::fabs(a.lat_deg - b.lat_deg);
    const double max_abs_lat = std::max(std::fabs(a.lat_deg), std::fabs(b.lat_deg));
    const double coslat = std::cos(std::max(0.0, max_abs_lat - dlat) * kDegToRad);
    const double dx = dlon * coslat * kMetresPerDegree;
    const double dy = dlat * kMetresPerDegree;
    return std::sqrt(dx * dx + dy * dy) * 1.01 + 1.0;
}

void TrackGeometry::prepare() const {
    for (const GeoTarget& g : *targets_) {
        if (g.is_line)
            book_->lines[g.line].line.prepare_distance();
        else
            book_->zones_of(g.zone).prepare_distance(g.zone.zone);
    }
}

void TrackGeometry::refresh(TargetFix& fix, std::size_t t, LatLon p) {
    const GeoTarget& g = (*targets_)[t];
    ++queries_;
    fix.anchor = p;
    fix.valid = true;
    if (g.is_line) {
        fix.inside = false;
        fix.dist_m = book_->lines[g.line].line.distance_m(p);
    } else {
        const auto& zs = book_->zones_of(g.zone);
        fix.inside = zs.contains(g.zone.zone, p);
        fix.dist_m = zs.distance_to_boundary_m(g.zone.zone, p);
    }
    // The cache is only used within dist_m of the anchor, so never below this latitude: one
    // cos per refresh instead of one per cycle.
    const double lowest = std::max(0.0, std::fabs(p.lat_deg) - fix.dist_m / 110'500.0 - 0.01);
    fix.cos_lat = std::cos(std::min(lowest, 89.9) * kDegToRad);
}

double TrackGeometry::moved_upper_m(const TargetFix& fix, LatLon p) {
    double dlon = std::fabs(fix.anchor.lon_deg - p.lon_deg);
    if (dlon > 180) dlon = 360 - dlon;
    const double dlat = std::fabs(fix.anchor.lat_deg - p.lat_deg);
    const double dx = dlon * fix.cos_lat * kMetresPerDegree;
    const double dy = dlat * kMetresPerDegree;
    return std::sqrt(dx * dx + dy * dy) * 1.01 + 1.0;
}

Where TrackGeometry::at(std::vector<TargetFix>& cache, std::size_t t, LatLon p) {
    TargetFix& fix = cache[t];
    if (fix.valid) {
        if (fix.anchor == p) return {fix.inside, fix.dist_m, fix.dist_m};
        const double moved = moved_upper_m(fix, p);
        if (moved < fix.dist_m) return {fix.inside, fix.dist_m - moved, fix.dist_m + moved};
    }
    refresh(fix, t, p);
    return {fix.inside, fix.dist_m, fix.dist_m};
}

Where TrackGeometry::exact(std::vector<TargetFix>& cache, std::size_t t, LatLon p) {
    TargetFix& fix = cache[t];
    if (!fix.valid || !(fix.anchor == p)) refresh(fix, t, p);
    return {fix.inside, fix.dist_m, fix.dist_m};
}

bool TrackGeometry::below(std::vector<TargetFix>& cache, std::size_t t, LatLon p, Where& w,
                          double threshold_m) {
    if (w.dist_ub_m < threshold_m) return true;
    if (w.dist_lb_m >= threshold_m) return false;
    refresh(cache[t], t, p);
    w = {cache[t].inside, cache[t].dist_m, cache[t].dist_m};
    return w.dist_lb_m < threshold_m;
}

double TrackGeometry::distance_m(std::size_t t, LatLon p) {
    const GeoTarget& g = (*targets_)[t];
    ++queries_;
    if (g.is_line) return book_->lines[g.line].line.distance_m(p);
    return book_->zones_of(g.zone).distance_to_boundary_m(g.zone.zone, p);
}

double TrackGeometry::lower_bound_m(const std::vector<TargetFix>& cache, std::size_t t,
                                    LatLon p) const {
    const TargetFix& fix = cache[t];
    if (!fix.valid) return 0;
    return std::max(0.0, fix.dist_m - moved_upper_m(fix, p));
}

}  // namespace picket::rules
