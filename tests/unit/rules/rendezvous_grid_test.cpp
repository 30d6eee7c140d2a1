#include <catch2/catch.hpp>

#include <random>
#include <set>
#include <utility>

#include "geo/local_frame.hpp"
#include "rules/rendezvous_grid.hpp"

using namespace picket;
using picket::rules::find_close_pairs;
using picket::rules::GridPoint;

namespace {

std::set<std::pair<std::uint64_t, std::uint64_t>> brute_force(const std::vector<GridPoint>& pts,
                                                              double d) {
    std::set<std::pair<std::uint64_t, std::uint64_t>> out;
    for (std::size_t i = 0; i < pts.size(); ++i)
        for (std::size_t j = i + 1; j < pts.size(); ++j)
            if (geo::geodesic_distance_m(pts[i].where, pts[j].where) < d)
                out.emplace(std::min(pts[i].key, pts[j].key), std::max(pts[i].key, pts[j].key));
    return out;
}

}  // namespace

TEST_CASE("close pairs: same set as the O(n^2) geodesic check", "[rules][rendezvous]") {
    std::mt19937_64 rng(42);
    for (const double lat0 : {-9.0, 60.0, 0.0}) {
        std::uniform_real_distribution<double> dlat(lat0 - 0.05, lat0 + 0.05);
        std::uniform_real_distribution<double> dlon(125.0, 125.1);
        std::vector<GridPoint> pts;
        for (std::uint64_t k = 0; k < 400; ++k) pts.push_back({1000 - k, {dlat(rng), dlon(rng)}});
        const auto got = find_close_pairs(pts, 500);
        std::set<std::pair<std::uint64_t, std::uint64_t>> got_keys;
        for (const auto& p : got) {
            CHECK(pts[p.a].key < pts[p.b].key);
            got_keys.emplace(pts[p.a].key, pts[p.b].key);
        }
        CHECK(got_keys.size() == got.size());  // no duplicates
        CHECK(got_keys == brute_force(pts, 500));
        CHECK(!got_keys.empty());
        // Ordered by (key a, key b) for determinism.
        for (std::size_t i = 1; i < got.size(); ++i)
            CHECK(std::pair(pts[got[i - 1].a].key, pts[got[i - 1].b].key) <
                  std::pair(pts[got[i].a].key, pts[got[i].b].key));
    }
}

TEST_CASE("close pairs: across the antimeridian", "[rules][rendezvous]") {
    // 0.004 deg of longitude at 17 S is about 426 m: one pair straddles +-180.
    std::vector<GridPoint> pts{
        {1, {-17.0, 179.998}}, {2, {-17.0, -179.998}}, {3, {-17.0, 179.990}}};
    const auto got = find_close_pairs(pts, 500);
    REQUIRE(got.size() == 1);
    CHECK(pts[got[0].a].key == 1);
    CHECK(pts[got[0].b].key == 2);
    CHECK(got[0].distance_m == Approx(geo::geodesic_distance_m(pts[0].where, pts[1].where)));
    CHECK(got[0].distance_m < 500);
}

TEST_CASE("close pairs: nothing for one point or far points", "[rules][rendezvous]") {
    CHECK(find_close_pairs({{1, {0, 0}}}, 500).empty());
    CHECK(find_close_pairs({{1, {0, 0}}, {2, {0, 0.01}}}, 500).empty());       // ~1.1 km
    CHECK(find_close_pairs({{1, {0, 0}}, {2, {0, 0.004}}}, 500).size() == 1);  // ~445 m
}
