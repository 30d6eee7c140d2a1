#include "geo/zones.hpp"

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/log.hpp"
#include "geo/geos_handle.hpp"
#include "geo/layer_reader.hpp"
#include "geo/local_frame.hpp"
#include "geo/polygon_grid.hpp"
#include "geo/segment_index.hpp"

namespace picket::geo {

using detail::GeomPtr;
using detail::GeosContext;
using detail::Path;
using detail::Vec2;

namespace {

struct Rings {
    std::vector<Path> all;
    std::vector<bool> is_hole;
};

Path ring_path(const GeosContext& ctx, const GEOSGeometry* ring) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.get(), ring);
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(ctx.get(), seq, &n);
    Path p(n);
    for (unsigned i = 0; i < n; ++i) GEOSCoordSeq_getXY_r(ctx.get(), seq, i, &p[i].x, &p[i].y);
    return p;
}

void collect_polygons(const GeosContext& ctx, const GEOSGeometry* g,
                      std::vector<const GEOSGeometry*>& out) {
    const int type = GEOSGeomTypeId_r(ctx.get(), g);
    if (type == GEOS_POLYGON) {
        if (!GEOSisEmpty_r(ctx.get(), g)) out.push_back(g);
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(ctx.get(), g);
        for (int i = 0; i < n; ++i) collect_polygons(ctx, GEOSGetGeometryN_r(ctx.get(), g, i), out);
    }
}

/// Only the polygonal parts, as one MultiPolygon (MakeValid can leave stray lines or points).
GeomPtr polygonal(const GeosContext& ctx, const GEOSGeometry* g) {
    std::vector<const GEOSGeometry*> parts;
    collect_polygons(ctx, g, parts);
    std::vector<GEOSGeometry*> clones;
    for (const GEOSGeometry* p : parts) clones.push_back(GEOSGeom_clone_r(ctx.get(), p));
    return detail::checked(ctx,
                           GEOSGeom_createCollection_r(ctx.get(), GEOS_MULTIPOLYGON, clones.data(),
                                                       static_cast<unsigned>(clones.size())),
                           "zones: building multipolygon");
}

Rings rings_of(const GeosContext& ctx, const GEOSGeometry* multipolygon) {
    Rings r;
    const int n = GEOSGetNumGeometries_r(ctx.get(), multipolygon);
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* poly = GEOSGetGeometryN_r(ctx.get(), multipolygon, i);
        r.all.push_back(ring_path(ctx, GEOSGetExteriorRing_r(ctx.get(), poly)));
        r.is_hole.push_back(false);
        const int holes = GEOSGetNumInteriorRings_r(ctx.get(), poly);
        for (int h = 0; h < holes; ++h) {
            r.all.push_back(ring_path(ctx, GEOSGetInteriorRingN_r(ctx.get(), poly, h)));
            r.is_hole.push_back(true);
        }
    }
    return r;
}

int shift_x(double* x, double*, void* userdata) {
    *x += *static_cast<double*>(userdata);
    return 1;
}

/// Geometry given with longitudes beyond +-180 (a zone drawn across the antimeridian in one
/// piece) is cut at the seam and its far parts shifted back, as published layers already are.
GeomPtr split_at_antimeridian(const GeosContext& ctx, GeomPtr g, const std::string& label) {
    double xmin = 0, xmax = 0;
    GEOSGeom_getXMin_r(ctx.get(), g.get(), &xmin);
    GEOSGeom_getXMax_r(ctx.get(), g.get(), &xmax);
    if (xmin >= -180 && xmax <= 180) return g;
    GeomPtr acc =
        detail::checked(ctx, GEOSClipByRect_r(ctx.get(), g.get(), -180, -90, 180, 90), label);
    for (double shift : {-360.0, 360.0}) {
        GeomPtr part = detail::checked(
            ctx, GEOSClipByRect_r(ctx.get(), g.get(), -180 - shift, -90, 180 - shift, 90), label);
        if (GEOSisEmpty_r(ctx.get(), part.get())) continue;
        GeomPtr moved = detail::checked(
            ctx, GEOSGeom_transformXY_r(ctx.get(), part.get(), shift_x, &shift), label);
        acc = detail::checked(ctx, GEOSUnion_r(ctx.get(), acc.get(), moved.get()), label);
    }
    log::info("zones: " + label + ": split at the antimeridian");
    return acc;
}

