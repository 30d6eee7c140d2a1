// The geometry cache must never be wrong, only lazy: its side is the true side and its bounds
// contain the true distance, wherever the track wanders (antimeridian and enclave included).
#include <catch2/catch.hpp>

#include <random>

#include "rules/track_geometry.hpp"
#include "rules_scene.hpp"

using namespace picket;
using picket::rules::GeoTarget;
using picket::rules::TrackGeometry;

TEST_CASE("approx_distance_upper_m is an upper bound of the geodesic distance",
          "[rules][geometry]") {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> lat(-80, 80);
    std::uniform_real_distribution<double> lon(-180, 180);
    std::uniform_real_distribution<double> bearing(0, 360);
    std::uniform_real_distribution<double> dist(0, 50'000);
    for (int i = 0; i < 20'000; ++i) {
        const LatLon a{lat(rng), lon(rng)};
        const LatLon b = geo::geodesic_destination(a, bearing(rng), dist(rng));
        const double truth = geo::geodesic_distance_m(a, b);
        const double upper = rules::approx_distance_upper_m(a, b);
        REQUIRE(upper >= truth);
        CHECK(upper <= truth * 1.05 + 2);  // and not uselessly loose
    }
}

TEST_CASE("track geometry cache: side and distance bounds always hold", "[rules][geometry]") {
    const auto book = test::test_book("rules: []\n");
    // Zones B, W (with the enclave hole), F (split at 180) and the line AB.
    std::vector<GeoTarget> targets{{false, *book.find_zone("B"), 0},
                                   {false, *book.find_zone("W"), 0},
                                   {false, *book.find_zone("F"), 0},
                                   {true, {}, *book.find_line("AB")}};
    TrackGeometry geom(book, targets);
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> step(0, 400);
    std::uniform_real_distribution<double> turn(-40, 40);
    const std::vector<LatLon> starts{{0.5, 0.99}, {0.5, 10.39}, {-16.5, 179.98}};
    for (const LatLon start : starts) {
        std::vector<rules::TargetFix> cache(targets.size());
        LatLon p = start;
        double course = 90;
        for (int i = 0; i < 600; ++i) {
            course += turn(rng);
            p = geo::geodesic_destination(p, course, step(rng));
            for (std::size_t t = 0; t < targets.size(); ++t) {
                const rules::Where w = geom.at(cache, t, p);
                double truth = 0;
                bool inside = false;
                if (targets[t].is_line) {
                    truth = book.lines[targets[t].line].line.distance_m(p);
                } else {
                    const auto& zs = book.zones_of(targets[t].zone);
                    truth = zs.distance_to_boundary_m(targets[t].zone.zone, p);
                    inside = zs.contains(targets[t].zone.zone, p);
                }
                REQUIRE(w.inside == inside);
                REQUIRE(w.dist_lb_m <= truth + 1e-6);
                REQUIRE(w.dist_ub_m >= truth - 1e-6);
            }
        }
    }
    // Far from everything, a wandering track costs few queries.
    CHECK(geom.queries() < 3 * 600 * 4);
}

TEST_CASE("a rule engine prepares its targets' distance indexes when it is made",
          "[rules][geometry]") {
    // Issue 18: built on their first query, the Timor layer's distance grids cost the live server
    // a 93 ms rules part (thread CPU time) at every start, in the middle of the message stream.
    const char* kRules = R"(
rules:
  - {name: eta-B, kind: approach, zone: B, time_to_reach: 10min}
  - {name: cross-AB, kind: border_crossing, line: AB}
)";
    const auto lazy = test::test_book(kRules);
    const auto b = *lazy.find_zone("B");
    const auto f = *lazy.find_zone("F");
    CHECK_FALSE(lazy.zones_of(b).distance_prepared(b.zone));
    CHECK_FALSE(lazy.lines[*lazy.find_line("AB")].line.distance_prepared());

    const rules::RuleEngine engine(test::test_book(kRules));
    const rules::RuleBook& book = engine.book();
    CHECK(book.zones_of(b).distance_prepared(b.zone));
    CHECK(book.lines[*book.find_line("AB")].line.distance_prepared());
    CHECK_FALSE(book.zones_of(f).distance_prepared(f.zone));  // no rule measures F

    // Prepared or built on the first query, the same distances.
    for (const LatLon p : {LatLon{0.5, 0.9}, LatLon{0.2, 1.3}, LatLon{-16.5, 179.9}}) {
        CHECK(book.zones_of(b).distance_to_boundary_m(b.zone, p) ==
              lazy.zones_of(b).distance_to_boundary_m(b.zone, p));
        CHECK(book.lines[*book.find_line("AB")].line.distance_m(p) ==
              lazy.lines[*lazy.find_line("AB")].line.distance_m(p));
    }
}
