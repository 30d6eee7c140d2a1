// The tracker's roles on their own: the pre-gate against its plain reference, the associators'
// shared contract, and the life cycle in looks (what a feed teaches; existence; M-of-N; k-of-n).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <set>

#include "filters/associator.hpp"
#include "filters/jpda.hpp"
#include "filters/look_lifecycle.hpp"
#include "filters/multi_scan.hpp"
#include "filters/pre_gate.hpp"
#include "tests/unit/filters/scene_time.hpp"

using namespace picket;
using namespace picket::filters;
using namespace picket::tracker_tests;

TEST_CASE("the pre-gate's grid and linear scan find exactly the discs the plain loop finds") {
    // Random discs (some dead, some wide, some moving fast over a batch that spans time) and
    // plots; every batch size on both sides of the grid threshold.
    for (const std::size_t plots : {std::size_t{1}, std::size_t{40}, kGridMinPlots + 50}) {
        for (const double spread : {0.0, 0.8}) {
            CAPTURE(plots, spread);
            std::mt19937_64 gen(static_cast<std::uint64_t>(plots * 10 + spread * 10));
            std::uniform_real_distribution<double> pos(-20000, 20000);
            std::uniform_real_distribution<double> u(0, 1);
            PreGate gate;
            std::vector<GateDisc>& discs = gate.discs();
            discs.resize(800);
            for (GateDisc& d : discs) {
                d.e = pos(gen);
                d.n = pos(gen);
                d.base = u(gen) < 0.05 ? -1 : (u(gen) < 0.02 ? 30000 * u(gen) : 50 + 3000 * u(gen));
                d.ve = 40 * (u(gen) - 0.5);
                d.vn = 40 * (u(gen) - 0.5);
            }
            gate.build(spread, plots, 2000);
            CHECK(gate.uses_grid() == (plots >= kGridMinPlots));
            std::vector<std::uint32_t> ref;
            std::size_t found = 0;
            for (std::size_t k = 0; k < plots; ++k) {
                // Half the plots near a disc, so that most find some.
                const GateDisc& d = discs[k % discs.size()];
                const Eigen::Vector2d z =
                    k % 2 ? Eigen::Vector2d(pos(gen), pos(gen))
                          : Eigen::Vector2d(d.e + 200 * (u(gen) - 0.5), d.n + 200 * (u(gen) - 0.5));
                std::vector<std::uint32_t> fast;
                gate.candidates(z, [&](std::uint32_t i) { fast.push_back(i); });
                std::sort(fast.begin(), fast.end());
                gate.candidates_reference(z, ref);
                REQUIRE(fast == ref);
                found += ref.size();
            }
            CHECK(found > 0);
        }
    }
}

TEST_CASE("every associator: one plot per track, one track per plot, only gated pairs") {
    // A dense cluster: 6 tracks, 7 plots, random gated pairs and scores.
    std::mt19937_64 gen(5);
    std::uniform_real_distribution<double> u(0, 1);
    for (const char* name : {"gnn", "jpda", "gnn_pda"}) {
        CAPTURE(name);
        const auto assoc = make_associator(name);
        for (int trial = 0; trial < 50; ++trial) {
            std::vector<GatedPair> pairs;
            for (std::uint32_t t = 0; t < 6; ++t)
                for (std::uint32_t m = 0; m < 7; ++m)
                    if (u(gen) < 0.4) pairs.push_back(GatedPair{t, m, 9 * u(gen), 8 + u(gen), 0});
            if (pairs.empty()) continue;
            cluster_pairs(pairs, 6, 7);
            const std::vector<double> log_clutter(7, std::log(1e-6));
            const std::vector<ObsKind> kind(7, ObsKind::position);
            AssociationContext ctx;
            ctx.pd = 0.9;
            ctx.log_clutter = log_clutter;
            ctx.kind = kind;
            AssociationResult out;
            for (std::size_t b = 0; b < pairs.size();) {
                std::size_t e = b;
                std::vector<std::uint32_t> tracks;
                std::vector<std::uint32_t> plots;
                while (e < pairs.size() && pairs[e].root == pairs[b].root) {
                    if (tracks.empty() || tracks.back() != pairs[e].track)
                        tracks.push_back(pairs[e].track);
                    plots.push_back(pairs[e].meas);
                    ++e;
                }
                std::sort(plots.begin(), plots.end());
                plots.erase(std::unique(plots.begin(), plots.end()), plots.end());
                assoc->associate(
                    Cluster{std::span<const GatedPair>(pairs.data() + b, e - b), tracks, plots},
                    ctx, out);
                b = e;
            }
            std::set<std::uint32_t> tracks_used;
            std::set<std::uint32_t> plots_used;
            for (const Match& m : out.matches) {
                CHECK(tracks_used.insert(m.track).second);
                CHECK(plots_used.insert(m.meas).second);
                CHECK(std::any_of(pairs.begin(), pairs.end(), [&](const GatedPair& p) {
                    return p.track == m.track && p.meas == m.meas;
                }));
            }
            for (const WeightedUpdate& w : out.weighted) {
                CHECK(tracks_used.insert(w.track).second);
                double total = w.beta0;
                for (std::size_t k = 0; k < w.meas.size(); ++k) total += w.beta[k];
                CHECK(total == Approx(1).epsilon(1e-9));
            }
        }
    }
}

