#pragma once
/// The reference the zone index is checked against: the same layer read independently with
/// GDAL/OGR, handed to GEOS, repaired with MakeValid when invalid, and queried with GEOS
/// prepared geometry (lon/lat, planar, as GEOS always is).
#include <geos_c.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace picket::geo::test {

class GeosReference {
public:
    GeosReference(const std::string& path, const std::string& layer, const std::string& where,
                  const std::string& name_field = "")
        : h_(GEOS_init_r()) {
        GDALAllRegister();
        GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
        if (!ds) throw std::runtime_error("cannot open " + path + " (run scripts/setup.sh)");
        OGRLayer* l = layer.empty() ? ds->GetLayer(0) : ds->GetLayerByName(layer.c_str());
        if (l == nullptr) throw std::runtime_error("no layer " + layer + " in " + path);
        if (!where.empty()) l->SetAttributeFilter(where.c_str());
        for (auto& f : *l) {
            names_.push_back(name_field.empty() ? std::string()
                                                : f->GetFieldAsString(name_field.c_str()));
            OGRGeometry* g = f->GetGeometryRef();
            std::vector<unsigned char> wkb(static_cast<std::size_t>(g->WkbSize()));
            g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
            GEOSGeometry* gg = GEOSGeomFromWKB_buf_r(h_, wkb.data(), wkb.size());
            if (GEOSisValid_r(h_, gg) != 1) {
                GEOSGeometry* fixed = GEOSMakeValid_r(h_, gg);
                GEOSGeom_destroy_r(h_, gg);
                gg = fixed;
            }
            geoms_.push_back(gg);
            prepared_.push_back(GEOSPrepare_r(h_, gg));
            boundaries_.push_back(GEOSBoundary_r(h_, gg));
            prepared_boundaries_.push_back(GEOSPrepare_r(h_, boundaries_.back()));
        }
    }
    ~GeosReference() {
        for (auto* p : prepared_) GEOSPreparedGeom_destroy_r(h_, p);
        for (auto* p : prepared_boundaries_) GEOSPreparedGeom_destroy_r(h_, p);
        for (auto* g : geoms_) GEOSGeom_destroy_r(h_, g);
        for (auto* g : boundaries_) GEOSGeom_destroy_r(h_, g);
        GEOS_finish_r(h_);
    }
    GeosReference(const GeosReference&) = delete;
    GeosReference& operator=(const GeosReference&) = delete;

    [[nodiscard]] std::size_t size() const { return geoms_.size(); }
    [[nodiscard]] const std::string& name(std::size_t i) const { return names_[i]; }
    [[nodiscard]] GEOSContextHandle_t handle() const { return h_; }
    [[nodiscard]] const GEOSPreparedGeometry* prepared(std::size_t i) const { return prepared_[i]; }
    [[nodiscard]] const GEOSPreparedGeometry* prepared_boundary(std::size_t i) const {
        return prepared_boundaries_[i];
    }

    [[nodiscard]] bool contains(std::size_t i, double lon, double lat) const {
        GEOSGeometry* p = GEOSGeom_createPointFromXY_r(h_, lon, lat);
        const bool in = GEOSPreparedContains_r(h_, prepared_[i], p) == 1;
        GEOSGeom_destroy_r(h_, p);
        return in;
    }
    /// Planar distance (deg) from the point to the zone's boundary.
    [[nodiscard]] double boundary_distance_deg(std::size_t i, double lon, double lat) const {
        GEOSGeometry* p = GEOSGeom_createPointFromXY_r(h_, lon, lat);
        double d = 0;
        GEOSPreparedDistance_r(h_, prepared_boundaries_[i], p, &d);
        GEOSGeom_destroy_r(h_, p);
        return d;
    }
    /// The boundary point nearest (planar, lon/lat) to the given point.
    void nearest_boundary_point(std::size_t i, double lon, double lat, double& out_lon,
                                double& out_lat) const {
        GEOSGeometry* p = GEOSGeom_createPointFromXY_r(h_, lon, lat);
        GEOSCoordSequence* cs = GEOSPreparedNearestPoints_r(h_, prepared_boundaries_[i], p);
        GEOSCoordSeq_getXY_r(h_, cs, 0, &out_lon, &out_lat);
        GEOSCoordSeq_destroy_r(h_, cs);
        GEOSGeom_destroy_r(h_, p);
    }
    /// Every vertex of the zone's rings (lon, lat), exterior and holes.
    [[nodiscard]] std::vector<std::pair<double, double>> vertices(std::size_t i) const {
        std::vector<std::pair<double, double>> out;
        GEOSGeometry* b = boundaries_[i];
        const int parts = GEOSGetNumGeometries_r(h_, b);
        for (int k = 0; k < parts; ++k) {
            const GEOSCoordSequence* cs = GEOSGeom_getCoordSeq_r(h_, GEOSGetGeometryN_r(h_, b, k));
            unsigned n = 0;
            GEOSCoordSeq_getSize_r(h_, cs, &n);
            for (unsigned j = 0; j < n; ++j) {
                double x = 0, y = 0;
                GEOSCoordSeq_getXY_r(h_, cs, j, &x, &y);
                out.emplace_back(x, y);
            }
        }
        return out;
    }
    void bounds(std::size_t i, double& xmin, double& ymin, double& xmax, double& ymax) const {
        GEOSGeom_getXMin_r(h_, geoms_[i], &xmin);
        GEOSGeom_getYMin_r(h_, geoms_[i], &ymin);
        GEOSGeom_getXMax_r(h_, geoms_[i], &xmax);
        GEOSGeom_getYMax_r(h_, geoms_[i], &ymax);
    }

private:
    GEOSContextHandle_t h_;
    std::vector<std::string> names_;
    std::vector<GEOSGeometry*> geoms_;
    std::vector<const GEOSPreparedGeometry*> prepared_;
    std::vector<GEOSGeometry*> boundaries_;
    std::vector<const GEOSPreparedGeometry*> prepared_boundaries_;
};

}  // namespace picket::geo::test
