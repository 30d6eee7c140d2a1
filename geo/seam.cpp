#include "geo/seam.hpp"

#include <algorithm>
#include <cmath>

namespace picket::geo::detail {
namespace {

constexpr double kMetresPerDegree = 111320.0;  // of longitude at the equator
constexpr double kMaxSeamOffsetDeg = 1e-3;     // near the poles the metric test alone is too lax

struct Interval {
    double lo, hi;
};

/// Sorted, overlapping (within the slack) intervals merged.
std::vector<Interval> merged(std::vector<Interval> v) {
    std::sort(v.begin(), v.end(), [](const Interval& a, const Interval& b) { return a.lo < b.lo; });
    std::vector<Interval> out;
    for (const Interval& i : v) {
        if (!out.empty() && i.lo <= out.back().hi + kSeamSlackDeg)
            out.back().hi = std::max(out.back().hi, i.hi);
        else
            out.push_back(i);
    }
    return out;
}

/// The parts of [lo, hi] that no interval of `facing` covers, each longer than the slack.
std::vector<Interval> uncovered(Interval e, const std::vector<Interval>& facing) {
    std::vector<Interval> out;
    double from = e.lo;
    for (const Interval& f : facing) {
        const double flo = f.lo - kSeamSlackDeg, fhi = f.hi + kSeamSlackDeg;
        if (fhi <= from) continue;
        if (flo >= e.hi) break;
        if (flo > from) out.push_back({from, flo});
        from = std::max(from, fhi);
        if (from >= e.hi) break;
    }
    if (from < e.hi) out.push_back({from, e.hi});
    std::erase_if(out, [](const Interval& i) { return i.hi - i.lo <= kSeamSlackDeg; });
    return out;
}

}  // namespace

int seam_side(Vec2 p) {
    const double off = 180.0 - std::abs(p.x);
    if (!(off <= kMaxSeamOffsetDeg)) return 0;
    if (off * kMetresPerDegree * std::cos(p.y * (M_PI / 180.0)) > kSeamSnapM) return 0;
    return p.x > 0 ? 1 : -1;
}

std::vector<Path> boundary_without_seam_cuts(const std::vector<Path>& paths) {
    // The latitudes each side of the seam covers with its own seam edges.
    std::vector<Interval> side_edges[2];  // [0]: -180, [1]: +180
    for (const Path& path : paths)
        for (std::size_t i = 0; i + 1 < path.size(); ++i) {
            const int sa = seam_side(path[i]), sb = seam_side(path[i + 1]);
            if (sa != 0 && sa == sb)
                side_edges[sa > 0].push_back(
                    {std::min(path[i].y, path[i + 1].y), std::max(path[i].y, path[i + 1].y)});
        }
    const std::vector<Interval> covered[2] = {merged(side_edges[0]), merged(side_edges[1])};

    std::vector<Path> lines;
    for (const Path& path : paths) {
        Path current;
        const auto flush = [&] {
            if (current.size() > 1) lines.push_back(std::move(current));
            current.clear();
        };
        for (std::size_t i = 0; i + 1 < path.size(); ++i) {
            const Vec2 a = path[i], b = path[i + 1];
            const int sa = seam_side(a), sb = seam_side(b);
            if (sa == 0 || sb == 0) {
                if (current.empty()) current.push_back(a);
                current.push_back(b);
                continue;
            }
            // On the seam: from one side to the other is a zero-length wrap, within one side keep
            // what the other side does not face, on the meridian exactly, in the edge's direction.
            flush();
            if (sa != sb) continue;
            const double x = sa > 0 ? 180.0 : -180.0;
            const Interval e{std::min(a.y, b.y), std::max(a.y, b.y)};
            for (const Interval& part : uncovered(e, covered[sa < 0])) {
                if (a.y <= b.y)
                    lines.push_back({{x, part.lo}, {x, part.hi}});
                else
                    lines.push_back({{x, part.hi}, {x, part.lo}});
            }
        }
        flush();
    }
    return lines;
}

}  // namespace picket::geo::detail
