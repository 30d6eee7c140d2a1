#include "eval/scene.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

#include "eval/rng.hpp"

namespace picket::eval {
namespace {

/// One scan of a nearly-constant-velocity target, exactly discretised: per axis
/// [dp; dv] ~ N(0, q [T^3/3 T^2/2; T^2/2 T]), sampled through its Cholesky factor (x, then y;
/// two normal draws each).
class CwnaStep {
public:
    CwnaStep(double accel_sigma_mps2, double T)
        : T_(T),
          q_(accel_sigma_mps2 * accel_sigma_mps2),
          l11_(std::sqrt(q_ * T * T * T / 3)),
          l21_((q_ * T * T / 2) / l11_),
          l22_(std::sqrt(q_ * T - l21_ * l21_)) {}

    void apply(double& x, double& y, double& vx, double& vy, Rng& rng) const {
        axis(x, vx, rng);
        axis(y, vy, rng);
    }

private:
    void axis(double& p, double& v, Rng& rng) const {
        const double n1 = rng.normal();
        const double n2 = rng.normal();
        p += v * T_ + l11_ * n1;
        v += l21_ * n1 + l22_ * n2;
    }
    double T_, q_, l11_, l21_, l22_;
};

}  // namespace

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
    const CwnaStep step(c.accel_sigma_mps2, c.scan_s);
    for (int s = 0; s < scans; ++s) {
        const double t = s * c.scan_s;
        for (int k = 0; k < c.targets; ++k) {
            S& x = st[static_cast<std::size_t>(k)];
            if (s > 0) step.apply(x.x, x.y, x.vx, x.vy, rng);
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

namespace {

// One scan's detections of the truth points [b, e) (Pd, Gaussian noise) and `clutter` Poisson
// false plots uniform over the box, shuffled so that order carries no truth information.
void detect_scan(Scene& scene, std::size_t b, std::size_t e, double t, double pd, double sigma,
                 double clutter, double x0, double x1, double y0, double y1, Rng& rng) {
    std::vector<Detection> scan;
    for (std::size_t k = b; k < e; ++k) {
        const TruthPoint& p = scene.truth[k];
        if (rng.uniform() < pd) {
            const double nx = rng.normal();
            const double ny = rng.normal();
            scan.push_back(
                {t, p.x_m + sigma * nx, p.y_m + sigma * ny, static_cast<std::int64_t>(p.truth_id)});
        }
    }
    const std::uint64_t nc = rng.poisson(clutter);
    for (std::uint64_t k = 0; k < nc; ++k)
        scan.push_back({t, rng.uniform(x0, x1), rng.uniform(y0, y1), -1});
    for (std::size_t k = scan.size(); k > 1; --k) {
        const auto j = static_cast<std::size_t>(rng.uniform() * static_cast<double>(k));
        std::swap(scan[k - 1], scan[std::min(j, k - 1)]);
    }
    scene.detections.insert(scene.detections.end(), scan.begin(), scan.end());
}

/// The truth's bounding box grown by 1 km: where clutter falls.
struct Box {
    double x0, x1, y0, y1;
};
Box clutter_box(const Scene& scene) {
    double x0 = scene.truth[0].x_m, x1 = x0, y0 = scene.truth[0].y_m, y1 = y0;
    for (const TruthPoint& p : scene.truth) {
        x0 = std::min(x0, p.x_m);
        x1 = std::max(x1, p.x_m);
        y0 = std::min(y0, p.y_m);
        y1 = std::max(y1, p.y_m);
    }
    const double margin = 1000;
    return {x0 - margin, x1 + margin, y0 - margin, y1 + margin};
}

}  // namespace

void detect(Scene& scene, double pd, double sigma, double clutter, double /*scan_s*/,
            std::uint64_t seed) {
    Rng rng(seed);
    scene.detections.clear();
    if (scene.truth.empty()) return;
    const Box box = clutter_box(scene);
    std::size_t b = 0;
    while (b < scene.truth.size()) {
        std::size_t e = b;
        const double t = scene.truth[b].t_s;
        while (e < scene.truth.size() && scene.truth[e].t_s == t) ++e;
        detect_scan(scene, b, e, t, pd, sigma, clutter, box.x0, box.x1, box.y0, box.y1, rng);
        b = e;
    }
}

}  // namespace picket::eval

namespace picket::eval {
namespace {

// Pair k's centre on a square grid `spacing` apart.
std::array<double, 2> grid_centre(int k, int count, double spacing) {
    const int side = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(count))));
    return {(k % side) * spacing, (k / side) * spacing};
}

// Two constant-velocity targets per pair, given at time tc; the truth of every scan and the
// detections (clutter over the truth's bounding box + 1 km, clutter_per_target x targets).
struct PairMotion {
    std::array<double, 2> a, b, va, vb;  // positions at tc, velocities
};
Scene pairs_scene(const std::vector<PairMotion>& pairs, int scans, double scan_s, double tc,
                  double pd, double sigma, double clutter_per_target, Rng& rng) {
    Scene scene;
    for (int k = 0; k < scans; ++k) {
        const double t = k * scan_s;
        const double dt = t - tc;
        std::uint64_t id = 1;
        for (const PairMotion& m : pairs) {
            scene.truth.push_back(
                {t, id++, m.a[0] + m.va[0] * dt, m.a[1] + m.va[1] * dt, m.va[0], m.va[1]});
            scene.truth.push_back(
                {t, id++, m.b[0] + m.vb[0] * dt, m.b[1] + m.vb[1] * dt, m.vb[0], m.vb[1]});
        }
    }
    const Box box = clutter_box(scene);
    const double clutter = clutter_per_target * 2 * static_cast<double>(pairs.size());
    const std::size_t per_scan = 2 * pairs.size();
    for (int k = 0; k < scans; ++k) {
        const std::size_t b = static_cast<std::size_t>(k) * per_scan;
        detect_scan(scene, b, b + per_scan, k * scan_s, pd, sigma, clutter, box.x0, box.x1, box.y0,
                    box.y1, rng);
    }
    return scene;
}

}  // namespace

