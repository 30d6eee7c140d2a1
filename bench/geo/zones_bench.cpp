// picket_bench_zones [--layer FILE] [--layer-name NAME] [--where EXPR] [--points N]
//
// Point-in-zone and distance-to-boundary on a real national maritime layer (default: Indonesia,
// ~12 000 vertices, from data/borders/world_maritime.gpkg) against GEOS prepared geometry on the
// same points in the same run, one thread. GEOS points are built before timing, so GEOS is
// charged for the query only: PreparedContains on the zone, PreparedDistance on its boundary
// (the zone's own distance is 0 inside). Points: half uniform over the zone's box (most answered by the
// grid), half within ~100 m of the boundary (where every query touches geometry). Times are
// thread CPU time, best of five runs.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "geo/zones.hpp"
#include "geos_reference.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

/// ns per call: this thread's CPU time (not wall time: the machine may be shared), the best of
/// five runs (the least disturbed by other processes' cache traffic).
template <class F>
double ns_per_call(std::size_t n, F&& f) {
    double best = 1e300;
    for (int rep = 0; rep < 5; ++rep) {
        const double t0 = thread_cpu_ns();
        f();
        best = std::min(best, (thread_cpu_ns() - t0) / static_cast<double>(n));
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    std::string path = "data/borders/world_maritime.gpkg", layer = "maritime", where = "isoA3 = 'IDN'";
    std::size_t n = 200000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--layer")) path = argv[i + 1];
        else if (!std::strcmp(argv[i], "--layer-name")) layer = argv[i + 1];
        else if (!std::strcmp(argv[i], "--where")) where = argv[i + 1];
        else if (!std::strcmp(argv[i], "--points")) n = std::stoul(argv[i + 1]);
    }
    const auto tl0 = Clock::now();
    const picket::geo::ZoneSet zones = picket::geo::ZoneSet::load({path, layer, where, ""});
    const double load_ms = std::chrono::duration<double, std::milli>(Clock::now() - tl0).count();
    const picket::geo::test::GeosReference ref(path, layer, where);
    const GEOSContextHandle_t h = ref.handle();

    for (std::size_t z = 0; z < zones.size(); ++z) {
        double x0, y0, x1, y1;
        ref.bounds(z, x0, y0, x1, y1);
        std::mt19937_64 rng(1);
        std::uniform_real_distribution<double> ux(x0, x1), uy(y0, y1), jitter(-1e-3, 1e-3);
        std::vector<picket::LatLon> pts;
        std::vector<GEOSGeometry*> gpts;
        for (std::size_t i = 0; i < n; ++i) {
            double lon = ux(rng), lat = uy(rng);
            if (i % 2 == 1) {
                double qx = 0, qy = 0;
                ref.nearest_boundary_point(z, lon, lat, qx, qy);
                lon = std::clamp(qx + jitter(rng), -180.0, 179.9999999);
                lat = qy + jitter(rng);
            }
            pts.push_back({lat, lon});
            gpts.push_back(GEOSGeom_createPointFromXY_r(h, lon, lat));
        }
        std::printf("zone %s (%s, %s): picket load %.0f ms for the layer\n", zones.name(z).c_str(), path.c_str(),
                    where.c_str(), load_ms);
        const GEOSPreparedGeometry* poly = ref.prepared(z);
        GEOSPreparedContains_r(h, poly, gpts[0]);  // GEOS builds its index lazily: warm it
        double sink = ref.boundary_distance_deg(z, pts[0].lon_deg, pts[0].lat_deg);
        // Point mixes: all, the uniform half (even indices), the near-boundary half (odd).
        for (int mix = 0; mix < 3; ++mix) {
            std::vector<std::size_t> idx;
            for (std::size_t i = 0; i < n; ++i)
                if (mix == 0 || static_cast<int>(i % 2) == mix - 1) idx.push_back(i);
            const char* label = mix == 0 ? "all points" : mix == 1 ? "uniform over box" : "within ~100 m of boundary";
            std::size_t ours_in = 0, geos_in = 0, disagree = 0;
            std::vector<char> ours_res(idx.size()), geos_res(idx.size());
            const double geos_contains = ns_per_call(idx.size(), [&] {
                for (std::size_t k = 0; k < idx.size(); ++k)
                    geos_res[k] = static_cast<char>(GEOSPreparedContains_r(h, poly, gpts[idx[k]]) == 1);
            });
            const double ours_contains = ns_per_call(idx.size(), [&] {
                for (std::size_t k = 0; k < idx.size(); ++k) ours_res[k] = static_cast<char>(zones.contains(z, pts[idx[k]]));
            });
            for (std::size_t k = 0; k < idx.size(); ++k) {
                ours_in += static_cast<std::size_t>(ours_res[k]);
                geos_in += static_cast<std::size_t>(geos_res[k]);
                const auto& p = pts[idx[k]];
                disagree += ours_res[k] != geos_res[k] && ref.boundary_distance_deg(z, p.lon_deg, p.lat_deg) >= 1e-9;
            }
            const std::size_t nd = idx.size() / 4;  // distance is slower on both sides: fewer points
            const GEOSPreparedGeometry* boundary = ref.prepared_boundary(z);
            const double geos_dist = ns_per_call(nd, [&] {
                for (std::size_t k = 0; k < nd; ++k) {
                    double d = 0;
                    GEOSPreparedDistance_r(h, boundary, gpts[idx[k]], &d);
                    sink += d;
                }
            });
            const double ours_dist = ns_per_call(nd, [&] {
                for (std::size_t k = 0; k < nd; ++k) sink += zones.distance_to_boundary_m(z, pts[idx[k]]);
            });
            std::printf("  %s\n", label);
            std::printf("    contains  picket %8.1f ns  GEOS PreparedContains %8.1f ns  ratio %5.1fx  (%zu points, %zu/%zu inside, %zu disagree)\n",
                        ours_contains, geos_contains, geos_contains / ours_contains, idx.size(), ours_in, geos_in, disagree);
            std::printf("    distance  picket %8.1f ns  GEOS PreparedDistance %8.1f ns  ratio %5.1fx  (%zu points; picket: geodesic m, GEOS: planar deg)\n",
                        ours_dist, geos_dist, geos_dist / ours_dist, nd);
        }
        if (sink < 0) std::puts("");
        for (GEOSGeometry* g : gpts) GEOSGeom_destroy_r(h, g);
    }
    return 0;
}
