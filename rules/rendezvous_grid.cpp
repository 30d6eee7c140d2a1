#include "rules/rendezvous_grid.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "geo/local_frame.hpp"
#include "rules/track_geometry.hpp"

namespace picket::rules {

std::vector<ClosePair> find_close_pairs(const std::vector<GridPoint>& points,
                                        double max_distance_m) {
    std::vector<ClosePair> out;
    if (points.size() < 2 || !(max_distance_m > 0)) return out;
    constexpr double kDegToRad = 3.14159265358979323846 / 180.0;
    // 110'500 m is less than any degree of latitude on WGS84 (min 110'574 m), so a cell of
    // `cell_lat` degrees is at least max_distance_m tall.
    const double cell_lat = max_distance_m / 110'500.0;
    double max_abs_lat = 0;
    for (const auto& p : points) max_abs_lat = std::max(max_abs_lat, std::fabs(p.where.lat_deg));
    max_abs_lat = std::min(max_abs_lat + cell_lat, 89.0);
    // Columns are sized at the highest latitude present, where a degree of longitude is
    // shortest, so they are wide enough everywhere below it.
    double cell_lon = max_distance_m / (110'500.0 * std::cos(max_abs_lat * kDegToRad));
    const auto ncols = static_cast<std::int64_t>(std::max(3.0, std::floor(360.0 / cell_lon)));
    cell_lon = 360.0 / static_cast<double>(ncols);  // whole columns, so the wrap is seamless

    auto row_of = [&](LatLon p) {
        return static_cast<std::int64_t>(std::floor((p.lat_deg + 90) / cell_lat));
    };
    auto col_of = [&](LatLon p) {
        double lon = std::fmod(p.lon_deg + 180.0, 360.0);
        if (lon < 0) lon += 360.0;
        return std::min(static_cast<std::int64_t>(lon / cell_lon), ncols - 1);
    };
    auto cell_key = [&](std::int64_t row, std::int64_t col) { return row * ncols + col; };

    std::unordered_map<std::int64_t, std::vector<std::size_t>> cells;
    cells.reserve(points.size());
    for (std::size_t i = 0; i < points.size(); ++i)
        cells[cell_key(row_of(points[i].where), col_of(points[i].where))].push_back(i);

    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto r = row_of(points[i].where);
        const auto c = col_of(points[i].where);
        for (std::int64_t dr = -1; dr <= 1; ++dr) {
            for (std::int64_t dc = -1; dc <= 1; ++dc) {
                const std::int64_t cc = ((c + dc) % ncols + ncols) % ncols;
                auto it = cells.find(cell_key(r + dr, cc));
                if (it == cells.end()) continue;
                for (std::size_t j : it->second) {
                    // Each unordered pair once: from the point with the smaller key.
                    if (points[j].key <= points[i].key) continue;
                    // The cheap bound rejects the far ones before the geodesic solution.
                    if (approx_distance_upper_m(points[i].where, points[j].where) >
                        max_distance_m * 1.2 + 10)
                        continue;
                    const double d = geo::geodesic_distance_m(points[i].where, points[j].where);
                    if (d < max_distance_m) out.push_back({i, j, d});
                }
            }
        }
    }
    std::sort(out.begin(), out.end(), [&](const ClosePair& x, const ClosePair& y) {
        return std::pair(points[x.a].key, points[x.b].key) <
               std::pair(points[y.a].key, points[y.b].key);
    });
    // With three or fewer columns a neighbour can be visited twice; drop duplicates.
    out.erase(std::unique(
                  out.begin(), out.end(),
                  [](const ClosePair& x, const ClosePair& y) { return x.a == y.a && x.b == y.b; }),
              out.end());
    return out;
}

}  // namespace picket::rules
