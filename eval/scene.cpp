#include "eval/scene.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "eval/rng.hpp"

namespace picket::eval {

Scene make_cv_scene(const CvSceneConfig& c) {
    Rng rng(c.seed);
    Scene scene;
    // Spacing: two targets heading at each other at full speed for the whole scene still stay
    // min_separation apart (plus a margin for the random acceleration).
    const double travel =
        c.speed_max_mps * c.duration_s + 3 * c.accel_sigma_mps2 * c.duration_s * c.duration_s;
    const double spacing = 2 * travel + c.min_separation_m;
    const int side = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(c.targets))));
    const double half = 0.5 * side * spacing;
    struct S {
        double x, y, vx, vy;
    };
    std::vector<S> st(static_cast<std::size_t>(c.targets));
    for (int k = 0; k < c.targets; ++k) {
        const double h = rng.uniform(0, 2 * std::numbers::pi);
        const double v = rng.uniform(c.speed_min_mps, c.speed_max_mps);
        st[static_cast<std::size_t>(k)] = {(k % side + 0.5) * spacing - half,
                                           (k / side + 0.5) * spacing - half, v * std::sin(h),
                                           v * std::cos(h)};
    }
    const int scans = static_cast<int>(std::floor(c.duration_s / c.scan_s)) + 1;
    const double q = c.accel_sigma_mps2 * c.accel_sigma_mps2;
    const double T = c.scan_s;
    // Exact sampling of the CWNA increment: [dp; dv] ~ N(0, q [T^3/3 T^2/2; T^2/2 T]) per axis.
    const double l11 = std::sqrt(q * T * T * T / 3);
    const double l21 = (q * T * T / 2) / l11;
    const double l22 = std::sqrt(q * T - l21 * l21);
    for (int s = 0; s < scans; ++s) {
        const double t = s * c.scan_s;
        for (int k = 0; k < c.targets; ++k) {
            S& x = st[static_cast<std::size_t>(k)];
            if (s > 0) {
                for (int axis = 0; axis < 2; ++axis) {
                    const double n1 = rng.normal();
                    const double n2 = rng.normal();
                    double& p = axis == 0 ? x.x : x.y;
                    double& v = axis == 0 ? x.vx : x.vy;
                    p += v * T + l11 * n1;
                    v += l21 * n1 + l22 * n2;
                }
            }
            scene.truth.push_back({t, static_cast<std::uint64_t>(k + 1), x.x, x.y, x.vx, x.vy});
        }
    }
    detect(scene, c.pd, c.sigma_m, c.clutter_per_scan, c.scan_s, c.seed ^ 0x9e3779b97f4a7c15ULL);
    return scene;
}

Scene make_turn_scene(const TurnSceneConfig& c) {
    Rng rng(c.seed);
    Scene scene;
    const double w = c.turn_rate_dps * std::numbers::pi / 180;
    const double turn_s = c.turn_deg / c.turn_rate_dps;
    const double duration = 2 * c.straight_s + turn_s;
    const int scans = static_cast<int>(std::floor(duration / c.scan_s)) + 1;
    const int side = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(c.targets))));
    for (int k = 0; k < c.targets; ++k) {
        const double h0 = rng.uniform(0, 2 * std::numbers::pi);
        const double dir = rng.uniform() < 0.5 ? 1.0 : -1.0;  // turn left or right
        double x = (k % side) * c.spacing_m;
        double y = (k / side) * c.spacing_m;
        double h = h0;
        double t_prev = 0;
        for (int s = 0; s < scans; ++s) {
            const double t = s * c.scan_s;
            // Integrate exactly piecewise: straight, turn, straight.
            double a = t_prev;
            while (a < t) {
                const double seg_end = a < c.straight_s ? std::min(t, c.straight_s)
                                       : a < c.straight_s + turn_s
                                           ? std::min(t, c.straight_s + turn_s)
                                           : t;
                const double dt = seg_end - a;
                if (a >= c.straight_s && a < c.straight_s + turn_s) {
                    // Compass heading h turns by dir*w; position integrates the arc exactly.
                    const double dh = dir * w * dt;
                    const double r = c.speed_mps / w;
                    x += dir * r * (std::cos(h) - std::cos(h + dh));
                    y += dir * r * (std::sin(h + dh) - std::sin(h));
                    h += dh;
                } else {
                    x += c.speed_mps * std::sin(h) * dt;
                    y += c.speed_mps * std::cos(h) * dt;
                }
                a = seg_end;
                if (dt <= 0) break;
            }
            t_prev = t;
            scene.truth.push_back({t, static_cast<std::uint64_t>(k + 1), x, y,
                                   c.speed_mps * std::sin(h), c.speed_mps * std::cos(h)});
        }
    }
    std::stable_sort(scene.truth.begin(), scene.truth.end(),
                     [](const TruthPoint& a, const TruthPoint& b) {
                         return a.t_s < b.t_s || (a.t_s == b.t_s && a.truth_id < b.truth_id);
                     });
    detect(scene, c.pd, c.sigma_m, c.clutter_per_scan, c.scan_s, c.seed ^ 0x9e3779b97f4a7c15ULL);
    return scene;
}

void detect(Scene& scene, double pd, double sigma, double clutter, double /*scan_s*/,
            std::uint64_t seed) {
    Rng rng(seed);
    scene.detections.clear();
    if (scene.truth.empty()) return;
    double x0 = scene.truth[0].x_m, x1 = x0, y0 = scene.truth[0].y_m, y1 = y0;
    for (const TruthPoint& p : scene.truth) {
        x0 = std::min(x0, p.x_m);
        x1 = std::max(x1, p.x_m);
        y0 = std::min(y0, p.y_m);
        y1 = std::max(y1, p.y_m);
    }
    const double margin = 1000;
    std::size_t b = 0;
    while (b < scene.truth.size()) {
        std::size_t e = b;
        const double t = scene.truth[b].t_s;
        std::vector<Detection> scan;
        while (e < scene.truth.size() && scene.truth[e].t_s == t) {
            const TruthPoint& p = scene.truth[e];
            if (rng.uniform() < pd) {
                const double nx = rng.normal();
                const double ny = rng.normal();
                scan.push_back({t, p.x_m + sigma * nx, p.y_m + sigma * ny,
                                static_cast<std::int64_t>(p.truth_id)});
            }
            ++e;
        }
        const std::uint64_t nc = rng.poisson(clutter);
        for (std::uint64_t k = 0; k < nc; ++k) {
            scan.push_back({t, rng.uniform(x0 - margin, x1 + margin),
                            rng.uniform(y0 - margin, y1 + margin), -1});
        }
        // Shuffle (Fisher-Yates with our uniform) so that order carries no truth information.
        for (std::size_t k = scan.size(); k > 1; --k) {
            const auto j = static_cast<std::size_t>(rng.uniform() * static_cast<double>(k));
            std::swap(scan[k - 1], scan[std::min(j, k - 1)]);
        }
        scene.detections.insert(scene.detections.end(), scan.begin(), scan.end());
        b = e;
    }
}

}  // namespace picket::eval
