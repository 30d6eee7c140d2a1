#include "geo/polygon_grid.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace picket::geo::detail {

namespace {

/// Crossings of the horizontal line y with the edges, half-open rule ((a.y > y) != (b.y > y)),
/// so a vertex exactly on the line is counted once or not at all, consistently.
void row_crossings(const std::vector<Vec2>& as, const std::vector<Vec2>& bs, double y,
                   std::vector<double>& xs) {
    xs.clear();
    for (std::size_t i = 0; i < as.size(); ++i) {
        const Vec2 a = as[i], b = bs[i];
        if ((a.y > y) != (b.y > y)) xs.push_back(a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y));
    }
    std::sort(xs.begin(), xs.end());
}

bool odd_below(const std::vector<double>& sorted_xs, double x) {
    const auto n = std::lower_bound(sorted_xs.begin(), sorted_xs.end(), x) - sorted_xs.begin();
    return (n % 2) == 1;
}

}  // namespace

PolygonGrid::PolygonGrid(const std::vector<Path>& rings) {
    x0_ = y0_ = std::numeric_limits<double>::infinity();
    x1_ = y1_ = -std::numeric_limits<double>::infinity();
    for (const Path& r : rings) {
        for (std::size_t i = 0; i + 1 < r.size(); ++i) {
            if (r[i].x == r[i + 1].x && r[i].y == r[i + 1].y) continue;
            edges_.push_back({r[i], r[i + 1]});
        }
        for (const Vec2& v : r) {
            x0_ = std::min(x0_, v.x);
            x1_ = std::max(x1_, v.x);
            y0_ = std::min(y0_, v.y);
            y1_ = std::max(y1_, v.y);
        }
    }
    if (edges_.empty()) return;

    // About 32 cells per edge keeps crossed cells down to three or four edges each; the cap
    // bounds memory for continent-sized zones (16 MB of cells).
    const double w = std::max(x1_ - x0_, 1e-9), h = std::max(y1_ - y0_, 1e-9);
    const double target = std::clamp(32.0 * static_cast<double>(edges_.size()), 16.0, 4.0e6);
    nx_ = std::clamp(static_cast<int>(std::ceil(std::sqrt(target * w / h))), 1, 1 << 14);
    ny_ = std::clamp(static_cast<int>(std::ceil(target / nx_)), 1, 1 << 14);
    inv_w_ = nx_ / w;
    inv_h_ = ny_ / h;
    const double cw = w / nx_, ch = h / ny_;
    const std::size_t ncell = static_cast<std::size_t>(nx_) * static_cast<std::size_t>(ny_);

    // Rasterise each edge row by row: the part of the edge inside a row's band spans an x range,
    // padded a little so that floating-point rounding never drops a cell it touches.
    std::vector<std::vector<std::uint32_t>> per_cell(ncell);
    const double pad_x = cw * 1e-6, pad_y = ch * 1e-6;
    for (std::uint32_t e = 0; e < edges_.size(); ++e) {
        const Vec2 a = edges_[e].a, b = edges_[e].b;
        const double ylo = std::min(a.y, b.y), yhi = std::max(a.y, b.y);
        const int r0 = std::clamp(static_cast<int>((ylo - pad_y - y0_) * inv_h_), 0, ny_ - 1);
        const int r1 = std::clamp(static_cast<int>((yhi + pad_y - y0_) * inv_h_), 0, ny_ - 1);
        for (int r = r0; r <= r1; ++r) {
            const double band_lo = std::max(ylo, y0_ + r * ch),
                         band_hi = std::min(yhi, y0_ + (r + 1) * ch);
            double xa = 0, xb = 0;
            if (b.y == a.y) {
                xa = std::min(a.x, b.x);
                xb = std::max(a.x, b.x);
            } else {
                const double ta = (band_lo - a.y) / (b.y - a.y), tb = (band_hi - a.y) / (b.y - a.y);
                xa = a.x + std::clamp(ta, 0.0, 1.0) * (b.x - a.x);
                xb = a.x + std::clamp(tb, 0.0, 1.0) * (b.x - a.x);
                if (xa > xb) std::swap(xa, xb);
            }
            const int c0 = std::clamp(static_cast<int>((xa - pad_x - x0_) * inv_w_), 0, nx_ - 1);
            const int c1 = std::clamp(static_cast<int>((xb + pad_x - x0_) * inv_w_), 0, nx_ - 1);
            for (int c = c0; c <= c1; ++c)
                per_cell[static_cast<std::size_t>(r) * nx_ + c].push_back(e);
        }
    }

    cells_.assign(ncell, kOutside);
    kinds_.assign((ncell + 31) / 32, 0);
    std::vector<Vec2> as(edges_.size()), bs(edges_.size());
    for (std::size_t e = 0; e < edges_.size(); ++e) {
        as[e] = edges_[e].a;
        bs[e] = edges_[e].b;
    }
    std::vector<double> xs;
    for (int r = 0; r < ny_; ++r) {
        // Every reference point of this row lies on its centre line, so one sorted list of
        // crossings classifies the whole row.
        const double yc = y0_ + (r + 0.5) * ch;
        row_crossings(as, bs, yc, xs);
        for (int c = 0; c < nx_; ++c) {
            const std::size_t cell = static_cast<std::size_t>(r) * nx_ + c;
            auto& list = per_cell[cell];
            double xr = x0_ + (c + 0.5) * cw;
            if (list.empty()) {
                cells_[cell] = odd_below(xs, xr) ? kInside : kOutside;
                if (cells_[cell] == kInside)
                    kinds_[cell / 32] |= std::uint64_t{kKindInside} << (cell % 32 * 2);
                continue;
            }
            // The reference must not lie on an edge's line within the cell (the crossing test
            // needs it strictly on one side): slide it along the centre line until it does not.
            for (int attempt = 1; attempt < 64; ++attempt) {
                bool on_line = false;
                for (std::uint32_t e : list)
                    if (orient(edges_[e].a, edges_[e].b, {xr, yc}) == 0) {
                        on_line = true;
                        break;
                    }
                if (!on_line) break;
                xr = x0_ + (c + 0.5 + 0.45 * std::sin(attempt * 1.7)) * cw;
            }
            cells_[cell] = static_cast<std::uint32_t>(runs_.size());
            kinds_[cell / 32] |= std::uint64_t{kKindCrossed} << (cell % 32 * 2);
            RunHeader header{
                {xr, yc}, static_cast<std::uint32_t>(list.size()), odd_below(xs, xr) ? 1u : 0u, 0};
            for (std::size_t i = 0; i < list.size() && i < 64; ++i)
                if (orient(edges_[list[i]].a, edges_[list[i]].b, header.reference) > 0)
                    header.reference_left |= 1ull << i;
            const auto words = std::bit_cast<std::array<double, 4>>(header);
            runs_.insert(runs_.end(), words.begin(), words.end());
            // Edges by pairs, coordinate by coordinate (ax0 ax1 ay0 ay1 bx0 bx1 by0 by1), so that
            // the query tests two at once; an odd run ends with a point (it crosses nothing).
            for (std::size_t i = 0; i < list.size(); i += 2) {
                const Edge e0 = edges_[list[i]];
                const Edge e1 = i + 1 < list.size() ? edges_[list[i + 1]] : Edge{e0.a, e0.a};
                for (double v : {e0.a.x, e1.a.x, e0.a.y, e1.a.y, e0.b.x, e1.b.x, e0.b.y, e1.b.y})
                    runs_.push_back(v);
            }
            std::vector<std::uint32_t>().swap(list);
        }
    }
}

