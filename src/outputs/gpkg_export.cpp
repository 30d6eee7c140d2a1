#include "src/outputs/gpkg_export.hpp"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <stdexcept>

namespace picket::outputs {
namespace {

struct DatasetCloser {
    void operator()(void* ds) const { GDALClose(ds); }
};
struct FeatureDestroyer {
    void operator()(OGRFeatureH f) const { OGR_F_Destroy(f); }
};
struct SrsReleaser {
    void operator()(OGRSpatialReferenceH s) const { OSRRelease(s); }
};
using FeaturePtr = std::unique_ptr<std::remove_pointer_t<OGRFeatureH>, FeatureDestroyer>;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw std::runtime_error("export '" + path + "': " + what + ": " + CPLGetLastErrorMsg());
}

void add_field(OGRLayerH layer, const char* name, OGRFieldType type, const std::string& path) {
    OGRFieldDefnH f = OGR_Fld_Create(name, type);
    const OGRErr err = OGR_L_CreateField(layer, f, TRUE);
    OGR_Fld_Destroy(f);
    if (err != OGRERR_NONE) fail(path, std::string("create field ") + name);
}

void set_time(OGRFeatureH f, const char* field, Timestamp t) {
    const std::time_t secs =
        static_cast<std::time_t>(t.ns / kNsPerSecond - (t.ns % kNsPerSecond < 0 ? 1 : 0));
    const double frac =
        static_cast<double>(t.ns - static_cast<std::int64_t>(secs) * kNsPerSecond) * 1e-9;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    // TZFlag 100 = UTC (GDAL's convention).
    OGR_F_SetFieldDateTimeEx(f, OGR_F_GetFieldIndex(f, field), tm.tm_year + 1900, tm.tm_mon + 1,
                             tm.tm_mday, tm.tm_hour, tm.tm_min,
                             static_cast<float>(tm.tm_sec + frac), 100);
}

void commit(OGRLayerH layer, OGRFeatureH f, const std::string& path) {
    if (OGR_L_CreateFeature(layer, f) != OGRERR_NONE) fail(path, "create feature");
}

}  // namespace

