#include "geo/segment_index.hpp"

#include <GeographicLib/Geodesic.hpp>
#include <algorithm>
#include <atomic>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <iterator>
#include <limits>
#include <mutex>
#include <utility>

#include "geo/distance_grid.hpp"
#include "geo/ecef.hpp"
#include "geo/piece_bvh.hpp"
#include "geo/seam.hpp"

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace picket::geo::detail {
namespace {

using P2 = bg::model::point<double, 2, bg::cs::cartesian>;
using Box2 = bg::model::box<P2>;
using Value2 = std::pair<Box2, std::uint32_t>;

}  // namespace

double fast_geodesic_m(LatLon p, LatLon q) {
    const QueryPoint o(p);
    const V3 v = sub(unit(q.lat_deg, q.lon_deg), o.ecef);
    const double chord_m = kWgs84A * std::sqrt(dot(v, v));
    if (chord_m > 1.0e6) {
        double s12 = 0;
        GeographicLib::Geodesic::WGS84().Inverse(p.lat_deg, p.lon_deg, q.lat_deg, q.lon_deg, s12);
        return s12;
    }
    return chord_to_arc_m(o, v, std::sin(0.5 * (p.lat_deg + q.lat_deg) * kDeg));
}

struct SegmentIndex::Impl {
    std::vector<Path> lines;
    std::vector<std::pair<Vec2, Vec2>> edges;
    PieceBvh bvh;
    bgi::rtree<Value2, bgi::rstar<16>> tree2;

    /// Built on the first distance query, once: zones that are only asked about crossings never
    /// pay for it.
    mutable std::once_flag grid_once;
    mutable std::atomic<bool> grid_built{false};  ///< skips call_once's library call per query
    mutable DistanceGrid grid;

    void crossings_planar(Vec2 a, Vec2 b, double f0, double f1, std::vector<SegmentHit>& out) const;
};

SegmentIndex::SegmentIndex() : impl_(std::make_unique<Impl>()) {}
SegmentIndex::~SegmentIndex() = default;
SegmentIndex::SegmentIndex(SegmentIndex&&) noexcept = default;
SegmentIndex& SegmentIndex::operator=(SegmentIndex&&) noexcept = default;

SegmentIndex::SegmentIndex(const std::vector<Path>& paths) : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    m.lines = boundary_without_seam_cuts(paths);
    for (const Path& line : m.lines)
        for (std::size_t i = 0; i + 1 < line.size(); ++i)
            if (line[i].x != line[i + 1].x || line[i].y != line[i + 1].y)
                m.edges.emplace_back(line[i], line[i + 1]);
    // A closed ring split by cut edges leaves its first and last pieces apart; they join where
    // the ring started, which is harmless for distance and crossings (same edges).

    m.bvh = PieceBvh(m.edges);
    std::vector<Value2> v2;
    for (std::uint32_t e = 0; e < m.edges.size(); ++e) {
        const auto [a, b] = m.edges[e];
        v2.emplace_back(Box2(P2(std::min(a.x, b.x), std::min(a.y, b.y)),
                             P2(std::max(a.x, b.x), std::max(a.y, b.y))),
                        e);
    }
    // Bulk loading (packing) gives a better tree than one-by-one insertion, and faster.
    m.tree2 = bgi::rtree<Value2, bgi::rstar<16>>(v2.begin(), v2.end());
}

bool SegmentIndex::empty() const { return impl_->edges.empty(); }
const std::vector<Path>& SegmentIndex::lines() const { return impl_->lines; }

void SegmentIndex::prepare_distance() const {
    const Impl& m = *impl_;
    if (m.edges.empty() || m.grid_built.load(std::memory_order_acquire)) return;
    std::call_once(m.grid_once, [&m] {
        m.grid = DistanceGrid(m.bvh, m.edges);
        m.grid_built.store(true, std::memory_order_release);
    });
}

bool SegmentIndex::distance_prepared() const {
    return impl_->grid_built.load(std::memory_order_acquire);
}

