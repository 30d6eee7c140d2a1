// Zones from the real border layers derived by scripts/derive-borders.sh (OpenStreetMap
// maritime borders, ODbL; geo-maps land), checked against GEOS prepared geometry on the same
// data, and on places whose answer is known from geography (Oecusse, Fiji, Chukotka).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <string>

#include "core/log.hpp"
#include "geo/local_frame.hpp"
#include "geo/zones.hpp"
#include "geos_reference.hpp"

using picket::LatLon;
using picket::geo::BorderLine;
using picket::geo::LayerSpec;
using picket::geo::ZoneSet;
using picket::geo::test::GeosReference;

namespace {

const std::string kTimor = "data/borders/timor.gpkg";
const std::string kWorld = "data/borders/world_maritime.gpkg";

void require_data(const std::string& path) {
    INFO("derived border data missing: run scripts/setup.sh (or scripts/derive-borders.sh)");
    REQUIRE(std::filesystem::exists(path));
}

/// Our containment must agree with GEOS PreparedContains for uniform points over each zone's
/// box and for points scattered within ~1e-4..1e-6 deg of the boundary (where grids go wrong),
/// except within 1e-9 deg of an edge, where floating point decides.
void check_agrees_with_geos(const std::string& path, const std::string& layer,
                            const std::string& where, int uniform, int near_boundary) {
    const ZoneSet zones = ZoneSet::load({path, layer, where, ""});
    const GeosReference ref(path, layer, where);
    REQUIRE(zones.size() == ref.size());
    std::mt19937_64 rng(20261125);
    INFO("seed 20261125, layer " << path << ":" << layer << " where " << where);
    for (std::size_t z = 0; z < zones.size(); ++z) {
        double x0, y0, x1, y1;
        ref.bounds(z, x0, y0, x1, y1);
        std::uniform_real_distribution<double> ux(x0 - 0.1, x1 + 0.1), uy(y0 - 0.1, y1 + 0.1);
        std::uniform_real_distribution<double> jitter(-1.0, 1.0), scale(-6, -4);
        int mismatches = 0, inside = 0, tested = 0;
        for (int i = 0; i < uniform + near_boundary; ++i) {
            double lon = std::clamp(ux(rng), -180.0, 179.999999), lat = uy(rng);
            if (i >= uniform) {
                double qx = 0, qy = 0;
                ref.nearest_boundary_point(z, lon, lat, qx, qy);
                const double s = std::pow(10.0, scale(rng));
                lon = std::clamp(qx + s * jitter(rng), -180.0, 179.999999);
                lat = qy + s * jitter(rng);
            }
            if (ref.boundary_distance_deg(z, lon, lat) < 1e-9) continue;
            const bool expected = ref.contains(z, lon, lat);
            ++tested;
            inside += expected ? 1 : 0;
            if (zones.contains(z, {lat, lon}) != expected) {
                ++mismatches;
                UNSCOPED_INFO("zone " << zones.name(z) << " lat " << lat << " lon " << lon
                                      << " GEOS " << expected);
            }
        }
        INFO("zone " << zones.name(z) << ": " << tested << " points, " << inside << " inside");
        CHECK(mismatches == 0);
        CHECK(inside > 0);
    }
}

/// Lower bound on metres per degree in any direction at this latitude (east-west shrinks with
/// cos(lat), north-south is >= 110 574 m): planar GEOS degrees convert to a distance floor.
double min_m_per_deg(double lat_deg) {
    return std::min(110574.0, 111320.0 * std::cos(lat_deg * M_PI / 180));
}

}  // namespace

SCENARIO("Oecusse, the Timor-Leste exclave inside West Timor, is Timor-Leste",
         "[geo][zones][real]") {
    require_data(kTimor);
    for (const char* layer : {"land", "maritime"}) {
        const ZoneSet z = ZoneSet::load({kTimor, layer, "", ""});
        INFO("layer " << layer);
        const auto idn = z.find("IDN"), tls = z.find("TLS");
        REQUIRE(idn.has_value());
        REQUIRE(tls.has_value());
        const LatLon oecusse_town{-9.20, 124.36}, dili{-8.556, 125.578}, kupang{-10.17, 123.60};
        const LatLon atambua{-9.106, 124.893};
        CHECK(z.zones_containing(oecusse_town) == std::vector<std::size_t>{*tls});
        CHECK(z.zones_containing(dili) == std::vector<std::size_t>{*tls});
        CHECK(z.zones_containing(kupang) == std::vector<std::size_t>{*idn});
        CHECK(z.zones_containing(atambua) == std::vector<std::size_t>{*idn});
        // The enclave's edge is a boundary of Indonesia too: from inside Oecusse, Indonesia's
        // nearest boundary is the Oecusse border (< 40 km: the enclave is ~50 km across), not
        // the far coast of Timor.
        CHECK(z.distance_to_boundary_m(*idn, oecusse_town) < 40000);
        if (std::string(layer) == "maritime") {
            // At sea, Oecusse's territorial sea is exactly the hole in Indonesia's: the same
            // outline, so the same distance.
            CHECK(z.distance_to_boundary_m(*idn, oecusse_town) ==
                  Approx(z.distance_to_boundary_m(*tls, oecusse_town)).margin(0.01));
        }
    }
}

