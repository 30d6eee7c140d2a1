#include "sim/radar_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "geo/local_frame.hpp"
#include "sensors/asterix/cat048_encoder.hpp"
#include "sensors/json/json_detections.hpp"

namespace picket::sim {
namespace {

double wrap360(double deg) {
    double d = std::fmod(deg, 360.0);
    if (d < 0) d += 360.0;
    return d >= 360.0 ? 0.0 : d;
}

double seconds_of_day(Timestamp t) {
    return static_cast<double>((t - utc_midnight_before(t)).ns) * 1e-9;
}

}  // namespace

RadarModel::RadarModel(const RadarSpec& spec, const SimWorld& world)
    : spec_(spec),
      world_(world),
      detection_{spec.pd_ref, spec.range_ref_m, spec.rcs_ref_m2, spec.pfa},
      site_en_(world.frame.to_en(spec.site.position)),
      rng_(Rng::derive(world.seed, "radar:" + spec.feed.id)) {}

std::vector<RadarPlot> RadarModel::scan(double t0) {
    std::vector<RadarPlot> plots;
    const double period = spec_.scan_period_s;
    for (std::size_t i = 0; i < world_.targets.size(); ++i) {
        const TargetSpec& target = world_.targets[i];
        const Trajectory& path = world_.paths[i];
        if (!path.active(t0) && !path.active(t0 + period)) continue;
        if (on_land(target.kind) && !spec_.sees_land) continue;
        const Eigen::Vector2d d0 = path.at(t0).en - site_en_;
        if (d0.norm() > spec_.range_m * 1.02 + 100) continue;  // cheap cull in the scenario plane
        // The beam passes the target when the antenna azimuth equals its bearing.
        const double approx_bearing =
            wrap360(std::atan2(d0.x(), d0.y()) * 180.0 / std::numbers::pi);
        const double t = t0 + approx_bearing / 360.0 * period;
        if (!path.active(t)) continue;
        const LatLon where = world_.frame.to_latlon(path.at(t).en);
        const double range = geo::geodesic_distance_m(spec_.site.position, where);
        if (range > spec_.range_m || range < 1.0) continue;
        const double height = target.height_m > 0 ? target.height_m : default_height_m(target.kind);
        if (range > radar_horizon_m(spec_.site.height_m, height)) continue;
        const double rcs = target.rcs_m2 > 0 ? target.rcs_m2 : default_rcs_m2(target.kind);
        if (!rng_.chance(detection_.pd(range, rcs))) continue;
        const double bearing = geo::geodesic_bearing_deg(spec_.site.position, where);
        RadarPlot p;
        p.time_s = t;
        p.range_m = std::max(1.0, range + rng_.normal(spec_.sigma_range_m));
        p.bearing_deg = wrap360(bearing + rng_.normal(spec_.sigma_bearing_deg));
        p.truth_id = static_cast<std::uint32_t>(i + 1);
        plots.push_back(p);
    }
    // Clutter: Poisson in number, uniform over the coverage disc.
    const double area_km2 = std::numbers::pi * spec_.range_m * spec_.range_m * 1e-6;
    const int n_clutter = rng_.poisson(spec_.clutter_per_km2 * area_km2);
    for (int k = 0; k < n_clutter; ++k) {
        RadarPlot p;
        p.range_m = spec_.range_m * std::sqrt(rng_.uniform());
        p.bearing_deg = rng_.uniform(0.0, 360.0);
        p.time_s = t0 + p.bearing_deg / 360.0 * period;
        plots.push_back(p);
    }
    std::sort(plots.begin(), plots.end(), [](const RadarPlot& a, const RadarPlot& b) {
        return a.time_s != b.time_s ? a.time_s < b.time_s : a.truth_id < b.truth_id;
    });
    return plots;
}

std::string RadarModel::encode_sector(const std::vector<RadarPlot>& plots) const {
    if (spec_.feed.format == "json-plot") {
        std::string out;
        for (const RadarPlot& p : plots) {
            sensors::json::JsonPlot j;
            j.radar_id = spec_.feed.id;
            j.time = world_.time_at(p.time_s);
            j.range_m = p.range_m;
            j.bearing_deg = p.bearing_deg;
            j.sigma_range_m = spec_.sigma_range_m;
            j.sigma_bearing_deg = spec_.sigma_bearing_deg;
            if (!out.empty()) out += '\n';
            out += sensors::json::encode_json_plot(j);
        }
        return out;
    }
    std::vector<sensors::asterix::Cat048Plot> records;
    records.reserve(plots.size());
    for (const RadarPlot& p : plots) {
        sensors::asterix::Cat048Plot r;
        r.source = {spec_.sac, spec_.sic};
        r.time_of_day_s = seconds_of_day(world_.time_at(p.time_s));
        r.type = sensors::asterix::Cat048DetectionType::single_psr;
        r.polar = sensors::asterix::Cat048Plot::Polar{p.range_m, p.bearing_deg};
        records.push_back(r);
    }
    return sensors::asterix::encode_cat048_block(records);
}

std::string RadarModel::encode_north_marker(double t_s) const {
    return sensors::asterix::encode_cat034_north_marker(
        {spec_.sac, spec_.sic}, seconds_of_day(world_.time_at(t_s)), spec_.scan_period_s);
}

void RadarModel::step(std::vector<SimMessage>& out) {
    const double t0 = next_scan_s_;
    const double period = spec_.scan_period_s;
    next_scan_s_ = t0 + period < world_.duration_s ? t0 + period : kNever;
    auto emit = [&](double t_s, std::string bytes) {
        out.push_back({spec_.feed.id, spec_.feed.endpoint, world_.time_at(t_s), std::move(bytes)});
    };
    if (spec_.feed.format == "asterix") emit(t0, encode_north_marker(t0));
    const std::vector<RadarPlot> plots = scan(t0);
    const int n = spec_.sectors;
    std::vector<RadarPlot> sector;
    std::size_t k = 0;
    for (int s = 0; s < n; ++s) {
        // Bucket by the time the beam saw the plot, so no datagram leaves before its plots.
        const double sector_end_s = t0 + period * (s + 1) / n;
        sector.clear();
        while (k < plots.size() && (plots[k].time_s <= sector_end_s || s == n - 1)) {
            sector.push_back(plots[k++]);
        }
        if (!sector.empty()) emit(sector_end_s, encode_sector(sector));
    }
}

}  // namespace picket::sim
