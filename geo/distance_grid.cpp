#include "geo/distance_grid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace picket::geo::detail {
namespace {

/// float(x) rounded towards zero: a stored distance must never exceed the true one, or the
/// lower bounds built on it would not be bounds.
float round_down(double x) {
    float f = static_cast<float>(x);
    if (static_cast<double>(f) > x) f = std::nextafter(f, 0.0f);
    return f;
}

}  // namespace

DistanceGrid::DistanceGrid(const PieceBvh& bvh, const std::vector<std::pair<Vec2, Vec2>>& edges) {
    if (bvh.empty()) return;
    x0_ = y0_ = std::numeric_limits<double>::infinity();
    x1_ = y1_ = -std::numeric_limits<double>::infinity();
    for (const auto& [a, b] : edges) {
        x0_ = std::min({x0_, a.x, b.x}); x1_ = std::max({x1_, a.x, b.x});
        y0_ = std::min({y0_, a.y, b.y}); y1_ = std::max({y1_, a.y, b.y});
    }
    // Tracks approach a zone from outside: pad the box so that they are answered here too.
    const double pad_x = std::max(0.05 * (x1_ - x0_), 0.01), pad_y = std::max(0.05 * (y1_ - y0_), 0.01);
    x0_ = std::max(x0_ - pad_x, -180.0); x1_ = std::min(x1_ + pad_x, 180.0);
    y0_ = std::max(y0_ - pad_y, -90.0); y1_ = std::min(y1_ + pad_y, 90.0);
    const double w = x1_ - x0_, h = y1_ - y0_;
    // About two cells per piece: cells near the boundary then list two to six leaves. Cells are
    // at most 2 deg across (the series for the query's sines needs |delta| <= 1 deg), and their
    // number is capped to bound memory and build time for continent-sized zones.
    const double target = std::clamp(2.0 * static_cast<double>(bvh.size()), 16.0, 1.0e6);
    nx_ = std::clamp(static_cast<int>(std::ceil(std::sqrt(target * w / h))), static_cast<int>(std::ceil(w / 2.0)), 1 << 12);
    ny_ = std::clamp(static_cast<int>(std::ceil(target / nx_)), static_cast<int>(std::ceil(h / 2.0)), 1 << 12);
    inv_w_ = nx_ / w;
    inv_h_ = ny_ / h;
    const double cw = w / nx_, ch = h / ny_;
    for (int r = 0; r < ny_; ++r) {
        const double lat = y0_ + (r + 0.5) * ch;
        rows_.push_back({lat, std::sin(lat * kDeg), std::cos(lat * kDeg)});
    }
    for (int c = 0; c < nx_; ++c) {
        const double lon = x0_ + (c + 0.5) * cw;
        cols_.push_back({lon, std::sin(lon * kDeg), std::cos(lon * kDeg)});
    }

    const std::size_t ncell = static_cast<std::size_t>(nx_) * static_cast<std::size_t>(ny_);
    cells_.resize(ncell + 1);
    std::vector<std::uint32_t> leaves;
    std::vector<std::pair<double, std::uint32_t>> by_distance;
    for (int r = 0; r < ny_; ++r) {
        for (int c = 0; c < nx_; ++c) {
            const Axis& row = rows_[r];
            const Axis& col = cols_[c];
            const V3 centre = unit_from_trig(row.sin, row.cos, col.sin, col.cos);
            // The cell's radius: farthest of its corners and side midpoints, with a margin for
            // the bulge of its lon/lat sides.
            double r2 = 0;
            for (double fx : {-0.5, 0.0, 0.5})
                for (double fy : {-0.5, 0.0, 0.5}) {
                    const V3 k = sub(unit(row.deg + fy * ch, col.deg + fx * cw), centre);
                    r2 = std::max(r2, dot(k, k));
                }
            const double radius = 1.01 * std::sqrt(r2) + 1e-12;
            double best2 = std::numeric_limits<double>::infinity(), t = 0;
            std::uint32_t piece = 0;
            bvh.nearest(centre, best2, piece, t);
            // Every piece that can be nearest to some point of the cell is within d + 2r of the
            // centre (d the nearest piece's distance): beyond that, the nearest is nearer.
            const double reach = std::sqrt(best2) + 2.0 * radius;
            leaves.clear();
            bvh.leaves_within(centre, reach * reach, leaves);
            by_distance.clear();
            for (std::uint32_t leaf : leaves) {
                // The leaf's own nearest piece, not its box: boxes of eight pieces are loose.
                double leaf2 = std::numeric_limits<double>::infinity();
                for (std::uint32_t i = leaf * PieceBvh::kFan; i < std::min<std::size_t>((leaf + 1) * PieceBvh::kFan, bvh.size()); ++i)
                    leaf2 = std::min(leaf2, piece_dist2(bvh.geom(i), centre, t));
                if (leaf2 <= reach * reach) by_distance.emplace_back(std::sqrt(leaf2), leaf);
            }
            std::sort(by_distance.begin(), by_distance.end());
            const std::size_t keep = std::min(by_distance.size(), kMaxLeaves);
            const std::size_t cell = static_cast<std::size_t>(r) * nx_ + c;
            cells_[cell] = {static_cast<std::uint32_t>(entries_.size()),
                            round_down(keep < by_distance.size() ? by_distance[keep].first : reach)};
            for (std::size_t k = 0; k < keep; ++k) entries_.push_back({by_distance[k].second, round_down(by_distance[k].first)});
        }
    }
    cells_[ncell] = {static_cast<std::uint32_t>(entries_.size()), 0.0f};
}

