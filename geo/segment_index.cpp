#include "geo/segment_index.hpp"

#include <GeographicLib/Geodesic.hpp>
#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <iterator>
#include <limits>
#include <mutex>
#include <numbers>
#include <utility>

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace picket::geo::detail {
namespace {

using P2 = bg::model::point<double, 2, bg::cs::cartesian>;
using Box2 = bg::model::box<P2>;
using Value2 = std::pair<Box2, std::uint32_t>;

constexpr double kDeg = std::numbers::pi / 180.0;
/// Longest piece indexed for distance (deg of lon or lat): bounds the chord's sag.
constexpr double kMaxPieceDeg = 0.05;

struct V3 {
    double x, y, z;
};

/// Earth-centred, earth-fixed position on the WGS84 ellipsoid, in units of its equatorial
/// radius. Chord length here matches geodesic distance to first order in every direction (a unit
/// sphere would not: it stretches north-south by up to 0.7 %), so the nearest point by chord is
/// the nearest point on the ellipsoid up to terms in (d/R)^2.
V3 unit(double lat_deg, double lon_deg) {
    constexpr double kE2 = 6.69437999014e-3;  // WGS84 first eccentricity squared
    const double la = lat_deg * kDeg, lo = lon_deg * kDeg;
    const double sl = std::sin(la), cl = std::cos(la);
    const double n = 1.0 / std::sqrt(1.0 - kE2 * sl * sl);  // prime vertical radius / a
    return {n * cl * std::cos(lo), n * cl * std::sin(lo), n * (1.0 - kE2) * sl};
}

struct Piece {
    std::uint32_t edge;
    double t0, t1;  ///< the piece's span along its edge
    V3 a, b;        ///< its ends, ECEF / a
};

struct Box {
    double lo[3], hi[3];
    void add(const Box& o) {
        for (int i = 0; i < 3; ++i) { lo[i] = std::min(lo[i], o.lo[i]); hi[i] = std::max(hi[i], o.hi[i]); }
    }
    [[nodiscard]] double dist2(const V3& q) const {
        const double c[3] = {q.x, q.y, q.z};
        double d2 = 0;
        for (int i = 0; i < 3; ++i) {
            const double d = c[i] < lo[i] ? lo[i] - c[i] : (c[i] > hi[i] ? c[i] - hi[i] : 0.0);
            d2 += d * d;
        }
        return d2;
    }
};

/// Bits of each coordinate spread to every third bit (for a 63-bit Morton key).
std::uint64_t spread3(std::uint64_t v) {
    v &= 0x1FFFFF;
    v = (v | v << 32) & 0x1F00000000FFFFull;
    v = (v | v << 16) & 0x1F0000FF0000FFull;
    v = (v | v << 8) & 0x100F00F00F00F00Full;
    v = (v | v << 4) & 0x10C30C30C30C30C3ull;
    v = (v | v << 2) & 0x1249249249249249ull;
    return v;
}

/// Squared chord from q to the piece and the parameter of the nearest point on it.
double piece_dist2(const Piece& pc, const V3& q, double& t) {
    const V3 d{pc.b.x - pc.a.x, pc.b.y - pc.a.y, pc.b.z - pc.a.z};
    const V3 w{q.x - pc.a.x, q.y - pc.a.y, q.z - pc.a.z};
    const double dd = d.x * d.x + d.y * d.y + d.z * d.z;
    t = dd > 0 ? std::clamp((w.x * d.x + w.y * d.y + w.z * d.z) / dd, 0.0, 1.0) : 0.0;
    const V3 r{w.x - t * d.x, w.y - t * d.y, w.z - t * d.z};
    return r.x * r.x + r.y * r.y + r.z * r.z;
}

constexpr std::size_t kFan = 8;  ///< children per node, pieces per leaf

}  // namespace

namespace {

constexpr double kA = 6378137.0, kE2 = 6.69437999014e-3;  // WGS84

/// A query point with the trigonometry every step needs, computed once.
struct Origin {
    double sla, cla, slo, clo;
    V3 ecef;  ///< / a
    explicit Origin(LatLon p)
        : sla(std::sin(p.lat_deg * kDeg)), cla(std::cos(p.lat_deg * kDeg)), slo(std::sin(p.lon_deg * kDeg)),
          clo(std::cos(p.lon_deg * kDeg)) {
        const double n = 1.0 / std::sqrt(1.0 - kE2 * sla * sla);
        ecef = {n * cla * clo, n * cla * slo, n * (1.0 - kE2) * sla};
    }
};

/// The chord from o to v (ECEF / a) as an arc on the circle of the ellipsoid's normal-section
/// radius of curvature in the chord's direction (Euler: 1/R = cos^2(az)/M + sin^2(az)/N), with
/// M and N taken at latitude sin_lat. Against Karney (tests/unit/geo): < 2 cm up to 300 km with
/// the origin's latitude, < 0.5 m up to 1000 km with the mean latitude.
double chord_to_arc_m(const Origin& o, const V3& v_over_a, double sin_lat) {
    const V3 v{v_over_a.x * kA, v_over_a.y * kA, v_over_a.z * kA};
    const double chord = std::sqrt(v.x * v.x + v.y * v.y + v.z * v.z);
    const double east = -o.slo * v.x + o.clo * v.y;
    const double north = -o.sla * o.clo * v.x - o.sla * o.slo * v.y + o.cla * v.z;
    const double w = std::sqrt(1.0 - kE2 * sin_lat * sin_lat);
    const double m = kA * (1.0 - kE2) / (w * w * w), n = kA / w;
    const double h2 = east * east + north * north;
    const double cos2 = h2 > 0 ? north * north / h2 : 1.0;
    const double r = 1.0 / (cos2 / m + (1.0 - cos2) / n);
    return 2.0 * r * std::asin(std::min(1.0, chord / (2.0 * r)));
}

}  // namespace

double fast_geodesic_m(LatLon p, LatLon q) {
    const Origin o(p);
    const V3 b = unit(q.lat_deg, q.lon_deg);
    const V3 v{b.x - o.ecef.x, b.y - o.ecef.y, b.z - o.ecef.z};
    const double chord_m = kA * std::sqrt(v.x * v.x + v.y * v.y + v.z * v.z);
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
    /// A static bounding-volume hierarchy over the pieces in ECEF: pieces sorted along a Morton
    /// curve, grouped by eight into leaves, leaves by eight into nodes, and so on up to one
    /// root. levels[0] holds the leaf boxes; node i of level L covers nodes [8i, 8i + 8) of
    /// level L - 1 (or pieces, for L = 0). Flat arrays and a depth-first, nearest-child-first
    /// search with pruning: a few hundred nanoseconds where a general R-tree query costs
    /// microseconds.
    std::vector<Piece> pieces;
    std::vector<Box> piece_boxes;
    std::vector<std::vector<Box>> levels;
    bgi::rtree<Value2, bgi::rstar<16>> tree2;

    /// The precomputed grid that answers most distance queries without the tree: per lon/lat
    /// cell, every piece that can be nearest to some point of the cell (within d + 2r of the
    /// cell's centre, d its nearest distance, r its radius), copied inline as float offsets from
    /// the centre so that a query scans one contiguous run (ranking only; the winner is then
    /// measured in double). Cells with more than kMaxCandidates (far from the boundary) and
    /// points outside the grid use the tree. Built on the first distance query, once.
    struct Candidate {
        float ax, ay, az, bx, by, bz;
        std::uint32_t piece;
    };
    static constexpr std::size_t kMaxCandidates = 24;
    struct DistanceGrid {
        double x0{0}, y0{0}, x1{0}, y1{0}, inv_w{0}, inv_h{0};
        int nx{0}, ny{0};
        std::vector<V3> centre;            ///< per cell, ECEF / a
        std::vector<std::uint32_t> begin;  ///< cell c: cands[begin[c], begin[c+1]); empty = use the tree
        std::vector<Candidate> cands;
    };
    mutable std::once_flag grid_once;
    mutable DistanceGrid grid;

    void build_grid() const;
    void within(const V3& q, double r2, std::size_t level, std::size_t node, std::vector<std::uint32_t>& out) const;

    void crossings_planar(Vec2 a, Vec2 b, double f0, double f1, std::vector<SegmentHit>& out) const;
    void build_bvh(std::vector<Piece> unsorted, std::vector<Box> boxes);
    void nearest(const V3& q, std::size_t level, std::size_t node, double& best2, std::uint32_t& best_piece,
                 double& best_t) const;
};

void SegmentIndex::Impl::build_bvh(std::vector<Piece> unsorted, std::vector<Box> boxes) {
    const std::size_t n = unsorted.size();
    if (n == 0) return;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> keys(n);
    for (std::size_t i = 0; i < n; ++i) {
        // Centres lie within [-1.01, 1.01] (ECEF / a): map to 21 bits per axis.
        auto cell = [](double lo, double hi) {
            return static_cast<std::uint64_t>(std::clamp((0.5 * (lo + hi) + 1.01) / 2.02, 0.0, 1.0) * 2097151.0);
        };
        const Box& b = boxes[i];
        keys[i] = {spread3(cell(b.lo[0], b.hi[0])) | spread3(cell(b.lo[1], b.hi[1])) << 1 |
                       spread3(cell(b.lo[2], b.hi[2])) << 2,
                   static_cast<std::uint32_t>(i)};
    }
    std::sort(keys.begin(), keys.end());
    pieces.reserve(n);
    piece_boxes.reserve(n);
    for (const auto& k : keys) {
        pieces.push_back(unsorted[k.second]);
        piece_boxes.push_back(boxes[k.second]);
    }
    const std::vector<Box>* below = &piece_boxes;
    do {
        std::vector<Box> level;
        for (std::size_t i = 0; i < below->size(); i += kFan) {
            Box b = (*below)[i];
            for (std::size_t j = i + 1; j < std::min(i + kFan, below->size()); ++j) b.add((*below)[j]);
            level.push_back(b);
        }
        levels.push_back(std::move(level));
        below = &levels.back();
    } while (levels.back().size() > 1);
}

void SegmentIndex::Impl::nearest(const V3& q, std::size_t level, std::size_t node, double& best2,
                                 std::uint32_t& best_piece, double& best_t) const {
    const std::size_t first = node * kFan;
    if (level == 0) {
        for (std::size_t i = first; i < std::min(first + kFan, pieces.size()); ++i) {
            if (piece_boxes[i].dist2(q) >= best2) continue;
            double t = 0;
            const double d2 = piece_dist2(pieces[i], q, t);
            if (d2 < best2) {
                best2 = d2;
                best_piece = static_cast<std::uint32_t>(i);
                best_t = t;
            }
        }
        return;
    }
    const std::vector<Box>& children = levels[level - 1];
    const std::size_t end = std::min(first + kFan, children.size());
    double d2[kFan];
    for (std::size_t c = first; c < end; ++c) d2[c - first] = children[c].dist2(q);
    // Visit children nearest first, only while nearer than the best piece so far (usually one
    // or two of the eight): repeated selection beats sorting all eight.
    for (;;) {
        std::size_t pick = kFan;
        double pick_d2 = best2;
        for (std::size_t i = 0; i < end - first; ++i)
            if (d2[i] < pick_d2) { pick_d2 = d2[i]; pick = i; }
        if (pick == kFan) return;
        d2[pick] = std::numeric_limits<double>::infinity();
        nearest(q, level - 1, first + pick, best2, best_piece, best_t);
    }
}

SegmentIndex::SegmentIndex() : impl_(std::make_unique<Impl>()) {}
SegmentIndex::~SegmentIndex() = default;
SegmentIndex::SegmentIndex(SegmentIndex&&) noexcept = default;
SegmentIndex& SegmentIndex::operator=(SegmentIndex&&) noexcept = default;

SegmentIndex::SegmentIndex(const std::vector<Path>& paths) : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    for (const Path& path : paths) {
        Path current;
        for (std::size_t i = 0; i + 1 < path.size(); ++i) {
            const Vec2 a = path[i], b = path[i + 1];
            if (is_antimeridian_cut(a, b)) {
                if (current.size() > 1) m.lines.push_back(std::move(current));
                current.clear();
                continue;
            }
            if (current.empty()) current.push_back(a);
            current.push_back(b);
            if (a.x != b.x || a.y != b.y) m.edges.emplace_back(a, b);
        }
        if (current.size() > 1) m.lines.push_back(std::move(current));
    }
    // A closed ring split by cut edges leaves its first and last pieces apart; they join where
    // the ring started, which is harmless for distance and crossings (same edges).

    std::vector<Piece> pieces;
    std::vector<Box> boxes;
    std::vector<Value2> v2;
    for (std::uint32_t e = 0; e < m.edges.size(); ++e) {
        const auto [a, b] = m.edges[e];
        v2.emplace_back(Box2(P2(std::min(a.x, b.x), std::min(a.y, b.y)),
                             P2(std::max(a.x, b.x), std::max(a.y, b.y))), e);
        const int n = std::max(1, static_cast<int>(std::ceil(
                                      std::max(std::abs(b.x - a.x), std::abs(b.y - a.y)) / kMaxPieceDeg)));
        for (int k = 0; k < n; ++k) {
            const double t0 = static_cast<double>(k) / n, t1 = static_cast<double>(k + 1) / n;
            const V3 pa = unit(a.y + t0 * (b.y - a.y), a.x + t0 * (b.x - a.x));
            const V3 pb = unit(a.y + t1 * (b.y - a.y), a.x + t1 * (b.x - a.x));
            // Pad the box by a generous bound on how far the lon/lat-straight edge bows away
            // from the chord, so that the box distance stays a lower bound.
            const double c2 = (pa.x - pb.x) * (pa.x - pb.x) + (pa.y - pb.y) * (pa.y - pb.y) +
                              (pa.z - pb.z) * (pa.z - pb.z);
            const double pad = 2.0 * c2 + 1e-12;
            pieces.push_back({e, t0, t1, pa, pb});
            boxes.push_back({{std::min(pa.x, pb.x) - pad, std::min(pa.y, pb.y) - pad, std::min(pa.z, pb.z) - pad},
                             {std::max(pa.x, pb.x) + pad, std::max(pa.y, pb.y) + pad, std::max(pa.z, pb.z) + pad}});
        }
    }
    m.build_bvh(std::move(pieces), std::move(boxes));
    // Bulk loading (packing) gives a better tree than one-by-one insertion, and faster.
    m.tree2 = bgi::rtree<Value2, bgi::rstar<16>>(v2.begin(), v2.end());
}

