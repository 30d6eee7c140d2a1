// Zones built from hand-made WKT, with answers worked out by hand (geometry) or from standard
// geodetic figures (1 deg of latitude at the equator = 110 574 m; of longitude = 111 320 m).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/log.hpp"
#include "geo/local_frame.hpp"
#include "geo/zones.hpp"

using picket::LatLon;
using picket::geo::BorderLine;
using picket::geo::ZoneSet;

namespace {
// Unit square on the equator with a square hole in its north-east quarter.
const char* kSquareWithHole =
    "POLYGON((0 0, 1 0, 1 1, 0 1, 0 0), (0.6 0.6, 0.9 0.6, 0.9 0.9, 0.6 0.9, 0.6 0.6))";
}  // namespace

SCENARIO("a polygon with a hole: the hole is outside", "[geo][zones]") {
    const ZoneSet z = ZoneSet::from_wkt({{"square", kSquareWithHole}});
    REQUIRE(z.size() == 1);
    CHECK(z.name(0) == "square");
    CHECK(z.find("square") == 0u);
    CHECK_FALSE(z.find("nope").has_value());
    CHECK(z.contains(0, {0.5, 0.5}));
    CHECK(z.contains(0, {0.1, 0.95}));
    CHECK_FALSE(z.contains(0, {0.75, 0.75}));  // in the hole
    CHECK_FALSE(z.contains(0, {1.5, 0.5}));
    CHECK_FALSE(z.contains(0, {-0.01, 0.5}));
    CHECK(z.zones_containing({0.5, 0.5}) == std::vector<std::size_t>{0});
    CHECK(z.zones_containing({0.75, 0.75}).empty());
}

SCENARIO("overlapping zones: every zone containing a point, ascending", "[geo][zones]") {
    const ZoneSet z = ZoneSet::from_wkt(
        {{"a", "POLYGON((0 0, 2 0, 2 2, 0 2, 0 0))"},
         {"b", "POLYGON((1 1, 3 1, 3 3, 1 3, 1 1))"},
         {"c",
          "MULTIPOLYGON(((10 10, 11 10, 11 11, 10 10)), ((1.5 1.5, 1.8 1.5, 1.8 1.8, 1.5 1.5)))"}});
    CHECK(z.zones_containing({1.6, 1.7}) == std::vector<std::size_t>{0, 1, 2});  // lat, lon
    CHECK(z.zones_containing({0.5, 0.5}) == std::vector<std::size_t>{0});
    CHECK(z.zones_containing({2.5, 2.5}) == std::vector<std::size_t>{1});
    CHECK(z.zones_containing({10.2, 10.8}) == std::vector<std::size_t>{2});
}

SCENARIO("distance to the boundary, inside and outside, in geodesic metres", "[geo][zones]") {
    const ZoneSet z = ZoneSet::from_wkt({{"square", "POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))"}});
    // Centre: nearest is the equator edge, half a degree of meridian arc south
    // (a(1 - e^2) * 0.5 deg = 6335439 m * 0.0087266 = 55 286 m), not the 55 657 m to lon 0.
    CHECK(z.distance_to_boundary_m(0, {0.5, 0.5}) == Approx(55286).margin(3));
    // Outside, east of the lon-1 edge by 0.5 deg of longitude at lat 0.5:
    // N cos(lat) * 0.5 deg = 6378137 m * 0.99996 * 0.0087266 = 55 657 m.
    CHECK(z.distance_to_boundary_m(0, {0.5, 1.5}) == Approx(55657).margin(5));
    // On a vertex and near an edge.
    CHECK(z.distance_to_boundary_m(0, {1.0, 1.0}) == Approx(0).margin(1e-3));
    CHECK(z.distance_to_boundary_m(0, {0.5, 0.001}) == Approx(111.32).margin(0.1));
}

