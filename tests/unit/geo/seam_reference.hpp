#pragma once
/// A reference for distances near the antimeridian that owes nothing to picket's seam handling:
/// the zone read with GDAL into GEOS, every longitude below 0 moved by +360 (a zone split at
/// +-180 becomes one piece around 180 in 0..360), snap-rounded to a 1e-6 deg grid (~11 cm, so
/// the halves' cut edges that the source data left 1e-7 deg apart coincide) and dissolved with
/// GEOS's unary union. Its boundary has no seam. The distance to it is measured in geodesic
/// metres: GEOS's planar-nearest point gives an upper bound; every boundary segment whose planar
/// distance could still beat it is searched along its length with Karney's inverse.
///
/// Only for zones with no part straddling the prime meridian (Fiji, Russia).
#include <geos_c.h>
#include <ogrsf_frmts.h>

#include <GeographicLib/Geodesic.hpp>
#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace picket::geo::test {

class SeamDissolvedReference {
public:
    SeamDissolvedReference(const std::string& path, const std::string& layer,
                           const std::string& where)
        : h_(GEOS_init_r()) {
        GDALAllRegister();
        GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
        if (!ds) throw std::runtime_error("cannot open " + path + " (run scripts/setup.sh)");
        OGRLayer* l = ds->GetLayerByName(layer.c_str());
        if (l == nullptr) throw std::runtime_error("no layer " + layer + " in " + path);
        l->SetAttributeFilter(where.c_str());
        std::vector<GEOSGeometry*> parts;
        for (auto& f : *l) {
            OGRGeometry* g = f->GetGeometryRef();
            std::vector<unsigned char> wkb(static_cast<std::size_t>(g->WkbSize()));
            g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
            GEOSGeometry* gg = GEOSGeomFromWKB_buf_r(h_, wkb.data(), wkb.size());
            if (GEOSisValid_r(h_, gg) != 1) {
                GEOSGeometry* fixed = GEOSMakeValid_r(h_, gg);
                GEOSGeom_destroy_r(h_, gg);
                gg = fixed;
            }
            GEOSGeometry* shifted = GEOSGeom_transformXY_r(h_, gg, to_0_360, nullptr);
            GEOSGeom_destroy_r(h_, gg);
            parts.push_back(shifted);
        }
        if (parts.size() != 1) throw std::runtime_error("expected one zone for " + where);
        GEOSGeometry* dissolved = GEOSUnaryUnionPrec_r(h_, parts[0], 1e-6);
        GEOSGeom_destroy_r(h_, parts[0]);
        if (dissolved == nullptr) throw std::runtime_error("GEOS union failed");
        geom_ = dissolved;
        prepared_ = GEOSPrepare_r(h_, geom_);
        boundary_ = GEOSBoundary_r(h_, geom_);
        prepared_boundary_ = GEOSPrepare_r(h_, boundary_);
        collect_segments(boundary_);
        std::vector<Value> values;
        for (std::uint32_t i = 0; i < segments_.size(); ++i) {
            const auto& [a, b] = segments_[i];
            values.emplace_back(Box(P(std::min(a.first, b.first), std::min(a.second, b.second)),
                                    P(std::max(a.first, b.first), std::max(a.second, b.second))),
                                i);
        }
        tree_ = Tree(values.begin(), values.end());
    }
    ~SeamDissolvedReference() {
        GEOSPreparedGeom_destroy_r(h_, prepared_boundary_);
        GEOSPreparedGeom_destroy_r(h_, prepared_);
        GEOSGeom_destroy_r(h_, boundary_);
        GEOSGeom_destroy_r(h_, geom_);
        GEOS_finish_r(h_);
    }
    SeamDissolvedReference(const SeamDissolvedReference&) = delete;
    SeamDissolvedReference& operator=(const SeamDissolvedReference&) = delete;

    [[nodiscard]] bool contains(double lon, double lat) const {
        GEOSGeometry* p = GEOSGeom_createPointFromXY_r(h_, shift(lon), lat);
        const bool in = GEOSPreparedContains_r(h_, prepared_, p) == 1;
        GEOSGeom_destroy_r(h_, p);
        return in;
    }

