// Distance to the boundary of zones split at the antimeridian (Fiji, Russia's Chukotka) against a
// reference that dissolves the seam (seam_reference.hpp: GEOS on the zone moved to 0..360,
// unioned, measured in geodesic metres). The goal: within max(20 m, 1 %) everywhere, sampled
// densely next to the seam, within ~100 km of it and over the whole region around it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "geo/seam.hpp"
#include "geo/zones.hpp"
#include "seam_reference.hpp"

using picket::LatLon;
using picket::geo::BorderLine;
using picket::geo::ZoneSet;
using picket::geo::test::SeamDissolvedReference;
namespace d = picket::geo::detail;

namespace {

const std::string kWorld = "data/borders/world_maritime.gpkg";

struct Region {
    const char* iso;
    double lat0, lat1;  ///< latitudes where the zone meets the seam, with a margin
};

/// Longitude `offset` degrees east of the seam (negative: west), in [-180, 180).
double east_of_seam(double offset) { return offset >= 0 ? -180.0 + offset : 180.0 + offset; }

struct Tally {
    int points = 0, inside = 0, bad = 0;
    double worst_excess_m = 0;      ///< largest |ours - ref| beyond the tolerance's share
    std::ofstream* dump = nullptr;  ///< id,lat,lon,reference_m (PICKET_SEAM_DUMP=DIR)
};

void check_point(const ZoneSet& z, const SeamDissolvedReference& ref, double lon, double lat,
                 Tally& t) {
    const double ours = z.distance_to_boundary_m(0, {lat, lon});
    const double want = ref.distance_m(lon, lat);
    const double tol = std::max(20.0, 0.01 * want);
    ++t.points;
    if (t.dump) *t.dump << t.points << ',' << lat << ',' << lon << ',' << want << '\n';
    t.inside += ref.contains(lon, lat) ? 1 : 0;
    t.worst_excess_m = std::max(t.worst_excess_m, std::abs(ours - want) / tol * 20.0);
    if (std::abs(ours - want) > tol) {
        ++t.bad;
        if (t.bad <= 10)
            UNSCOPED_INFO("lat " << lat << " lon " << lon << ": picket " << ours << " m, reference "
                                 << want << " m");
    }
}

}  // namespace

SCENARIO("distance to zones split at the antimeridian matches a seam-dissolving reference",
         "[geo][zones][real][antimeridian][seam]") {
    INFO("derived border data missing: run scripts/setup.sh (or scripts/derive-borders.sh)");
    REQUIRE(std::filesystem::exists(kWorld));
    for (const Region r : {Region{"FJI", -19.5, -14.5}, Region{"RUS", 63.5, 72.0}}) {
        const std::string where = std::string("isoA3 = '") + r.iso + "'";
        const ZoneSet z = ZoneSet::load({kWorld, "maritime", where, ""});
        const SeamDissolvedReference ref(kWorld, "maritime", where);
        std::mt19937_64 rng(20261126);
        std::uniform_real_distribution<double> lat(r.lat0, r.lat1), unit(0.0, 1.0);
        INFO(r.iso << ", seed 20261126");
        Tally t;
        // PICKET_SEAM_DUMP=DIR writes the points and reference distances (DIR/<iso>.csv), to
        // compare another build's `picket zones` with the reference.
        std::ofstream dump;
        if (const char* dir = std::getenv("PICKET_SEAM_DUMP")) {
            dump.open(std::string(dir) + "/" + r.iso + ".csv");
            dump.precision(12);
            dump << "id,lat,lon,reference_m\n";
            t.dump = &dump;
        }
        // Right next to the seam (1 cm to 100 m) on both sides, where a cut counted as a
        // boundary gives ~0 m; within ~1 deg (~100 km) of it; and over a 10-degree band.
        for (int i = 0; i < 400; ++i) {
            const double off = std::pow(10.0, -7 + 4 * unit(rng)) * (i % 2 ? 1 : -1);
            check_point(z, ref, east_of_seam(off), lat(rng), t);
        }
        for (int i = 0; i < 1200; ++i)
            check_point(z, ref, east_of_seam(2 * unit(rng) - 1), lat(rng), t);
        for (int i = 0; i < 400; ++i)
            check_point(z, ref, east_of_seam(10 * unit(rng) - 5), lat(rng), t);
        INFO(t.points << " points, " << t.inside << " inside, worst error " << t.worst_excess_m
                      << " m-equivalent of the 20 m / 1 % tolerance");
        CHECK(t.bad == 0);
        CHECK(t.inside >= 50);  // both inside and outside points, near the seam and far
        CHECK(t.inside <= t.points - 50);

        // The zone's boundary as a border line measures the same.
        const BorderLine line = BorderLine::boundary_of(z, 0, "limit");
        for (int i = 0; i < 100; ++i) {
            const LatLon p{lat(rng), east_of_seam(2 * unit(rng) - 1)};
            CHECK(line.distance_m(p) == Approx(z.distance_to_boundary_m(0, p)).margin(0.01));
        }
        // Paths of ~2 km across the seam cross the boundary only where the reference has one
        // within reach, and then in the direction containment changes.
        int quiet = 0;
        for (int i = 0; i < 400; ++i) {
            const double y = lat(rng);
            const LatLon a{y, 179.99}, b{y, -179.99};
            const auto c = z.crossings(0, a, b);
            const bool in_a = ref.contains(a.lon_deg, a.lat_deg),
                       in_b = ref.contains(b.lon_deg, b.lat_deg);
            if (ref.distance_m(180.0, y) > 3000) {
                ++quiet;
                CHECK(c.empty());
                CHECK(in_a == in_b);
            } else if (in_a != in_b) {
                CHECK(!c.empty());
            }
        }
        CHECK(quiet > 100);
    }
}

SCENARIO("an edge on the seam is a cut only where the other side faces it", "[geo][seam]") {
    // A zone that really ends at 180 (nothing on the other side) keeps that edge as a boundary.
    const ZoneSet west_only =
        ZoneSet::from_wkt({{"w", "POLYGON((179 -17, 180 -17, 180 -16, 179 -16, 179 -17))"}});
    CHECK(west_only.distance_to_boundary_m(0, {-16.5, 179.999}) ==
          Approx(106.7).epsilon(0.01));  // 0.001 deg of longitude at 16.5 S
    // Split halves that face each other only from -16.6 to -16.4: the rest of each seam edge is
    // a boundary (a notch), the facing part is not.
    const ZoneSet notched =
        ZoneSet::from_wkt({{"n",
                            "MULTIPOLYGON(((179 -17, 180 -17, 180 -16, 179 -16, 179 -17)),"
                            "((-180 -16.6, -179 -16.6, -179 -16.4, -180 -16.4, -180 -16.6)))"}});
    CHECK(notched.distance_to_boundary_m(0, {-16.5, 179.9999}) > 10000);  // facing: no edge
    CHECK(notched.distance_to_boundary_m(0, {-16.8, 179.9999}) < 20);     // not faced: an edge
    CHECK(notched.distance_to_boundary_m(0, {-16.5, -179.9999}) > 10000);
    // The source data's near misses: an edge 1e-7 deg off the seam is on it.
    CHECK(d::seam_side({-179.9999999, -16.0}) == -1);
    CHECK(d::seam_side({179.99998, -84.6}) == 1);    // Antarctica's, 0.2 m on the ground
    CHECK(d::seam_side({179.9932642, 62.56}) == 0);  // Chukotka's coast, 350 m from the seam
}
