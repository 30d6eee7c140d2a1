#include <catch2/catch.hpp>

#include <gdal.h>
#include <ogr_api.h>

#include "run_command.hpp"
#include "src/commands/commands.hpp"
#include "src/outputs/alert_store.hpp"
#include "src/outputs/gpkg_export.hpp"
#include "temp_dir.hpp"
#include "test_tracks.hpp"

using namespace picket;
using namespace picket::outputs;
using namespace picket::outputs::testing;

namespace {

/// Two tracks over 10 s (vessel moving north, boat east), a track seen once, three alerts.
void fill_store(const std::string& path) {
    SqliteStore store(path);
    Track v = sample_vessel(1);
    Track d = sample_dark_boat(2);
    for (int i = 0; i < 10; ++i) {
        v.updated = d.updated = sample_time() + Duration::from_seconds(i);
        v.position.lat_deg = -8.55 + 0.001 * i;
        d.position.lon_deg = 125.2 + 0.002 * i;
        const Track cycle[] = {v, d};
        store.save_track_points(cycle);
    }
    Track once = sample_dark_boat(3);
    store.save_track_points(std::span(&once, 1));
    for (AlertId id = 1; id <= 3; ++id) {
        Alert a = sample_alert(id);
        a.when = sample_time() + Duration::from_seconds(static_cast<double>(id) * 3);
        a.where = {-8.4, 125.2 + 0.01 * static_cast<double>(id)};
        if (id == 2) {
            a.state = AlertState::acknowledged;
            a.acknowledged_by = "op1";
            a.acknowledged_at = a.when + Duration::from_seconds(5);
        }
        store.save_alert(a);
    }
    store.record_action(sample_time() + Duration::from_seconds(11), "op1",
                        R"({"cmd":"ack","alert_id":2,"by":"op1"})", R"({"ok":true})");
}

int export_cli(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    return cli::run_export(static_cast<int>(argv.size()), argv.data());
}

long feature_count(const std::string& ogrinfo_out, const std::string& layer) {
    // ogrinfo -so prints "Layer name: X" ... "Feature Count: N" per layer.
    const auto at = ogrinfo_out.find("Layer name: " + layer + "\n");
    if (at == std::string::npos) return -1;
    const auto count = ogrinfo_out.find("Feature Count: ", at);
    if (count == std::string::npos) return -1;
    return std::stol(ogrinfo_out.substr(count + 15));
}

}  // namespace