    /// Geodesic distance (m) from (lon, lat) to the dissolved boundary, to ~1e-6 of a segment.
    [[nodiscard]] double distance_m(double lon, double lat) const {
        const double x = shift(lon);
        GEOSGeometry* p = GEOSGeom_createPointFromXY_r(h_, x, lat);
        GEOSCoordSequence* cs = GEOSPreparedNearestPoints_r(h_, prepared_boundary_, p);
        double qx = 0, qy = 0;
        GEOSCoordSeq_getXY_r(h_, cs, 0, &qx, &qy);
        GEOSCoordSeq_destroy_r(h_, cs);
        GEOSGeom_destroy_r(h_, p);
        double best = geodesic(lat, x, qy, qx);
        // A segment can beat `best` only if it reaches within best metres: look in the box that
        // many metres around the point (degrees of longitude shrink with the cosine).
        const double dlat = best / 110574.0 + 1e-9;
        const double far_lat = std::min(89.9, std::abs(lat) + dlat);
        const double dlon = std::min(180.0, best / (111320.0 * std::cos(far_lat * M_PI / 180)));
        std::vector<Value> hits;
        tree_.query(boost::geometry::index::intersects(
                        Box(P(x - dlon, lat - dlat), P(x + dlon, lat + dlat))),
                    std::back_inserter(hits));
        // Nearest first by a planar lower bound (least metres per degree over the box, less 2 %
        // for the ellipsoid's curvature over these distances); stop once it exceeds the best.
        const double kx = 0.98 * 111320.0 * std::cos(far_lat * M_PI / 180), ky = 0.98 * 110574.0;
        std::vector<std::pair<double, std::uint32_t>> order;
        for (const Value& v : hits) {
            const auto& [a, b] = segments_[v.second];
            const double ax = (a.first - x) * kx, ay = (a.second - lat) * ky;
            const double bx = (b.first - x) * kx, by = (b.second - lat) * ky;
            const double ex = bx - ax, ey = by - ay, len2 = ex * ex + ey * ey;
            const double t = len2 > 0 ? std::clamp(-(ax * ex + ay * ey) / len2, 0.0, 1.0) : 0.0;
            order.emplace_back(std::hypot(ax + t * ex, ay + t * ey), v.second);
        }
        std::sort(order.begin(), order.end());
        for (const auto& [lower, i] : order) {
            if (lower > best) break;
            const auto& [a, b] = segments_[i];
            best = std::min(best, to_segment_m(lat, x, a, b));
        }
        return best;
    }

private:
    using Pt = std::pair<double, double>;  // (lon in 0..360, lat)
    using P = boost::geometry::model::point<double, 2, boost::geometry::cs::cartesian>;
    using Box = boost::geometry::model::box<P>;
    using Value = std::pair<Box, std::uint32_t>;
    using Tree = boost::geometry::index::rtree<Value, boost::geometry::index::rstar<16>>;

    static int to_0_360(double* x, double*, void*) {
        if (*x < 0) *x += 360;
        return 1;
    }
    static double shift(double lon) { return lon < 0 ? lon + 360 : lon; }
    static double geodesic(double lat1, double lon1, double lat2, double lon2) {
        double s = 0;
        GeographicLib::Geodesic::WGS84().Inverse(lat1, lon1, lat2, lon2, s);
        return s;
    }

    /// Karney's distance to the lon/lat-straight segment a-b: a scan in 16 steps, then
    /// golden-section search around the best step (the distance is unimodal there).
    static double to_segment_m(double lat, double lon, Pt a, Pt b) {
        auto at = [&](double t) {
            return geodesic(lat, lon, a.second + t * (b.second - a.second),
                            a.first + t * (b.first - a.first));
        };
        constexpr int kSteps = 16;
        int best_i = 0;
        double best = std::numeric_limits<double>::infinity();
        for (int i = 0; i <= kSteps; ++i) {
            const double d = at(static_cast<double>(i) / kSteps);
            if (d < best) {
                best = d;
                best_i = i;
            }
        }
        double lo = std::max(0, best_i - 1) / double(kSteps);
        double hi = std::min(kSteps, best_i + 1) / double(kSteps);
        const double phi = (std::sqrt(5.0) - 1) / 2;
        double x1 = hi - phi * (hi - lo), x2 = lo + phi * (hi - lo), f1 = at(x1), f2 = at(x2);
        for (int i = 0; i < 40; ++i) {
            if (f1 < f2) {
                hi = x2;
                x2 = x1;
                f2 = f1;
                x1 = hi - phi * (hi - lo);
                f1 = at(x1);
            } else {
                lo = x1;
                x1 = x2;
                f1 = f2;
                x2 = lo + phi * (hi - lo);
                f2 = at(x2);
            }
        }
        return std::min({best, f1, f2});
    }

    void collect_segments(const GEOSGeometry* g) {
        const int type = GEOSGeomTypeId_r(h_, g);
        if (type == GEOS_LINESTRING || type == GEOS_LINEARRING) {
            const GEOSCoordSequence* cs = GEOSGeom_getCoordSeq_r(h_, g);
            unsigned n = 0;
            GEOSCoordSeq_getSize_r(h_, cs, &n);
            Pt prev{};
            for (unsigned i = 0; i < n; ++i) {
                Pt p;
                GEOSCoordSeq_getXY_r(h_, cs, i, &p.first, &p.second);
                if (i > 0 && p != prev) segments_.emplace_back(prev, p);
                prev = p;
            }
            return;
        }
        for (int i = 0; i < GEOSGetNumGeometries_r(h_, g); ++i)
            collect_segments(GEOSGetGeometryN_r(h_, g, i));
    }

    GEOSContextHandle_t h_;
    GEOSGeometry* geom_{nullptr};
    GEOSGeometry* boundary_{nullptr};
    const GEOSPreparedGeometry* prepared_{nullptr};
    const GEOSPreparedGeometry* prepared_boundary_{nullptr};
    std::vector<std::pair<Pt, Pt>> segments_;
    Tree tree_;
};

}  // namespace picket::geo::test