struct Zone {
    std::string name;
    std::map<std::string, std::string> attributes;
    GeomPtr geometry;  ///< valid MultiPolygon, lon/lat
    Rings rings;
    detail::PolygonGrid grid;
    detail::SegmentIndex boundary;
    double xmin{0}, ymin{0}, xmax{0}, ymax{0};
};

std::string geojson_of(const GeosContext& ctx, const GEOSGeometry* g) {
    GEOSGeoJSONWriter* w = GEOSGeoJSONWriter_create_r(ctx.get());
    char* s = GEOSGeoJSONWriter_writeGeometry_r(ctx.get(), w, g, -1);
    GEOSGeoJSONWriter_destroy_r(ctx.get(), w);
    if (s == nullptr) throw std::runtime_error("zones: GeoJSON writer: " + ctx.last_error());
    std::string out(s);
    GEOSFree_r(ctx.get(), s);
    return out;
}

}  // namespace

struct ZoneSet::Impl {
    GeosContext ctx;  ///< used at build time only; queries never touch GEOS
    std::vector<Zone> zones;

    void add(std::string name, std::map<std::string, std::string> attrs, GeomPtr g,
             const std::string& label);
};

void ZoneSet::Impl::add(std::string name, std::map<std::string, std::string> attrs, GeomPtr g,
                        const std::string& label) {
    g = split_at_antimeridian(ctx, std::move(g), label);
    if (GEOSisValid_r(ctx.get(), g.get()) != 1) {
        char* reason = GEOSisValidReason_r(ctx.get(), g.get());
        const std::string why = reason ? reason : "?";
        GEOSFree_r(ctx.get(), reason);
        g = detail::checked(ctx, GEOSMakeValid_r(ctx.get(), g.get()), label + ": MakeValid");
        log::warn("zones: " + label + ": invalid geometry (" + why +
                  "), repaired with GEOS MakeValid");
    }
    Zone z;
    z.name = std::move(name);
    z.attributes = std::move(attrs);
    z.geometry = polygonal(ctx, g.get());
    if (GEOSisEmpty_r(ctx.get(), z.geometry.get()))
        throw std::runtime_error("zones: " + label + ": no polygon in geometry");
    GEOSGeom_getXMin_r(ctx.get(), z.geometry.get(), &z.xmin);
    GEOSGeom_getXMax_r(ctx.get(), z.geometry.get(), &z.xmax);
    GEOSGeom_getYMin_r(ctx.get(), z.geometry.get(), &z.ymin);
    GEOSGeom_getYMax_r(ctx.get(), z.geometry.get(), &z.ymax);
    z.rings = rings_of(ctx, z.geometry.get());
    z.grid = detail::PolygonGrid(z.rings.all);
    z.boundary = detail::SegmentIndex(z.rings.all);
    zones.push_back(std::move(z));
}

ZoneSet::ZoneSet() : impl_(std::make_unique<Impl>()) {}
ZoneSet::~ZoneSet() = default;
ZoneSet::ZoneSet(ZoneSet&&) noexcept = default;
ZoneSet& ZoneSet::operator=(ZoneSet&&) noexcept = default;

ZoneSet ZoneSet::load(const LayerSpec& spec) {
    ZoneSet set;
    Impl& m = *set.impl_;
    for (detail::RawFeature& f : detail::read_layer(spec)) {
        const std::string label = spec.path + ": zone '" + f.name + "'";
        GeomPtr g =
            detail::checked(m.ctx, GEOSGeomFromWKB_buf_r(m.ctx.get(), f.wkb.data(), f.wkb.size()),
                            label + ": reading geometry");
        m.add(std::move(f.name), std::move(f.attributes), std::move(g), label);
    }
    return set;
}

ZoneSet ZoneSet::from_wkt(const std::vector<std::pair<std::string, std::string>>& name_wkt) {
    ZoneSet set;
    Impl& m = *set.impl_;
    GEOSWKTReader* reader = GEOSWKTReader_create_r(m.ctx.get());
    try {
        for (const auto& [name, wkt] : name_wkt) {
            const std::string label = "zone '" + name + "'";
            GeomPtr g = detail::checked(
                m.ctx, GEOSWKTReader_read_r(m.ctx.get(), reader, wkt.c_str()), label + ": bad WKT");
            m.add(name, {}, std::move(g), label);
        }
    } catch (...) {
        GEOSWKTReader_destroy_r(m.ctx.get(), reader);
        throw;
    }
    GEOSWKTReader_destroy_r(m.ctx.get(), reader);
    return set;
}