TEST_CASE(
    "gnn_pda: a lone proven track weighs its gate's plots as one-track JPDA; others are GNN's") {
    std::mt19937_64 gen(11);
    std::uniform_real_distribution<double> u(0, 1);
    const std::vector<double> log_clutter(6, std::log(2e-6));
    const std::vector<ObsKind> kind(6, ObsKind::position);
    GnnPdaAssociator pda;
    GnnAssociator gnn;
    for (int trial = 0; trial < 40; ++trial) {
        CAPTURE(trial);
        // One track, 1-6 plots at random distances: the closed form against the enumeration.
        const auto n = static_cast<std::uint32_t>(1 + trial % 6);
        std::vector<GatedPair> lone;
        for (std::uint32_t m = 0; m < n; ++m)
            lone.push_back(GatedPair{3, m, 14 * u(gen), 8 + u(gen), 3});
        std::vector<std::uint32_t> plots;
        for (std::uint32_t m = 0; m < n; ++m) plots.push_back(m);
        const std::vector<std::uint32_t> tracks{3};
        AssociationContext ctx;
        ctx.pd = 0.7;
        ctx.log_clutter = log_clutter;
        ctx.kind = kind;
        AssociationResult out;
        pda.associate(Cluster{lone, tracks, plots}, ctx, out);
        REQUIRE(out.matches.empty());
        REQUIRE(out.weighted.size() == 1);
        std::vector<double> lr;
        for (const GatedPair& p : lone)
            lr.push_back(ctx.pd * std::exp(log_likelihood(p, ObsKind::position) - log_clutter[0]));
        std::vector<double> ref;
        REQUIRE(jpda_marginals(1, static_cast<int>(n), lr, 1 - ctx.pd, ref));
        const WeightedUpdate& w = out.weighted[0];
        REQUIRE(w.meas.size() == n);
        for (std::uint32_t m = 0; m < n; ++m) CHECK(w.beta[m] == Approx(ref[m]).epsilon(1e-12));
        CHECK(w.beta0 == Approx(ref[n]).epsilon(1e-12));
        // Its most probable plot is the track's (no other track may start on it) only when the
        // look counts as a hit; the rest stay free.
        const auto best =
            static_cast<std::size_t>(std::max_element(lr.begin(), lr.end()) - lr.begin());
        CHECK(w.best == best);
        CHECK(out.consumed.size() == (1 - w.beta0 >= 0.5 ? 1u : 0u));
        // Not proven (a tentative track): GNN's decision, the same as GNN's associator.
        ctx.may_weigh = [](std::uint32_t) { return false; };
        AssociationResult a;
        AssociationResult b;
        pda.associate(Cluster{lone, tracks, plots}, ctx, a);
        gnn.associate(Cluster{lone, tracks, plots}, ctx, b);
        CHECK(a.weighted.empty());
        REQUIRE(a.matches.size() == b.matches.size());
        for (std::size_t k = 0; k < a.matches.size(); ++k)
            CHECK(a.matches[k].meas == b.matches[k].meas);
    }
    // Two tracks sharing a plot: GNN's assignment, never a weighted update.
    std::vector<GatedPair> two{{0, 0, 1.0, 8.0, 0}, {0, 1, 4.0, 8.0, 0}, {1, 1, 0.5, 8.0, 0}};
    const std::vector<std::uint32_t> tracks{0, 1};
    const std::vector<std::uint32_t> plots{0, 1};
    AssociationContext ctx;
    ctx.pd = 0.9;
    ctx.log_clutter = log_clutter;
    ctx.kind = kind;
    AssociationResult a;
    AssociationResult b;
    pda.associate(Cluster{two, tracks, plots}, ctx, a);
    gnn.associate(Cluster{two, tracks, plots}, ctx, b);
    CHECK(a.weighted.empty());
    REQUIRE(a.matches.size() == 2);
    REQUIRE(b.matches.size() == 2);
    for (std::size_t k = 0; k < 2; ++k) {
        CHECK(a.matches[k].track == b.matches[k].track);
        CHECK(a.matches[k].meas == b.matches[k].meas);
    }
}

