// The clutter map learns the clutter, not the targets: a target alone in its map cell must not
// raise the density learned there. A weak target among strong ones coasts between its plots
// (the feed's Pd is the strong targets'), and each plot that brings its track back was counted
// whole as clutter in its cell (Tracker::clutter_share_of).
// And its fast paths against their references: the flat cell table against std::unordered_map,
// the cached clutter_per_m2_at against clutter_per_m2_at_reference (bit for bit).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <random>
#include <unordered_map>
#include <vector>

#include "eval/rng.hpp"
#include "filters/tracker.hpp"
#include "tests/unit/filters/scene_time.hpp"

using namespace picket;
using namespace picket::filters;
using namespace picket::tracker_tests;

namespace {

constexpr double kScanS = 2;
constexpr double kCellM = 2000;
constexpr double kSigmaM = 20;
constexpr int kScans = 150;
constexpr int kFromScan = 50;  ///< the densities are averaged from here on (the map has learned)

struct Learned {
    double weak_cells{0};   ///< mean learned density (per m^2 per look) in the weak targets' cells
    double quiet_cells{0};  ///< the same, over cells with clutter only
};

// Nine targets, each alone in a 2 km cell 6 km from the next, crawling at 3 m/s (they stay in
// their cell); four are seen at Pd 0.95, five (every other one) at `weak_pd`. Uniform clutter of
// `clutter_per_m2` per look over 20 x 20 km around them.
Learned run(double weak_pd, double clutter_per_m2, std::uint64_t seed) {
    TrackerConfig cfg;
    cfg.origin = LatLon{13.30, -16.75};
    cfg.filter = "kf";
    cfg.clutter_cell_m = kCellM;
    Tracker tr(cfg);
    eval::Rng rng(seed);
    std::vector<Eigen::Vector2d> at0;
    std::vector<Eigen::Vector2d> vel;
    std::vector<Eigen::Vector2d> quiet;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
            at0.emplace_back(6000.0 * i + 700, 6000.0 * j + 1000);
            const double h = rng.uniform(0, 2 * std::numbers::pi);
            vel.emplace_back(3 * std::cos(h), 3 * std::sin(h));
            quiet.emplace_back(6000.0 * i + 3500, 6000.0 * j + 3500);
        }
    const double lo = -3000;
    const double hi = 17000;
    const double mean_clutter = clutter_per_m2 * (hi - lo) * (hi - lo);
    const Eigen::Matrix2d cov = Eigen::Matrix2d::Identity() * kSigmaM * kSigmaM;
    Learned out;
    bool fast_is_reference = true;
    for (int s = 0; s < kScans; ++s) {
        const double t = s * kScanS;
        std::vector<Measurement> batch;
        auto add = [&](const Eigen::Vector2d& en) {
            Measurement m;
            m.feed = 1;
            m.sensor = SensorKind::radar;
            m.observed = m.received = at(t);
            m.z = PositionZ{tr.frame().to_latlon(en), cov};
            batch.push_back(m);
        };
        for (std::size_t k = 0; k < at0.size(); ++k)
            if (rng.uniform() < (k % 2 == 0 ? weak_pd : 0.95))
                add(at0[k] + vel[k] * t +
                    Eigen::Vector2d(kSigmaM * rng.normal(), kSigmaM * rng.normal()));
        const auto n = rng.poisson(mean_clutter);
        for (std::uint64_t c = 0; c < n; ++c) add({rng.uniform(lo, hi), rng.uniform(lo, hi)});
        tr.process(batch);
        const FeedLooks* looks = tr.looks_of(1);
        if (looks == nullptr) FAIL("the feed's looks are not kept");
        for (std::size_t k = 0; k < at0.size(); ++k)
            for (const Eigen::Vector2d& en : {Eigen::Vector2d(at0[k] + vel[k] * t), quiet[k]})
                fast_is_reference =
                    fast_is_reference && looks->clutter_per_m2_at(en, at(t), kScanS) ==
                                             looks->clutter_per_m2_at_reference(en, at(t), kScanS);
        if (s < kFromScan) continue;
        for (std::size_t k = 0; k < at0.size(); k += 2)
            out.weak_cells += looks->clutter_per_m2_at(at0[k] + vel[k] * t, at(t), kScanS) / 5.0;
        for (const Eigen::Vector2d& q : quiet)
            out.quiet_cells += looks->clutter_per_m2_at(q, at(t), kScanS) / 9.0;
    }
    out.weak_cells /= kScans - kFromScan;
    out.quiet_cells /= kScans - kFromScan;
    CHECK(fast_is_reference);
    return out;
}

}  // namespace

