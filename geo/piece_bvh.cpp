#include "geo/piece_bvh.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace picket::geo::detail {
namespace {

/// Longest piece indexed for distance (deg of lon or lat). Pieces are measured as sections of
/// the ellipsoid through their ends, which bow from the lon/lat-straight edge by at most
/// (R cos(lat) dlon)^2 tan(lat) / 8R: < 8 cm at any latitude for 0.025 deg.
constexpr double kMaxPieceDeg = 0.025;

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

/// The thinnest capsule we look for: its axis joins the two piece ends farthest apart, and its
/// radius reaches the farthest end from that axis (a capsule is convex, so holding both ends of a
/// piece's chord holds the chord).
PieceBvh::Capsule capsule_of(const std::vector<PieceGeom>& geoms, std::size_t first,
                             std::size_t last) {
    std::vector<V3> ends;
    for (std::size_t i = first; i < last; ++i) {
        ends.push_back(geoms[i].a);
        ends.push_back({geoms[i].a.x + geoms[i].d.x, geoms[i].a.y + geoms[i].d.y,
                        geoms[i].a.z + geoms[i].d.z});
    }
    std::size_t bi = 0, bj = 0;
    double far2 = -1;
    for (std::size_t i = 0; i < ends.size(); ++i)
        for (std::size_t j = i + 1; j < ends.size(); ++j) {
            const V3 v = sub(ends[j], ends[i]);
            if (dot(v, v) > far2) {
                far2 = dot(v, v);
                bi = i;
                bj = j;
            }
        }
    PieceBvh::Capsule c{};
    const V3 d = sub(ends[bj], ends[bi]);
    c.a = ends[bi];
    c.d = d;
    c.inv_dd = dot(d, d) > 0 ? 1.0 / dot(d, d) : 0.0;
    double r2 = 0, t = 0;
    for (const V3& e : ends) r2 = std::max(r2, c.axis_dist2(e, t));
    c.radius = std::sqrt(r2) * (1 + 1e-9) + 1e-15;
    return c;
}

}  // namespace

void PieceBvh::Box::add(const Box& o) {
    for (int i = 0; i < 3; ++i) {
        lo[i] = std::min(lo[i], o.lo[i]);
        hi[i] = std::max(hi[i], o.hi[i]);
    }
}

double PieceBvh::Box::dist2(const V3& q) const {
    const double c[3] = {q.x, q.y, q.z};
    double d2 = 0;
    for (int i = 0; i < 3; ++i) {
        const double d = c[i] < lo[i] ? lo[i] - c[i] : (c[i] > hi[i] ? c[i] - hi[i] : 0.0);
        d2 += d * d;
    }
    return d2;
}

