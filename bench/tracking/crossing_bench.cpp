// Crossings (issue 13 point 2) under each association: the encounter scenes of eval/scene.hpp
// (pairs of targets crossing 30-50 m apart, speeds at least 2 m/s apart), wide (30-150 degrees)
// or shallow (10-30: side by side for many looks), over a range of seeds. Prints per set the
// CLEAR-MOT ID switches, the scenes with any, the truths that shared a track, the mean OSPA,
// false tracks, the tracker's multi-scan exchanges and the tracker's time per scan.
//   bench_crossings [--pd P] [--scan S] [--shallow] [--seeds FIRST LAST] [--looks N]
//                   [--association A]...   (default: gnn and multi_scan; seeds 201-212)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "eval/batch_tracking.hpp"
#include "eval/scene.hpp"
#include "eval/track_metrics.hpp"

using namespace picket;
using namespace picket::eval;

namespace {

struct Figures {
    std::size_t switches{0}, scenes_with_switch{0}, sharing{0}, false_tracks{0};
    unsigned long long exchanges{0};
    double ospa{0}, ms_per_scan{0};
};

}  // namespace

int main(int argc, char** argv) {
    double pd = 0.7, scan = 1;
    bool shallow = false;
    int first = 201, last = 212, looks = 0;
    std::vector<std::string> assocs;
    for (int a = 1; a < argc; ++a) {
        const auto is = [&](const char* f) { return std::strcmp(argv[a], f) == 0 && a + 1 < argc; };
        if (is("--pd")) {
            pd = std::atof(argv[++a]);
        } else if (is("--scan")) {
            scan = std::atof(argv[++a]);
        } else if (std::strcmp(argv[a], "--shallow") == 0) {
            shallow = true;
        } else if (is("--seeds") && a + 2 < argc) {
            first = std::atoi(argv[++a]);
            last = std::atoi(argv[++a]);
        } else if (is("--looks")) {
            looks = std::atoi(argv[++a]);
        } else if (is("--association")) {
            assocs.emplace_back(argv[++a]);
        } else {
            std::fprintf(stderr, "unknown or incomplete argument %s\n", argv[a]);
            return 2;
        }
    }
    if (assocs.empty()) assocs = {"gnn", "multi_scan"};
    std::vector<Figures> fig(assocs.size());
    for (int seed = first; seed <= last; ++seed) {
        EncounterSceneConfig ec;
        ec.seed = static_cast<std::uint64_t>(seed);
        ec.scan_s = scan;
        ec.pd = pd;
        if (shallow) {
            ec.crossing_deg_min = 10;
            ec.crossing_deg_max = 30;
        }
        const Scene scene = make_encounter_scene(ec);
        for (std::size_t k = 0; k < assocs.size(); ++k) {
            BatchOptions bo;
            bo.sigma_m = ec.sigma_m;
            bo.tracker.association = assocs[k];
            if (looks > 0) bo.tracker.multi_scan_looks = looks;
            const auto t0 = std::chrono::steady_clock::now();
            const BatchResult br = run_batch(scene.detections, bo);
            const double ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count();
            const ScoreReport s = score(scene.truth, br.tracks, ScoreOptions{100, 1});
            Figures& f = fig[k];
            f.switches += s.id_switches_mot;
            f.scenes_with_switch += s.id_switches_mot > 0 ? 1 : 0;
            f.sharing += truths_sharing_a_track(scene.truth, br.tracks, 10 * scan, 25);
            f.false_tracks += s.false_tracks;
            f.exchanges += br.counters.multi_scan_exchanges;
            f.ospa += s.ospa_mean / (last - first + 1);
            f.ms_per_scan += ms / static_cast<double>(br.scans) / (last - first + 1);
        }
    }
    std::printf("%s crossings, Pd %.2f, %.0f s looks, seeds %d-%d (%d scenes of 20 pairs)\n",
                shallow ? "shallow" : "wide", pd, scan, first, last, last - first + 1);
    std::printf("%-12s %9s %7s %8s %7s %6s %9s %8s\n", "association", "switches", "scenes",
                "sharing", "OSPA", "false", "exchanges", "ms/scan");
    for (std::size_t k = 0; k < assocs.size(); ++k) {
        const Figures& f = fig[k];
        std::printf("%-12s %9zu %7zu %8zu %7.2f %6zu %9llu %8.3f\n", assocs[k].c_str(), f.switches,
                    f.scenes_with_switch, f.sharing, f.ospa, f.false_tracks, f.exchanges,
                    f.ms_per_scan);
    }
    return 0;
}
