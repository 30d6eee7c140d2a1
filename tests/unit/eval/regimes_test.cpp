// Issue 13's regimes on generated scenes, with the tracker's defaults (only the plots' sigma is
// given, as `picket track --sigma 10` does): targets crossing 30-50 m apart, targets moving side
// by side, clutter from 0.5 to 5 plots per target per scan, and scans every 1, 4 and 10 s.
// Each scene is seeded; the bounds are the goals where a number can be given without
// Stone Soup (bench/tracking/compare_stonesoup.py measures the comparison itself).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <vector>

#include "eval/batch_tracking.hpp"
#include "eval/rng.hpp"
#include "eval/scene.hpp"
#include "eval/track_metrics.hpp"

using namespace picket;
using namespace picket::eval;

namespace {

constexpr double kSigmaM = 10;

BatchResult track(const Scene& scene, const char* association = "gnn") {
    BatchOptions bo;  // defaults: the tracker as a new user gets it
    bo.sigma_m = kSigmaM;
    bo.tracker.association = association;
    return run_batch(scene.detections, bo);
}

ScoreReport report(const char* what, const Scene& scene, const BatchResult& br) {
    const ScoreReport s = score(scene.truth, br.tracks, ScoreOptions{100, 1});
    std::printf(
        "%s: ospa=%.2f idsw=%zu (mot %zu) false_tracks=%zu frag=%zu never=%zu rmse_settled=%.2f "
        "missed/scan=%.2f merged=%llu confirmed=%llu\n",
        what, s.ospa_mean, s.id_switches, s.id_switches_mot, s.false_tracks, s.fragmentations,
        s.truths_never_tracked, s.position_rmse_settled_m, s.missed_mean,
        static_cast<unsigned long long>(br.counters.merged),
        static_cast<unsigned long long>(br.counters.confirmed));
    return s;
}

// Times a truth's track was replaced by a new one: its target, followed CLEAR-MOT style (the
// previous track kept while within `gate_m`, else the nearest reported track within it), is
// taken up by a track first reported after the truth's previous pairing. A confirmed track that
// loses its target (and a new track that starts on it) is one; a swap of two tracks is not.
std::size_t replaced_tracks(const Scene& scene, const BatchResult& br, double gate_m) {
    std::map<double, std::map<std::uint64_t, const TrackPoint*>> by_time;
    std::map<std::uint64_t, double> first_report;
    for (const TrackPoint& p : br.tracks) {
        by_time[p.t_s][p.track_id] = &p;
        first_report.emplace(p.track_id, p.t_s);
    }
    struct Follow {
        std::uint64_t track{0};
        double last_t{-1};
    };
    std::map<std::uint64_t, Follow> follow;
    std::size_t replaced = 0;
    for (const TruthPoint& t : scene.truth) {
        const auto it = by_time.find(t.t_s);
        if (it == by_time.end()) continue;
        Follow& f = follow[t.truth_id];
        auto near = [&](const TrackPoint* p) {
            return std::hypot(p->x_m - t.x_m, p->y_m - t.y_m) < gate_m;
        };
        const auto kept = it->second.find(f.track);
        if (f.last_t >= 0 && kept != it->second.end() && near(kept->second)) {
            f.last_t = t.t_s;
            continue;
        }
        const TrackPoint* best = nullptr;
        double best_d = gate_m;
        for (const auto& [id, p] : it->second) {
            const double d = std::hypot(p->x_m - t.x_m, p->y_m - t.y_m);
            if (d < best_d) {
                best_d = d;
                best = p;
            }
        }
        if (best == nullptr) continue;
        if (f.last_t >= 0 && best->track_id != f.track && first_report[best->track_id] > f.last_t)
            ++replaced;
        f.track = best->track_id;
        f.last_t = t.t_s;
    }
    return replaced;
}

// sqrt(E trace P_pos) in steady state of a Kalman filter that knows the association (CV, q,
// sigma), updated when detected (probability pd): the position RMSE no tracker can beat on
// these scenes (compare_stonesoup.py's filter_floor).
double filter_floor_m(double scan_s, double pd, double q) {
    const double T = scan_s;
    const double R = kSigmaM * kSigmaM;
    double p00 = R, p01 = 0, p11 = 100;
    Rng rng(5);
    double acc = 0;
    int count = 0;
    for (int k = 0; k < 20000; ++k) {
        // P = F P F' + Q
        const double n00 = p00 + 2 * T * p01 + T * T * p11 + q * T * T * T / 3;
        const double n01 = p01 + T * p11 + q * T * T / 2;
        const double n11 = p11 + q * T;
        p00 = n00;
        p01 = n01;
        p11 = n11;
        if (rng.uniform() < pd) {
            const double S = p00 + R;
            const double k0 = p00 / S;
            const double k1 = p01 / S;
            p11 -= k1 * p01;
            p01 -= k1 * p00;
            p00 -= k0 * p00;
        }
        if (k > 200) {
            acc += p00;
            ++count;
        }
    }
    return std::sqrt(2 * acc / count);
}

}  // namespace