std::size_t ZoneSet::size() const { return impl_->zones.size(); }
const std::string& ZoneSet::name(std::size_t zone) const { return impl_->zones.at(zone).name; }
const std::map<std::string, std::string>& ZoneSet::attributes(std::size_t zone) const {
    return impl_->zones.at(zone).attributes;
}

std::optional<std::size_t> ZoneSet::find(std::string_view name) const {
    for (std::size_t i = 0; i < impl_->zones.size(); ++i)
        if (impl_->zones[i].name == name) return i;
    return std::nullopt;
}

namespace {

/// A point on the seam itself lies on the cut edge of both halves of a split zone: ask the
/// halves just either side of it, so that it is inside when the zone spans the seam there.
bool zone_contains(const Zone& z, Vec2 v) {
    if (v.x > -180 + 1e-9) return z.grid.contains(v);
    return z.grid.contains({-180 + 1e-9, v.y}) || z.grid.contains({180 - 1e-9, v.y});
}

}  // namespace

bool ZoneSet::contains(std::size_t zone, LatLon p) const {
    return zone_contains(impl_->zones[zone], {detail::normalize_lon(p.lon_deg), p.lat_deg});
}

std::vector<std::size_t> ZoneSet::zones_containing(LatLon p) const {
    const Vec2 v{detail::normalize_lon(p.lon_deg), p.lat_deg};
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < impl_->zones.size(); ++i) {
        const Zone& z = impl_->zones[i];
        if (v.y < z.ymin || v.y > z.ymax || (v.x > -180 + 1e-9 && (v.x < z.xmin || v.x > z.xmax)))
            continue;
        if (zone_contains(z, v)) out.push_back(i);
    }
    return out;
}

double ZoneSet::distance_to_boundary_m(std::size_t zone, LatLon p) const {
    return impl_->zones[zone].boundary.distance_m(p);
}

void ZoneSet::prepare_distance(std::size_t zone) const {
    impl_->zones[zone].boundary.prepare_distance();
}

bool ZoneSet::distance_prepared(std::size_t zone) const {
    return impl_->zones[zone].boundary.distance_prepared();
}

namespace {

/// Point at fraction t of the lon/lat segment a->b taken the shorter way round.
LatLon along(LatLon a, LatLon b, double t) {
    double dlon = b.lon_deg - a.lon_deg;
    if (dlon > 180) dlon -= 360;
    if (dlon < -180) dlon += 360;
    return {a.lat_deg + t * (b.lat_deg - a.lat_deg), detail::normalize_lon(a.lon_deg + t * dlon)};
}

}  // namespace

std::vector<Crossing> ZoneSet::crossings(std::size_t zone, LatLon a, LatLon b) const {
    const Zone& z = impl_->zones[zone];
    const std::vector<detail::SegmentHit> hits = z.boundary.crossings(a, b);
    std::vector<Crossing> out;
    // Whether each hit enters or leaves is read from containment between consecutive hits, not
    // from edge orientation: robust to ring orientation and to a path grazing a vertex (a touch
    // that does not change the state is no crossing).
    for (std::size_t i = 0; i < hits.size(); ++i) {
        const double prev = i == 0 ? 0.0 : hits[i - 1].fraction;
        const double next = i + 1 == hits.size() ? 1.0 : hits[i + 1].fraction;
        const double t = hits[i].fraction;
        const LatLon m0 = along(a, b, (prev + t) / 2), m1 = along(a, b, (t + next) / 2);
        const bool before = zone_contains(z, {m0.lon_deg, m0.lat_deg});
        const bool after = zone_contains(z, {m1.lon_deg, m1.lat_deg});
        if (before == after) continue;
        out.push_back({t, hits[i].where, after});
    }
    return out;
}

std::optional<double> ZoneSet::ray_distance_m(std::size_t zone, LatLon p, double bearing_deg,
                                              double max_m) const {
    const Zone& z = impl_->zones[zone];
    // Follow the geodesic in steps short enough (2 km) that a lon/lat segment stands for it.
    const GeographicLib::GeodesicLine line =
        GeographicLib::Geodesic::WGS84().Line(p.lat_deg, p.lon_deg, bearing_deg);
    const int steps = std::max(1, static_cast<int>(std::ceil(max_m / 2000.0)));
    LatLon prev = p;
    for (int i = 1; i <= steps; ++i) {
        LatLon next;
        line.Position(max_m * i / steps, next.lat_deg, next.lon_deg);
        next.lon_deg = detail::normalize_lon(next.lon_deg);
        const auto hits = z.boundary.crossings(prev, next);
        if (!hits.empty()) {
            const double d = geodesic_distance_m(p, hits.front().where);
            if (d <= max_m) return d;
            return std::nullopt;
        }
        prev = next;
    }
    return std::nullopt;
}

