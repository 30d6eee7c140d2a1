// Held-out check of starting tracks from a plot's own velocity (issue 15): simulated radar scenes
// (polar plots from a site south of the scene, 25 m / 0.2 deg), surface and air targets,
// clutter, three seeds, three scan intervals. Each scene is tracked three ways: plots without
// velocity; the targets' plots with their velocity (noise 1.5 m/s, as a radar tracker reports
// it) and clutter without; and every plot with one, clutter's random (a radar that reports its
// own false tracks too). Prints, per scene, truths tracked, false tracks, ID switches and the mean
// initiation delay, scored against truth with a cut-off of 1 km (surface: 8-72 km from the radar,
// cross-range noise up to 250 m) or 2 km (air: 20-240 km, up to 840 m).
//   bench_start_velocity            (deterministic; a few seconds)
#include <cmath>
#include <cstdio>
#include <map>
#include <numbers>
#include <random>
#include <utility>
#include <vector>

#include "eval/batch_tracking.hpp"
#include "eval/scene.hpp"
#include "eval/track_metrics.hpp"
#include "filters/tracker.hpp"
#include "geo/ground_range.hpp"

using namespace picket;

namespace {

constexpr double kDeg = std::numbers::pi / 180;

enum class Mode { none, targets, all };

struct Figures {
    std::size_t truths{0}, tracked{0}, false_tracks{0}, id_switches{0};
    double delay_s{0};
};

Figures track(const eval::Scene& scene, Mode mode, double max_speed, bool air, double site_south_m,
              std::uint64_t seed) {
    filters::TrackerConfig cfg;
    filters::Tracker tracker(cfg);
    if (air) tracker.set_feed_watches(0, filters::Watches::air);
    SensorSite site;
    site.position = tracker.frame().to_latlon(Eigen::Vector2d(0, -site_south_m));
    const double sigma_r = 25, sigma_b = 0.2 * kDeg, sigma_v = 1.5;
    std::mt19937_64 gen(seed * 7919 + static_cast<std::uint64_t>(mode));
    std::normal_distribution<double> unit(0, 1);
    std::uniform_real_distribution<double> uni(0, 1);
    std::map<std::pair<std::int64_t, std::int64_t>, const eval::TruthPoint*> truth_at;
    for (const auto& tp : scene.truth)
        truth_at[{std::llround(tp.t_s * 1000), static_cast<std::int64_t>(tp.truth_id)}] = &tp;
    std::vector<eval::TrackPoint> tracks;
    std::vector<Measurement> batch;
    for (std::size_t b = 0; b < scene.detections.size();) {
        const double t = scene.detections[b].t_s;
        const Timestamp ts{eval::kBatchEpochNs + Duration::from_seconds(t).ns};
        batch.clear();
        for (; b < scene.detections.size() && scene.detections[b].t_s == t; ++b) {
            const eval::Detection& d = scene.detections[b];
            const LatLon p = tracker.frame().to_latlon(Eigen::Vector2d(d.x_m, d.y_m));
            Measurement m;
            m.sensor = SensorKind::radar;
            m.observed = m.received = ts;
            m.z = PolarZ{site, geo::geodesic_distance_m(site.position, p) + sigma_r * unit(gen),
                         geo::geodesic_bearing_deg(site.position, p) * kDeg + sigma_b * unit(gen),
                         sigma_r, sigma_b};
            const Eigen::Matrix2d cov = Eigen::Matrix2d::Identity() * sigma_v * sigma_v;
            if (d.truth_id >= 0 && mode != Mode::none) {
                const auto* tp = truth_at.at({std::llround(t * 1000), d.truth_id});
                m.velocity = VelocityZ{tp->vx_mps + sigma_v * unit(gen),
                                       tp->vy_mps + sigma_v * unit(gen), cov};
            } else if (d.truth_id < 0 && mode == Mode::all) {
                const double v = max_speed * uni(gen), h = 2 * std::numbers::pi * uni(gen);
                m.velocity = VelocityZ{v * std::sin(h), v * std::cos(h), cov};
            }
            batch.push_back(m);
        }
        tracker.process(batch, ts);
        for (const filters::LocalTrack& lt : tracker.local_tracks(ts))
            if (lt.status == TrackStatus::confirmed)
                tracks.push_back({t, lt.id, lt.x(0), lt.x(1), lt.x(2), lt.x(3)});
    }
    eval::ScoreOptions so;
    so.c_m = air ? 2000 : 1000;
    const eval::ScoreReport r = eval::score(scene.truth, tracks, so);
    return {r.truths, r.truths - r.truths_never_tracked, r.false_tracks, r.id_switches_mot,
            r.initiation_delay_mean_s};
}

}  // namespace

int main() {
    std::printf("%-8s %5s %4s %7s | %-22s | %-22s | %-22s\n", "targets", "scan", "seed", "clutter",
                "no velocity", "targets' velocity", "every plot's velocity");
    std::printf("%-8s %5s %4s %7s | %-22s | %-22s | %-22s\n", "", "s", "", "/scan",
                "trk/n false sw delay", "trk/n false sw delay", "trk/n false sw delay");
    for (const bool air : {false, true}) {
        for (const double scan : {2.0, 4.0, 10.0}) {
            for (const double clutter : {10.0, 50.0}) {
                for (const std::uint64_t seed : {101, 102, 103}) {
                    eval::CvSceneConfig sc;
                    // Far enough apart that no two meet (eval::make_cv_scene's spacing): 49
                    // boats in a 64 km square, 9 aircraft in a 221 km one.
                    sc.targets = air ? 9 : 49;
                    sc.duration_s = 120;
                    sc.scan_s = scan;
                    sc.speed_min_mps = air ? 100 : 3;
                    sc.speed_max_mps = air ? 250 : 12;
                    sc.accel_sigma_mps2 = air ? 0.1 : 0.05;
                    sc.min_separation_m = air ? 5000 : 2000;
                    sc.pd = 0.9;
                    sc.clutter_per_scan = clutter;
                    sc.sigma_m = 1e-3;  // the noise is the radar's, added in polar
                    sc.seed = seed;
                    const eval::Scene scene = eval::make_cv_scene(sc);
                    std::printf("%-8s %5.0f %4llu %7.0f", air ? "air" : "surface", scan,
                                static_cast<unsigned long long>(seed), clutter);
                    for (const Mode mode : {Mode::none, Mode::targets, Mode::all}) {
                        const Figures f = track(scene, mode, sc.speed_max_mps, air,
                                                air ? 130'000.0 : 40'000.0, seed);
                        std::printf(" | %3zu/%-3zu %4zu %3zu %5.1f", f.tracked, f.truths,
                                    f.false_tracks, f.id_switches, f.delay_s);
                    }
                    std::printf("\n");
                }
            }
        }
    }
    return 0;
}
