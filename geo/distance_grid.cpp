#include "geo/distance_grid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace picket::geo::detail {
namespace {

/// float(x) rounded towards zero: a stored distance must never exceed the true one, or the
/// lower bounds built on it would not be bounds.
float round_down(double x) {
    float f = static_cast<float>(x);
    if (static_cast<double>(f) > x) f = std::nextafter(f, 0.0f);
    return f;
}

/// Sines and cosines of five evenly spaced latitudes (or longitudes) across a row (or column)
/// of cells, edges included: the cell's shape is sampled at their 5 x 5 crossings.
struct Samples {
    double sin[5], cos[5];
};

Samples samples_across(const DistanceGrid::Axis& axis, double width) {
    Samples out{};
    for (int k = 0; k < 5; ++k)
        sincos_near(axis.sin, axis.cos, (k - 2) * 0.25 * width * kDeg, out.sin[k], out.cos[k]);
    return out;
}

/// A cell's extent on the ellipsoid, from its centre c:
///  - radius: the farthest sample from c, with a margin for the bulge of the lon/lat sides;
///  - corner: eight points whose convex hull holds every point of the cell, a box in the frame
///    east / north / up at c padded by 1 % of the cell's width (the sides bulge far less between
///    samples; the ellipsoid lies below its tangent plane, deepest at the corners, which are
///    sampled).
struct CellShape {
    double radius;
    V3 corner[8];  ///< ECEF / a
};

CellShape cell_shape(const DistanceGrid::Axis& row, const DistanceGrid::Axis& col,
                     const Samples& lat, const Samples& lon) {
    const V3 centre = unit_from_trig(row.sin, row.cos, col.sin, col.cos);
    const V3 east{-col.sin, col.cos, 0.0};
    const V3 north{-row.sin * col.cos, -row.sin * col.sin, row.cos};
    const V3 up{row.cos * col.cos, row.cos * col.sin, row.sin};
    double lo[3] = {0, 0, 0}, hi[3] = {0, 0, 0}, r2 = 0;
    for (int i = 0; i < 5; ++i)
        for (int j = 0; j < 5; ++j) {
            const V3 k =
                sub(unit_from_trig(lat.sin[i], lat.cos[i], lon.sin[j], lon.cos[j]), centre);
            r2 = std::max(r2, dot(k, k));
            const double x[3] = {dot(k, east), dot(k, north), dot(k, up)};
            for (int a = 0; a < 3; ++a) {
                lo[a] = std::min(lo[a], x[a]);
                hi[a] = std::max(hi[a], x[a]);
            }
        }
    CellShape shape{};
    shape.radius = 1.01 * std::sqrt(r2) + 1e-12;
    const double pad = 0.01 * std::max(hi[0] - lo[0], hi[1] - lo[1]) + 1e-9;
    for (int k = 0; k < 8; ++k) {
        const double e = k & 1 ? hi[0] + pad : lo[0] - pad, n = k & 2 ? hi[1] + pad : lo[1] - pad,
                     u = k & 4 ? hi[2] + pad : lo[2] - pad;
        shape.corner[k] = {centre.x + e * east.x + n * north.x + u * up.x,
                           centre.y + e * east.y + n * north.y + u * up.y,
                           centre.z + e * east.z + n * north.z + u * up.z};
    }
    return shape;
}

/// True when no point q of the cell has its nearest piece in the leaf: some witness (a boundary
/// point) is nearer to every q than all of the leaf's pieces, by a margin above the float
/// rounding of the queries' measurements.
///  - The leaf seen along the unit direction u from the centre c to its nearest point: every
///    point x of it has (x - c).u >= h (h over its piece ends: a piece is a segment), so
///    |x - q| >= h - (q - c).u.
///  - |q - w| - (h - (q - c).u) is convex in q: below zero on the box's corners, it is below
///    zero over the box, which holds the cell.
bool never_nearest(const PieceBvh& bvh, std::uint32_t leaf, const V3& centre, const V3& near,
                   double dc, const CellShape& box, const std::vector<V3>& witnesses) {
    if (!(dc > 0)) return false;
    const V3 u{(near.x - centre.x) / dc, (near.y - centre.y) / dc, (near.z - centre.z) / dc};
    double h = std::numeric_limits<double>::infinity();
    for (std::uint32_t i = leaf * PieceBvh::kFan;
         i < std::min<std::size_t>((leaf + 1) * PieceBvh::kFan, bvh.size()); ++i) {
        const PieceGeom& g = bvh.geom(i);
        const double ha = dot(sub(g.a, centre), u);
        h = std::min({h, ha, ha + dot(g.d, u)});
    }
    // Pieces are measured from float copies (< 1e-9 off) and ranked in float inside a leaf
    // (~1e-7 of the offsets): a leaf kept must not lose to one dropped by that much.
    const double margin = 1e-8 + 1e-6 * std::abs(h);
    double lb_off[8];
    for (int k = 0; k < 8; ++k) lb_off[k] = h - dot(sub(box.corner[k], centre), u) - margin;
    for (const V3& w : witnesses) {
        bool beaten = true;
        for (int k = 0; k < 8 && beaten; ++k) {
            const V3 v = sub(box.corner[k], w);
            beaten = dot(v, v) < lb_off[k] * lb_off[k] && lb_off[k] > 0;
        }
        if (beaten) return true;
    }
    return false;
}

}  // namespace