PieceBvh::PieceBvh(const std::vector<std::pair<Vec2, Vec2>>& edges) {
    std::vector<Piece> unsorted;
    std::vector<Box> boxes;
    for (std::uint32_t e = 0; e < edges.size(); ++e) {
        const auto [a, b] = edges[e];
        const int n = std::max(
            1, static_cast<int>(
                   std::ceil(std::max(std::abs(b.x - a.x), std::abs(b.y - a.y)) / kMaxPieceDeg)));
        for (int k = 0; k < n; ++k) {
            const double t0 = static_cast<double>(k) / n, t1 = static_cast<double>(k + 1) / n;
            const V3 pa = unit(a.y + t0 * (b.y - a.y), a.x + t0 * (b.x - a.x));
            const V3 pb = unit(a.y + t1 * (b.y - a.y), a.x + t1 * (b.x - a.x));
            // Pad the box by a generous bound on how far the lon/lat-straight edge bows away
            // from the chord, so that the box distance stays a lower bound.
            const V3 ab = sub(pb, pa);
            const double pad = 2.0 * dot(ab, ab) + 1e-12;
            unsorted.push_back({e, t0, t1, pa, pb});
            boxes.push_back({{std::min(pa.x, pb.x) - pad, std::min(pa.y, pb.y) - pad,
                              std::min(pa.z, pb.z) - pad},
                             {std::max(pa.x, pb.x) + pad, std::max(pa.y, pb.y) + pad,
                              std::max(pa.z, pb.z) + pad}});
        }
    }
    const std::size_t n = unsorted.size();
    if (n == 0) return;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> keys(n);
    for (std::size_t i = 0; i < n; ++i) {
        // Centres lie within [-1.01, 1.01] (ECEF / a): map to 21 bits per axis.
        auto cell = [](double lo, double hi) {
            return static_cast<std::uint64_t>(
                std::clamp((0.5 * (lo + hi) + 1.01) / 2.02, 0.0, 1.0) * 2097151.0);
        };
        const Box& b = boxes[i];
        keys[i] = {spread3(cell(b.lo[0], b.hi[0])) | spread3(cell(b.lo[1], b.hi[1])) << 1 |
                       spread3(cell(b.lo[2], b.hi[2])) << 2,
                   static_cast<std::uint32_t>(i)};
    }
    std::sort(keys.begin(), keys.end());
    pieces_.reserve(n);
    geoms_.reserve(n);
    piece_boxes_.reserve(n);
    for (const auto& k : keys) {
        const Piece& pc = unsorted[k.second];
        pieces_.push_back(pc);
        const V3 d = sub(pc.b, pc.a);
        const double dd = dot(d, d);
        geoms_.push_back({pc.a, d, dd > 0 ? 1.0 / dd : 0.0});
        piece_boxes_.push_back(boxes[k.second]);
    }
    for (std::size_t first = 0; first < n; first += kFan) {
        LeafBlock lb{};
        lb.origin = geoms_[first].a;
        lb.extent = 0;
        for (std::size_t k = 0; k < kFan; ++k) {
            if (first + k >= n) {
                lb.ax[k] = lb.ay[k] = lb.az[k] = 1e4f;  // unit radii: never the nearest
                continue;
            }
            const PieceGeom& g = geoms_[first + k];
            lb.ax[k] = static_cast<float>(g.a.x - lb.origin.x);
            lb.ay[k] = static_cast<float>(g.a.y - lb.origin.y);
            lb.az[k] = static_cast<float>(g.a.z - lb.origin.z);
            lb.dx[k] = static_cast<float>(g.d.x);
            lb.dy[k] = static_cast<float>(g.d.y);
            lb.dz[k] = static_cast<float>(g.d.z);
            lb.inv_dd[k] = static_cast<float>(g.inv_dd);
            const V3 a = sub(g.a, lb.origin);
            lb.extent =
                std::max({lb.extent, std::abs(a.x) + std::abs(a.y) + std::abs(a.z),
                          std::abs(a.x + g.d.x) + std::abs(a.y + g.d.y) + std::abs(a.z + g.d.z)});
        }
        leaf_capsules_.push_back(capsule_of(geoms_, first, std::min(first + kFan, n)));
        leaf_blocks_.push_back(lb);
    }
    const std::vector<Box>* below = &piece_boxes_;
    do {
        std::vector<Box> level;
        for (std::size_t i = 0; i < below->size(); i += kFan) {
            Box b = (*below)[i];
            for (std::size_t j = i + 1; j < std::min(i + kFan, below->size()); ++j)
                b.add((*below)[j]);
            level.push_back(b);
        }
        levels_.push_back(std::move(level));
        below = &levels_.back();
    } while (levels_.back().size() > 1);
}

void PieceBvh::nearest(const V3& q, double& best2, std::uint32_t& best_piece,
                       double& best_t) const {
    if (!pieces_.empty()) nearest(q, levels_.size() - 1, 0, best2, best_piece, best_t);
}

void PieceBvh::nearest(const V3& q, std::size_t level, std::size_t node, double& best2,
                       std::uint32_t& best_piece, double& best_t) const {
    const std::size_t first = node * kFan;
    if (level == 0) {
        // The leaf's capsule is much tighter than its box: most leaves whose box is in reach
        // are not, and their pieces need not be measured.
        const Capsule& capsule = leaf_capsules_[node];
        double t = 0;
        const double reach = std::sqrt(best2) + capsule.radius;
        if (capsule.axis_dist2(q, t) < reach * reach)
            nearest_in_leaf(static_cast<std::uint32_t>(node), q, best2, best_piece, best_t);
        return;
    }
    const std::vector<Box>& children = levels_[level - 1];
    const std::size_t end = std::min(first + kFan, children.size());
    double d2[kFan];
    for (std::size_t c = first; c < end; ++c) d2[c - first] = children[c].dist2(q);
    // Visit children nearest first, only while nearer than the best piece so far (usually one
    // or two of the eight): repeated selection beats sorting all eight.
    for (;;) {
        std::size_t pick = kFan;
        double pick_d2 = best2;
        for (std::size_t i = 0; i < end - first; ++i)
            if (d2[i] < pick_d2) {
                pick_d2 = d2[i];
                pick = i;
            }
        if (pick == kFan) return;
        d2[pick] = std::numeric_limits<double>::infinity();
        nearest(q, level - 1, first + pick, best2, best_piece, best_t);
    }
}