SCENARIO("crossings are found between updates, not only at the endpoints", "[geo][zones]") {
    const ZoneSet z = ZoneSet::from_wkt({{"square", "POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))"}});
    GIVEN("a path outside at both ends that cuts the square's north-west corner") {
        // lat = lon + 0.9: enters across lon 0 at lat 0.9 (t = 0.5), leaves across lat 1 at
        // lon 0.1 (t = 0.6).
        const LatLon a{0.4, -0.5}, b{1.4, 0.5};
        REQUIRE_FALSE(z.contains(0, a));
        REQUIRE_FALSE(z.contains(0, b));
        const auto c = z.crossings(0, a, b);
        REQUIRE(c.size() == 2);
        CHECK(c[0].fraction == Approx(0.5));
        CHECK(c[0].entering);
        CHECK(c[0].where.lat_deg == Approx(0.9));
        CHECK(c[0].where.lon_deg == Approx(0.0).margin(1e-12));
        CHECK(c[1].fraction == Approx(0.6));
        CHECK_FALSE(c[1].entering);
        CHECK(c[1].where.lon_deg == Approx(0.1));
    }
    GIVEN("a path wholly inside or wholly outside") {
        CHECK(z.crossings(0, {0.2, 0.2}, {0.8, 0.7}).empty());
        CHECK(z.crossings(0, {2, 2}, {3, 3}).empty());
    }
    GIVEN("a path leaving once") {
        const auto c = z.crossings(0, {0.5, 0.5}, {0.5, 1.5});
        REQUIRE(c.size() == 1);
        CHECK_FALSE(c[0].entering);
        CHECK(c[0].fraction == Approx(0.5));
    }
}

SCENARIO("ray distance to the boundary along a bearing", "[geo][zones]") {
    const ZoneSet z = ZoneSet::from_wkt({{"square", "POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))"}});
    // Due north from the centre: the meridian arc from lat 0.5 to lat 1 (~55 287 m).
    const auto north = z.ray_distance_m(0, {0.5, 0.5}, 0.0, 100000);
    REQUIRE(north.has_value());
    CHECK(*north == Approx(55287).margin(5));
    CHECK_FALSE(z.ray_distance_m(0, {0.5, 0.5}, 0.0, 10000).has_value());
    // From outside, due east toward the square from lon -0.5.
    const auto east = z.ray_distance_m(0, {0.5, -0.5}, 90.0, 100000);
    REQUIRE(east.has_value());
    CHECK(*east == Approx(55657).margin(20));
}

SCENARIO("invalid geometry is repaired with MakeValid and the repair is logged", "[geo][zones]") {
    std::vector<std::string> warnings;
    picket::log::set_sink([&](picket::log::Level level, std::string_view m) {
        if (level == picket::log::Level::warn) warnings.emplace_back(m);
    });
    // A bow-tie: its two lobes are the triangles (0,0)-(0,2)-(1,1) and (2,0)-(2,2)-(1,1).
    const ZoneSet z = ZoneSet::from_wkt({{"bowtie", "POLYGON((0 0, 2 2, 2 0, 0 2, 0 0))"}});
    picket::log::set_sink(nullptr);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("bowtie") != std::string::npos);
    CHECK(warnings[0].find("MakeValid") != std::string::npos);
    CHECK(z.contains(0, {1.0, 0.5}));        // left lobe
    CHECK(z.contains(0, {1.0, 1.5}));        // right lobe
    CHECK_FALSE(z.contains(0, {0.2, 1.0}));  // between the lobes, below the crossing
    CHECK_FALSE(z.contains(0, {1.8, 1.0}));  // above it
}

SCENARIO("a zone drawn across the antimeridian behaves as one zone", "[geo][zones][antimeridian]") {
    // Drawn with longitudes up to 181: split at the seam on load.
    const ZoneSet z =
        ZoneSet::from_wkt({{"fiji-ish", "POLYGON((179 -17, 181 -17, 181 -16, 179 -16, 179 -17))"}});
    CHECK(z.contains(0, {-16.5, 179.5}));
    CHECK(z.contains(0, {-16.5, -179.5}));
    CHECK(z.contains(0, {-16.5, 180.5}));  // same point as -179.5
    CHECK_FALSE(z.contains(0, {-16.5, 178.9}));
    CHECK_FALSE(z.contains(0, {-16.5, -178.9}));
    WHEN("measuring from next to the seam") {
        // The cut at 180 is no boundary: the nearest is the lat -16 or -17 edge, 0.5 deg of
        // meridian away (~55.3 km), on either side of the seam.
        CHECK(z.distance_to_boundary_m(0, {-16.5, 179.9999}) == Approx(55300).margin(100));
        CHECK(z.distance_to_boundary_m(0, {-16.5, -179.9999}) == Approx(55300).margin(100));
        // 0.5 deg of longitude from the east edge at 181 (-179): N cos(16.5) * 0.5 deg = 53.4 km.
        CHECK(z.distance_to_boundary_m(0, {-16.5, -179.5}) == Approx(53390).margin(100));
    }
    WHEN("a path crosses the seam") {
        const auto c = z.crossings(0, {-16.5, 178.5}, {-16.5, -178.5});
        REQUIRE(c.size() == 2);
        CHECK(c[0].entering);
        CHECK(c[0].fraction == Approx(1.0 / 6));
        CHECK(c[0].where.lon_deg == Approx(179));
        CHECK_FALSE(c[1].entering);
        CHECK(c[1].fraction == Approx(5.0 / 6));
        CHECK(c[1].where.lon_deg == Approx(-179));
        CHECK(z.crossings(0, {-16.5, 179.5}, {-16.5, -179.5}).empty());
    }
}

