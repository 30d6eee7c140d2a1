// Where a camera-only track sits along the camera's ray (issue 14): a camera ranges a walker
// from a fraction of a degree of depression, so its track is loose along the ray; it must not
// be biased along it. Gambia's walker-b crossed early on five seeds and a bias toward the
// camera was suspected: there is none (docs/rules.md, "Walker-b's early crossings").
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "filters/tracker.hpp"
#include "geo/local_frame.hpp"
#include "tests/unit/filters/camera_frames.hpp"
#include "tests/unit/filters/scene_time.hpp"

using namespace picket;
using namespace picket::filters;
using namespace picket::tracker_tests;

namespace {

struct RayErrors {
    std::vector<double> along;      ///< track range - true range (m), each update 2.0-2.6 km out
    std::size_t most_confirmed{0};  ///< the most confirmed tracks at once
};

// Gambia's Kartong camera (config/scenarios/gambia-coast.yaml), relative to the lens: 15 m up,
// bearing sigma 0.3 deg, depression drawn with 0.05 deg and reported as 0.1 deg (as the
// simulator does), a frame every 2 s, Pd 0.85; one walker from 3.0 km out at 1.2 m/s, almost
// straight at the camera, as walker-a. Frames from the curved, refracting earth of
// geo/ground_range.hpp, the model the simulator's camera uses.
RayErrors walk(std::uint64_t seed) {
    const KartongCamera cam;
    const geo::LocalFrame& frame = cam.frame;
    Tracker tr(cam.tracker_config());
    std::mt19937_64 gen(seed);
    std::normal_distribution<double> unit(0, 1);
    std::uniform_real_distribution<double> u01(0, 1);
    const CameraNoise noise{15, 0.05 * kDeg, 0.1 * kDeg, 0.3 * kDeg};
    const Eigen::Vector2d& lens = cam.lens;
    const LatLon& lens_ll = cam.lens_ll;
    const Eigen::Vector2d start = lens + Eigen::Vector2d(1932, -2278);
    const Eigen::Vector2d v(-0.620, 1.028);
    RayErrors out;
    for (int k = 0;; ++k) {
        const double t = 2.0 * k;
        const Eigen::Vector2d truth = start + v * t;
        const double range = (truth - lens).norm();
        if (range < 2000) break;
        if (u01(gen) > 0.85) continue;
        Measurement m =
            ranged_camera_frame(frame, lens, lens_ll, noise, truth, at(t), gen, unit, true);
        m.target_class = TargetClass::person;
        m.source_object_id = 101;
        tr.process({&m, 1});
        if (range > 2600) continue;
        std::size_t confirmed = 0;
        for (const Track& track : tr.tracks()) {
            if (track.status == TrackStatus::tentative) continue;
            out.along.push_back((frame.to_en(track.position) - lens).norm() - range);
            ++confirmed;
        }
        out.most_confirmed = std::max(out.most_confirmed, confirmed);
    }
    return out;
}

}  // namespace

TEST_CASE("a camera-only walker's track is not biased along the camera's ray") {
    // 24 walks; each update 2.0-2.6 km from the camera, where Gambia's walkers cross. One
    // frame there is 300-400 m along the ray; the Cramer-Rao bound of a straight walk's
    // position from all its frames, 52 m at 2.42 km (docs/rules.md).
    double sum = 0, sum2 = 0;
    int n = 0;
    std::vector<double> walk_means;
    for (std::uint64_t seed = 1; seed <= 24; ++seed) {
        const RayErrors e = walk(seed);
        REQUIRE(e.most_confirmed == 1);  // one track of the walker
        REQUIRE(e.along.size() > 150);   // confirmed the whole way in
        double s = 0;
        for (double a : e.along) {
            s += a;
            sum2 += a * a;
        }
        sum += s;
        n += static_cast<int>(e.along.size());
        walk_means.push_back(s / static_cast<double>(e.along.size()));
    }
    const double mean = sum / n;
    const double rms = std::sqrt(sum2 / n);
    double sd_walks = 0;
    for (double m : walk_means) sd_walks += (m - mean) * (m - mean);
    sd_walks = std::sqrt(sd_walks / static_cast<double>(walk_means.size() - 1));
    INFO("along-ray error: mean " << mean << " m, rms " << rms << " m, walks' means sd " << sd_walks
                                  << " m");
    // Measured: mean +25 m (beyond the walker: the track starts at rest and lags a target
    // coming at the camera, the direction that makes a crossing late), rms 73 m. The same frames
    // fused as ranged positions (the weighting the angles remove): mean -246 m, rms 259 m.
    // Toward the camera is what makes a border crossing early: 20 m is 17 s of walking.
    CHECK(mean > -20);
    CHECK(mean < 50);  // the lag: 43 s of walking
    CHECK(rms < 100);
}