void PieceBvh::nearest_in_leaf(std::uint32_t leaf, const V3& q, double& best2,
                               std::uint32_t& best_piece, double& best_t) const {
    const LeafBlock& b = leaf_blocks_[leaf];
    const float qx = static_cast<float>(q.x - b.origin.x),
                qy = static_cast<float>(q.y - b.origin.y),
                qz = static_cast<float>(q.z - b.origin.z);
    alignas(16) float d2[kFan];
#if defined(__SSE2__)
    // Four lanes at a time (SSE2 is part of x86-64): ~40 instructions for the eight pieces.
    const __m128 vqx = _mm_set1_ps(qx), vqy = _mm_set1_ps(qy), vqz = _mm_set1_ps(qz);
    const __m128 zero = _mm_setzero_ps(), one = _mm_set1_ps(1.0f);
    for (std::size_t k = 0; k < kFan; k += 4) {
        const __m128 dx = _mm_load_ps(b.dx + k), dy = _mm_load_ps(b.dy + k),
                     dz = _mm_load_ps(b.dz + k);
        const __m128 wx = _mm_sub_ps(vqx, _mm_load_ps(b.ax + k)),
                     wy = _mm_sub_ps(vqy, _mm_load_ps(b.ay + k)),
                     wz = _mm_sub_ps(vqz, _mm_load_ps(b.az + k));
        const __m128 dot =
            _mm_add_ps(_mm_add_ps(_mm_mul_ps(wx, dx), _mm_mul_ps(wy, dy)), _mm_mul_ps(wz, dz));
        const __m128 t =
            _mm_min_ps(one, _mm_max_ps(zero, _mm_mul_ps(dot, _mm_load_ps(b.inv_dd + k))));
        const __m128 rx = _mm_sub_ps(wx, _mm_mul_ps(t, dx)), ry = _mm_sub_ps(wy, _mm_mul_ps(t, dy)),
                     rz = _mm_sub_ps(wz, _mm_mul_ps(t, dz));
        _mm_store_ps(d2 + k, _mm_add_ps(_mm_add_ps(_mm_mul_ps(rx, rx), _mm_mul_ps(ry, ry)),
                                        _mm_mul_ps(rz, rz)));
    }
    // The first lane holding the least distance, as the scalar scan below would pick it, but
    // without its chain of dependent loads and compares: the minimum broadcast to every lane,
    // then the lanes equal to it. (A NaN, from a NaN query, matches no lane: lane 0, as below.)
    const __m128 lo = _mm_load_ps(d2), hi = _mm_load_ps(d2 + 4);
    __m128 m = _mm_min_ps(lo, hi);
    m = _mm_min_ps(m, _mm_shuffle_ps(m, m, _MM_SHUFFLE(1, 0, 3, 2)));
    m = _mm_min_ps(m, _mm_shuffle_ps(m, m, _MM_SHUFFLE(2, 3, 0, 1)));
    const int equal = _mm_movemask_ps(_mm_cmpeq_ps(lo, m)) | _mm_movemask_ps(_mm_cmpeq_ps(hi, m))
                                                                 << 4;
    const std::size_t pick =
        equal != 0 ? static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(equal))) : 0;
    static_assert(kFan == 8, "two vectors of four lanes");
#else
    for (std::size_t k = 0; k < kFan; ++k) {
        const float wx = qx - b.ax[k], wy = qy - b.ay[k], wz = qz - b.az[k];
        const float t = std::min(
            1.0f, std::max(0.0f, (wx * b.dx[k] + wy * b.dy[k] + wz * b.dz[k]) * b.inv_dd[k]));
        const float rx = wx - t * b.dx[k], ry = wy - t * b.dy[k], rz = wz - t * b.dz[k];
        d2[k] = rx * rx + ry * ry + rz * rz;
    }
    std::size_t pick = 0;
    for (std::size_t k = 1; k < kFan; ++k) pick = d2[k] < d2[pick] ? k : pick;