TEST_CASE("a feed's look interval: stated first, else the median revisit gap") {
    FeedLooks radar(SensorKind::radar, 0.9);
    CHECK(radar.scanning());
    CHECK(radar.period_s() == 0);
    // Revisits every 4 s, a third of them after a missed look (8 s), with jitter.
    for (int k = 0; k < 40; ++k) radar.revisit((k % 3 == 0 ? 8.0 : 4.0) + 0.01 * (k % 5));
    CHECK(radar.period_s() == Approx(4.02).margin(0.03));
    radar.set_stated_period(7.6);
    CHECK(radar.period_s() == 7.6);
    LookHolder h;
    CHECK(look_interval(h, radar) == 7.6);
    // A reporting feed (AIS): each track has its own interval.
    FeedLooks ais(SensorKind::ais, 0.9);
    CHECK_FALSE(ais.scanning());
    for (int k = 0; k < 10; ++k) ais.revisit(10);
    h.gap_s = 180;
    CHECK(look_interval(h, ais) == 180);
    h.gap_s = 0;
    CHECK(look_interval(h, ais) == 10);
}

TEST_CASE("a feed learns its Pd from established tracks' looks") {
    FeedLooks f(SensorKind::radar, 0.9);
    CHECK(f.pd() == Approx(0.9));
    f.saw_batch(at(0));
    for (int k = 0; k < 4000; ++k) f.look_outcome(k % 10 < 7);
    CHECK(f.pd() == Approx(0.9));  // a batch's looks count from the next batch on
    f.saw_batch(at(1));
    CHECK(f.pd() == Approx(0.7).margin(0.02));
    for (int k = 0; k < 20000; ++k) f.look_outcome(k % 20 != 0);
    f.saw_batch(at(2));
    CHECK(f.pd() == Approx(0.95).margin(0.01));
}

TEST_CASE("what a feed learns does not depend on the order a batch lists its tracks in") {
    // Regression (bench_tracking, 10,000 targets): the tracker books a batch's hits first and
    // its misses last. Counted one look at a time over a 2,000-look window, a batch of 9,000
    // hits and 1,000 misses read Pd 0.6; and of 10,000 revisit gaps the last few (the newest
    // tracks, back after missed looks: 6 s) made a 2 s radar's look interval 6 s, so misses
    // were counted three times too slowly and clutter tracks lived twice as long.
    FeedLooks sorted(SensorKind::radar, 0.5);
    FeedLooks mixed(SensorKind::radar, 0.5);
    for (int b = 0; b < 3; ++b) {
        sorted.saw_batch(at(2.0 * b));
        mixed.saw_batch(at(2.0 * b));
        for (int k = 0; k < 10000; ++k) {
            sorted.look_outcome(k < 9000);
            mixed.look_outcome(k % 10 != 9);
            sorted.revisit(k < 9000 ? 2.0 : 6.0);
            mixed.revisit(k % 10 != 9 ? 2.0 : 6.0);
        }
    }
    sorted.saw_batch(at(6));
    mixed.saw_batch(at(6));
    CHECK(sorted.pd() == Approx(0.9).margin(0.01));
    CHECK(sorted.pd() == Approx(mixed.pd()).epsilon(1e-12));
    CHECK(sorted.period_s() == Approx(2.0).epsilon(1e-9));
    CHECK(mixed.period_s() == Approx(2.0).epsilon(1e-9));
}