TEST_CASE("Targets crossing 30-50 m apart with different velocities keep their tracks") {
    // 20 pairs per seed, headings 30-150 degrees apart, speeds 3-15 m/s at least 2 m/s apart,
    // closest approach 30-50 m at mid-run; Pd 0.9, clutter 0.5 per target, sigma 10 m, 1 s scans.
    for (std::uint64_t seed : {1, 2, 3}) {
        EncounterSceneConfig ec;
        ec.seed = seed;
        const Scene scene = make_encounter_scene(ec);
        const BatchResult br = track(scene);
        const ScoreReport s = report("crossing", scene, br);
        // CLEAR-MOT: a truth keeps its track while it stays within c; a swap at the crossing
        // counts once the old partner is farther than c.
        CHECK(s.id_switches_mot == 0);
        CHECK(s.truths_never_tracked == 0);
        CHECK(truths_sharing_a_track(scene.truth, br.tracks, 10, 25) == 0);
    }
}

TEST_CASE("Targets crossing 30-50 m apart keep their tracks at a 4 s revisit") {
    // The same encounters scanned every 4 s (a radar's revisit): between two looks a target
    // moves 12-60 m, as much as the miss distance, so at the crossing both plots fall in both
    // gates and the assignment must keep the tracks apart from their velocities alone.
    // Issue 13 saw ID switches at crossings at 1 and 4 s on some scenes.
    for (std::uint64_t seed : {7, 8}) {
        EncounterSceneConfig ec;
        ec.seed = seed;
        ec.scan_s = 4;
        const Scene scene = make_encounter_scene(ec);
        const BatchResult br = track(scene);
        const ScoreReport s = report("crossing 4 s", scene, br);
        CHECK(s.id_switches_mot == 0);
        CHECK(s.truths_never_tracked == 0);
        CHECK(truths_sharing_a_track(scene.truth, br.tracks, 40, 25) == 0);
    }
}

TEST_CASE("Crossings on seeds no default was tuned on, at 1 and 4 s") {
    // Issue 13 point 2 on held-out seeds: 20 pairs crossing 30-50 m apart per scene, Pd 0.9 as
    // in the scenes. CLEAR-MOT switches (a truth changing track) must stay 0; two truths
    // never share one track. (At Pd 0.7 seed 101 at 1 s still swaps one pair, 2 CLEAR-MOT
    // switches, with gnn and gnn_pda alike: docs/benchmarks.md; association multi_scan keeps
    // it, the test after this one.)
    for (double scan : {1.0, 4.0}) {
        for (double pd : {0.9}) {
            for (std::uint64_t seed : {101, 102}) {
                EncounterSceneConfig ec;
                ec.seed = seed;
                ec.scan_s = scan;
                ec.pd = pd;
                const Scene scene = make_encounter_scene(ec);
                const BatchResult br = track(scene);
                char what[64];
                std::snprintf(what, sizeof what, "crossing %.0f s, Pd %.1f, seed %llu", scan, pd,
                              static_cast<unsigned long long>(seed));
                const ScoreReport s = report(what, scene, br);
                CHECK(s.id_switches_mot == 0);
                CHECK(truths_sharing_a_track(scene.truth, br.tracks, 10 * scan, 25) == 0);
            }
        }
    }
}