Scene make_open_scene(const OpenSceneConfig& c) {
    Rng rng(c.seed * 1'000'003ULL + static_cast<std::uint64_t>(c.targets) * 7 +
            static_cast<std::uint64_t>(c.scan_s * 10));
    Scene scene;
    const auto n = static_cast<std::size_t>(c.targets);
    const double side = 1000.0 * std::sqrt(c.targets / c.density_per_km2);
    const double duration = (c.scans - 1) * c.scan_s;
    struct Target {
        double birth, death, x, y, vx, vy;
    };
    std::vector<Target> tg(n);
    for (Target& g : tg) {
        g.birth = rng.uniform() < 0.5 ? 0.0 : rng.uniform(0, 0.6 * duration);
        g.birth = std::floor(g.birth / c.scan_s) * c.scan_s;
        g.death = rng.uniform() < 0.5
                      ? std::numeric_limits<double>::infinity()
                      : g.birth + 0.2 * duration + rng.uniform() * (0.8 * duration - g.birth);
        const double h = rng.uniform(0, 2 * std::numbers::pi);
        const double v = rng.uniform(c.speed_min_mps, c.speed_max_mps);
        g.x = rng.uniform(0, side);
        g.y = rng.uniform(0, side);
        g.vx = v * std::sin(h);
        g.vy = v * std::cos(h);
    }
    const CwnaStep step(c.accel_sigma_mps2, c.scan_s);
    for (int k = 0; k < c.scans; ++k) {
        const double t = k * c.scan_s;
        const std::size_t b = scene.truth.size();
        for (std::size_t i = 0; i < n; ++i) {
            Target& g = tg[i];
            if (k > 0) step.apply(g.x, g.y, g.vx, g.vy, rng);
            if (g.birth <= t + 1e-9 && t < g.death)
                scene.truth.push_back({t, i + 1, g.x, g.y, g.vx, g.vy});
        }
        detect_scan(scene, b, scene.truth.size(), t, c.pd, c.sigma_m,
                    c.clutter_per_target * c.targets, 0, side, 0, side, rng);
    }
    return scene;
}

Scene make_encounter_scene(const EncounterSceneConfig& c) {
    Rng rng(c.seed * 7'919ULL + 17);
    const double deg = std::numbers::pi / 180;
    // Closest approach mid-run, not on a scan: the two plots nearest it are apart.
    const double tc = 0.5 * (c.scans - 1) * c.scan_s + rng.uniform(0, c.scan_s);
    std::vector<PairMotion> pairs;
    for (int k = 0; k < c.pairs; ++k) {
        const double ha = rng.uniform(0, 2 * std::numbers::pi);
        const double turn = rng.uniform(c.crossing_deg_min, c.crossing_deg_max) * deg;
        const double hb = ha + (rng.uniform() < 0.5 ? turn : -turn);
        double sa = 0;
        double sb = 0;
        do {
            sa = rng.uniform(c.speed_min_mps, c.speed_max_mps);
            sb = rng.uniform(c.speed_min_mps, c.speed_max_mps);
        } while (std::abs(sa - sb) < c.speed_gap_mps);
        PairMotion m;
        m.va = {sa * std::sin(ha), sa * std::cos(ha)};
        m.vb = {sb * std::sin(hb), sb * std::cos(hb)};
        // Their relative position at tc is across the relative velocity: closest there.
        const double rx = m.vb[0] - m.va[0];
        const double ry = m.vb[1] - m.va[1];
        const double rn = std::hypot(rx, ry);
        const double miss = rng.uniform(c.miss_min_m, c.miss_max_m);
        const std::array<double, 2> ctr = grid_centre(k, c.pairs, c.pair_spacing_m);
        const double nx = -ry / rn * 0.5 * miss;
        const double ny = rx / rn * 0.5 * miss;
        m.a = {ctr[0] - nx, ctr[1] - ny};
        m.b = {ctr[0] + nx, ctr[1] + ny};
        pairs.push_back(m);
    }
    return pairs_scene(pairs, c.scans, c.scan_s, tc, c.pd, c.sigma_m, c.clutter_per_target, rng);
}

Scene make_convoy_scene(const ConvoySceneConfig& c) {
    Rng rng(c.seed * 6'007ULL + 29);
    const double tc = 0.5 * (c.scans - 1) * c.scan_s;
    std::vector<PairMotion> pairs;
    for (int k = 0; k < c.pairs; ++k) {
        const double h = rng.uniform(0, 2 * std::numbers::pi);
        const double v = rng.uniform(c.speed_min_mps, c.speed_max_mps);
        PairMotion m;
        m.va = m.vb = {v * std::sin(h), v * std::cos(h)};
        const std::array<double, 2> ctr = grid_centre(k, c.pairs, c.pair_spacing_m);
        // Across the heading: (cos h, -sin h).
        const double nx = std::cos(h) * 0.5 * c.separation_m;
        const double ny = -std::sin(h) * 0.5 * c.separation_m;
        m.a = {ctr[0] - nx, ctr[1] - ny};
        m.b = {ctr[0] + nx, ctr[1] + ny};
        pairs.push_back(m);
    }
    return pairs_scene(pairs, c.scans, c.scan_s, tc, c.pd, c.sigma_m, c.clutter_per_target, rng);
}

}  // namespace picket::eval