TEST_CASE("a feed learns how long its targets live, in looks, from its established tracks' ends") {
    // Regression (eval accuracy, IMM turn scenes): with a fixed 500-look lifetime, three missed
    // looks at Pd 0.9 hid a long-held track (r < hold) about once per 500 looks, so scenes where
    // every target stays fragmented. Targets that stay: the lifetime grows past the prior, and a
    // long-held track needs more misses before it is hidden.
    const double prior = 500;
    FeedLooks stay(SensorKind::radar, 0.9);
    stay.saw_batch(at(0));
    for (int k = 0; k < 1000; ++k) stay.look_outcome(k % 10 != 0);
    stay.saw_batch(at(1));
    CHECK(stay.lifetime_looks(prior) > 5 * prior);
    // Targets that come and go (one ends per 100 looks): it shrinks towards that.
    FeedLooks churn(SensorKind::radar, 0.9);
    churn.saw_batch(at(0));
    for (int k = 0; k < 1000; ++k) {
        churn.look_outcome(k % 10 != 0);
        if (k % 100 == 99) churn.track_ended();
        if (k % 100 == 99) churn.saw_batch(at(k));
    }
    CHECK(churn.lifetime_looks(prior) == Approx(100).epsilon(0.15));
    // Before any look, the prior.
    CHECK(FeedLooks(SensorKind::radar, 0.9).lifetime_looks(prior) == Approx(prior));
    auto misses_to_hide = [](double lifetime) {
        LifecycleSettings s;
        TrackLife life;
        life.ever_confirmed = true;
        life.r = 1 - 1e-12;
        life.r_t = at(0);
        survive_until(life, at(1), 1.0, lifetime);
        int k = 0;
        while (judge(life, SensorKind::radar, s) == LifeVerdict::confirmed) {
            look_miss(life, 0.9);
            ++k;
        }
        return k;
    };
    CHECK(misses_to_hide(stay.lifetime_looks(prior)) >= 4);
    CHECK(misses_to_hide(churn.lifetime_looks(prior)) <= 3);
}

TEST_CASE("a feed learns its clutter density from unexplained plots, per look") {
    // 50 clutter plots per 2 s look, uniform over 10 km x 10 km: 5e-7 per m^2 per look.
    FeedLooks f(SensorKind::radar, 0.9);
    f.set_stated_period(2.0);
    std::mt19937_64 gen(3);
    std::uniform_real_distribution<double> pos(0, 10000);
    for (int look = 0; look < 60; ++look) {
        const Timestamp t = at(2.0 * look);
        f.saw_batch(t);
        for (int k = 0; k < 50; ++k) f.unexplained({pos(gen), pos(gen)}, t);
        if (look == 0) CHECK(f.clutter_per_m2(t, 2.0) == Approx(5e-7).epsilon(0.25));
    }
    CHECK(f.clutter_per_m2(at(118), 2.0) == Approx(5e-7).epsilon(0.1));
    // A target's plots counted while its track was tentative are given back.
    const double before = f.clutter_per_m2(at(118), 2.0);
    f.explained_later(50, at(118), {5000, 5000});
    CHECK(f.clutter_per_m2(at(118), 2.0) < before);
    // No clutter at all: the floor, never zero.
    FeedLooks quiet(SensorKind::ugs, 0.9);
    quiet.saw_batch(at(0));
    CHECK(quiet.clutter_per_m2(at(0), 1) == kMinClutterPerM2);
}

TEST_CASE("a feed counts the targets it holds now, over the same area as its clutter") {
    // 10 km x 10 km of plots, 4 s looks; 20 likely targets for 30 looks, then 60.
    FeedLooks f(SensorKind::radar, 0.9);
    f.set_stated_period(4.0);
    f.saw_batch(at(0));
    CHECK(f.targets_per_m2(at(0), true) == 0);  // no extent, no targets yet
    f.unexplained({0, 0}, at(0));
    f.unexplained({10000, 10000}, at(0));
    CHECK(f.targets_per_m2(at(0), true) == 0);  // holds none
    int held = 20;
    for (int look = 1; look <= 60; ++look) {
        const Timestamp t = at(4.0 * look);
        f.saw_batch(t);
        if (look == 31) held = 60;
        for (int k = 0; k < held; ++k) f.target_look();
        if (look == 30) CHECK(f.targets_per_m2(t, true) == Approx(20 / 1e8).epsilon(0.1));
        // A feed that starts among many targets counts them within a few looks, not the
        // clutter's twenty.
        if (look == 36) CHECK(f.targets_per_m2(t, true) > 50 / 1e8);
        // Before the batch's looks are all in, only the earlier batches count.
        if (look == 60) CHECK(f.targets_per_m2(t, false) < f.targets_per_m2(t, true));
    }
    CHECK(f.targets_per_m2(at(240), true) == Approx(60 / 1e8).epsilon(0.1));
}