TEST_CASE("Multi-scan association: crossings at Pd 0.7 swap fewer tracks than GNN") {
    // Issue 13: at Pd 0.7 GNN swaps a pair now and then (seed 101 at 1 s: a track bent toward
    // the other target's line by an outlier after two misses took that target's plot at the
    // closest approach, docs/benchmarks.md). multi_scan decides such a look again five looks
    // later, when the plots have put each target back on its line. Crossings at 30-150 degrees
    // and shallow ones (10-30: the targets stay close for many looks), 1 and 4 s looks.
    // Measured on encounter seeds 201-212 (where the default of five looks was chosen) and on
    // 2201-2212 and 3201-3212 (held out): docs/benchmarks.md, "Multi-scan association".
    struct Count {
        std::size_t switches{0};
        std::size_t scenes{0};
        std::size_t sharing{0};
    };
    Count gnn, multi;
    for (bool shallow : {false, true}) {
        for (double scan : {1.0, 4.0}) {
            for (std::uint64_t seed :
                 {101, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212}) {
                EncounterSceneConfig ec;
                ec.seed = seed;
                ec.scan_s = scan;
                ec.pd = 0.7;
                if (shallow) {
                    ec.crossing_deg_min = 10;
                    ec.crossing_deg_max = 30;
                }
                const Scene scene = make_encounter_scene(ec);
                char what[96];
                std::snprintf(what, sizeof what, "%s crossing %.0f s, Pd 0.7, seed %llu, gnn",
                              shallow ? "shallow" : "wide", scan,
                              static_cast<unsigned long long>(seed));
                const BatchResult g = track(scene, "gnn");
                const ScoreReport sg = report(what, scene, g);
                std::snprintf(
                    what, sizeof what, "%s crossing %.0f s, Pd 0.7, seed %llu, multi_scan",
                    shallow ? "shallow" : "wide", scan, static_cast<unsigned long long>(seed));
                const BatchResult m = track(scene, "multi_scan");
                const ScoreReport sm = report(what, scene, m);
                const std::size_t shared_g =
                    truths_sharing_a_track(scene.truth, g.tracks, 10 * scan, 25);
                const std::size_t shared_m =
                    truths_sharing_a_track(scene.truth, m.tracks, 10 * scan, 25);
                gnn.switches += sg.id_switches_mot;
                multi.switches += sm.id_switches_mot;
                gnn.scenes += sg.id_switches_mot > 0 ? 1 : 0;
                multi.scenes += sm.id_switches_mot > 0 ? 1 : 0;
                gnn.sharing += shared_g;
                multi.sharing += shared_m;
                CHECK(sm.truths_never_tracked == sg.truths_never_tracked);
                CHECK(sm.false_tracks <= sg.false_tracks);
                if (seed == 101 && scan == 1.0 && !shallow) {
                    CHECK(sg.id_switches_mot > 0);   // the traced swap is still GNN's ...
                    CHECK(sm.id_switches_mot == 0);  // ... and not multi_scan's
                    CHECK(m.counters.multi_scan_exchanges > 0);
                }
            }
        }
    }
    std::printf(
        "CLEAR-MOT switches gnn %zu (%zu scenes), multi_scan %zu (%zu scenes); truths "
        "sharing a track gnn %zu, multi_scan %zu\n",
        gnn.switches, gnn.scenes, multi.switches, multi.scenes, gnn.sharing, multi.sharing);
    CHECK(multi.switches < gnn.switches);
    CHECK(multi.scenes < gnn.scenes);
    CHECK(multi.sharing <= gnn.sharing);
}

TEST_CASE("Targets crossing at a shallow angle (side by side for a while) are not merged") {
    // Headings 10-30 degrees apart: two targets stay within 100 m of each other for tens of
    // scans while their speeds differ by at least 2 m/s. Never merged; a swap of the two tracks
    // (GNN decides each scan alone) is rare but not excluded: 1 in 120 encounters on seeds
    // 21-26, so at most 1 in the 60 here.
    std::size_t switches = 0;
    for (std::uint64_t seed : {4, 5, 6}) {
        EncounterSceneConfig ec;
        ec.seed = seed;
        ec.crossing_deg_min = 10;
        ec.crossing_deg_max = 30;
        const Scene scene = make_encounter_scene(ec);
        const BatchResult br = track(scene);
        const ScoreReport s = report("shallow crossing", scene, br);
        CHECK(truths_sharing_a_track(scene.truth, br.tracks, 10, 25) == 0);
        CHECK(s.truths_never_tracked == 0);
        switches += s.id_switches_mot;
    }
    CHECK(switches <= 1);
}