SCENARIO("picket export writes tracks as lines and alerts as points to a GeoPackage", "[gpkg]") {
    TempDir dir;
    const std::string db = dir.file("store.db"), out = dir.file("out.gpkg");
    fill_store(db);
    REQUIRE(export_cli({"export", "--db", db, "--gpkg", out}) == 0);

    GDALAllRegister();
    GDALDatasetH ds =
        GDALOpenEx(out.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    REQUIRE(ds != nullptr);
    OGRLayerH tracks = GDALDatasetGetLayerByName(ds, "tracks");
    OGRLayerH alerts = GDALDatasetGetLayerByName(ds, "alerts");
    REQUIRE(tracks);
    REQUIRE(alerts);
    CHECK(OGR_L_GetFeatureCount(tracks, TRUE) == 2);  // track 3 has one point: no line
    CHECK(OGR_L_GetFeatureCount(alerts, TRUE) == 3);
    OGRLayerH actions = GDALDatasetGetLayerByName(ds, "actions");
    REQUIRE(actions);
    CHECK(OGR_L_GetFeatureCount(actions, TRUE) == 1);
    CHECK(OGR_L_GetGeomType(actions) == wkbNone);
    CHECK(OGR_L_GetGeomType(tracks) == wkbLineString);
    CHECK(OGR_L_GetGeomType(alerts) == wkbPoint);

    OGR_L_ResetReading(tracks);
    OGRFeatureH f = OGR_L_GetNextFeature(tracks);
    REQUIRE(f);
    CHECK(OGR_F_GetFieldAsInteger64(f, OGR_F_GetFieldIndex(f, "track_id")) == 1);
    CHECK(OGR_F_GetFieldAsInteger64(f, OGR_F_GetFieldIndex(f, "mmsi")) == 538001234);
    CHECK(std::string(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "name"))) == "OCEAN STAR");
    CHECK(std::string(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "class"))) == "vessel");
    CHECK(std::string(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "first"))) ==
          "2026/11/25 00:01:02+00");
    CHECK(std::string(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "last"))) ==
          "2026/11/25 00:01:11+00");
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    REQUIRE(OGR_G_GetPointCount(g) == 10);
    // GeoPackage stores x = longitude, y = latitude.
    CHECK(OGR_G_GetX(g, 0) == Approx(125.5712345));
    CHECK(OGR_G_GetY(g, 0) == Approx(-8.55));
    CHECK(OGR_G_GetY(g, 9) == Approx(-8.541));
    OGR_F_Destroy(f);
    f = OGR_L_GetNextFeature(tracks);
    REQUIRE(f);
    CHECK(OGR_F_IsFieldNull(f, OGR_F_GetFieldIndex(f, "mmsi")));  // dark boat
    OGR_F_Destroy(f);

    OGR_L_SetAttributeFilter(alerts, "alert_id = 2");
    f = OGR_L_GetNextFeature(alerts);
    REQUIRE(f);
    CHECK(std::string(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "state"))) ==
          "acknowledged");
    CHECK(std::string(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "acknowledged_by"))) ==
          "op1");
    CHECK(std::string(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "kind"))) ==
          "border_crossing");
    g = OGR_F_GetGeometryRef(f);
    CHECK(OGR_G_GetX(g, 0) == Approx(125.22));
    CHECK(OGR_G_GetY(g, 0) == Approx(-8.4));
    OGR_F_Destroy(f);
    GDALClose(ds);

    if (have_program("ogrinfo")) {
        // An independent reader: the command-line tool QGIS users would reach for.
        const auto info = run_command("ogrinfo -ro -so -al " + out + " 2>&1");
        REQUIRE(info.exit_code == 0);
        CHECK(feature_count(info.out, "tracks") == 2);
        CHECK(feature_count(info.out, "alerts") == 3);
        CHECK(info.out.find("EPSG\",4326") != std::string::npos);
    }
    // GDAL's GeoPackage conformance checker (python3-gdal), when Debian's python has it.
    const std::string validator =
        "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py";
    if (run_command("/usr/bin/python3 -c 'import osgeo' 2>/dev/null && test -f " + validator)
            .exit_code == 0) {
        const auto v = run_command("/usr/bin/python3 " + validator + " " + out + " 2>&1");
        INFO(v.out);
        CHECK(v.exit_code == 0);
    } else {
        WARN("python3-gdal validate_gpkg.py not available: GeoPackage conformance not checked");
    }
}

SCENARIO("picket export honours --from/--to and rejects bad arguments", "[gpkg]") {
    TempDir dir;
    const std::string db = dir.file("store.db"), out = dir.file("window.gpkg");
    fill_store(db);
    REQUIRE(export_cli({"export", "--db", db, "--gpkg", out, "--from", "2026-11-25T00:01:05Z",
                        "--to", "2026-11-25T00:01:08Z"}) == 0);
    SqliteStore store(db, SqliteStore::Options{false, true});
    const auto summary = export_geopackage(store, out, *parse_iso8601("2026-11-25T00:01:05Z"),
                                           *parse_iso8601("2026-11-25T00:01:08Z"));
    // The window is [+3 s, +6 s] after sample_time() (00:01:02).
    CHECK(summary.tracks == 2);  // 4 points each
    CHECK(summary.alerts == 2);  // alerts 1 and 2 raised at +3 s and +6 s; 3 at +9 s is out
    CHECK(summary.tracks_single_point == 0);  // track 3's only point is at +0 s
    CHECK(summary.actions == 0);              // the ack was at +11 s

    CHECK(export_cli({"export", "--db", db}) == 2);
    CHECK(export_cli({"export", "--db", db, "--gpkg", out, "--from", "yesterday"}) == 2);
    CHECK(export_cli({"export", "--db", db, "--gpkg", out, "--bogus", "1"}) == 2);
    CHECK(export_cli({"export", "--db", dir.file("missing.db"), "--gpkg", out}) == 1);
}