TEST_CASE("false-track budget: the chance that clutter shows a track's hits, and the verdict") {
    TrackLife life;
    life.r = 0.01;
    life.looks = life.hits = 1;  // the starting plot
    CHECK(chance_from_clutter(life) == 1.0);
    // Two more hits in gates expected to hold 0.01 and 0.02 clutter plots, no miss: one way.
    look_hit(life, 0.7, 50);
    life.clutter_chance *= 0.01;
    look_hit(life, 0.7, 50);
    life.clutter_chance *= 0.02;
    CHECK(chance_from_clutter(life) == Approx(2e-4));
    // A miss between them: the two hits could have fallen on any two of the three looks.
    TrackLife missed = life;
    look_miss(missed, 0.7);
    CHECK(chance_from_clutter(missed) == Approx(3 * 2e-4));
    // Never above 1.
    TrackLife wide = life;
    wide.clutter_chance = 0.9;
    for (int k = 0; k < 6; ++k) look_miss(wide, 0.7);
    CHECK(chance_from_clutter(wide) == 1.0);

    LifecycleSettings s;
    TrackLife t;
    t.r = 0.9;  // above hold, below confirm
    const double off = std::numeric_limits<double>::infinity();
    CHECK(judge(t, SensorKind::radar, s, off) == LifeVerdict::tentative);
    CHECK(judge(t, SensorKind::radar, s, 0.5) == LifeVerdict::confirmed);  // half the budget
    CHECK(judge(t, SensorKind::radar, s, 2.0) == LifeVerdict::tentative);  // twice it
    t.r = 0.4;  // below hold: not more likely than not, whatever the budget
    CHECK(judge(t, SensorKind::radar, s, 0.0) == LifeVerdict::tentative);
    t.r = 0.995;  // the existence alone still confirms
    CHECK(judge(t, SensorKind::radar, s, off) == LifeVerdict::confirmed);
}

TEST_CASE("false-track budget by plot: how close the hits came, combined as p-values") {
    // Two hits after the starting plot, in gates expected to hold 0.01 and 0.02 clutter plots,
    // each close to its prediction: clutter puts a plot that close with chance 0.001 and 0.004.
    TrackLife life;
    life.r = 0.01;
    life.looks = life.hits = 1;
    CHECK(chance_from_clutter_by_plot(life) == 1.0);
    look_hit(life, 0.7, 50);
    life.clutter_chance *= 0.01;
    life.log_plot_chance += std::log(0.001);
    look_hit(life, 0.7, 50);
    life.clutter_chance *= 0.02;
    life.log_plot_chance += std::log(0.004);
    // P(p1 p2 <= x) = x (1 - ln x) for two independent uniform chances, x = 4e-6; not x alone
    // (any pair with that product counts as as unlikely), and below the gates' 2e-4.
    const double x = 4e-6;
    CHECK(chance_from_clutter_by_plot(life) == Approx(x * (1 - std::log(x))));
    CHECK(chance_from_clutter_by_plot(life) < chance_from_clutter(life));
    // A miss between them: three placings, as for the gate's chance.
    TrackLife missed = life;
    look_miss(missed, 0.7);
    CHECK(chance_from_clutter_by_plot(missed) == Approx(3 * x * (1 - std::log(x))));
    // Hits at their gates' edges say no more than the gates: never above the gate's chance.
    TrackLife edge = life;
    edge.log_plot_chance = std::log(0.01) + std::log(0.02);
    CHECK(chance_from_clutter_by_plot(edge) == Approx(chance_from_clutter(edge)));

    // The combination is a p-value: three uniform chances have a product at most x with
    // probability x (1 + L + L^2 / 2), L = -ln x (sampled, not assumed).
    TrackLife three;
    three.looks = three.hits = 4;
    three.clutter_chance = 1;
    three.log_plot_chance = std::log(1e-3);
    std::mt19937_64 gen(11);
    std::uniform_real_distribution<double> u(0, 1);
    int below = 0;
    constexpr int kDraws = 200000;
    for (int k = 0; k < kDraws; ++k) below += u(gen) * u(gen) * u(gen) <= 1e-3 ? 1 : 0;
    CHECK(chance_from_clutter_by_plot(three) ==
          Approx(static_cast<double>(below) / kDraws).epsilon(0.05));
}