SCENARIO("point-in-zone agrees with GEOS prepared geometry on the Timor layers",
         "[geo][zones][real]") {
    require_data(kTimor);
    check_agrees_with_geos(kTimor, "land", "", 20000, 5000);
    check_agrees_with_geos(kTimor, "maritime", "", 20000, 5000);
}

SCENARIO("point-in-zone agrees with GEOS on national maritime layers", "[geo][zones][real]") {
    require_data(kWorld);
    check_agrees_with_geos(kWorld, "maritime", "isoA3 IN ('IDN', 'FJI', 'RUS', 'NZL', 'KIR')",
                           10000, 3000);
}

SCENARIO("point-in-zone agrees with GEOS right next to the vertices of a national layer",
         "[geo][zones][real]") {
    // Vertices are where a grid's reference segments meet several edges at once: points
    // 1e-6..1e-8 deg (10 cm..1 mm) from every vertex of Indonesia, in eight directions.
    require_data(kWorld);
    const std::string where = "isoA3 = 'IDN'";
    const ZoneSet zones = ZoneSet::load({kWorld, "maritime", where, ""});
    const GeosReference ref(kWorld, "maritime", where);
    const auto vertices = ref.vertices(0);
    REQUIRE(vertices.size() > 10000);
    int mismatches = 0, tested = 0, inside = 0;
    for (std::size_t v = 0; v < vertices.size(); v += 3) {
        for (int dir = 0; dir < 8; ++dir) {
            const double offset = std::pow(10.0, -6.0 - static_cast<double>(v % 3));
            const double lon = vertices[v].first + offset * std::cos(dir * M_PI / 4 + 0.1);
            const double lat = vertices[v].second + offset * std::sin(dir * M_PI / 4 + 0.1);
            if (ref.boundary_distance_deg(0, lon, lat) < 1e-9) continue;
            const bool expected = ref.contains(0, lon, lat);
            ++tested;
            inside += expected ? 1 : 0;
            if (zones.contains(0, {lat, lon}) != expected) {
                ++mismatches;
                UNSCOPED_INFO("lat " << lat << " lon " << lon << " GEOS " << expected);
            }
        }
    }
    INFO(tested << " points, " << inside << " inside");
    CHECK(mismatches == 0);
    CHECK(inside > tested / 4);
    CHECK(inside < tested * 3 / 4);
}

SCENARIO("zones split at the antimeridian, on real data: Fiji and Chukotka",
         "[geo][zones][real][antimeridian]") {
    require_data(kWorld);
    const ZoneSet z = ZoneSet::load({kWorld, "maritime", "isoA3 IN ('FJI', 'RUS')", "isoA3"});
    const auto fji = z.find("FJI"), rus = z.find("RUS");
    REQUIRE(fji.has_value());
    REQUIRE(rus.has_value());
    // Taveuni (Fiji) and inland Chukotka straddle the 180th meridian.
    for (const auto& [zone, lat] : {std::pair{*fji, -16.8}, std::pair{*rus, 67.5}}) {
        INFO(z.name(zone) << " at lat " << lat);
        const LatLon west{lat, 179.9999}, east{lat, -179.9999};
        CHECK(z.contains(zone, west));
        CHECK(z.contains(zone, east));
        CHECK(z.contains(zone, {lat, 180.0}));
        const double dw = z.distance_to_boundary_m(zone, west),
                     de = z.distance_to_boundary_m(zone, east);
        // The cut is ~11 m (Fiji) / ~4 m (Chukotka) away: had it counted as a boundary, both
        // distances would be that small. The real boundary is kilometres away, and distance is
        // 1-Lipschitz: the two answers differ by no more than the points' separation.
        CHECK(dw > 1000);
        CHECK(de > 1000);
        CHECK(std::abs(dw - de) <= picket::geo::geodesic_distance_m(west, east) + 0.01);
        // A path across the seam inside the zone crosses nothing.
        CHECK(z.crossings(zone, {lat, 179.99}, {lat, -179.99}).empty());
    }
}

