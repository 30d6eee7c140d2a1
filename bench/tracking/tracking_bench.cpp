// Tracker cost per scan from 100 to 10,000 targets (~1.2 detections per target per scan:
// Pd 0.9 plus clutter 0.3 per target), one core, and memory per track.
// Prints thread CPU time (robust on a loaded machine) and wall time per scan in steady state,
// and a digest of the final picture (every track's id, status, time, position, velocity and
// covariance, to the bit): two builds that must give the same tracks print the same digest.
//   bench_tracking [--targets 100,1000,10000] [--filter imm|kf|ekf|ukf] [--association gnn|jpda]
//                  [--singles 200]   (one-plot batches timed after the scans: more for a profile)
//                  [--clutter-cell-m 2000] [--false-track-budget 0] [--false-track-ratio 1e-4]
//                  [--budget-evidence plot|gate]   (the clutter map and the false-track budget;
//                  the library's defaults unless given: `--clutter-cell-m 0 --false-track-ratio 0
//                  --budget-evidence gate` is the tracker before they became the defaults)
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "eval/batch_tracking.hpp"
#include "eval/scene.hpp"
#include "filters/tracker.hpp"

using namespace picket;

namespace {
/// FNV-1a over the bytes of every track's fields that the tracker computes.
std::uint64_t picture_digest(const std::vector<Track>& tracks) {
    std::uint64_t h = 1469598103934665603ULL;
    auto add = [&](const void* p, std::size_t n) {
        const auto* b = static_cast<const unsigned char*>(p);
        for (std::size_t k = 0; k < n; ++k) h = (h ^ b[k]) * 1099511628211ULL;
    };
    for (const Track& t : tracks) {
        add(&t.id, sizeof t.id);
        add(&t.status, sizeof t.status);
        add(&t.updated.ns, sizeof t.updated.ns);
        add(&t.position.lat_deg, sizeof(double));
        add(&t.position.lon_deg, sizeof(double));
        add(&t.east_mps, sizeof(double));
        add(&t.north_mps, sizeof(double));
        add(t.cov.data(), sizeof(double) * 16);
        add(&t.target_class, sizeof t.target_class);
    }
    return h;
}

double thread_cpu_s() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
}  // namespace