double SegmentIndex::distance_m(LatLon p) const {
    const Impl& m = *impl_;
    if (m.edges.empty()) return std::numeric_limits<double>::infinity();
    prepare_distance();
    p.lon_deg = normalize_lon(p.lon_deg);
    QueryPoint q;
    const DistanceGrid::Nearest n = m.grid.nearest(m.bvh, p, q);
    // Lift the nearest point of the piece's chord to the ellipsoid along the ray from the
    // centre: the chord of a 0.025 deg piece runs up to 0.15 m below the surface, which would
    // otherwise add to the distance of a point on the boundary.
    const V3 on_chord = m.bvh.point_on(n.piece, n.t);
    const double z_scaled = on_chord.z / (1.0 - kWgs84E2);
    const double lift =
        1.0 / std::sqrt(on_chord.x * on_chord.x + on_chord.y * on_chord.y + on_chord.z * z_scaled);
    const V3 v = sub({on_chord.x * lift, on_chord.y * lift, on_chord.z * lift}, q.ecef);
    const double chord_m = kWgs84A * std::sqrt(dot(v, v));
    // Near: the radius of curvature at the query's latitude (< 2 cm from Karney to 300 km).
    if (chord_m <= 3.0e5) return chord_to_arc_m(q, v, q.sla);
    if (chord_m <= 1.0e6) {
        // Up to 1000 km: at the mean latitude (< 0.5 m), its sine from the two surface normals
        // without trigonometry: sin((a + b) / 2) = sign(sin(a + b)) sqrt((1 - cos(a + b)) / 2).
        const double nx = on_chord.x * lift, ny = on_chord.y * lift, nz = z_scaled * lift;
        const double inv = 1.0 / std::sqrt(nx * nx + ny * ny + nz * nz);
        const double sb = nz * inv, cb = std::sqrt(nx * nx + ny * ny) * inv;
        const double s_sum = q.sla * cb + q.cla * sb, c_sum = q.cla * cb - q.sla * sb;
        return chord_to_arc_m(q, v,
                              std::copysign(std::sqrt(std::max(0.0, 0.5 * (1.0 - c_sum))), s_sum));
    }
    const Piece& pc = m.bvh.piece(n.piece);
    const auto [a, b] = m.edges[pc.edge];
    const double te = pc.t0 + n.t * (pc.t1 - pc.t0);
    return fast_geodesic_m(p, {a.y + te * (b.y - a.y), a.x + te * (b.x - a.x)});
}

void SegmentIndex::Impl::crossings_planar(Vec2 a, Vec2 b, double f0, double f1,
                                          std::vector<SegmentHit>& out) const {
    const Box2 box(P2(std::min(a.x, b.x), std::min(a.y, b.y)),
                   P2(std::max(a.x, b.x), std::max(a.y, b.y)));
    for (auto it = tree2.qbegin(bgi::intersects(box)); it != tree2.qend(); ++it) {
        const auto [e0, e1] = edges[it->second];
        // Same symbolic rule as the point-in-polygon test: an edge end on the path's line counts
        // as left of it, so a path through a vertex crosses exactly one of its two edges.
        if ((orient(a, b, e0) >= 0) == (orient(a, b, e1) >= 0)) continue;
        const double oa = orient(e0, e1, a), ob = orient(e0, e1, b);
        if ((oa > 0) == (ob > 0)) continue;
        const double t = oa / (oa - ob);
        SegmentHit h;
        h.fraction = f0 + t * (f1 - f0);
        h.where = {a.y + t * (b.y - a.y), normalize_lon(a.x + t * (b.x - a.x))};
        h.side = oa > 0 ? 1.0 : -1.0;
        out.push_back(h);
    }
}

std::vector<SegmentHit> SegmentIndex::crossings(LatLon a, LatLon b) const {
    std::vector<SegmentHit> out;
    const Vec2 pa{normalize_lon(a.lon_deg), a.lat_deg};
    Vec2 pb{normalize_lon(b.lon_deg), b.lat_deg};
    // The shorter way round: unwrap b next to a; if that leaves [-180, 180], split at the seam.
    if (pb.x - pa.x > 180) pb.x -= 360;
    if (pb.x - pa.x < -180) pb.x += 360;
    if (pb.x >= -180 && pb.x <= 180) {
        impl_->crossings_planar(pa, pb, 0, 1, out);
    } else {
        const double seam = pb.x > 180 ? 180.0 : -180.0;
        const double t = (seam - pa.x) / (pb.x - pa.x);
        const Vec2 s{seam, pa.y + t * (pb.y - pa.y)};
        impl_->crossings_planar(pa, s, 0, t, out);
        impl_->crossings_planar({-seam, s.y}, {pb.x - 2 * seam, pb.y}, t, 1, out);
    }
    std::sort(out.begin(), out.end(),
              [](const SegmentHit& x, const SegmentHit& y) { return x.fraction < y.fraction; });
    return out;
}

}  // namespace picket::geo::detail