SCENARIO("distance to the boundary matches GEOS's nearest point, in metres", "[geo][zones][real]") {
    require_data(kTimor);
    const ZoneSet z = ZoneSet::load({kTimor, "maritime", "", ""});
    const GeosReference ref(kTimor, "maritime", "");
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> ux(123.0, 127.5), uy(-11.0, -7.5);
    for (std::size_t zone = 0; zone < z.size(); ++zone) {
        for (int i = 0; i < 300; ++i) {
            const double lon = ux(rng), lat = uy(rng);
            double qx = 0, qy = 0;
            ref.nearest_boundary_point(zone, lon, lat, qx, qy);
            const double ours = z.distance_to_boundary_m(zone, {lat, lon});
            INFO(z.name(zone) << " lat " << lat << " lon " << lon);
            // GEOS's planar-nearest point is a boundary point, so the true geodesic minimum is no
            // larger than the distance to it; and no smaller than GEOS's degree distance times
            // the least metres-per-degree here.
            const double upper = picket::geo::geodesic_distance_m({lat, lon}, {qy, qx});
            const double lower = ref.boundary_distance_deg(zone, lon, lat) *
                                 min_m_per_deg(std::max(std::abs(lat), std::abs(qy)));
            CHECK(ours <= upper + 0.5);
            CHECK(ours >= lower * 0.999 - 0.5);
        }
    }
}

SCENARIO("GDAL layers are repaired on load, and the repair is logged", "[geo][zones][real]") {
    require_data(kTimor);
    std::vector<std::string> warnings;
    picket::log::set_sink([&](picket::log::Level level, std::string_view m) {
        if (level == picket::log::Level::warn) warnings.emplace_back(m);
    });
    const ZoneSet z = ZoneSet::load({kTimor, "land_unrepaired", "", ""});
    picket::log::set_sink(nullptr);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find(kTimor) != std::string::npos);
    CHECK(warnings[0].find("'TLS'") != std::string::npos);
    CHECK(warnings[0].find("MakeValid") != std::string::npos);
    CHECK(z.contains(0, {-8.556, 125.578}));  // Dili
    CHECK(z.contains(0, {-9.20, 124.36}));    // Oecusse
    CHECK_FALSE(z.contains(0, {-10.17, 123.60}));
}

SCENARIO("the Indonesia - Timor-Leste land border", "[geo][border][real]") {
    require_data(kTimor);
    const ZoneSet z = ZoneSet::load({kTimor, "land", "", ""});
    const auto idn = *z.find("IDN"), tls = *z.find("TLS");
    const BorderLine border = BorderLine::shared_boundary(z, idn, tls, "IDN-TLS");
    REQUIRE_FALSE(border.empty());
    // Published length of the land border, Oecusse included: about 250 km (CIA World Factbook:
    // 253 km). A 10 m generalisation of it lands in the same range.
    CHECK(border.length_m() > 200000);
    CHECK(border.length_m() < 320000);
    // Atambua (IDN) to Maliana (TLS): one crossing, from Indonesia (left) to Timor-Leste.
    const LatLon atambua{-9.106, 124.893}, maliana{-8.99, 125.22};
    const auto c = border.crossings(atambua, maliana);
    REQUIRE(c.size() == 1);
    CHECK(c[0].entering);
    REQUIRE(border.crossings(maliana, atambua).size() == 1);
    CHECK_FALSE(border.crossings(maliana, atambua)[0].entering);
    CHECK(z.contains(tls, {c[0].where.lat_deg + 0.001 * (maliana.lat_deg - atambua.lat_deg),
                           c[0].where.lon_deg + 0.001 * (maliana.lon_deg - atambua.lon_deg)}));
    // Dili is ~75 km from the land border (Batugade / Maliana side); Atambua ~ 10 km.
    CHECK(border.distance_m({-8.556, 125.578}) > 40000);
    CHECK(border.distance_m(atambua) < 20000);
    // Where the path crosses the border it is on both countries' boundaries.
    CHECK(z.distance_to_boundary_m(idn, c[0].where) < 1.0);
    CHECK(z.distance_to_boundary_m(tls, c[0].where) < 1.0);
    // The territorial sea's limit as a line, for crossing rules.
    const ZoneSet sea = ZoneSet::load({kTimor, "maritime", "isoA3 = 'TLS'", ""});
    const BorderLine limit = BorderLine::boundary_of(sea, 0, "TLS 12 nm");
    CHECK(limit.length_m() > 500000);
    CHECK(limit.geojson().rfind("{\"type\":\"MultiLineString\"", 0) == 0);
}

SCENARIO("layer loading errors name the file and the problem", "[geo][zones]") {
    CHECK_THROWS_WITH(ZoneSet::load({"no/such/file.gpkg", "", "", ""}),
                      Catch::Contains("no/such/file.gpkg"));
    if (!std::filesystem::exists(kTimor)) return;
    CHECK_THROWS_WITH(ZoneSet::load({kTimor, "nope", "", ""}), Catch::Contains("no layer 'nope'"));
    CHECK_THROWS_WITH(ZoneSet::load({kTimor, "land", "isoA3 = = 'X'", ""}),
                      Catch::Contains("bad attribute filter"));
    CHECK_THROWS_WITH(ZoneSet::load({kTimor, "land", "isoA3 = 'XXX'", ""}),
                      Catch::Contains("holds no geometry"));
    CHECK_THROWS_WITH(ZoneSet::load({kTimor, "land", "", "nofield"}),
                      Catch::Contains("no field 'nofield'"));
}