int main(int argc, char** argv) {
    std::vector<int> sizes{100, 300, 1000, 3000, 10000};
    std::string filter = "imm";
    std::string association = "gnn";
    int singles = 200;
    // < 0 (or empty): the library's defaults, so the bench measures what a server runs.
    double clutter_cell_m = -1;
    double false_track_budget = 0;
    double false_track_ratio = -1;
    std::string budget_evidence;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--targets")) {
            sizes.clear();
            std::stringstream ss(argv[i + 1]);
            std::string tok;
            while (std::getline(ss, tok, ',')) sizes.push_back(std::stoi(tok));
        } else if (!std::strcmp(argv[i], "--filter")) {
            filter = argv[i + 1];
        } else if (!std::strcmp(argv[i], "--association")) {
            association = argv[i + 1];
        } else if (!std::strcmp(argv[i], "--singles")) {
            singles = std::max(1, std::stoi(argv[i + 1]));
        } else if (!std::strcmp(argv[i], "--clutter-cell-m")) {
            clutter_cell_m = std::stod(argv[i + 1]);
        } else if (!std::strcmp(argv[i], "--false-track-budget")) {
            false_track_budget = std::stod(argv[i + 1]);
        } else if (!std::strcmp(argv[i], "--false-track-ratio")) {
            false_track_ratio = std::stod(argv[i + 1]);
        } else if (!std::strcmp(argv[i], "--budget-evidence")) {
            budget_evidence = argv[i + 1];
        }
    }
    using Evidence = filters::LifecycleSettings::BudgetEvidence;
    const filters::TrackerConfig defaults;
    if (clutter_cell_m < 0) clutter_cell_m = defaults.clutter_cell_m;
    if (false_track_ratio < 0) false_track_ratio = defaults.life.false_track_ratio;
    Evidence evidence = defaults.life.budget_evidence;
    if (budget_evidence == "gate") evidence = Evidence::gate;
    if (budget_evidence == "plot") evidence = Evidence::plot;
    if (budget_evidence == "likelihood") evidence = Evidence::likelihood;
    std::printf(
        "filter=%s association=%s clutter_cell_m=%g false_track_budget=%g "
        "false_track_ratio=%g budget_evidence=%s\n",
        filter.c_str(), association.c_str(), clutter_cell_m, false_track_budget, false_track_ratio,
        evidence == Evidence::plot         ? "plot"
        : evidence == Evidence::likelihood ? "likelihood"
                                           : "gate");
    std::printf("%8s %10s %12s %12s %12s %10s %12s %14s %18s\n", "targets", "det/scan",
                "cpu_ms/scan", "wall_ms/scan", "max_cpu_ms", "tracks", "bytes/track", "1-plot_us",
                "digest");
    for (int n : sizes) {
        eval::CvSceneConfig sc;
        sc.targets = n;
        sc.duration_s = 40;
        sc.scan_s = 2;
        sc.pd = 0.9;
        sc.clutter_per_scan = 0.3 * n;
        sc.sigma_m = 20;
        sc.seed = 7;
        const eval::Scene scene = eval::make_cv_scene(sc);
        filters::TrackerConfig cfg;
        cfg.filter = filter;
        cfg.association = association;
        cfg.clutter_cell_m = clutter_cell_m;
        cfg.life.false_track_budget = false_track_budget;
        cfg.life.false_track_ratio = false_track_ratio;
        cfg.life.budget_evidence = evidence;
        filters::Tracker tracker(cfg);
        // Pre-build the measurement batches: decoding is not the tracker's cost.
        std::vector<std::vector<Measurement>> scans;
        const Eigen::Matrix2d cov = Eigen::Matrix2d::Identity() * 400.0;
        for (std::size_t b = 0; b < scene.detections.size();) {
            std::size_t e = b;
            std::vector<Measurement> batch;
            const double t = scene.detections[b].t_s;
            while (e < scene.detections.size() && scene.detections[e].t_s == t) {
                Measurement m;
                m.observed = m.received =
                    Timestamp{eval::kBatchEpochNs + Duration::from_seconds(t).ns};
                m.z = PositionZ{
                    tracker.frame().to_latlon({scene.detections[e].x_m, scene.detections[e].y_m}),
                    cov};
                batch.push_back(m);
                ++e;
            }
            scans.push_back(std::move(batch));
            b = e;
        }
        double cpu = 0;
        double wall = 0;
        double cpu_max = 0;
        std::size_t timed = 0;
        std::size_t dets = 0;
        for (std::size_t s = 0; s < scans.size(); ++s) {
            const double c0 = thread_cpu_s();
            const auto w0 = std::chrono::steady_clock::now();
            tracker.process(scans[s]);
            const double c1 = thread_cpu_s();
            const auto w1 = std::chrono::steady_clock::now();
            if (s >= 5) {  // steady state: tracks confirmed
                cpu += c1 - c0;
                cpu_max = std::max(cpu_max, c1 - c0);
                wall += std::chrono::duration<double>(w1 - w0).count();
                dets += scans[s].size();
                ++timed;
            }
        }
        // One-plot batches (an AIS sentence, a single camera object) against the full picture:
        // the per-batch overhead that does not shrink with the batch.
        const std::vector<Measurement>& last = scans.back();
        const double c0 = thread_cpu_s();
        for (int k = 0; k < singles; ++k) {
            Measurement m = last[static_cast<std::size_t>(k) % last.size()];
            m.observed = m.received = last[0].observed + Duration::from_millis(k + 1);
            tracker.process({&m, 1});
        }
        const double single_us = 1e6 * (thread_cpu_s() - c0) / singles;
        std::printf("%8d %10.0f %12.3f %12.3f %12.3f %10zu %12zu %14.1f %18llx\n", n,
                    static_cast<double>(dets) / timed, 1e3 * cpu / timed, 1e3 * wall / timed,
                    1e3 * cpu_max, tracker.tracks().size(), tracker.bytes_per_track_estimate(),
                    single_us, static_cast<unsigned long long>(picture_digest(tracker.tracks())));
    }
    return 0;
}