std::string ZoneSet::geojson(std::size_t zone, double tolerance_deg) const {
    GeosContext ctx;  // per call: queries stay usable from several threads
    const GEOSGeometry* g = impl_->zones.at(zone).geometry.get();
    if (tolerance_deg <= 0) return geojson_of(ctx, g);
    GeomPtr s = detail::checked(ctx, GEOSTopologyPreserveSimplify_r(ctx.get(), g, tolerance_deg),
                                "zones: simplify");
    return geojson_of(ctx, s.get());
}

// --- BorderLine --------------------------------------------------------------------------

struct BorderLine::Impl {
    std::string name;
    detail::SegmentIndex index;
    double length_m{0};

    void build(std::string n, const std::vector<Path>& paths) {
        name = std::move(n);
        index = detail::SegmentIndex(paths);
        const auto& g = GeographicLib::Geodesic::WGS84();
        length_m = 0;
        for (const Path& l : index.lines())
            for (std::size_t i = 0; i + 1 < l.size(); ++i) {
                double s = 0;
                g.Inverse(l[i].y, l[i].x, l[i + 1].y, l[i + 1].x, s);
                length_m += s;
            }
    }
};

namespace {

void collect_lines(const GeosContext& ctx, const GEOSGeometry* g, std::vector<Path>& out) {
    const int type = GEOSGeomTypeId_r(ctx.get(), g);
    if (type == GEOS_LINESTRING || type == GEOS_LINEARRING) {
        Path p = ring_path(ctx, g);
        if (p.size() > 1) out.push_back(std::move(p));
    } else if (type == GEOS_MULTILINESTRING || type == GEOS_GEOMETRYCOLLECTION) {
        for (int i = 0; i < GEOSGetNumGeometries_r(ctx.get(), g); ++i)
            collect_lines(ctx, GEOSGetGeometryN_r(ctx.get(), g, i), out);
    }
}

double signed_area(const Path& r) {
    double a = 0;
    for (std::size_t i = 0; i + 1 < r.size(); ++i) a += r[i].x * r[i + 1].y - r[i + 1].x * r[i].y;
    return a / 2;
}

}  // namespace

BorderLine::BorderLine() : impl_(std::make_unique<Impl>()) {}
BorderLine::~BorderLine() = default;
BorderLine::BorderLine(BorderLine&&) noexcept = default;
BorderLine& BorderLine::operator=(BorderLine&&) noexcept = default;

namespace {

/// Orients each part of a boundary so that `zone` is on its left: probes just left of the part's
/// longest segment.
void orient_zone_left(const ZoneSet& zones, std::size_t zone, std::vector<Path>& lines) {
    for (Path& l : lines) {
        std::size_t best = 0;
        double best_len = -1;
        for (std::size_t i = 0; i + 1 < l.size(); ++i) {
            const double len = std::hypot(l[i + 1].x - l[i].x, l[i + 1].y - l[i].y);
            if (len > best_len) {
                best_len = len;
                best = i;
            }
        }
        if (best_len <= 0) continue;
        const Vec2 p{(l[best].x + l[best + 1].x) / 2, (l[best].y + l[best + 1].y) / 2};
        const double dx = (l[best + 1].x - l[best].x) / best_len,
                     dy = (l[best + 1].y - l[best].y) / best_len;
        const LatLon left{p.y + 1e-6 * dx, p.x - 1e-6 * dy};
        if (!zones.contains(zone, left)) std::reverse(l.begin(), l.end());
    }
}

/// The parts of a boundary (any lineal GEOS geometry), merged into as few lines as they make and
/// oriented with `zone` on their left.
std::vector<Path> lines_with_zone_left(const GeosContext& ctx, const GEOSGeometry* boundary,
                                       const ZoneSet& zones, std::size_t zone, const char* what) {
    GeomPtr merged = detail::checked(ctx, GEOSLineMerge_r(ctx.get(), boundary), what);
    std::vector<Path> lines;
    collect_lines(ctx, merged.get(), lines);
    orient_zone_left(zones, zone, lines);
    return lines;
}

// Neighbouring layers rarely share vertices to the last bit: "along" a zone means within ~1 cm
// (1e-7 deg) of it, not the exact intersection of two boundaries.
constexpr double kAlongDeg = 1e-7;

}  // namespace

