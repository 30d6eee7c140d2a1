#include "geo/layer_reader.hpp"

#include <cpl_conv.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <array>
#include <filesystem>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "core/log.hpp"

namespace picket::geo::detail {
namespace {

void init_gdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        // Country-sized features in the npm GeoJSON layers exceed GDAL's default 200 MB
        // per-object limit; lift it unless the user chose a value.
        if (CPLGetConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", nullptr) == nullptr)
            CPLSetConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", "0");
    });
}

/// The field naming each zone: the one asked for, else the first of the usual suspects.
int name_field_index(OGRFeatureDefn* defn, const LayerSpec& spec) {
    if (!spec.name_field.empty()) {
        const int i = defn->GetFieldIndex(spec.name_field.c_str());
        if (i < 0)
            throw std::runtime_error(spec.path + ": layer '" + defn->GetName() +
                                     "' has no field '" + spec.name_field + "'");
        return i;
    }
    static constexpr std::array kGuesses{"name",   "NAME", "Name",    "isoA3", "ISO_A3",
                                         "iso_a3", "A3",   "ADM0_A3", "id",    "ID"};
    for (const char* g : kGuesses)
        if (const int i = defn->GetFieldIndex(g); i >= 0) return i;
    return -1;
}

/// GDAL prints errors on stderr by default; while reading, keep them quiet and report them
/// through the exceptions below (CPLGetLastErrorMsg still returns them).
struct QuietGdalErrors {
    QuietGdalErrors() { CPLPushErrorHandler(CPLQuietErrorHandler); }
    ~QuietGdalErrors() { CPLPopErrorHandler(); }
    QuietGdalErrors(const QuietGdalErrors&) = delete;
    QuietGdalErrors& operator=(const QuietGdalErrors&) = delete;
};

}  // namespace

std::vector<RawFeature> read_layer(const LayerSpec& spec) {
    init_gdal();
    const QuietGdalErrors quiet;
    GDALDatasetUniquePtr ds(
        GDALDataset::Open(spec.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) {
        // GDAL gives no message for a path that does not exist: say it, rather than ": ".
        std::error_code ec;
        if (!std::filesystem::exists(spec.path, ec))
            throw std::runtime_error(spec.path + ": no such file");
        std::string why = CPLGetLastErrorMsg();
        if (why.empty()) why = "not a vector format GDAL can read";
        throw std::runtime_error(spec.path + ": cannot open as a vector layer: " + why);
    }
    OGRLayer* layer = spec.layer.empty() ? ds->GetLayer(0) : ds->GetLayerByName(spec.layer.c_str());
    if (layer == nullptr)
        throw std::runtime_error(spec.path + ": no layer '" +
                                 (spec.layer.empty() ? "#0" : spec.layer) + "'");
    if (!spec.where.empty() && layer->SetAttributeFilter(spec.where.c_str()) != OGRERR_NONE)
        throw std::runtime_error(spec.path + ": bad attribute filter '" + spec.where +
                                 "': " + CPLGetLastErrorMsg());

    OGRFeatureDefn* defn = layer->GetLayerDefn();
    const int name_idx = name_field_index(defn, spec);

    // Reproject anything that is not already WGS84 lon/lat. Traditional GIS order keeps x = lon
    // on both sides, whatever the CRS definition says about axis order.
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> to_wgs84;
    if (const OGRSpatialReference* src = layer->GetSpatialRef();
        src != nullptr && !src->IsSame(&wgs84)) {
        OGRSpatialReference s(*src);
        s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        if (!s.IsSame(&wgs84)) {
            to_wgs84.reset(OGRCreateCoordinateTransformation(&s, &wgs84));
            if (!to_wgs84)
                throw std::runtime_error(spec.path + ": cannot reproject layer to WGS84");
            log::info(std::string("zones: ") + spec.path + ": reprojecting from " +
                      (s.GetName() ? s.GetName() : "?") + " to WGS84");
        }
    } else if (src == nullptr) {
        log::info("zones: " + spec.path + ": layer has no CRS, assuming WGS84 lon/lat");
    }

    std::vector<RawFeature> out;
    layer->ResetReading();
    // Some drivers (GeoPackage) only compile the filter when reading starts.
    CPLErrorReset();
    for (auto& feature : *layer) {
        OGRGeometry* g = feature->GetGeometryRef();
        if (g == nullptr || g->IsEmpty()) continue;
        std::unique_ptr<OGRGeometry> linear(g->hasCurveGeometry() ? g->getLinearGeometry()
                                                                  : g->clone());
        if (to_wgs84 && linear->transform(to_wgs84.get()) != OGRERR_NONE)
            throw std::runtime_error(spec.path + ": feature " + std::to_string(feature->GetFID()) +
                                     ": reprojection to WGS84 failed");
        RawFeature rf;
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            if (feature->IsFieldSetAndNotNull(i))
                rf.attributes[defn->GetFieldDefn(i)->GetNameRef()] = feature->GetFieldAsString(i);
        rf.name = name_idx >= 0 && feature->IsFieldSetAndNotNull(name_idx)
                      ? feature->GetFieldAsString(name_idx)
                      : std::string(layer->GetName()) + "#" + std::to_string(feature->GetFID());
        rf.wkb.resize(static_cast<std::size_t>(linear->WkbSize()));
        linear->exportToWkb(wkbNDR, rf.wkb.data(), wkbVariantIso);
        out.push_back(std::move(rf));
    }
    if (!spec.where.empty() && CPLGetLastErrorType() == CE_Failure)
        throw std::runtime_error(spec.path + ": bad attribute filter '" + spec.where +
                                 "': " + CPLGetLastErrorMsg());
    if (out.empty())
        throw std::runtime_error(spec.path + ": layer '" + layer->GetName() + "'" +
                                 (spec.where.empty() ? "" : " with filter '" + spec.where + "'") +
                                 " holds no geometry");
    return out;
}

}  // namespace picket::geo::detail
