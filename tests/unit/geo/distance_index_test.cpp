// The distance index's shortcuts against the plain computation they stand for:
//  - the grid (per-cell leaf lists, capsule skips, early exit, float ranking inside a leaf)
//    against a scan of every piece, on a layout made to defeat it: an atoll ringed by islands,
//    whose centre is nearly equidistant from hundreds of pieces;
//  - the metres it reports against Karney's geodesic distance to the boundary, found by a
//    golden-section search along the edge;
//  - the series that replace the library's trigonometry.
#include <catch2/catch.hpp>

#include <GeographicLib/Geodesic.hpp>
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "geo/distance_grid.hpp"
#include "geo/ecef.hpp"
#include "geo/piece_bvh.hpp"
#include "geo/zones.hpp"

using picket::LatLon;
using picket::geo::ZoneSet;
namespace d = picket::geo::detail;

namespace {

using Edges = std::vector<std::pair<d::Vec2, d::Vec2>>;

/// A ring of `n` small islands (octagons) of radius `r` deg on a circle of radius `R` deg
/// around (lon0, lat0), plus a long straight coast to the south: the grid's hard case.
Edges atoll(double lon0, double lat0, int n, double R, double r) {
    Edges out;
    auto add_ring = [&out](const std::vector<d::Vec2>& ring) {
        for (std::size_t i = 0; i < ring.size(); ++i)
            out.emplace_back(ring[i], ring[(i + 1) % ring.size()]);
    };
    for (int k = 0; k < n; ++k) {
        const double a = 2 * M_PI * k / n;
        std::vector<d::Vec2> ring;
        for (int j = 0; j < 8; ++j) {
            const double b = 2 * M_PI * j / 8;
            ring.push_back({lon0 + R * std::cos(a) + r * std::cos(b),
                            lat0 + R * std::sin(a) + r * std::sin(b)});
        }
        add_ring(ring);
    }
    for (int i = 0; i < 40; ++i)
        out.emplace_back(d::Vec2{lon0 - 4 + 0.2 * i, lat0 - R - 1.0},
                         d::Vec2{lon0 - 4 + 0.2 * (i + 1), lat0 - R - 1.0});
    return out;
}

/// A ragged coast: a closed random walk (steps of ~0.02-0.1 deg that turn a little each time,
/// drawn back towards a circle of radius R deg) plus a few dozen small islands off it, so that
/// the grid's far cells see long, winding stretches of shore and its near cells many leaves.
Edges ragged_coast(double lon0, double lat0, double R, std::mt19937_64& rng) {
    Edges out;
    std::uniform_real_distribution<double> step(0.02, 0.1), turn(-0.6, 0.6), unit(-1, 1);
    std::vector<d::Vec2> ring;
    const double scale =
        1.0 / std::cos(lat0 * d::kDeg);  // about as ragged east-west as north-south
    for (double a = 0; a < 2 * M_PI; a += 0.01) {
        const double r = R * (1 + 0.15 * std::sin(7 * a) + 0.05 * unit(rng));
        ring.push_back({lon0 + scale * r * std::cos(a), lat0 + r * std::sin(a)});
    }
    for (std::size_t i = 0; i < ring.size(); ++i)
        out.emplace_back(ring[i], ring[(i + 1) % ring.size()]);
    for (int k = 0; k < 40; ++k) {
        double x = lon0 + scale * 1.4 * R * unit(rng), y = lat0 + 1.4 * R * unit(rng),
               heading = M_PI * unit(rng);
        const d::Vec2 start{x, y};
        d::Vec2 prev = start;
        for (int j = 0; j < 12; ++j) {
            heading += turn(rng) + 2 * M_PI / 12;
            x += scale * 0.3 * step(rng) * std::cos(heading);
            y += 0.3 * step(rng) * std::sin(heading);
            out.emplace_back(prev, d::Vec2{x, y});
            prev = {x, y};
        }
        out.emplace_back(prev, start);
    }
    return out;
}

/// The nearest piece's squared chord by scanning every piece.
double brute_force_chord2(const d::PieceBvh& bvh, const d::V3& q) {
    double best = std::numeric_limits<double>::infinity(), t = 0;
    for (std::uint32_t i = 0; i < bvh.size(); ++i)
        best = std::min(best, d::piece_dist2(bvh.geom(i), q, t));
    return best;
}

/// Karney's geodesic distance from p to the lon/lat-straight edge a-b: golden-section search on
/// the edge's parameter (the distance along a short edge is unimodal), to ~1e-10 of the edge.
double karney_to_edge_m(LatLon p, d::Vec2 a, d::Vec2 b) {
    const auto& g = GeographicLib::Geodesic::WGS84();
    auto at = [&](double t) {
        double s = 0;
        g.Inverse(p.lat_deg, p.lon_deg, a.y + t * (b.y - a.y), a.x + t * (b.x - a.x), s);
        return s;
    };
    double lo = 0, hi = 1;
    const double phi = (std::sqrt(5.0) - 1) / 2;
    double x1 = hi - phi * (hi - lo), x2 = lo + phi * (hi - lo), f1 = at(x1), f2 = at(x2);
    for (int i = 0; i < 60; ++i) {
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
    return std::min({at(0), at(1), f1, f2});
}

}  // namespace

SCENARIO("the distance grid finds the nearest piece a full scan finds", "[geo][distance]") {
    // An atoll (the middle of its lagoon is a few per cent nearer to some islands than others)
    // at the equator and one at 60 N, to vary the cells' shape on the ellipsoid.
    for (const auto& [lon0, lat0] : {std::pair{120.0, 0.0}, std::pair{20.0, 60.0}}) {
        const Edges edges = atoll(lon0, lat0, 48, 2.0, 0.05);
        const d::PieceBvh bvh(edges);
        const d::DistanceGrid grid(bvh, edges);
        std::mt19937_64 rng(20261125);
        INFO("seed 20261125, atoll at lon " << lon0 << " lat " << lat0);
        // Points over the grid and beyond it (the tree answers those), with a share right at
        // the lagoon's centre, where every island is nearly as near as the nearest.
        std::uniform_real_distribution<double> ux(lon0 - 6, lon0 + 6), uy(lat0 - 5, lat0 + 5),
            centre(-0.05, 0.05);
        int mismatches = 0;
        for (int i = 0; i < 6000; ++i) {
            const bool at_centre = i % 4 == 0;
            const LatLon p{at_centre ? lat0 + centre(rng) : uy(rng),
                           at_centre ? lon0 + centre(rng) : ux(rng)};
            d::QueryPoint q;
            const d::DistanceGrid::Nearest got = grid.nearest(bvh, p, q);
            const double want = brute_force_chord2(bvh, d::QueryPoint(p).ecef);
            // Same distance, up to the float ranking inside a leaf (~1e-7 of it; 1 mm absolute).
            const double got_m = d::kWgs84A * std::sqrt(got.chord2),
                         want_m = d::kWgs84A * std::sqrt(want);
            if (!(std::abs(got_m - want_m) <= 1e-6 * want_m + 1e-3)) {
                ++mismatches;
                UNSCOPED_INFO("lat " << p.lat_deg << " lon " << p.lon_deg << ": grid " << got_m
                                     << " m, scan " << want_m << " m");
            }
        }
        CHECK(mismatches == 0);
    }
}

SCENARIO("the grid's pruned lists keep every leaf that is nearest somewhere in their cell",
         "[geo][distance]") {
    // Each cell lists only the leaves that some point of it can have nearest (the rest are
    // proved farther than a boundary point over the whole cell), and each quarter of a cell
    // measures its likely leaf first. Any leaf dropped wrongly shows up as a point whose grid
    // answer is farther than a full scan's: points far out, near the shore, and on a lattice
    // that crosses every cell's edges and quarter lines.
    for (const auto& [lon0, lat0] : {std::pair{110.0, -3.0}, std::pair{25.0, 62.0}}) {
        std::mt19937_64 rng(20261126);
        const Edges edges = ragged_coast(lon0, lat0, 2.0, rng);
        const d::PieceBvh bvh(edges);
        const d::DistanceGrid grid(bvh, edges);
        INFO("seed 20261126, coast around lon " << lon0 << " lat " << lat0);
        const double scale = 1.0 / std::cos(lat0 * d::kDeg);
        std::vector<LatLon> points;
        std::uniform_real_distribution<double> ux(lon0 - 3.2 * scale, lon0 + 3.2 * scale),
            uy(lat0 - 3.2, lat0 + 3.2), near(-0.03, 0.03), t01(0, 1);
        for (int i = 0; i < 3000; ++i) points.push_back({uy(rng), ux(rng)});
        std::uniform_int_distribution<std::size_t> pick(0, edges.size() - 1);
        for (int i = 0; i < 3000; ++i) {
            const auto& [a, b] = edges[pick(rng)];
            const double t = t01(rng);
            points.push_back(
                {a.y + t * (b.y - a.y) + near(rng), a.x + t * (b.x - a.x) + near(rng) * scale});
        }
        for (double y = lat0 - 3.2; y <= lat0 + 3.2; y += 0.0517)
            for (double x = lon0 - 3.2 * scale; x <= lon0 + 3.2 * scale; x += 0.0517 * scale)
                points.push_back({y, x});
        int mismatches = 0;
        for (const LatLon& p : points) {
            d::QueryPoint q;
            const double got_m = d::kWgs84A * std::sqrt(grid.nearest(bvh, p, q).chord2);
            const double want_m =
                d::kWgs84A * std::sqrt(brute_force_chord2(bvh, d::QueryPoint(p).ecef));
            if (!(std::abs(got_m - want_m) <= 1e-6 * want_m + 1e-3)) {
                ++mismatches;
                UNSCOPED_INFO("lat " << p.lat_deg << " lon " << p.lon_deg << ": grid " << got_m
                                     << " m, scan " << want_m << " m");
            }
        }
        CHECK(mismatches == 0);
    }
}

SCENARIO("distance in metres matches Karney's geodesic to the edge", "[geo][distance]") {
    // Meridian edges are geodesics: the answer is the true geodesic distance, to the
    // chord-to-arc conversion's few centimetres. Other edges are straight in lon/lat, which
    // bows up to ~0.2 m (at 60 deg) from the section through their pieces' ends.
    struct Case {
        const char* wkt;
        double tolerance_m;
    };
    const Case cases[] = {
        {"POLYGON((10 -1, 10 1, 10.02 1, 10.02 -1, 10 -1))", 0.03},    // meridians at the equator
        {"POLYGON((10 59, 10 61, 10.02 61, 10.02 59, 10 59))", 0.03},  // and at 60 N
        {"POLYGON((10 0, 12 0, 12 0.02, 10 0.02, 10 0))",
         0.05},  // a parallel-ish box at the equator
        {"POLYGON((10 60, 12 60.5, 12 60.52, 10 60.02, 10 60))", 0.1},  // a diagonal at 60 N
    };
    std::mt19937_64 rng(7);
    for (const Case& c : cases) {
        const ZoneSet z = ZoneSet::from_wkt({{"z", c.wkt}});
        // The zone's long western or southern edge, and points from metres to 300 km off it.
        std::vector<d::Vec2> ring;
        {
            std::string s = c.wkt;
            std::replace_if(
                s.begin(), s.end(), [](char ch) { return ch == '(' || ch == ')' || ch == ','; },
                ' ');
            std::istringstream in(s.substr(s.find_first_of("0123456789-")));
            double x = 0, y = 0;
            while (in >> x >> y) ring.push_back({x, y});
        }
        std::uniform_real_distribution<double> along(0.1, 0.9), log_off(0.0, 5.5), side(-1, 1);
        for (int i = 0; i < 60; ++i) {
            // A point off the ring's first edge (a -> b), perpendicular-ish, on either side.
            const d::Vec2 a = ring[0], b = ring[1];
            const double t = along(rng),
                         off_m = std::pow(10.0, log_off(rng)) * (side(rng) < 0 ? -1 : 1);
            const double lat = a.y + t * (b.y - a.y), lon = a.x + t * (b.x - a.x);
            const double ex = (b.x - a.x) * std::cos(lat * d::kDeg), ey = b.y - a.y,
                         len = std::hypot(ex, ey);
            const double m_per_deg = 111195.0;
            const LatLon p{lat + off_m / m_per_deg * (-ex / len),
                           lon + off_m / m_per_deg * (ey / len) / std::cos(lat * d::kDeg)};
            // The reference: Karney to the nearest of the ring's edges.
            double want = std::numeric_limits<double>::infinity();
            for (std::size_t k = 0; k + 1 < ring.size(); ++k)
                want = std::min(want, karney_to_edge_m(p, ring[k], ring[k + 1]));
            INFO(c.wkt << ": lat " << p.lat_deg << " lon " << p.lon_deg << ", " << want
                       << " m from the boundary");
            CHECK(z.distance_to_boundary_m(0, p) ==
                  Approx(want).margin(c.tolerance_m + 2e-7 * want));
        }
    }
}

SCENARIO("the series standing in for sin, cos and asin agree with the library", "[geo][distance]") {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> base(-M_PI, M_PI), delta(-0.02, 0.02), x(0.0, 1.0);
    for (int i = 0; i < 2000; ++i) {
        const double b = base(rng), dl = delta(rng);
        double s = 0, c = 0;
        d::sincos_near(std::sin(b), std::cos(b), dl, s, c);
        CHECK(s == Approx(std::sin(b + dl)).margin(1e-15));
        CHECK(c == Approx(std::cos(b + dl)).margin(1e-15));
        const double v = x(rng) * (i % 2 ? 0.05 : 1.0);
        CHECK(d::asin_small(v) == Approx(std::asin(v)).epsilon(1e-15).margin(1e-17));
    }
}