TEST_CASE("Two real targets moving close together are never merged into one track") {
    // Same velocity, 40 and 60 m apart across the heading for the whole run (sigma 10 m: their
    // plots are resolved). Closer than merge_distance_m (35 m) two plots of one look are taken
    // as one target's split return: that is the documented limit, not tested here.
    for (double sep : {40.0, 60.0}) {
        ConvoySceneConfig cc;
        cc.separation_m = sep;
        cc.seed = 7;
        const Scene scene = make_convoy_scene(cc);
        const BatchResult br = track(scene);
        const ScoreReport s = report(sep < 50 ? "convoy 40 m" : "convoy 60 m", scene, br);
        CHECK(truths_sharing_a_track(scene.truth, br.tracks, 10, 25) == 0);
        CHECK(s.truths_never_tracked == 0);
        // 40 m is 4 sigma: GNN may swap the two tracks once in a while (1 in 20 pairs on seed
        // 7, none on 47), never merge them.
        CHECK(s.id_switches_mot <= 1);
        // Both members of every pair are shown: at most Pd's few missed scans per truth.
        CHECK(s.missed_mean < 0.05 * 2 * cc.pairs);
    }
}

TEST_CASE("Two boats 20-35 m apart that the radar resolves every scan are never merged") {
    // Same velocity, 20, 27 and 35 m apart across the heading (sigma 10 m: two plots per look,
    // one per boat, when both are detected), 1 and 4 s scans. Their estimates wander within each
    // other's spread, so only the looks tell them apart: two tracks that took different plots of
    // one look are two objects (the merge pass fused such pairs: issue 13, dev seed 1, 4 s,
    // truths 433 and 557, 27 m apart). GNN may swap the two tracks of a pair now and then at
    // 2-3.5 sigma; merging them is what must never happen.
    for (double scan : {1.0, 4.0}) {
        for (double sep : {20.0, 27.0, 35.0}) {
            ConvoySceneConfig cc;
            cc.separation_m = sep;
            cc.scan_s = scan;
            cc.seed = 11;
            const Scene scene = make_convoy_scene(cc);
            const BatchResult br = track(scene);
            char what[64];
            std::snprintf(what, sizeof what, "convoy %.0f m, %.0f s", sep, scan);
            const ScoreReport s = report(what, scene, br);
            // Before the veto: 24-276 merges per scene. A clutter track beside a boat may still
            // merge into it (a duplicate, rightly).
            CHECK(br.counters.merged <= 2);
            CHECK(truths_sharing_a_track(scene.truth, br.tracks, 10 * scan, 0.5 * sep) == 0);
            CHECK(s.truths_never_tracked == 0);
        }
    }
}

TEST_CASE("False tracks in clutter of 0.5, 2 and 5 plots per target per scan") {
    // Issue 13's bound is "no more false tracks than Stone Soup's GNN": on these scenes (N = 100,
    // 1 s) it made 5 at 0.5 N (docs/tracking.md, seed 101) and more in denser clutter; 5 is the
    // bound at every density here.
    for (double clutter : {0.5, 2.0, 5.0}) {
        OpenSceneConfig oc;
        oc.clutter_per_target = clutter;
        oc.seed = 31;
        const Scene scene = make_open_scene(oc);
        const BatchResult br = track(scene);
        char what[64];
        std::snprintf(what, sizeof what, "clutter %.1f N", clutter);
        const ScoreReport s = report(what, scene, br);
        CHECK(s.false_tracks <= 5);
        CHECK(s.truths_never_tracked <= 2);
    }
}