BorderLine BorderLine::shared_boundary(const ZoneSet& zones, std::size_t a, std::size_t b,
                                       std::string name) {
    GeosContext ctx;
    const GEOSGeometry* ga = zones.impl_->zones.at(a).geometry.get();
    const GEOSGeometry* gb = zones.impl_->zones.at(b).geometry.get();
    GeomPtr boundary = detail::checked(ctx, GEOSBoundary_r(ctx.get(), ga), "shared_boundary");
    GeomPtr near_b =
        detail::checked(ctx, GEOSBuffer_r(ctx.get(), gb, kAlongDeg, 2), "shared_boundary");
    GeomPtr shared = detail::checked(
        ctx, GEOSIntersection_r(ctx.get(), boundary.get(), near_b.get()), "shared_boundary");
    BorderLine out;
    out.impl_->build(std::move(name),
                     lines_with_zone_left(ctx, shared.get(), zones, a, "shared_boundary"));
    return out;
}

BorderLine BorderLine::boundary_except_along(const ZoneSet& zones, std::size_t zone,
                                             const ZoneSet& other, std::string name) {
    GeosContext ctx;
    GeomPtr rest =
        detail::checked(ctx, GEOSBoundary_r(ctx.get(), zones.impl_->zones.at(zone).geometry.get()),
                        "boundary_except_along");
    for (const auto& z : other.impl_->zones) {
        GeomPtr near_z = detail::checked(
            ctx, GEOSBuffer_r(ctx.get(), z.geometry.get(), kAlongDeg, 2), "boundary_except_along");
        rest = detail::checked(ctx, GEOSDifference_r(ctx.get(), rest.get(), near_z.get()),
                               "boundary_except_along");
    }
    BorderLine out;
    out.impl_->build(std::move(name),
                     lines_with_zone_left(ctx, rest.get(), zones, zone, "boundary_except_along"));
    return out;
}

BorderLine BorderLine::boundary_of(const ZoneSet& zones, std::size_t zone, std::string name) {
    const auto& rings = zones.impl_->zones.at(zone).rings;
    std::vector<Path> lines;
    for (std::size_t i = 0; i < rings.all.size(); ++i) {
        Path r = rings.all[i];
        // Zone on the left: exteriors counter-clockwise, holes clockwise.
        const bool ccw = signed_area(r) > 0;
        if (ccw == rings.is_hole[i]) std::reverse(r.begin(), r.end());
        lines.push_back(std::move(r));
    }
    BorderLine out;
    out.impl_->build(std::move(name), lines);
    return out;
}

BorderLine BorderLine::from_wkt(std::string name, const std::string& wkt) {
    GeosContext ctx;
    GEOSWKTReader* reader = GEOSWKTReader_create_r(ctx.get());
    GEOSGeometry* raw = GEOSWKTReader_read_r(ctx.get(), reader, wkt.c_str());
    GEOSWKTReader_destroy_r(ctx.get(), reader);
    GeomPtr g = detail::checked(ctx, raw, "border line '" + name + "': bad WKT");
    std::vector<Path> lines;
    collect_lines(ctx, g.get(), lines);
    BorderLine out;
    out.impl_->build(std::move(name), lines);
    return out;
}

const std::string& BorderLine::name() const { return impl_->name; }
bool BorderLine::empty() const { return impl_->index.empty(); }
double BorderLine::length_m() const { return impl_->length_m; }
double BorderLine::distance_m(LatLon p) const { return impl_->index.distance_m(p); }
void BorderLine::prepare_distance() const { impl_->index.prepare_distance(); }
bool BorderLine::distance_prepared() const { return impl_->index.distance_prepared(); }

std::vector<Crossing> BorderLine::crossings(LatLon a, LatLon b) const {
    std::vector<Crossing> out;
    for (const auto& h : impl_->index.crossings(a, b))
        out.push_back({h.fraction, h.where, h.side > 0});
    return out;
}

std::string BorderLine::geojson() const {
    std::string s = R"({"type":"MultiLineString","coordinates":[)";
    char buf[64];
    bool first_line = true;
    for (const Path& l : impl_->index.lines()) {
        s += first_line ? "[" : ",[";
        first_line = false;
        for (std::size_t i = 0; i < l.size(); ++i) {
            std::snprintf(buf, sizeof buf, "%s[%.7f,%.7f]", i ? "," : "", l[i].x, l[i].y);
            s += buf;
        }
        s += "]";
    }
    return s + "]}";
}

}  // namespace picket::geo