DistanceGrid::Nearest DistanceGrid::nearest(const PieceBvh& bvh, LatLon p, QueryPoint& q) const {
    Nearest out;
    out.chord2 = std::numeric_limits<double>::infinity();
    const double lon = p.lon_deg, lat = p.lat_deg;
    if (cells_.empty() || !(lon >= x0_ && lon <= x1_ && lat >= y0_ && lat <= y1_)) {
        q = QueryPoint(p);
        bvh.nearest(q.ecef, out.chord2, out.piece, out.t);
        return out;
    }
    const int c = std::min(static_cast<int>((lon - x0_) * inv_w_), nx_ - 1);
    const int r = std::min(static_cast<int>((lat - y0_) * inv_h_), ny_ - 1);
    // Start fetching the cell's list now: the trigonometry below hides much of the wait (random
    // queries over a national zone miss the cache here).
    const std::size_t cell = static_cast<std::size_t>(r) * nx_ + c;
    const Entry* e = entries_.data() + cells_[cell].begin;
    const Entry* const end = entries_.data() + cells_[cell + 1].begin;
    const Entry* const first = e;
    __builtin_prefetch(e);
    __builtin_prefetch(e + 8);
    const Axis& row = rows_[r];
    const Axis& col = cols_[c];
    double sla = 0, cla = 0, slo = 0, clo = 0;
    sincos_near(row.sin, row.cos, (lat - row.deg) * kDeg, sla, cla);
    sincos_near(col.sin, col.cos, (lon - col.deg) * kDeg, slo, clo);
    q = QueryPoint(sla, cla, slo, clo);
    const V3 off = sub(q.ecef, unit_from_trig(row.sin, row.cos, col.sin, col.cos));
    const double dq = std::sqrt(dot(off, off));

    double best = std::numeric_limits<double>::infinity();  // sqrt(out.chord2), kept in step
    for (; e != end; ++e) {
        // Lower bound on this and every later entry's distance from q.
        const double lb = static_cast<double>(e->dc) - dq;
        if (lb > 0 && lb * lb >= out.chord2) return out;
        // The leaf's capsule, seen from q: skip the leaf when wholly beyond the best.
        if (e != first) {  // (the first leaf is always measured)
            const PieceBvh::Capsule& capsule = bvh.leaf_capsule(e->leaf);
            double t = 0;
            const double reach = best + capsule.radius;
            if (piece_dist2(capsule.axis, q.ecef, t) >= reach * reach) continue;
        }
        bvh.nearest_in_leaf(e->leaf, q.ecef, out.chord2, out.piece, out.t);
        best = std::sqrt(out.chord2);
    }
    const double lb = static_cast<double>(cells_[cell].bound) - dq;
    if (lb > 0 && lb * lb >= out.chord2) return out;
    // Far from the boundary and far from the cell's centre: the tree, bounded by the best so far.
    bvh.nearest(q.ecef, out.chord2, out.piece, out.t);
    return out;
}

}  // namespace picket::geo::detail