TEST_CASE("gnn_pda: at Pd 0.7 in 5 N clutter a confirmed track is not pulled by a clutter plot") {
    // Taking one plot, a confirmed track whose target was missed (3 looks in 10) takes any
    // clutter plot in its gate at full weight and is pulled tens of metres, sometimes off its
    // target (a new track then takes it: an ID switch). Weighed (gnn_pda), a far plot moves it
    // by its probability. 4 s scans, two seeds, the same scenes through both associators.
    double rmse[2] = {0, 0};
    std::size_t switches[2] = {0, 0};
    std::size_t false_tracks[2] = {0, 0};
    for (std::uint64_t seed : {33, 34}) {
        OpenSceneConfig oc;
        oc.scan_s = 4;
        oc.pd = 0.7;
        oc.clutter_per_target = 5;
        oc.seed = seed;
        const Scene scene = make_open_scene(oc);
        for (int k = 0; k < 2; ++k) {
            BatchOptions bo;
            bo.sigma_m = kSigmaM;
            bo.tracker.association = k == 0 ? "gnn" : "gnn_pda";
            const BatchResult br = run_batch(scene.detections, bo);
            const ScoreReport s =
                report(k == 0 ? "Pd 0.7, 5 N, 4 s, gnn" : "... gnn_pda", scene, br);
            rmse[k] += s.position_rmse_settled_m / 2;
            switches[k] += s.id_switches_mot;
            false_tracks[k] += s.false_tracks;
        }
    }
    CHECK(rmse[1] < rmse[0]);
    CHECK(switches[1] < switches[0]);
    CHECK(false_tracks[1] <= false_tracks[0]);
}

TEST_CASE("Clutter in one part of the sea (a rain cell, a coast) makes no false tracks there") {
    // 10 s scans, Pd 0.7: the scene's own light clutter (0.5 N) everywhere, plus N clutter
    // plots per scan in one 4 x 4 km corner (6 per km^2 per scan). One density over the whole
    // extent is several times too low in the corner, where clutter tracks then confirm by the
    // hundred (405 and 518 when this test was written); the clutter map learns it where it is.
    std::size_t false_tracks[2] = {0, 0};
    for (std::uint64_t seed : {37, 38}) {
        OpenSceneConfig oc;
        oc.scan_s = 10;
        oc.pd = 0.7;
        oc.seed = seed;
        Scene scene = make_open_scene(oc);
        double x0 = 1e18, y0 = 1e18;
        for (const TruthPoint& p : scene.truth) {
            x0 = std::min(x0, p.x_m);
            y0 = std::min(y0, p.y_m);
        }
        Rng rng(seed);
        const std::size_t n = scene.detections.size();
        std::vector<Detection> extra;
        for (std::size_t b = 0; b < n;) {
            std::size_t e = b;
            while (e < n && scene.detections[e].t_s == scene.detections[b].t_s) ++e;
            for (int k = 0; k < oc.targets; ++k)
                extra.push_back({scene.detections[b].t_s, x0 + rng.uniform(0, 4000),
                                 y0 + rng.uniform(0, 4000), -1});
            b = e;
        }
        scene.detections.insert(scene.detections.end(), extra.begin(), extra.end());
        std::stable_sort(scene.detections.begin(), scene.detections.end(),
                         [](const Detection& a, const Detection& b) { return a.t_s < b.t_s; });
        for (int k = 0; k < 2; ++k) {
            BatchOptions bo;
            bo.sigma_m = kSigmaM;
            bo.tracker.clutter_cell_m = k == 0 ? 0.0 : 2000.0;
            const BatchResult br = run_batch(scene.detections, bo);
            const ScoreReport s =
                report(k == 0 ? "corner clutter, 10 s, one density" : "... clutter map", scene, br);
            false_tracks[k] += s.false_tracks;
            if (k == 1) CHECK(s.truths_never_tracked <= 2);
        }
    }
    CHECK(false_tracks[1] <= 12);
    CHECK(10 * false_tracks[1] < false_tracks[0]);
}