TEST_CASE("false-track budget by likelihood: the SPRT's score and Wald's bound") {
    // The score is the sum of ln of the existence's own factors over the looks after the first.
    TrackLife life;
    life.r = 0.01;
    life.looks = life.hits = 1;
    CHECK(chance_from_clutter_by_likelihood(life, 0.05) == 1.0);
    look_hit(life, 0.7, 50);
    look_miss(life, 0.7);
    look_hit(life, 0.7, 200);
    const double score = std::log(0.3 + 0.7 * 50) + std::log(0.3) + std::log(0.3 + 0.7 * 200);
    CHECK(life.log_lr == Approx(score));
    CHECK(chance_from_clutter_by_likelihood(life, 0.05) == Approx(0.95 * std::exp(-score)));
    // Once confirmed the score stops (the existence goes on).
    TrackLife shown = life;
    shown.ever_confirmed = true;
    look_miss(shown, 0.7);
    CHECK(shown.log_lr == life.log_lr);

    // Every hit alike, it is an M-of-N whose M grows with the misses: with a hit worth 20 and a
    // miss 0.3 (Pd 0.7), confirming at chance 0.95 e^-5.5 asks for 3 plots in a row (the first
    // and 2 hits: ln 20 x 2 = 6.0), 4 with one or two misses, 5 with three to five: the
    // reference table, over every sequence of up to 8 looks after the first.
    const double factor = 20;
    const double g_over_lambda = (factor - 0.3) / 0.7;
    const double limit = 0.95 * std::exp(-5.5);
    constexpr std::array<int, 9> kPlotsNeeded{3, 4, 4, 5, 5, 5, 6, 6, 7};
    auto plots_needed = [&](int misses) { return kPlotsNeeded[static_cast<std::size_t>(misses)]; };
    for (int n = 1; n <= 8; ++n) {
        for (unsigned bits = 0; bits < (1U << n); ++bits) {
            TrackLife t;
            t.looks = t.hits = 1;
            bool sprt = false;
            bool m_of_n = false;
            for (int k = 0; k < n && !sprt; ++k) {
                ((bits >> k) & 1U) ? look_hit(t, 0.7, g_over_lambda) : look_miss(t, 0.7);
                sprt = chance_from_clutter_by_likelihood(t, 0.05) <= limit;
                const int misses = static_cast<int>(t.looks - t.hits);
                m_of_n = static_cast<int>(t.hits) >= plots_needed(misses);
                CHECK(sprt == m_of_n);
            }
        }
    }

    // Wald's bound, sampled: a track started from clutter (plots uniform at lambda around it,
    // the nearest in its gate taken) reaches a likelihood ratio A within 8 looks with
    // probability at most 1 / A, so (1 - beta) / LR never understates its chance.
    std::mt19937_64 gen(17);
    std::uniform_real_distribution<double> u(0, 1);
    constexpr double kSqrtDetS = 300;  // m^2, a young track's |S|^(1/2) at a 1 s look
    constexpr double kLambda = 1e-5;   // per m^2: ~0.13 clutter plots in its 99.9 % gate
    constexpr double kGate = 13.8155;  // chi-square 2 dof, 0.999
    const double mu_gate = kLambda * std::numbers::pi * kGate * kSqrtDetS;
    std::poisson_distribution<int> count(mu_gate);
    constexpr int kTracks = 200000;
    for (const double a : {20.0, 100.0, 500.0}) {
        int reached = 0;
        for (int k = 0; k < kTracks; ++k) {
            TrackLife t;
            t.looks = t.hits = 1;
            for (int look = 0; look < 8; ++look) {
                double d2 = kGate + 1;
                // Uniform in the gate's ellipse: d2 uniform on [0, gate].
                for (int c = count(gen); c > 0; --c) d2 = std::min(d2, kGate * u(gen));
                if (d2 <= kGate) {
                    const double g = std::exp(-0.5 * d2) / (2 * std::numbers::pi * kSqrtDetS);
                    look_hit(t, 0.9, g / kLambda);
                } else {
                    look_miss(t, 0.9);
                }
                if (t.log_lr >= std::log(a)) {
                    ++reached;
                    break;
                }
            }
        }
        CHECK(static_cast<double>(reached) / kTracks <= 1 / a);
    }
}

TEST_CASE("clutter map: the density where the clutter is, not spread over where targets went") {
    // 50 clutter plots per 2 s look over 10 x 10 km (5e-7 per m^2 per look) and 5 target plots
    // per look scattered over 40 x 40 km: the extent-wide density is ~16 x too low inside the
    // cluttered square, the map's is right there and low outside it.
    std::mt19937_64 gen(9);
    std::uniform_real_distribution<double> in(0, 10000);
    std::uniform_real_distribution<double> wide(-15000, 25000);
    auto at = [](double s) { return Timestamp{Duration::from_seconds(1000 + s).ns}; };
    FeedLooks map(SensorKind::radar, 0.9);
    FeedLooks flat(SensorKind::radar, 0.9);
    map.set_clutter_cell(2000);
    for (int look = 0; look < 60; ++look) {
        const Timestamp t = at(2.0 * look);
        for (FeedLooks* f : {&map, &flat}) {
            f->saw_batch(t);
            if (look > 0) f->revisit(2.0);
        }
        for (int k = 0; k < 50; ++k) {
            const Eigen::Vector2d p(in(gen), in(gen));
            map.unexplained(p, t);
            flat.unexplained(p, t);
        }
        for (int k = 0; k < 5; ++k) {
            const Eigen::Vector2d p(wide(gen), wide(gen));
            map.unexplained(p, t);
            flat.unexplained(p, t);
        }
    }
    const Timestamp t = at(118);
    const Eigen::Vector2d inside(5000, 5000);
    const Eigen::Vector2d outside(20000, -10000);
    CHECK(flat.clutter_per_m2(t, 2) < 0.15 * 5e-7);
    CHECK(map.clutter_per_m2_at(inside, t, 2) == Approx(5e-7).epsilon(0.25));
    CHECK(map.clutter_per_m2_at(outside, t, 2) < 0.2 * 5e-7);
    // Off (cell 0), the map gives the extent-wide density: the reference it replaces.
    CHECK(flat.clutter_per_m2_at(inside, t, 2) == flat.clutter_per_m2(t, 2));
    // A cell's plots that were a target's are given back there.
    const double before = map.clutter_per_m2_at(inside, t, 2);
    map.explained_later(10, t, inside);
    CHECK(map.clutter_per_m2_at(inside, t, 2) < before);
}

