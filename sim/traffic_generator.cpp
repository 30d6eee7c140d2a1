#include "sim/traffic_generator.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/sim_random.hpp"

namespace picket::sim {
namespace {

std::uint8_t ship_type_of(TargetKind k) {
    switch (k) {  // ITU-R M.1371-5 Table 53
        case TargetKind::cargo:
            return 70;
        case TargetKind::tanker:
            return 80;
        case TargetKind::fishing:
            return 30;
        case TargetKind::fast_boat:
            return 0;
        case TargetKind::pleasure:
            return 37;
        default:
            return 0;
    }
}
double length_of(TargetKind k, Rng& rng) {
    switch (k) {
        case TargetKind::cargo:
            return rng.uniform(90, 220);
        case TargetKind::tanker:
            return rng.uniform(100, 250);
        case TargetKind::fishing:
            return rng.uniform(8, 25);
        default:
            return rng.uniform(5, 12);
    }
}

/// The lane shifted sideways by `offset_m` (positive to the right of the direction of travel),
/// vertex by vertex along the mean of the adjacent segments' normals.
std::vector<Eigen::Vector2d> offset_lane(const std::vector<Eigen::Vector2d>& lane,
                                         double offset_m) {
    std::vector<Eigen::Vector2d> out;
    out.reserve(lane.size());
    for (std::size_t i = 0; i < lane.size(); ++i) {
        Eigen::Vector2d dir(0, 0);
        if (i > 0) dir += (lane[i] - lane[i - 1]).normalized();
        if (i + 1 < lane.size()) dir += (lane[i + 1] - lane[i]).normalized();
        if (dir.norm() < 1e-9) dir = Eigen::Vector2d(1, 0);
        dir.normalize();
        const Eigen::Vector2d right(dir.y(), -dir.x());
        out.push_back(lane[i] + offset_m * right);
    }
    return out;
}

void add_waypoint(TargetSpec& t, const geo::LocalFrame& frame, const Eigen::Vector2d& en,
                  double speed_mps) {
    WaypointSpec w;
    w.where = frame.to_latlon(en);
    w.speed_mps = speed_mps;
    t.waypoints.push_back(w);
}

double leg_time(const Eigen::Vector2d& a, const Eigen::Vector2d& b, double speed) {
    return (b - a).norm() / std::max(speed, 0.1);
}

void lane_path(TargetSpec& t, const TrafficSpec& spec, const geo::LocalFrame& frame,
               double duration_s, double speed, Rng& rng) {
    std::vector<Eigen::Vector2d> lane;
    for (const LatLon& p : spec.lane) lane.push_back(frame.to_en(p));
    if (rng.chance(0.5)) std::reverse(lane.begin(), lane.end());
    // Keep to the right-hand side of the lane as in a traffic separation scheme.
    const double offset = rng.uniform(0.05, 0.5) * spec.lane_width_m;
    const auto outbound = offset_lane(lane, offset);
    std::vector<Eigen::Vector2d> inbound(lane.rbegin(), lane.rend());
    inbound = offset_lane(inbound, offset);
    // Start somewhere along the first leg sequence: pick a segment and a fraction of it.
    const std::size_t seg =
        static_cast<std::size_t>(rng.uniform() * static_cast<double>(lane.size() - 1));
    const double f = rng.uniform();
    const Eigen::Vector2d start = outbound[seg] + f * (outbound[seg + 1] - outbound[seg]);
    add_waypoint(t, frame, start, speed);
    double elapsed = 0;
    Eigen::Vector2d here = start;
    for (std::size_t i = seg + 1; i < outbound.size(); ++i) {
        elapsed += leg_time(here, outbound[i], speed);
        here = outbound[i];
        add_waypoint(t, frame, here, speed);
    }
    bool back = true;
    while (elapsed < duration_s) {
        const auto& path = back ? inbound : outbound;
        for (const auto& p : path) {
            elapsed += leg_time(here, p, speed);
            here = p;
            add_waypoint(t, frame, here, speed);
        }
        back = !back;
    }
}

void box_path(TargetSpec& t, const TrafficSpec& spec, const geo::LocalFrame& frame,
              double duration_s, Rng& rng) {
    auto random_point = [&] {
        return frame.to_en({rng.uniform(spec.box_min.lat_deg, spec.box_max.lat_deg),
                            rng.uniform(spec.box_min.lon_deg, spec.box_max.lon_deg)});
    };
    Eigen::Vector2d here = random_point();
    add_waypoint(t, frame, here, spec.speed_min_mps);
    double elapsed = 0;
    while (elapsed < duration_s) {
        const double speed = rng.uniform(spec.speed_min_mps, spec.speed_max_mps);
        const Eigen::Vector2d to = random_point();
        elapsed += leg_time(here, to, speed);
        here = to;
        add_waypoint(t, frame, here, speed);
        if (spec.kind == TargetKind::fishing && rng.chance(0.5)) {
            // Fishing: drift and work the nets around the spot for a while.
            WaypointSpec& w = t.waypoints.back();
            w.loiter_s = rng.uniform(600, 2400);
            w.loiter_radius_m = rng.uniform(200, 800);
            w.loiter_speed_mps = rng.uniform(0.3, 0.8);  // 0.6-1.6 kn: drifting, below GFW's 2 kn
            elapsed += w.loiter_s;
        }
    }
}

}  // namespace

std::vector<TargetSpec> generate_traffic(const TrafficSpec& spec, const geo::LocalFrame& frame,
                                         double duration_s, std::uint64_t seed) {
    const Mmsi first =
        spec.first_mmsi != 0
            ? spec.first_mmsi
            : static_cast<Mmsi>(525'000'000 + (Rng::derive(0, spec.name) % 900) * 1000);
    std::vector<TargetSpec> out;
    out.reserve(static_cast<std::size_t>(spec.count));
    for (int i = 0; i < spec.count; ++i) {
        TargetSpec t;
        t.name = spec.name + "-" + std::to_string(i + 1);
        // One stream per target: a longer run only adds legs at the end, so the first minutes
        // of any run are the same whatever its duration.
        Rng rng(Rng::derive(seed, "traffic:" + t.name));
        t.kind = spec.kind;
        const double speed = rng.uniform(spec.speed_min_mps, spec.speed_max_mps);
        if (!spec.lane.empty()) {
            lane_path(t, spec, frame, duration_s, speed, rng);
        } else {
            box_path(t, spec, frame, duration_s, rng);
        }
        if (spec.ais != AisClass::none && rng.chance(spec.ais_fraction)) {
            t.ais.cls = spec.ais;
            t.ais.mmsi = first + static_cast<Mmsi>(i);
            t.ais.name = t.name;
            t.ais.ship_type = ship_type_of(spec.kind);
            t.ais.length_m = std::round(length_of(spec.kind, rng));
            t.ais.beam_m = std::round(t.ais.length_m / 6.5);
        }
        out.push_back(std::move(t));
    }
    return out;
}

std::vector<TargetSpec> all_targets(const Scenario& scenario, const geo::LocalFrame& frame,
                                    double duration_s, std::uint64_t seed) {
    std::vector<TargetSpec> out = scenario.targets;
    for (const TrafficSpec& spec : scenario.traffic) {
        auto more = generate_traffic(spec, frame, duration_s, seed);
        out.insert(out.end(), std::make_move_iterator(more.begin()),
                   std::make_move_iterator(more.end()));
    }
    return out;
}

}  // namespace picket::sim