GpkgExportSummary export_geopackage(const Store& store, const std::string& out_path, Timestamp from,
                                    Timestamp to) {
    GDALAllRegister();
    GDALDriverH driver = GDALGetDriverByName("GPKG");
    if (!driver) fail(out_path, "GDAL has no GPKG driver");
    std::remove(out_path.c_str());  // GPKG Create refuses to reuse an existing file
    std::unique_ptr<void, DatasetCloser> ds(
        GDALCreate(driver, out_path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) fail(out_path, "create");

    std::unique_ptr<std::remove_pointer_t<OGRSpatialReferenceH>, SrsReleaser> srs(
        OSRNewSpatialReference(nullptr));
    if (OSRImportFromEPSG(srs.get(), 4326) != OGRERR_NONE) fail(out_path, "EPSG:4326");
    // Coordinates are given x = lon, y = lat whatever EPSG's authority axis order says.
    OSRSetAxisMappingStrategy(srs.get(), OAMS_TRADITIONAL_GIS_ORDER);

    GpkgExportSummary summary;

    // --- tracks ---------------------------------------------------------------------------
    OGRLayerH tracks =
        GDALDatasetCreateLayer(ds.get(), "tracks", srs.get(), wkbLineString, nullptr);
    if (!tracks) fail(out_path, "create layer tracks");
    add_field(tracks, "track_id", OFTInteger64, out_path);
    add_field(tracks, "mmsi", OFTInteger64, out_path);
    add_field(tracks, "name", OFTString, out_path);
    add_field(tracks, "class", OFTString, out_path);
    add_field(tracks, "standing", OFTString, out_path);
    add_field(tracks, "label", OFTString, out_path);
    add_field(tracks, "first", OFTDateTime, out_path);
    add_field(tracks, "last", OFTDateTime, out_path);
    add_field(tracks, "points", OFTInteger, out_path);

    // One transaction per layer: GPKG inserts one by one are slow otherwise.
    if (GDALDatasetStartTransaction(ds.get(), FALSE) != OGRERR_NONE) fail(out_path, "begin");
    const std::vector<TrackPoint> points = store.track_points_between(from, to);
    for (std::size_t i = 0; i < points.size();) {
        std::size_t j = i;
        while (j < points.size() && points[j].track_id == points[i].track_id) ++j;
        if (j - i < 2) {
            ++summary.tracks_single_point;
            i = j;
            continue;
        }
        // Attributes from the latest point: identity and class improve over a track's life.
        const TrackPoint& last = points[j - 1];
        FeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(tracks)));
        OGR_F_SetFieldInteger64(f.get(), OGR_F_GetFieldIndex(f.get(), "track_id"),
                                static_cast<GIntBig>(last.track_id));
        std::optional<Mmsi> mmsi;
        std::string name;
        for (std::size_t k = i; k < j; ++k) {
            if (points[k].mmsi) mmsi = points[k].mmsi;
            if (!points[k].name.empty()) name = points[k].name;
        }
        if (mmsi)
            OGR_F_SetFieldInteger64(f.get(), OGR_F_GetFieldIndex(f.get(), "mmsi"), *mmsi);
        else
            OGR_F_SetFieldNull(f.get(), OGR_F_GetFieldIndex(f.get(), "mmsi"));
        OGR_F_SetFieldString(f.get(), OGR_F_GetFieldIndex(f.get(), "name"), name.c_str());
        OGR_F_SetFieldString(f.get(), OGR_F_GetFieldIndex(f.get(), "class"),
                             std::string(to_string(last.target_class)).c_str());
        OGR_F_SetFieldString(f.get(), OGR_F_GetFieldIndex(f.get(), "standing"),
                             std::string(to_string(last.standing)).c_str());
        OGR_F_SetFieldString(f.get(), OGR_F_GetFieldIndex(f.get(), "label"), last.label.c_str());
        set_time(f.get(), "first", points[i].time);
        set_time(f.get(), "last", last.time);
        OGR_F_SetFieldInteger(f.get(), OGR_F_GetFieldIndex(f.get(), "points"),
                              static_cast<int>(j - i));
        OGRGeometryH line = OGR_G_CreateGeometry(wkbLineString);
        for (std::size_t k = i; k < j; ++k) {
            OGR_G_AddPoint_2D(line, points[k].position.lon_deg, points[k].position.lat_deg);
        }
        OGR_F_SetGeometryDirectly(f.get(), line);
        commit(tracks, f.get(), out_path);
        ++summary.tracks;
        i = j;
    }
    if (GDALDatasetCommitTransaction(ds.get()) != OGRERR_NONE) fail(out_path, "commit tracks");

    // --- alerts ---------------------------------------------------------------------------
    OGRLayerH alerts = GDALDatasetCreateLayer(ds.get(), "alerts", srs.get(), wkbPoint, nullptr);
    if (!alerts) fail(out_path, "create layer alerts");
    add_field(alerts, "alert_id", OFTInteger64, out_path);
    add_field(alerts, "kind", OFTString, out_path);
    add_field(alerts, "severity", OFTString, out_path);
    add_field(alerts, "rule", OFTString, out_path);
    add_field(alerts, "zone", OFTString, out_path);
    add_field(alerts, "track_id", OFTInteger64, out_path);
    add_field(alerts, "other_track_id", OFTInteger64, out_path);
    add_field(alerts, "time", OFTDateTime, out_path);
    add_field(alerts, "state", OFTString, out_path);
    add_field(alerts, "escalated", OFTInteger, out_path);
    add_field(alerts, "acknowledged_by", OFTString, out_path);
    add_field(alerts, "acknowledged_at", OFTDateTime, out_path);
    add_field(alerts, "closed_at", OFTDateTime, out_path);
    add_field(alerts, "message", OFTString, out_path);

    if (GDALDatasetStartTransaction(ds.get(), FALSE) != OGRERR_NONE) fail(out_path, "begin");
    for (const Alert& a : store.alerts_between(from, to)) {
        FeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(alerts)));
        auto idx = [&](const char* n) { return OGR_F_GetFieldIndex(f.get(), n); };
        OGR_F_SetFieldInteger64(f.get(), idx("alert_id"), static_cast<GIntBig>(a.id));
        OGR_F_SetFieldString(f.get(), idx("kind"), std::string(to_string(a.kind)).c_str());
        OGR_F_SetFieldString(f.get(), idx("severity"), std::string(to_string(a.severity)).c_str());
        OGR_F_SetFieldString(f.get(), idx("rule"), a.rule.c_str());
        OGR_F_SetFieldString(f.get(), idx("zone"), a.zone.c_str());
        OGR_F_SetFieldInteger64(f.get(), idx("track_id"), static_cast<GIntBig>(a.track));
        if (a.other_track)
            OGR_F_SetFieldInteger64(f.get(), idx("other_track_id"),
                                    static_cast<GIntBig>(*a.other_track));
        else
            OGR_F_SetFieldNull(f.get(), idx("other_track_id"));
        set_time(f.get(), "time", a.when);
        OGR_F_SetFieldString(f.get(), idx("state"), std::string(to_string(a.state)).c_str());
        OGR_F_SetFieldInteger(f.get(), idx("escalated"), a.escalated ? 1 : 0);
        OGR_F_SetFieldString(f.get(), idx("acknowledged_by"), a.acknowledged_by.c_str());
        if (a.acknowledged_at)
            set_time(f.get(), "acknowledged_at", *a.acknowledged_at);
        else
            OGR_F_SetFieldNull(f.get(), idx("acknowledged_at"));
        if (a.closed_at)
            set_time(f.get(), "closed_at", *a.closed_at);
        else
            OGR_F_SetFieldNull(f.get(), idx("closed_at"));
        OGR_F_SetFieldString(f.get(), idx("message"), a.message.c_str());
        OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
        OGR_G_SetPoint_2D(pt, 0, a.where.lon_deg, a.where.lat_deg);
        OGR_F_SetGeometryDirectly(f.get(), pt);
        commit(alerts, f.get(), out_path);
        ++summary.alerts;
    }
    if (GDALDatasetCommitTransaction(ds.get()) != OGRERR_NONE) fail(out_path, "commit alerts");

    // --- actions: the operators' audit trail, an attribute table (no geometry) -------------
    OGRLayerH actions = GDALDatasetCreateLayer(ds.get(), "actions", nullptr, wkbNone, nullptr);
    if (!actions) fail(out_path, "create layer actions");
    add_field(actions, "seq", OFTInteger64, out_path);
    add_field(actions, "time", OFTDateTime, out_path);
    add_field(actions, "user", OFTString, out_path);
    add_field(actions, "command", OFTString, out_path);
    add_field(actions, "result", OFTString, out_path);
    if (GDALDatasetStartTransaction(ds.get(), FALSE) != OGRERR_NONE) fail(out_path, "begin");
    for (const ActionRecord& r : store.actions_between(from, to)) {
        FeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(actions)));
        OGR_F_SetFieldInteger64(f.get(), OGR_F_GetFieldIndex(f.get(), "seq"), r.seq);
        set_time(f.get(), "time", r.time);
        OGR_F_SetFieldString(f.get(), OGR_F_GetFieldIndex(f.get(), "user"), r.user.c_str());
        OGR_F_SetFieldString(f.get(), OGR_F_GetFieldIndex(f.get(), "command"),
                             r.command_json.c_str());
        OGR_F_SetFieldString(f.get(), OGR_F_GetFieldIndex(f.get(), "result"), r.result.c_str());
        commit(actions, f.get(), out_path);
        ++summary.actions;
    }
    if (GDALDatasetCommitTransaction(ds.get()) != OGRERR_NONE) fail(out_path, "commit actions");
    return summary;
}

}  // namespace picket::outputs