TEST_CASE("false_track_budget: at 1 s scans in light clutter a target is shown sooner") {
    // Pd 0.7, 0.5 N clutter, 1 s: a clutter plot falls in a young track's small gate rarely, so
    // three hits with a miss among them are already unlikely from clutter; the existence alone
    // (0.99) waits for a fourth. The budget confirms them, and must not add false tracks here.
    double delay[2] = {0, 0};
    std::size_t false_tracks[2] = {0, 0};
    for (std::uint64_t seed : {35, 36}) {
        OpenSceneConfig oc;
        oc.pd = 0.7;
        oc.seed = seed;
        const Scene scene = make_open_scene(oc);
        for (int k = 0; k < 2; ++k) {
            BatchOptions bo;
            bo.sigma_m = kSigmaM;
            // The per-area budget by gate alone, as it was built (no map, no ratio).
            bo.tracker.clutter_cell_m = 0;
            bo.tracker.life.false_track_ratio = 0;
            bo.tracker.life.budget_evidence = filters::LifecycleSettings::BudgetEvidence::gate;
            bo.tracker.life.false_track_budget = k == 0 ? 0.0 : 1.0;
            const BatchResult br = run_batch(scene.detections, bo);
            const ScoreReport s =
                report(k == 0 ? "Pd 0.7, 1 s, existence" : "... budget 1/km2/h", scene, br);
            delay[k] += s.initiation_delay_mean_s / 2;
            false_tracks[k] += s.false_tracks;
        }
    }
    CHECK(delay[1] < delay[0] - 0.1);
    CHECK(false_tracks[1] <= false_tracks[0] + 1);
}

TEST_CASE("false_track_budget by plot: a target's close hits confirm it sooner, clutter's do not") {
    // Pd 0.7, 0.5 N clutter, 4 s, the map and a budget of 0.1 per km^2 per hour: judged only by
    // its gates holding a hit, a young track waits for the existence (a 4 s gate holds ~0.05
    // clutter plots); judged by how close its hits came, a target's plots near their predictions
    // are rarer from clutter than the gate says, and a clutter track's are not.
    double delay[2] = {0, 0};
    std::size_t false_tracks[2] = {0, 0};
    for (std::uint64_t seed : {35, 36}) {
        OpenSceneConfig oc;
        oc.pd = 0.7;
        oc.scan_s = 4;
        oc.seed = seed;
        const Scene scene = make_open_scene(oc);
        for (int k = 0; k < 2; ++k) {
            BatchOptions bo;
            bo.sigma_m = kSigmaM;
            bo.tracker.clutter_cell_m = 2000;
            bo.tracker.life.false_track_budget = 0.1;
            bo.tracker.life.budget_evidence =
                k == 0 ? filters::LifecycleSettings::BudgetEvidence::gate
                       : filters::LifecycleSettings::BudgetEvidence::plot;
            const BatchResult br = run_batch(scene.detections, bo);
            const ScoreReport s =
                report(k == 0 ? "Pd 0.7, 4 s, budget by gate" : "... by plot", scene, br);
            delay[k] += s.initiation_delay_mean_s / 2;
            false_tracks[k] += s.false_tracks;
        }
    }
    CHECK(delay[1] < delay[0] - 1.0);
    CHECK(false_tracks[1] <= false_tracks[0] + 2);
}