bool SegmentIndex::empty() const { return impl_->edges.empty(); }
const std::vector<Path>& SegmentIndex::lines() const { return impl_->lines; }

void SegmentIndex::Impl::within(const V3& q, double r2, std::size_t level, std::size_t node,
                                std::vector<std::uint32_t>& out) const {
    const std::size_t first = node * kFan;
    if (level == 0) {
        for (std::size_t i = first; i < std::min(first + kFan, pieces.size()); ++i) {
            double t = 0;
            if (piece_boxes[i].dist2(q) <= r2 && piece_dist2(pieces[i], q, t) <= r2)
                out.push_back(static_cast<std::uint32_t>(i));
        }
        return;
    }
    const std::vector<Box>& children = levels[level - 1];
    for (std::size_t c = first; c < std::min(first + kFan, children.size()); ++c)
        if (children[c].dist2(q) <= r2) within(q, r2, level - 1, c, out);
}

void SegmentIndex::Impl::build_grid() const {
    DistanceGrid& g = grid;
    g.x0 = g.y0 = std::numeric_limits<double>::infinity();
    g.x1 = g.y1 = -std::numeric_limits<double>::infinity();
    for (const auto& [a, b] : edges) {
        g.x0 = std::min({g.x0, a.x, b.x}); g.x1 = std::max({g.x1, a.x, b.x});
        g.y0 = std::min({g.y0, a.y, b.y}); g.y1 = std::max({g.y1, a.y, b.y});
    }
    const double w = std::max(g.x1 - g.x0, 1e-6), h = std::max(g.y1 - g.y0, 1e-6);
    const double target = std::clamp(2.0 * static_cast<double>(pieces.size()), 16.0, 2.0e6);
    g.nx = std::clamp(static_cast<int>(std::ceil(std::sqrt(target * w / h))), 1, 1 << 13);
    g.ny = std::clamp(static_cast<int>(std::ceil(target / g.nx)), 1, 1 << 13);
    g.inv_w = g.nx / w;
    g.inv_h = g.ny / h;
    const double cw = w / g.nx, ch = h / g.ny;
    const std::size_t ncell = static_cast<std::size_t>(g.nx) * static_cast<std::size_t>(g.ny);
    g.centre.resize(ncell);
    g.begin.assign(ncell + 1, 0);
    std::vector<std::uint32_t> found;
    for (int r = 0; r < g.ny; ++r) {
        for (int c = 0; c < g.nx; ++c) {
            const std::size_t cell = static_cast<std::size_t>(r) * g.nx + c;
            g.begin[cell] = static_cast<std::uint32_t>(g.cands.size());
            const double lon = g.x0 + (c + 0.5) * cw, lat = g.y0 + (r + 0.5) * ch;
            const V3 centre = unit(lat, lon);
            g.centre[cell] = centre;
            // The cell's radius: farthest of its corners and side midpoints, with a margin for
            // the bulge of its lon/lat sides.
            double r2 = 0;
            for (double fx : {-0.5, 0.0, 0.5})
                for (double fy : {-0.5, 0.0, 0.5}) {
                    const V3 k = unit(lat + fy * ch, lon + fx * cw);
                    r2 = std::max(r2, (k.x - centre.x) * (k.x - centre.x) + (k.y - centre.y) * (k.y - centre.y) +
                                          (k.z - centre.z) * (k.z - centre.z));
                }
            const double radius = 1.01 * std::sqrt(r2) + 1e-12;
            double best2 = std::numeric_limits<double>::infinity(), t = 0;
            std::uint32_t piece = 0;
            nearest(centre, levels.size() - 1, 0, best2, piece, t);
            const double reach = std::sqrt(best2) + 2.0 * radius;
            found.clear();
            within(centre, reach * reach, levels.size() - 1, 0, found);
            if (found.size() > kMaxCandidates) continue;  // far from the boundary: the tree
            for (std::uint32_t i : found) {
                const Piece& pc = pieces[i];
                g.cands.push_back({static_cast<float>(pc.a.x - centre.x), static_cast<float>(pc.a.y - centre.y),
                                   static_cast<float>(pc.a.z - centre.z), static_cast<float>(pc.b.x - centre.x),
                                   static_cast<float>(pc.b.y - centre.y), static_cast<float>(pc.b.z - centre.z), i});
            }
        }
    }
    g.begin[ncell] = static_cast<std::uint32_t>(g.cands.size());
}