#endif
    // Measure the winner in double only when it may beat the best so far. Float distances here
    // are off by less than ~1e-7 of the offsets involved (query and pieces from the origin).
    if (best2 < std::numeric_limits<double>::infinity()) {
        const double slack = 1e-6 * (std::abs(qx) + std::abs(qy) + std::abs(qz) + b.extent);
        const double reach = std::sqrt(best2) + slack;
        if (static_cast<double>(d2[pick]) > reach * reach) return;
    }
    // The winner again in double. From the same float-stored piece when the leaf is compact
    // (its offsets from the origin are then exact to ~1e-7 of < 30 km: < 3 mm), which saves a
    // random read of geoms_; from geoms_ for a leaf that the Morton order spread wide.
    const std::uint32_t i =
        leaf * static_cast<std::uint32_t>(kFan) + static_cast<std::uint32_t>(pick);
    double t = 0, exact2 = 0;
    if (b.extent <= kCompactLeaf) {
        const V3 w{(q.x - b.origin.x) - static_cast<double>(b.ax[pick]),
                   (q.y - b.origin.y) - static_cast<double>(b.ay[pick]),
                   (q.z - b.origin.z) - static_cast<double>(b.az[pick])};
        const V3 dir{static_cast<double>(b.dx[pick]), static_cast<double>(b.dy[pick]),
                     static_cast<double>(b.dz[pick])};
        t = std::clamp(dot(w, dir) * static_cast<double>(b.inv_dd[pick]), 0.0, 1.0);
        const V3 r{w.x - t * dir.x, w.y - t * dir.y, w.z - t * dir.z};
        exact2 = dot(r, r);
    } else {
        exact2 = piece_dist2(geoms_[i], q, t);
    }
    if (exact2 < best2) {
        best2 = exact2;
        best_piece = i;
        best_t = t;
    }
}

V3 PieceBvh::point_on(std::uint32_t piece, double t) const {
    const LeafBlock& b = leaf_blocks_[piece / kFan];
    const std::size_t k = piece % kFan;
    if (b.extent > kCompactLeaf) {
        const PieceGeom& g = geoms_[piece];
        return {g.a.x + t * g.d.x, g.a.y + t * g.d.y, g.a.z + t * g.d.z};
    }
    return {b.origin.x + static_cast<double>(b.ax[k]) + t * static_cast<double>(b.dx[k]),
            b.origin.y + static_cast<double>(b.ay[k]) + t * static_cast<double>(b.dy[k]),
            b.origin.z + static_cast<double>(b.az[k]) + t * static_cast<double>(b.dz[k])};
}

void PieceBvh::within(const V3& q, double r2, std::vector<std::uint32_t>& out) const {
    if (!pieces_.empty()) within(q, r2, levels_.size() - 1, 0, out, false);
}

void PieceBvh::leaves_within(const V3& q, double r2, std::vector<std::uint32_t>& out) const {
    if (pieces_.empty()) return;
    if (levels_.size() == 1) {  // the root is the only leaf
        if (levels_[0][0].dist2(q) <= r2) out.push_back(0);
        return;
    }
    within(q, r2, levels_.size() - 1, 0, out, true);
}

void PieceBvh::within(const V3& q, double r2, std::size_t level, std::size_t node,
                      std::vector<std::uint32_t>& out, bool leaves_only) const {
    const std::size_t first = node * kFan;
    if (leaves_only && level == 1) {
        for (std::size_t c = first; c < std::min(first + kFan, levels_[0].size()); ++c)
            if (levels_[0][c].dist2(q) <= r2) out.push_back(static_cast<std::uint32_t>(c));
        return;
    }
    if (level == 0) {
        for (std::size_t i = first; i < std::min(first + kFan, pieces_.size()); ++i) {
            double t = 0;
            if (piece_boxes_[i].dist2(q) <= r2 && piece_dist2(geoms_[i], q, t) <= r2)
                out.push_back(static_cast<std::uint32_t>(i));
        }
        return;
    }
    const std::vector<Box>& children = levels_[level - 1];
    for (std::size_t c = first; c < std::min(first + kFan, children.size()); ++c)
        if (children[c].dist2(q) <= r2) within(q, r2, level - 1, c, out, leaves_only);
}

}  // namespace picket::geo::detail