TEST_CASE("false_track_ratio: one share of false tracks on a sparse sea and a dense one") {
    // A budget per km^2 per hour is a different share of the picture wherever targets are
    // sparser or scans slower than where it was set: on a sea of 0.25 targets per km^2 scanned
    // every 6 s, 0.1 per km^2 per hour lets several false tracks through per target hundred. The
    // ratio (false confirmations per look per target the feed holds) scales with the feed:
    // on both seas it keeps false tracks to a few and still shows targets sooner than the
    // existence alone (Pd 0.7, 0.5 N, the map, evidence by plot; seeds 35-36).
    struct Sea {
        double density, scan_s;
        const char* name;
    };
    const Sea seas[2] = {{1.0, 4.0, "dense, 4 s"}, {0.25, 6.0, "sparse, 6 s"}};
    // [sea][setting]: 0 no budget, 1 per km^2 per hour 0.1, 2 ratio 1e-4
    double delay[2][3] = {};
    std::size_t false_tracks[2][3] = {};
    for (int sea = 0; sea < 2; ++sea) {
        for (std::uint64_t seed : {35, 36}) {
            OpenSceneConfig oc;
            oc.pd = 0.7;
            oc.scan_s = seas[sea].scan_s;
            oc.density_per_km2 = seas[sea].density;
            oc.seed = seed;
            const Scene scene = make_open_scene(oc);
            for (int k = 0; k < 3; ++k) {
                BatchOptions bo;
                bo.sigma_m = kSigmaM;
                bo.tracker.clutter_cell_m = 2000;
                bo.tracker.life.budget_evidence = filters::LifecycleSettings::BudgetEvidence::plot;
                bo.tracker.life.false_track_budget = k == 1 ? 0.1 : 0.0;
                bo.tracker.life.false_track_ratio = k == 2 ? 1e-4 : 0.0;
                const BatchResult br = run_batch(scene.detections, bo);
                char what[96];
                std::snprintf(what, sizeof what, "%s, %s", seas[sea].name,
                              k == 0   ? "no budget"
                              : k == 1 ? "0.1 / km2 / h"
                                       : "ratio 1e-4");
                const ScoreReport s = report(what, scene, br);
                delay[sea][k] += s.initiation_delay_mean_s / 2;
                false_tracks[sea][k] += s.false_tracks;
            }
        }
    }
    for (int sea = 0; sea < 2; ++sea) {
        CHECK(delay[sea][2] < delay[sea][0] - 1.0);
        CHECK(false_tracks[sea][2] <= false_tracks[sea][0] + 4);
    }
    // The per-area budget spends far more on the sparse sea than the ratio does.
    CHECK(false_tracks[1][1] >= false_tracks[1][2] + 6);
}

TEST_CASE("The defaults hold at 1, 4 and 10 s scans") {
    // One configuration (the defaults) for every scan period: settled RMSE within 10 % of the
    // filter floor, few false tracks, few ID switches, and OSPA below what a tracker that
    // lost a tenth of its targets would score.
    for (double scan : {1.0, 4.0, 10.0}) {
        OpenSceneConfig oc;
        oc.scan_s = scan;
        oc.seed = 32;
        const Scene scene = make_open_scene(oc);
        const BatchResult br = track(scene);
        char what[64];
        std::snprintf(what, sizeof what, "scan %.0f s", scan);
        const ScoreReport s = report(what, scene, br);
        const double floor = filter_floor_m(scan, oc.pd, 0.05);
        std::printf("  floor=%.2f m ratio=%.3f\n", floor, s.position_rmse_settled_m / floor);
        CHECK(s.position_rmse_settled_m < 1.1 * floor);
        CHECK(s.false_tracks <= 5);
        CHECK(s.truths_never_tracked <= 2);
        CHECK(s.id_switches_mot <= 5);
    }
}

TEST_CASE("A confirmed track keeps its target through missed looks at long scan intervals") {
    // At a 10 s scan a tentative track's velocity is barely known, so its gate spans hundreds of
    // metres. In one joint assignment with the tentative tracks, a confirmed track whose target
    // had been missed for a look or two could lose its plot to a tentative track (the wide one's
    // cost for it was lower), take a clutter plot and be lost; a new track then took the target
    // over under a new id. Proven tracks now choose first (Tracker::proven). On these two
    // scenes (issue 13's kind, 1,000 targets, 10 s) the joint assignment made 136 CLEAR-MOT ID
    // switches and 175 replaced tracks; proven-first makes 105 and 154. Most of what remains is
    // a young track that took a clutter plot while its target was missed (docs/tracking.md).
    std::size_t replaced = 0;
    std::size_t switches = 0;
    for (std::uint64_t seed : {41, 42}) {
        OpenSceneConfig oc;
        oc.targets = 1000;
        oc.scan_s = 10;
        oc.seed = seed;
        const Scene scene = make_open_scene(oc);
        const BatchResult br = track(scene);
        char what[64];
        std::snprintf(what, sizeof what, "1000 targets, 10 s, seed %llu",
                      static_cast<unsigned long long>(seed));
        const ScoreReport s = report(what, scene, br);
        const std::size_t r = replaced_tracks(scene, br, 100);
        std::printf("  replaced=%zu\n", r);
        replaced += r;
        switches += s.id_switches_mot;
    }
    CHECK(switches <= 115);
    CHECK(replaced <= 165);
}