TEST_CASE("existence: hits raise it by their likelihood ratio, misses lower it by 1 - Pd") {
    LifecycleSettings s;
    TrackLife life;
    life.r = s.new_track_probability;
    life.ever_confirmed = false;
    // Two strong hits confirm (odds 0.0101 x 1000^2 >> 99).
    look_hit(life, 0.9, 1000 / 0.9);
    CHECK(judge(life, SensorKind::radar, s) == LifeVerdict::tentative);
    look_hit(life, 0.9, 1000 / 0.9);
    CHECK(judge(life, SensorKind::radar, s) == LifeVerdict::confirmed);
    life.ever_confirmed = true;
    // Survival caps a long-held track's odds at about lifetime_looks: then three misses at
    // Pd 0.9 make it coast, six delete it (below 1e-4).
    life.r = 1 - 1e-12;
    life.r_t = at(0);
    survive_until(life, at(1), 1.0, s.lifetime_looks);
    CHECK(life.r == Approx(std::exp(-1 / s.lifetime_looks)));
    int k = 0;
    while (judge(life, SensorKind::radar, s) == LifeVerdict::confirmed) {
        look_miss(life, 0.9);
        ++k;
    }
    CHECK(k == 3);
    while (judge(life, SensorKind::radar, s) == LifeVerdict::coasting) {
        look_miss(life, 0.9);
        ++k;
    }
    CHECK(k == 7);
    // At Pd 0.7 a miss says less: more of them before coasting.
    TrackLife weak;
    weak.ever_confirmed = true;
    weak.r = std::exp(-1 / s.lifetime_looks);
    int m = 0;
    while (judge(weak, SensorKind::radar, s) == LifeVerdict::confirmed) {
        look_miss(weak, 0.7);
        ++m;
    }
    CHECK(m == 6);
}

TEST_CASE("explicit overrides: M-of-N confirmation and k misses of the last n looks") {
    LifecycleSettings s;
    s.confirm_m_of_n[static_cast<std::size_t>(SensorKind::radar)] = {3, 5};
    s.delete_misses = 5;
    s.delete_of_looks = 10;  // IMO MSC.192(79): lost after 5 of 10 scans
    TrackLife life;
    life.looks = life.hits = 1;
    life.look_bits = 1;
    look_miss(life, 0.9);
    look_hit(life, 0.9, 1);
    CHECK(judge(life, SensorKind::radar, s) == LifeVerdict::tentative);
    look_hit(life, 0.9, 1);
    CHECK(judge(life, SensorKind::radar, s) == LifeVerdict::confirmed);
    life.ever_confirmed = true;
    // One miss in three: never 5 misses in 10 looks.
    for (int k = 0; k < 30; ++k) {
        (k % 3 == 0) ? look_miss(life, 0.9) : look_hit(life, 0.9, 1);
        CHECK(judge(life, SensorKind::radar, s) != LifeVerdict::dead);
    }
    for (int k = 0; k < 10; ++k) look_hit(life, 0.9, 1);
    for (int k = 0; k < 4; ++k) look_miss(life, 0.9);
    CHECK(judge(life, SensorKind::radar, s) == LifeVerdict::coasting);
    look_miss(life, 0.9);
    CHECK(judge(life, SensorKind::radar, s) == LifeVerdict::dead);  // 5 of the last 10 missed
    // A tentative track that can no longer make 3 of 5 is dropped.
    TrackLife young;
    young.looks = young.hits = 1;
    look_miss(young, 0.9);
    look_miss(young, 0.9);
    CHECK(judge(young, SensorKind::radar, s) == LifeVerdict::tentative);
    look_miss(young, 0.9);
    CHECK(judge(young, SensorKind::radar, s) == LifeVerdict::dead);
}