SCENARIO("a border line: distance, length, and which way it is crossed", "[geo][border]") {
    // Northward along lon 0: west is on the left.
    const BorderLine l = BorderLine::from_wkt("meridian", "LINESTRING(0 0, 0 1)");
    CHECK(l.name() == "meridian");
    CHECK_FALSE(l.empty());
    CHECK(l.length_m() == Approx(110574).margin(2));
    CHECK(l.distance_m({0.5, 0.1}) == Approx(11131.5).margin(1));
    CHECK(l.distance_m({2.0, 0.0}) == Approx(110574).margin(5));  // past the end: to the end point
    const auto west_to_east = l.crossings({0.5, -0.1}, {0.5, 0.1});
    REQUIRE(west_to_east.size() == 1);
    CHECK(west_to_east[0].entering);  // left to right
    CHECK(west_to_east[0].fraction == Approx(0.5));
    const auto east_to_west = l.crossings({0.5, 0.1}, {0.5, -0.1});
    REQUIRE(east_to_west.size() == 1);
    CHECK_FALSE(east_to_west[0].entering);
    CHECK(l.crossings({1.5, -0.1}, {1.5, 0.1}).empty());  // beyond its end
    CHECK(
        l.geojson() ==
        R"({"type":"MultiLineString","coordinates":[[[0.0000000,0.0000000],[0.0000000,1.0000000]]]})");
}

SCENARIO("boundary_of orients every ring with the zone on the left", "[geo][border]") {
    const ZoneSet z = ZoneSet::from_wkt({{"square", kSquareWithHole}});
    const BorderLine b = BorderLine::boundary_of(z, 0, "limit");
    // Perimeter: 4 sides of ~1 deg plus the hole's 4 sides of 0.3 deg, about 5.2 deg in all.
    CHECK(b.length_m() == Approx(5.2 * 111000).epsilon(0.01));
    // Leaving the zone eastward across lon 1 goes from its left (inside) to its right.
    const auto out = b.crossings({0.5, 0.9}, {0.5, 1.1});
    REQUIRE(out.size() == 1);
    CHECK(out[0].entering);
    // Into the hole is leaving the zone too: from left to right.
    const auto into_hole = b.crossings({0.75, 0.5}, {0.75, 0.75});
    REQUIRE(into_hole.size() == 1);
    CHECK(into_hole[0].entering);
}

SCENARIO("shared boundary of two touching zones, first zone on the left", "[geo][border]") {
    const ZoneSet z = ZoneSet::from_wkt({{"west", "POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))"},
                                         {"east", "POLYGON((1 0.5, 2 0.5, 2 2, 1 2, 1 0.5))"},
                                         {"far", "POLYGON((5 5, 6 5, 6 6, 5 5))"}});
    const BorderLine s = BorderLine::shared_boundary(z, 0, 1, "w-e");
    REQUIRE_FALSE(s.empty());
    // They share lon 1 from lat 0.5 to 1: half a degree of meridian.
    CHECK(s.length_m() == Approx(55300).margin(100));
    const auto c = s.crossings({0.75, 0.9}, {0.75, 1.1});  // west to east
    REQUIRE(c.size() == 1);
    CHECK(c[0].entering);  // from west (left) to east (right)
    CHECK(BorderLine::shared_boundary(z, 0, 2, "none").empty());
}

SCENARIO("zones as GeoJSON for the map", "[geo][zones]") {
    const ZoneSet z = ZoneSet::from_wkt({{"square", kSquareWithHole}});
    const std::string g = z.geojson(0);
    CHECK(g.find("\"type\":\"MultiPolygon\"") != std::string::npos);
    CHECK(g.find("[0.6,0.6]") != std::string::npos);
    CHECK(z.geojson(0, 0.01).size() <= g.size());
}

SCENARIO("bad WKT is refused with the zone's name", "[geo][zones]") {
    CHECK_THROWS_WITH(ZoneSet::from_wkt({{"broken", "POLYGON((0 0, 1"}}),
                      Catch::Contains("broken"));
}
