// Layers in several OGR formats and CRSs, written by the test itself with GDAL into a temp dir.
#include <catch2/catch.hpp>

#include <ogrsf_frmts.h>
#include <GeographicLib/UTMUPS.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "geo/zones.hpp"
#include "tests/unit/outputs/temp_dir.hpp"

using picket::geo::ZoneSet;

namespace {

struct Feature {
    std::string name;
    std::string wkt;
};

/// The layers' files, removed when the test program ends.
std::string temp_path(const std::string& file) {
    static const picket::outputs::testing::TempDir dir("picket-geo-layers");
    const std::string p = dir.file(file);
    std::filesystem::remove(p);
    return p;
}

/// Writes features with a `name` field in the given CRS (EPSG code) with a GDAL driver.
void write_layer(const std::string& path, const char* driver, int epsg,
                 const std::vector<Feature>& features) {
    GDALAllRegister();
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver);
    REQUIRE(drv != nullptr);
    GDALDatasetUniquePtr ds(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    REQUIRE(ds);
    OGRSpatialReference srs;
    srs.importFromEPSG(epsg);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayer* layer = ds->CreateLayer("zones", &srs, wkbPolygon, nullptr);
    REQUIRE(layer != nullptr);
    OGRFieldDefn field("name", OFTString);
    REQUIRE(layer->CreateField(&field) == OGRERR_NONE);
    for (const Feature& f : features) {
        OGRFeature feature(layer->GetLayerDefn());
        feature.SetField("name", f.name.c_str());
        OGRGeometry* g = nullptr;
        REQUIRE(OGRGeometryFactory::createFromWkt(f.wkt.c_str(), &srs, &g) == OGRERR_NONE);
        feature.SetGeometryDirectly(g);
        REQUIRE(layer->CreateFeature(&feature) == OGRERR_NONE);
    }
}

}  // namespace

SCENARIO("a layer in a projected CRS is reprojected to WGS84", "[geo][zones]") {
    // A 10 km square in UTM zone 51S around Dili, placed with GeographicLib's UTM (not PROJ,
    // which the loader uses), so the two must agree for the test to pass.
    const double lat = -8.556, lon = 125.578;
    int zone = 0;
    bool northp = false;
    double x = 0, y = 0, gamma = 0, k = 0;
    GeographicLib::UTMUPS::Forward(lat, lon, zone, northp, x, y, gamma, k);
    REQUIRE(zone == 51);
    REQUIRE_FALSE(northp);
    auto sq = [&](double h) {
        return "POLYGON((" + std::to_string(x - h) + " " + std::to_string(y - h) + "," +
               std::to_string(x + h) + " " + std::to_string(y - h) + "," + std::to_string(x + h) +
               " " + std::to_string(y + h) + "," + std::to_string(x - h) + " " +
               std::to_string(y + h) + "," + std::to_string(x - h) + " " + std::to_string(y - h) +
               "))";
    };
    const std::string path = temp_path("utm.gpkg");
    write_layer(path, "GPKG", 32751, {{"dili10k", sq(5000)}, {"dili2k", sq(1000)}});
    const ZoneSet z = ZoneSet::load({path, "", "name = 'dili10k'", ""});
    REQUIRE(z.size() == 1);
    CHECK(z.name(0) == "dili10k");
    CHECK(z.attributes(0).at("name") == "dili10k");
    CHECK(z.contains(0, {lat, lon}));
    // 5 km of grid to the nearest side; the UTM point scale here (k = 1.0006, 2.6 deg east of
    // the central meridian) makes that 5 000 / k true metres. The square's sides are straight
    // in UTM, not in lon/lat, but over 10 km the difference is centimetres.
    REQUIRE(k == Approx(1.0006).epsilon(1e-4));
    CHECK(z.distance_to_boundary_m(0, {lat, lon}) == Approx(5000 / k).margin(0.5));
    CHECK_FALSE(z.contains(0, {lat + 0.1, lon}));
}

SCENARIO("GeoJSON, KML and Shapefile layers load alike", "[geo][zones]") {
    const std::vector<Feature> features{{"a", "POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))"},
                                        {"b", "POLYGON((2 0, 3 0, 3 1, 2 1, 2 0))"}};
    for (const auto& [driver, file] :
         {std::pair{"GeoJSON", "zones.geojson"}, std::pair{"KML", "zones.kml"},
          std::pair{"ESRI Shapefile", "zones.shp"}}) {
        INFO(driver);
        const std::string path = temp_path(file);
        write_layer(path, driver, 4326, features);
        const ZoneSet all = ZoneSet::load({path, "", "", "name"});
        REQUIRE(all.size() == 2);
        CHECK(all.zones_containing({0.5, 2.5}) == std::vector<std::size_t>{*all.find("b")});
        const ZoneSet one = ZoneSet::load({path, "", "name = 'a'", ""});
        REQUIRE(one.size() == 1);
        CHECK(one.name(0) == "a");
        CHECK(one.contains(0, {0.5, 0.5}));
    }
}