DistanceGrid::DistanceGrid(const PieceBvh& bvh, const std::vector<std::pair<Vec2, Vec2>>& edges) {
    if (bvh.empty()) return;
    x0_ = y0_ = std::numeric_limits<double>::infinity();
    x1_ = y1_ = -std::numeric_limits<double>::infinity();
    for (const auto& [a, b] : edges) {
        x0_ = std::min({x0_, a.x, b.x});
        x1_ = std::max({x1_, a.x, b.x});
        y0_ = std::min({y0_, a.y, b.y});
        y1_ = std::max({y1_, a.y, b.y});
    }
    // Tracks approach a zone from outside: pad the box so that they are answered here too.
    const double pad_x = std::max(0.05 * (x1_ - x0_), 0.01),
                 pad_y = std::max(0.05 * (y1_ - y0_), 0.01);
    x0_ = std::max(x0_ - pad_x, -180.0);
    x1_ = std::min(x1_ + pad_x, 180.0);
    y0_ = std::max(y0_ - pad_y, -90.0);
    y1_ = std::min(y1_ + pad_y, 90.0);
    const double w = x1_ - x0_, h = y1_ - y0_;
    // About two cells per piece: cells near the boundary then list two to six leaves. Cells are
    // at most 2 deg across (the series for the query's sines needs |delta| <= 1 deg), and their
    // number is capped to bound memory and build time for continent-sized zones.
    const double target = std::clamp(2.0 * static_cast<double>(bvh.size()), 16.0, 1.0e6);
    nx_ = std::clamp(static_cast<int>(std::ceil(std::sqrt(target * w / h))),
                     static_cast<int>(std::ceil(w / 2.0)), 1 << 12);
    ny_ = std::clamp(static_cast<int>(std::ceil(target / nx_)),
                     static_cast<int>(std::ceil(h / 2.0)), 1 << 12);
    inv_w_ = nx_ / w;
    inv_h_ = ny_ / h;
    const double cw = w / nx_, ch = h / ny_;
    for (int r = 0; r < ny_; ++r) {
        const double lat = y0_ + (r + 0.5) * ch;
        rows_.push_back({lat, std::sin(lat * kDeg), std::cos(lat * kDeg)});
        // The centres' ECEF as unit_from_trig computes it, less the longitude's factor.
        const double n = 1.0 / std::sqrt(1.0 - kWgs84E2 * rows_.back().sin * rows_.back().sin);
        row_centres_.push_back({n * rows_.back().cos, n * (1.0 - kWgs84E2) * rows_.back().sin});
    }
    for (int c = 0; c < nx_; ++c) {
        const double lon = x0_ + (c + 0.5) * cw;
        cols_.push_back({lon, std::sin(lon * kDeg), std::cos(lon * kDeg)});
    }

    const std::size_t ncell = static_cast<std::size_t>(nx_) * static_cast<std::size_t>(ny_);
    auto centre_of = [&](int r, int c) {
        return unit_from_trig(rows_[r].sin, rows_[r].cos, cols_[c].sin, cols_[c].cos);
    };
    // First pass: each centre's nearest boundary point. Those of a cell and its neighbours are
    // the witnesses that prune its list below.
    std::vector<V3> foot(ncell);
    std::vector<double> foot_dist(ncell);
    for (int r = 0; r < ny_; ++r)
        for (int c = 0; c < nx_; ++c) {
            const V3 centre = centre_of(r, c);
            double best2 = std::numeric_limits<double>::infinity(), t = 0;
            std::uint32_t piece = 0;
            bvh.nearest(centre, best2, piece, t);
            const PieceGeom& g = bvh.geom(piece);
            const std::size_t cell = static_cast<std::size_t>(r) * nx_ + c;
            foot[cell] = {g.a.x + t * g.d.x, g.a.y + t * g.d.y, g.a.z + t * g.d.z};
            foot_dist[cell] = std::sqrt(best2);
        }

    cells_.resize(ncell + 1);
    std::vector<std::pair<std::uint32_t, double>> lists;  // (leaf, dc), cell after cell
    std::vector<std::uint32_t> leaves;
    struct Candidate {
        double dc;  ///< chord from the centre to the leaf's nearest piece
        std::uint32_t leaf;
        V3 near;  ///< that nearest point
        bool operator<(const Candidate& o) const {
            return dc < o.dc || (dc == o.dc && leaf < o.leaf);
        }
    };
    std::vector<Candidate> by_distance;
    std::vector<Samples> lat_samples, lon_samples;
    for (const Axis& row : rows_) lat_samples.push_back(samples_across(row, ch));
    for (const Axis& col : cols_) lon_samples.push_back(samples_across(col, cw));
    std::vector<V3> witnesses;
    for (int r = 0; r < ny_; ++r) {
        for (int c = 0; c < nx_; ++c) {
            const Axis& row = rows_[r];
            const Axis& col = cols_[c];
            const V3 centre = centre_of(r, c);
            const CellShape shape = cell_shape(row, col, lat_samples[r], lon_samples[c]);
            const double radius = shape.radius;
            const std::size_t cell = static_cast<std::size_t>(r) * nx_ + c;
            // Every piece that can be nearest to some point of the cell is within d + 2r of the
            // centre (d the nearest piece's distance): beyond that, the nearest is nearer.
            const double reach = foot_dist[cell] + 2.0 * radius;
            leaves.clear();
            bvh.leaves_within(centre, reach * reach, leaves);
            by_distance.clear();
            for (std::uint32_t leaf : leaves) {
                // The leaf's own nearest piece, not its box: boxes of eight pieces are loose.
                double leaf2 = std::numeric_limits<double>::infinity(), t = 0;
                V3 near{};
                for (std::uint32_t i = leaf * PieceBvh::kFan;
                     i < std::min<std::size_t>((leaf + 1) * PieceBvh::kFan, bvh.size()); ++i) {
                    const double d2 = piece_dist2(bvh.geom(i), centre, t);
                    if (d2 < leaf2) {
                        const PieceGeom& g = bvh.geom(i);
                        leaf2 = d2;
                        near = {g.a.x + t * g.d.x, g.a.y + t * g.d.y, g.a.z + t * g.d.z};
                    }
                }
                if (leaf2 <= reach * reach) by_distance.push_back({std::sqrt(leaf2), leaf, near});
            }
            // Drop the leaves that are nearest to no point of the cell (most of them, far from the
            // boundary: the ring d + 2r wide around the centre crosses a long stretch of coast,
            // while the points of one cell look at a short one).
            witnesses.assign(1, foot[cell]);  // the cell's own first: it prunes the most
            for (int rr = std::max(r - 1, 0); rr <= std::min(r + 1, ny_ - 1); ++rr)
                for (int cc = std::max(c - 1, 0); cc <= std::min(c + 1, nx_ - 1); ++cc)
                    if (rr != r || cc != c)
                        witnesses.push_back(foot[static_cast<std::size_t>(rr) * nx_ + cc]);
            std::size_t kept = 0;
            for (const Candidate& cand : by_distance)
                if (!never_nearest(bvh, cand.leaf, centre, cand.near, cand.dc, shape, witnesses))
                    by_distance[kept++] = cand;
            by_distance.resize(kept);
            std::sort(by_distance.begin(), by_distance.end());

            const std::size_t keep = std::min(by_distance.size(), kMaxLeaves);
            cells_[cell].begin = static_cast<std::uint32_t>(lists.size());
            // Per quarter of the cell, the listed leaf nearest to its centre: queries there
            // measure it first, and the bound it gives rules out most of the others unmeasured.
            for (int k = 0; k < 4; ++k) {
                const std::size_t i = k & 2 ? 3 : 1, j = k & 1 ? 3 : 1;
                const V3 sub_centre = unit_from_trig(lat_samples[r].sin[i], lat_samples[r].cos[i],
                                                     lon_samples[c].sin[j], lon_samples[c].cos[j]);
                double best2 = std::numeric_limits<double>::infinity(), t = 0;
                for (std::size_t n = 0; n < keep; ++n) {
                    const std::uint32_t leaf = by_distance[n].leaf;
                    for (std::uint32_t p = leaf * PieceBvh::kFan;
                         p < std::min<std::size_t>((leaf + 1) * PieceBvh::kFan, bvh.size()); ++p) {
                        const double d2 = piece_dist2(bvh.geom(p), sub_centre, t);
                        if (d2 < best2) {
                            best2 = d2;
                            cells_[cell].first[k] = static_cast<std::uint8_t>(n);
                        }
                    }
                }
            }
            if (keep < by_distance.size()) {
                // L: every leaf not listed is either nearest to no point of the cell, or cut off
                // here (at least L from the centre), or beyond the reach.
                cells_[cell].begin |= kCut;
                cuts_.push_back(
                    {static_cast<std::uint32_t>(cell), round_down(by_distance[keep].dc)});
            }
            for (std::size_t k = 0; k < keep; ++k)
                lists.emplace_back(by_distance[k].leaf, by_distance[k].dc);
        }
    }
    cells_[ncell].begin = static_cast<std::uint32_t>(lists.size());
    if (lists.size() >= kCut) throw std::length_error("distance grid: too many list entries");

    // Entries in 32 bits: the leaf in the low bits, the distance above them in steps of
    // dc_step_, rounded down (a lower bound must stay one).
    leaf_bits_ = 1;
    while (leaf_bits_ < 31 && (std::size_t{1} << leaf_bits_) < bvh.leaf_count()) ++leaf_bits_;
    double dc_max = 0;
    for (const auto& [leaf, dc] : lists) dc_max = std::max(dc_max, dc);
    const double steps = static_cast<double>((std::uint64_t{1} << (32 - leaf_bits_)) - 1);
    dc_step_ = dc_max > 0 ? dc_max / steps * (1 + 1e-12) : 1.0;
    entries_.reserve(lists.size());
    for (const auto& [leaf, dc] : lists) {
        auto q = static_cast<std::uint64_t>(std::min(std::floor(dc / dc_step_), steps));
        while (q > 0 && static_cast<double>(q) * dc_step_ > dc) --q;
        entries_.push_back(static_cast<std::uint32_t>(q << leaf_bits_) | leaf);
    }
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
    const double fx = (lon - x0_) * inv_w_, fy = (lat - y0_) * inv_h_;
    const int c = std::min(static_cast<int>(fx), nx_ - 1);
    const int r = std::min(static_cast<int>(fy), ny_ - 1);
    // Start fetching the cell's list now: the trigonometry below hides much of the wait (random
    // queries over a national zone miss the cache here).
    const std::size_t cell = static_cast<std::size_t>(r) * nx_ + c;
    const Cell& here = cells_[cell];
    const std::uint32_t* e = entries_.data() + (here.begin & ~kCut);
    const std::uint32_t* const end = entries_.data() + (cells_[cell + 1].begin & ~kCut);
    __builtin_prefetch(e);
    __builtin_prefetch(e + 16);
    const Axis& row = rows_[r];
    const Axis& col = cols_[c];
    double sla = 0, cla = 0, slo = 0, clo = 0;
    sincos_near(row.sin, row.cos, (lat - row.deg) * kDeg, sla, cla);
    sincos_near(col.sin, col.cos, (lon - col.deg) * kDeg, slo, clo);
    q = QueryPoint(sla, cla, slo, clo);
    const RowCentre& rc = row_centres_[r];
    const V3 off =
        sub(q.ecef, {rc.xy * col.cos, rc.xy * col.sin, rc.z});  // = unit_from_trig(row, col)
    const double dq = std::sqrt(dot(off, off));

    const std::uint32_t leaf_mask = (std::uint32_t{1} << leaf_bits_) - 1;
    // First the leaf nearest to the centre of q's quarter of the cell (usually q's nearest).
    const std::uint32_t* const first =
        e + here.first[(fx - c >= 0.5 ? 1 : 0) | (fy - r >= 0.5 ? 2 : 0)];
    if (first < end) bvh.nearest_in_leaf(*first & leaf_mask, q.ecef, out.chord2, out.piece, out.t);
    double best = std::sqrt(out.chord2);  // kept in step with out.chord2
    for (; e != end; ++e) {
        // Lower bound on this and every later entry's distance from q.
        const double lb = static_cast<double>(*e >> leaf_bits_) * dc_step_ - dq;
        if (lb > 0 && lb * lb >= out.chord2) return out;
        if (e == first) continue;
        // The leaf's capsule, seen from q: skip the leaf when wholly beyond the best.
        const std::uint32_t leaf = *e & leaf_mask;
        const PieceBvh::Capsule& capsule = bvh.leaf_capsule(leaf);
        double t = 0;
        const double reach = best + capsule.radius;
        if (capsule.axis_dist2(q.ecef, t) >= reach * reach) continue;
        bvh.nearest_in_leaf(leaf, q.ecef, out.chord2, out.piece, out.t);
        best = std::sqrt(out.chord2);
    }
    // A complete list is certified: every leaf left out is nearest to no point of the cell.
    if (!(here.begin & kCut)) return out;
    const auto cut = std::lower_bound(cuts_.begin(), cuts_.end(), static_cast<std::uint32_t>(cell),
                                      [](const Cut& k, std::uint32_t v) { return k.cell < v; });
    const double lb = static_cast<double>(cut->bound) - dq;
    if (lb > 0 && lb * lb >= out.chord2) return out;
    // Far from the boundary and far from the cell's centre: the tree, bounded by the best so far.
    bvh.nearest(q.ecef, out.chord2, out.piece, out.t);
    return out;
}

}  // namespace picket::geo::detail