double SegmentIndex::distance_m(LatLon p) const {
    const Impl& m = *impl_;
    if (m.edges.empty()) return std::numeric_limits<double>::infinity();
    std::call_once(m.grid_once, [&m] { m.build_grid(); });
    const Origin o(p);
    const V3 q = o.ecef;
    double best2 = std::numeric_limits<double>::infinity();
    std::uint32_t best_piece = 0;
    double best_t = 0;
    const Impl::DistanceGrid& g = m.grid;
    const double lon = normalize_lon(p.lon_deg);
    bool answered = false;
    if (lon >= g.x0 && lon <= g.x1 && p.lat_deg >= g.y0 && p.lat_deg <= g.y1) {
        const int c = std::min(static_cast<int>((lon - g.x0) * g.inv_w), g.nx - 1);
        const int r = std::min(static_cast<int>((p.lat_deg - g.y0) * g.inv_h), g.ny - 1);
        const std::size_t cell = static_cast<std::size_t>(r) * g.nx + c;
        const std::uint32_t b = g.begin[cell], e = g.begin[cell + 1];
        if (b != e) {
            const V3& k = g.centre[cell];
            const double qx = q.x - k.x, qy = q.y - k.y, qz = q.z - k.z;
            double rank_best = std::numeric_limits<double>::infinity();
            for (std::uint32_t i = b; i < e; ++i) {
                const Impl::Candidate& cd = g.cands[i];
                const double dx = double(cd.bx) - cd.ax, dy = double(cd.by) - cd.ay, dz = double(cd.bz) - cd.az;
                const double wx = qx - cd.ax, wy = qy - cd.ay, wz = qz - cd.az;
                const double dd = dx * dx + dy * dy + dz * dz;
                const double t = dd > 0 ? std::clamp((wx * dx + wy * dy + wz * dz) / dd, 0.0, 1.0) : 0.0;
                const double rx = wx - t * dx, ry = wy - t * dy, rz = wz - t * dz;
                const double d2 = rx * rx + ry * ry + rz * rz;
                if (d2 < rank_best) {
                    rank_best = d2;
                    best_piece = cd.piece;
                }
            }
            best2 = piece_dist2(m.pieces[best_piece], q, best_t);
            answered = true;
        }
    }
    if (!answered) m.nearest(q, m.levels.size() - 1, 0, best2, best_piece, best_t);
    const Piece& pc = m.pieces[best_piece];
    const double chord_m = kA * std::sqrt(best2);
    if (chord_m <= 3.0e5) {
        // Near: the nearest point on the piece's chord stands for the boundary point (the chord
        // sags < 0.5 m below a 0.05 deg piece); no trigonometry beyond the query point's own.
        const V3 c{pc.a.x + best_t * (pc.b.x - pc.a.x) - q.x, pc.a.y + best_t * (pc.b.y - pc.a.y) - q.y,
                   pc.a.z + best_t * (pc.b.z - pc.a.z) - q.z};
        return chord_to_arc_m(o, c, o.sla);
    }
    const auto [a, b] = m.edges[pc.edge];
    const double te = pc.t0 + best_t * (pc.t1 - pc.t0);
    return fast_geodesic_m(p, {a.y + te * (b.y - a.y), a.x + te * (b.x - a.x)});
}

void SegmentIndex::Impl::crossings_planar(Vec2 a, Vec2 b, double f0, double f1,
                                          std::vector<SegmentHit>& out) const {
    const Box2 box(P2(std::min(a.x, b.x), std::min(a.y, b.y)), P2(std::max(a.x, b.x), std::max(a.y, b.y)));
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
