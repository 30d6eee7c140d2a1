// OSPA / GOSPA against hand-computed values and the metric's defining properties; the track
// metrics on hand-made histories; CSV round trips and error messages.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include "eval/csv_io.hpp"
#include "eval/ospa.hpp"
#include "eval/rng.hpp"
#include "eval/track_metrics.hpp"

using namespace picket::eval;
using V = std::vector<Eigen::Vector2d>;

TEST_CASE("OSPA: hand-computed cases") {
    const V x{{0, 0}, {10, 0}};
    CHECK(ospa(x, x, 100, 1) == 0);
    CHECK(ospa({}, {}, 100, 1) == 0);
    CHECK(ospa(x, {}, 100, 1) == 100);
    // One estimate 3-4-5 from the first truth, second truth missed: (5 + 100) / 2.
    CHECK(ospa(x, V{{3, 4}}, 100, 1) == Approx(52.5));
    // p = 2: sqrt((25 + 100^2) / 2).
    CHECK(ospa(x, V{{3, 4}}, 100, 2) == Approx(std::sqrt((25 + 10000) / 2.0)));
    // Distances beyond c are cut at c.
    CHECK(ospa(V{{0, 0}}, V{{500, 0}}, 100, 1) == Approx(100));
}

TEST_CASE("GOSPA (alpha = 2): components and hand-computed values") {
    const V x{{0, 0}, {1000, 0}, {2000, 0}};
    const V y{{3, 4}, {1000, 6}, {5000, 5000}, {7000, 0}};
    const GospaResult g = gospa(x, y, 100, 1);
    // Pairs: (0,0)-(3,4): 5, (1000,0)-(1000,6): 6. Truth 3 missed, two estimates false.
    CHECK(g.localisation == Approx(11));
    CHECK(g.missed_count == 1);
    CHECK(g.false_count == 2);
    CHECK(g.missed == Approx(50));
    CHECK(g.false_ == Approx(100));
    CHECK(g.distance == Approx(161));
    CHECK(g.truth_to_estimate == std::vector<int>{0, 1, -1});
    // p = 2: sqrt(25 + 36 + 100^2/2 * 3).
    CHECK(gospa(x, y, 100, 2).distance == Approx(std::sqrt(61 + 15000.0)));
    // A pair farther than c is cheaper as one missed + one false.
    const GospaResult far = gospa(V{{0, 0}}, V{{150, 0}}, 100, 1);
    CHECK(far.missed_count == 1);
    CHECK(far.false_count == 1);
    CHECK(far.distance == Approx(100));
}

TEST_CASE("GOSPA is a metric: symmetry and triangle inequality on random sets") {
    Rng rng(9);
    auto random_set = [&] {
        V s;
        const int n = static_cast<int>(rng.uniform() * 5);
        for (int i = 0; i < n; ++i) s.emplace_back(rng.uniform(0, 300), rng.uniform(0, 300));
        return s;
    };
    for (int k = 0; k < 200; ++k) {
        const V a = random_set();
        const V b = random_set();
        const V c = random_set();
        const double ab = gospa(a, b, 50, 2).distance;
        CHECK(ab == Approx(gospa(b, a, 50, 2).distance));
        CHECK(ab <= gospa(a, c, 50, 2).distance + gospa(c, b, 50, 2).distance + 1e-9);
        CHECK(ospa(a, b, 50, 2) <= ospa(a, c, 50, 2) + ospa(c, b, 50, 2) + 1e-9);
    }
}

TEST_CASE("track metrics: ID switch, fragmentation, false track, initiation delay") {
    std::vector<TruthPoint> truth;
    std::vector<TrackPoint> tracks;
    for (int t = 0; t < 10; ++t) {
        truth.push_back({double(t), 1, 10.0 * t, 0});
        truth.push_back({double(t), 2, 10.0 * t, 5000});
        // Truth 1: no track at t = 0, 1 (delay 2 s); track 7 until t = 4, a gap at t = 5, then
        // track 9.
        if (t >= 2 && t <= 4) tracks.push_back({double(t), 7, 10.0 * t + 3, 4});
        if (t >= 6) tracks.push_back({double(t), 9, 10.0 * t, 0});
        // Truth 2: track 8 all along.
        tracks.push_back({double(t), 8, 10.0 * t, 5000});
        // A false track far from everything at t = 3.
        if (t == 3) tracks.push_back({double(t), 11, -9000, -9000});
    }
    const ScoreReport r = score(truth, tracks, ScoreOptions{100, 1});
    CHECK(r.times == 10);
    CHECK(r.id_switches == 1);
    CHECK(r.fragmentations == 1);
    CHECK(r.false_tracks == 1);
    CHECK(r.track_ids == 4);
    CHECK(r.truths == 2);
    CHECK(r.initiation_delay_mean_s == Approx(1.0));  // (2 + 0) / 2
    CHECK(r.initiation_delay_max_s == Approx(2.0));
    // Pairs: truth 1 at t 2..4 (error 5 m) and 6..9 (0), truth 2 at 10 times (0).
    CHECK(r.assigned_pairs == 17);
    CHECK(r.position_rmse_m == Approx(std::sqrt(3 * 25.0 / 17)));
    // Missed: truth 1 at t = 0, 1, 5; false: track 11 once. Means over 10 times.
    CHECK(r.missed_mean == Approx(0.3));
    CHECK(r.false_mean == Approx(0.1));
}