TEST_CASE("weak targets alone in their map cells does not raise the clutter learned there",
          "[filters][clutter]") {
    const double weak_pd = GENERATE(0.4, 0.5);
    const std::uint64_t seed = GENERATE(3, 4, 5);
    INFO("weak targets' Pd " << weak_pd << ", seed " << seed);
    SECTION("no clutter: their cells stay near the floor") {
        const Learned l = run(weak_pd, 0, seed);
        INFO("weak targets' cells " << l.weak_cells << " per m^2 per look");
        // The floor (kMinClutterPerM2), and the plots of a restarted track until it is
        // confirmed again (then given back). Counting a coasting track's plots whole, Pd 0.4
        // read 2.7-4.6 x the floor.
        CHECK(l.quiet_cells == Approx(kMinClutterPerM2));
        CHECK(l.weak_cells < 2 * kMinClutterPerM2);
    }
    SECTION("light clutter: their cells read what the clutter-only cells read") {
        const Learned l = run(weak_pd, 5e-8, seed);
        INFO("weak targets' cells " << l.weak_cells << ", clutter-only cells " << l.quiet_cells);
        CHECK(l.quiet_cells == Approx(5e-8).epsilon(0.2));
        CHECK(l.weak_cells < 1.3 * l.quiet_cells);
        CHECK(l.weak_cells > 0.7 * l.quiet_cells);
    }
}

TEST_CASE("the clutter map's cell table holds what std::unordered_map holds",
          "[filters][clutter]") {
    const std::uint64_t seed = GENERATE(1, 2, 3);
    INFO("seed " << seed);
    std::mt19937_64 gen(seed);
    ClutterCells fast;
    std::unordered_map<std::uint64_t, ClutterCell> reference;
    // Keys as FeedLooks makes them (two 32-bit cell indices), around the origin and at the
    // clamped edges (cell (-1, -1) is all ones).
    std::uniform_int_distribution<std::int32_t> near(-40, 40);
    auto key = [&] {
        const int pick = static_cast<int>(gen() % 20);
        if (pick == 0) return std::numeric_limits<std::uint64_t>::max();
        if (pick == 1) return std::uint64_t{0};
        const auto ix = static_cast<std::uint32_t>(near(gen));
        const auto iy = static_cast<std::uint32_t>(near(gen));
        return (static_cast<std::uint64_t>(ix) << 32) | iy;
    };
    bool same = true;
    for (int step = 0; step < 20000; ++step) {
        const int op = static_cast<int>(gen() % 10);
        const std::uint64_t k = key();
        if (op < 5) {
            const double add = static_cast<double>(gen() % 100) / 10.0;
            fast[k].count += add;
            reference[k].count += add;
        } else if (op < 9) {
            const ClutterCell* f = fast.find(k);
            const auto r = reference.find(k);
            same = same && (f == nullptr) == (r == reference.end()) &&
                   (f == nullptr || f->count == r->second.count);
        } else if (step % 50 == 9) {
            const double below = static_cast<double>(gen() % 50);
            fast.erase_if([&](const ClutterCell& c) { return c.count < below; });
            std::erase_if(reference, [&](const auto& kv) { return kv.second.count < below; });
        }
        same = same && fast.size() == reference.size();
    }
    CHECK(same);
    for (const auto& [k, c] : reference) {
        const ClutterCell* f = fast.find(k);
        REQUIRE(f != nullptr);
        CHECK(f->count == c.count);
    }
}

TEST_CASE("the cached clutter density is the reference's, bit for bit", "[filters][clutter]") {
    const std::uint64_t seed = GENERATE(11, 12, 13);
    INFO("seed " << seed);
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> pos(-9000, 9000);
    std::uniform_real_distribution<double> unit(0, 1);
    FeedLooks f(SensorKind::radar, 0.9);
    f.set_clutter_cell(2000);
    double t_s = 0;
    std::size_t asked = 0;
    std::size_t differ = 0;
    for (int batch = 0; batch < 400; ++batch) {
        t_s += unit(gen) < 0.8 ? 2.0 : 2.0 * (1 + static_cast<int>(gen() % 3));
        const Timestamp t = at(t_s);
        f.saw_batch(t);
        // Revisits move the learned look interval now and then (the cache keys on it).
        for (int k = 0; k < 3; ++k) f.revisit(unit(gen) < 0.7 ? 2.0 : 4.0 + unit(gen));
        const int plots = static_cast<int>(gen() % 40);
        for (int k = 0; k < plots; ++k) {
            // Ask between the counts too: each plot's density is asked before it is counted.
            const Eigen::Vector2d en(pos(gen), pos(gen));
            const double look = unit(gen) < 0.5 ? 2.0 : 0.0;
            ++asked;
            if (f.clutter_per_m2_at(en, t, look) != f.clutter_per_m2_at_reference(en, t, look))
                ++differ;
            f.unexplained(en, t, unit(gen) < 0.9, unit(gen) < 0.8 ? 1.0 : unit(gen));
        }
        if (unit(gen) < 0.1) f.explained_later(3, t, {pos(gen), pos(gen)});
        // A tentative track's look, at its own (older) time, and a position the map never saw.
        for (const Eigen::Vector2d& en :
             {Eigen::Vector2d(pos(gen), pos(gen)), Eigen::Vector2d(1e7, -1e7),
              Eigen::Vector2d(std::numeric_limits<double>::quiet_NaN(), 0.0)}) {
            for (const Timestamp when : {t, at(t_s - 1.5)}) {
                ++asked;
                if (f.clutter_per_m2_at(en, when, 2.0) !=
                    f.clutter_per_m2_at_reference(en, when, 2.0))
                    ++differ;
            }
        }
    }
    CHECK(asked > 10000);
    CHECK(differ == 0);
}