bool PolygonGrid::contains(Vec2 p) const {
    if (edges_.empty() || !(p.x >= x0_ && p.x <= x1_ && p.y >= y0_ && p.y <= y1_)) return false;
    const int c = std::min(static_cast<int>((p.x - x0_) * inv_w_), nx_ - 1);
    const int r = std::min(static_cast<int>((p.y - y0_) * inv_h_), ny_ - 1);
    const std::size_t cell = static_cast<std::size_t>(r) * nx_ + c;
    const auto kind = static_cast<unsigned>(kinds_[cell / 32] >> (cell % 32 * 2)) & 3u;
    if (kind != kKindCrossed) return kind == kKindInside;
    return crossed_cell_contains(runs_.data() + cells_[cell], p);
}

bool PolygonGrid::crossed_cell_contains(const double* run, Vec2 p) const {
    std::array<double, 4> words;
    std::copy(run, run + 4, words.begin());
    const auto header = std::bit_cast<RunHeader>(words);
    const Vec2 q = header.reference;
    const double qx = q.x - p.x, qy = q.y - p.y;
    const std::size_t n = header.edges;
    std::uint32_t inside = header.inside;
    const double* pair = run + 4;
    // Does segment p-q cross edge a-b? a and b on opposite sides of line pq (a vertex on the line
    // counts as left: the symbolic perturbation), and p, q on opposite sides of ab (q's side was
    // worked out at build time, for the first 64 edges). The first test rejects most edges, two
    // at a time.
    for (std::size_t i = 0; i < n; i += 2, pair += 8) {
        unsigned straddle = 0;  // bit k: edge i + k has its ends on both sides of line pq
#if defined(__SSE2__)
        const __m128d px = _mm_set1_pd(p.x), py = _mm_set1_pd(p.y), vqx = _mm_set1_pd(qx),
                      vqy = _mm_set1_pd(qy);
        const __m128d zero = _mm_setzero_pd();
        const __m128d a_side = _mm_sub_pd(_mm_mul_pd(vqx, _mm_sub_pd(_mm_loadu_pd(pair + 2), py)),
                                          _mm_mul_pd(vqy, _mm_sub_pd(_mm_loadu_pd(pair), px)));
        const __m128d b_side = _mm_sub_pd(_mm_mul_pd(vqx, _mm_sub_pd(_mm_loadu_pd(pair + 6), py)),
                                          _mm_mul_pd(vqy, _mm_sub_pd(_mm_loadu_pd(pair + 4), px)));
        straddle = static_cast<unsigned>(
            _mm_movemask_pd(_mm_xor_pd(_mm_cmpge_pd(a_side, zero), _mm_cmpge_pd(b_side, zero))));
#else
        for (unsigned k = 0; k < 2; ++k) {
            const bool a_left = qx * (pair[2 + k] - p.y) - qy * (pair[k] - p.x) >= 0;
            const bool b_left = qx * (pair[6 + k] - p.y) - qy * (pair[4 + k] - p.x) >= 0;
            straddle |= static_cast<unsigned>(a_left != b_left) << k;
        }
#endif
        for (unsigned k = 0; k < 2; ++k) {
            if (!((straddle >> k) & 1u)) continue;
            const Vec2 a{pair[k], pair[2 + k]}, b{pair[4 + k], pair[6 + k]};
            const std::size_t e = i + k;
            const bool q_left =
                e < 64 ? ((header.reference_left >> e) & 1u) != 0 : orient(a, b, q) > 0;
            inside ^= static_cast<std::uint32_t>((orient(a, b, p) > 0) != q_left);
        }
    }
    return inside != 0;
}

}  // namespace picket::geo::detail