TEST_CASE("track metrics: CLEAR-MOT keeps a pairing through a close pass, counts a real swap") {
    // Two targets 10 m apart moving east side by side, each followed by its own track (7 and
    // 8) whose error at t = 3 puts each track nearer the other target: the per-time GOSPA
    // assignment swaps there and back (id_switches), CLEAR-MOT keeps both pairings (within c).
    // At t = 6 the tracks really swap targets and target 2 turns away north: CLEAR-MOT counts
    // the swap once the old partner is farther than c (t = 7), one switch per truth.
    std::vector<TruthPoint> truth;
    std::vector<TrackPoint> tracks;
    for (int t = 0; t < 10; ++t) {
        const double x = 10.0 * t;
        const double y2 = 10.0 + (t >= 6 ? 60.0 * (t - 5) : 0.0);
        truth.push_back({double(t), 1, x, 0});
        truth.push_back({double(t), 2, x, y2});
        const bool swapped = t >= 6;
        const double off = t == 3 ? 8 : 1;  // error towards the other target
        tracks.push_back({double(t), swapped ? 8u : 7u, x, off});
        tracks.push_back({double(t), swapped ? 7u : 8u, x, y2 - off});
    }
    const ScoreReport r = score(truth, tracks, ScoreOptions{100, 1});
    CHECK(r.id_switches == 6);  // per truth: swapped at 3, back at 4, the real one at 6
    CHECK(r.id_switches_mot == 2);
    CHECK(r.false_tracks == 0);
}

TEST_CASE("track metrics: settled RMSE leaves out a pairing's first time steps") {
    // One truth, one track: 5 m off for the first kSettledPairs time steps (initiation), 1 m
    // after. position_rmse_m mixes both; position_rmse_settled_m only the later pairs.
    std::vector<TruthPoint> truth;
    std::vector<TrackPoint> tracks;
    const int n = kSettledPairs + 6;
    for (int t = 0; t < n; ++t) {
        truth.push_back({double(t), 1, 0, 0});
        tracks.push_back({double(t), 3, t < kSettledPairs ? 5.0 : 1.0, 0});
    }
    const ScoreReport r = score(truth, tracks, ScoreOptions{100, 1});
    CHECK(r.position_rmse_settled_m == Approx(1.0));
    CHECK(r.position_rmse_m == Approx(std::sqrt((kSettledPairs * 25.0 + 6) / n)));
}

TEST_CASE("CSV: columns in any order, extra columns ignored, errors name file and line") {
    std::istringstream in("# comment\nx,extra,time,y\n1.5,abc,0,2\n\n3,,0.5,-4\n");
    const auto d = read_detections(in, "det.csv");
    REQUIRE(d.size() == 2);
    CHECK(d[1].t_s == 0.5);
    CHECK(d[1].x_m == 3);
    CHECK(d[1].y_m == -4);
    std::istringstream missing("time,x\n0,1\n");
    CHECK_THROWS_WITH(read_detections(missing, "det.csv"),
                      "det.csv:1: missing column 'y' in header");
    std::istringstream bad("time,truth_id,x,y\n0,1,2,3\n1,1,2,zz\n");
    CHECK_THROWS_WITH(read_truths(bad, "truth.csv"), "truth.csv:3: bad number 'zz' for 'y'");
    std::istringstream badid("time,truth_id,x,y\n0,1.5,2,3\n");
    CHECK_THROWS_WITH(read_truths(badid, "truth.csv"), Catch::Contains("truth.csv:2"));
}

TEST_CASE("CSV: tracks round-trip exactly") {
    std::ostringstream out;
    write_tracks_header(out);
    const TrackPoint p{12.25, 42, 0.1 + 0.2, -1e-7, 3.0 / 7.0, 1e300};
    write_track_row(out, p);
    std::istringstream in(out.str());
    const auto back = read_tracks(in, "t.csv");
    REQUIRE(back.size() == 1);
    CHECK(back[0].t_s == p.t_s);
    CHECK(back[0].track_id == 42);
    CHECK(back[0].x_m == p.x_m);
    CHECK(back[0].y_m == p.y_m);
}