TEST_CASE("multi-scan: the best exchange by assignment is the one enumeration finds") {
    // best_exchange (a 2-D assignment on the heads x tails log-likelihoods) against
    // best_exchange_reference (every permutation), on random matrices with forbidden
    // (-infinity) entries, 1 to kMultiScanMaxTracks tracks.
    std::mt19937_64 gen(13);
    std::uniform_real_distribution<double> u(0, 1);
    for (int trial = 0; trial < 400; ++trial) {
        const int n = 1 + trial % kMultiScanMaxTracks;
        std::vector<double> score(static_cast<std::size_t>(n * n));
        for (double& s : score)
            s = u(gen) < 0.1 ? -std::numeric_limits<double>::infinity() : -60 * u(gen);
        std::vector<int> fast;
        std::vector<int> reference;
        const double best = best_exchange(n, score, fast);
        const double best_ref = best_exchange_reference(n, score, reference);
        CAPTURE(trial, n);
        if (std::isinf(best_ref)) {
            CHECK(std::isinf(best));
            continue;
        }
        CHECK(best == Approx(best_ref).epsilon(1e-12));
        CHECK(fast == reference);  // continuous scores: one best permutation
        std::vector<int> sorted = fast;
        std::sort(sorted.begin(), sorted.end());
        for (int k = 0; k < n; ++k) CHECK(sorted[static_cast<std::size_t>(k)] == k);
    }
}

TEST_CASE("multi-scan: a crossing's plot sequences score best under the heads they came from") {
    // Two targets cross 20 m apart at different velocities; each track's state before the
    // crossing (its head) and each target's plots after it (noise-free). Each sequence scores
    // higher under its own head, the assignment keeps them, and the state after a tail is at its
    // last plot.
    FilterSettings fs;
    fs.kind = FilterKind::kf;
    fs.noise = ProcessNoise{0.05, 0.01};
    const auto head_at = [&](double e, double n, double ve, double vn) {
        Gaussian g;
        g.x << e, n, ve, vn, 0;
        g.P = StateMat::Identity() * 0.01;
        g.P.topLeftCorner<2, 2>() *= 100 * 100;  // 10 m
        g.P(2, 2) = g.P(3, 3) = 1;               // 1 m/s
        return TrackFilter(g, FilterKind::kf);
    };
    const Timestamp t0 = Timestamp::from_unix_seconds(1000);
    // A eastward at 10 m/s, B northward at 6 m/s; both pass near the origin at t0 + 1 s.
    const std::vector<TrackFilter> heads{head_at(-10, 0, 10, 0), head_at(20, -6, 0, 6)};
    std::vector<std::vector<TailPlot>> tails(2);
    for (int k = 1; k <= 5; ++k) {
        const double dt = k;
        for (int target = 0; target < 2; ++target) {
            Observation o;
            o.kind = ObsKind::position;
            o.z =
                target == 0 ? Eigen::Vector2d(-10 + 10 * dt, 0) : Eigen::Vector2d(20, -6 + 6 * dt);
            o.R = Eigen::Matrix2d::Identity() * 100;
            tails[static_cast<std::size_t>(target)].push_back(
                TailPlot{t0 + Duration::from_seconds(dt), o});
        }
    }
    std::vector<double> score(4);
    for (int h = 0; h < 2; ++h)
        for (int k = 0; k < 2; ++k)
            score[static_cast<std::size_t>(h * 2 + k)] =
                tail_log_likelihood(heads[static_cast<std::size_t>(h)], t0,
                                    tails[static_cast<std::size_t>(k)], fs, FilterKind::kf);
    CHECK(score[0] > score[1]);
    CHECK(score[3] > score[2]);
    std::vector<int> tail_of;
    best_exchange(2, score, tail_of);
    CHECK(tail_of == std::vector<int>{0, 1});
    TrackFilter end;
    Timestamp end_t;
    tail_log_likelihood(heads[1], t0, tails[1], fs, FilterKind::kf, &end, &end_t);
    CHECK(end_t == t0 + Duration::from_seconds(5));
    CHECK(end.combined().x(0) == Approx(20).margin(1));
    CHECK(end.combined().x(1) == Approx(24).margin(1));
    // An empty tail leaves the head as it was.
    tail_log_likelihood(heads[1], t0, {}, fs, FilterKind::kf, &end, &end_t);
    CHECK(end_t == t0);
    CHECK(end.combined().x(1) == -6);
}
