// Accuracy on constant-velocity scenes with known truth (Pd 0.9, clutter): RMSE against the
// filter's own covariance (the theoretical floor for a linear-Gaussian model that matches the
// truth), false confirmed tracks, ID switches.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>

#include "eval/batch_tracking.hpp"
#include "eval/scene.hpp"
#include "eval/track_metrics.hpp"

using namespace picket;
using namespace picket::eval;

namespace {

struct Outcome {
    ScoreReport score;
    double rmse_ratio{0};
    double floor_m{0};
    double steady_rmse_m{0};
};

// RMSE and floor over scans after the warm-up, from the same truth/track pairing as the score.
Outcome run(int targets, std::uint64_t seed, const std::string& filter, double clutter,
            const std::string& association = "gnn") {
    CvSceneConfig sc;
    sc.targets = targets;
    sc.duration_s = 120;
    sc.scan_s = 2;
    sc.pd = 0.9;
    sc.clutter_per_scan = clutter;
    sc.sigma_m = 20;
    sc.accel_sigma_mps2 = 0.1;
    sc.seed = seed;
    const Scene scene = make_cv_scene(sc);
    BatchOptions bo;
    bo.tracker.filter = filter;
    bo.tracker.association = association;
    bo.tracker.class_noise[0].accel_sigma_mps2 = sc.accel_sigma_mps2;  // the model matches truth
    bo.sigma_m = sc.sigma_m;
    const BatchResult br = run_batch(scene.detections, bo);
    Outcome o;
    o.score = score(scene.truth, br.tracks, ScoreOptions{100, 1});
    // Steady state: drop the first 30 s (initiation and convergence).
    std::vector<TruthPoint> truth_ss;
    for (const TruthPoint& p : scene.truth)
        if (p.t_s >= 30) truth_ss.push_back(p);
    std::vector<TrackPoint> tracks_ss;
    double var = 0;
    for (std::size_t k = 0; k < br.tracks.size(); ++k) {
        if (br.tracks[k].t_s < 30) continue;
        tracks_ss.push_back(br.tracks[k]);
        var += br.position_variance[k];
    }
    const ScoreReport ss = score(truth_ss, tracks_ss, ScoreOptions{100, 1});
    o.steady_rmse_m = ss.position_rmse_m;
    o.floor_m = std::sqrt(var / static_cast<double>(tracks_ss.size()));
    o.rmse_ratio = o.steady_rmse_m / o.floor_m;
    std::printf(
        "targets=%d filter=%s/%s rmse=%.2f m floor=%.2f m ratio=%.3f gospa=%.2f ospa=%.2f idsw=%zu "
        "frag=%zu false_tracks=%zu never=%zu init_delay=%.1f s\n",
        targets, filter.c_str(), association.c_str(), o.steady_rmse_m, o.floor_m, o.rmse_ratio,
        o.score.gospa_mean, o.score.ospa_mean, o.score.id_switches, o.score.fragmentations,
        o.score.false_tracks, o.score.truths_never_tracked, o.score.initiation_delay_mean_s);
    return o;
}

}  // namespace

TEST_CASE(
    "CV scene, 10 targets: RMSE within 20% of the KF floor, no false tracks, no ID switches") {
    const Outcome o = run(10, 11, "kf", 10);
    CHECK(o.rmse_ratio > 0.8);
    CHECK(o.rmse_ratio < 1.2);
    CHECK(o.score.false_tracks == 0);
    CHECK(o.score.id_switches == 0);
    CHECK(o.score.truths_never_tracked == 0);
}

TEST_CASE("CV scene, 100 targets, IMM and KF") {
    for (const char* f : {"kf", "imm"}) {
        const Outcome o = run(100, 12, f, 20);
        CHECK(o.rmse_ratio < 1.2);
        CHECK(o.rmse_ratio > 0.8);
        CHECK(o.score.false_tracks == 0);
        CHECK(o.score.id_switches == 0);
    }
}

TEST_CASE("CV scene, 1000 targets") {
    const Outcome o = run(1000, 13, "kf", 50);
    CHECK(o.rmse_ratio > 0.8);
    CHECK(o.rmse_ratio < 1.2);
    CHECK(o.score.false_tracks == 0);
    CHECK(o.score.id_switches == 0);
    CHECK(o.score.truths_never_tracked == 0);
}

TEST_CASE("CV scene, 50 targets, JPDA association in heavier clutter") {
    const Outcome o = run(50, 14, "kf", 200, "jpda");
    CHECK(o.rmse_ratio < 1.2);
    CHECK(o.score.false_tracks == 0);
    CHECK(o.score.id_switches == 0);
    CHECK(o.score.truths_never_tracked == 0);
}
