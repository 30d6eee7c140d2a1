/// Figures for the outputs on the fusion thread's budget: CoT encoding, CAT062 encoding, SQLite
/// alert commits (WAL, synchronous NORMAL and FULL), per-cycle track history, metric updates.
/// usage: picket_bench_outputs [DIR for the database files, default /tmp]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "src/outputs/alert_store.hpp"
#include "src/outputs/cat062_out.hpp"
#include "src/outputs/cot.hpp"
#include "src/outputs/metrics.hpp"
#include "tests/unit/outputs/test_tracks.hpp"

using namespace picket;
using namespace picket::outputs;
using Clock = std::chrono::steady_clock;

namespace {

double us_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}

std::vector<Track> picture(int n) {
    std::vector<Track> out;
    for (int i = 0; i < n; ++i) {
        Track t = i % 2 ? testing::sample_vessel(static_cast<TrackId>(i + 1))
                        : testing::sample_dark_boat(static_cast<TrackId>(i + 1));
        t.position.lat_deg += 0.001 * i;
        out.push_back(t);
    }
    return out;
}

void bench_alerts(const std::string& path, bool full_sync) {
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
    SqliteStore::Options opt;
    opt.fsync_every_commit = full_sync;
    SqliteStore store(path, opt);
    constexpr int kN = 2000;
    std::vector<double> lat;
    lat.reserve(kN);
    for (int i = 1; i <= kN; ++i) {
        Alert a = testing::sample_alert(static_cast<AlertId>(i));
        const auto t0 = Clock::now();
        store.save_alert(a);
        lat.push_back(us_since(t0));
    }
    std::sort(lat.begin(), lat.end());
    std::printf("save_alert (%s): median %.1f us, p99 %.1f us, max %.1f us over %d commits\n",
                full_sync ? "WAL, synchronous=FULL" : "WAL, synchronous=NORMAL", lat[kN / 2],
                lat[kN * 99 / 100], lat.back(), kN);
}

}  // namespace

int main(int argc, char** argv) {
    const std::string dir = argc > 1 ? argv[1] : "/tmp";
    const Timestamp now = testing::sample_time();

    for (int n : {100, 1000}) {
        const auto tracks = picture(n);
        std::size_t bytes = 0;
        const auto t0 = Clock::now();
        constexpr int kReps = 20;
        for (int r = 0; r < kReps; ++r) {
            for (const Track& t : tracks)
                bytes += cot_event_for_track(t, now, Duration::from_seconds(60)).size();
        }
        const double us = us_since(t0);
        std::printf("cot_event_for_track: %d tracks in %.1f us (%.2f us/event, %zu bytes/event)\n",
                    n, us / kReps, us / (kReps * n), bytes / (kReps * static_cast<std::size_t>(n)));
        const auto t1 = Clock::now();
        std::size_t grams = 0;
        for (int r = 0; r < kReps; ++r) grams += cat062_datagrams(tracks, now, 1, 2).size();
        std::printf("cat062_datagrams: %d tracks in %.1f us (%zu datagrams)\n", n,
                    us_since(t1) / kReps, grams / kReps);
    }

    const std::string db = dir + "/picket-bench-" + std::to_string(::getpid()) + ".db";
    bench_alerts(db, false);
    bench_alerts(db, true);
    {
        std::filesystem::remove(db);
        std::filesystem::remove(db + "-wal");
        SqliteStore store(db);
        auto tracks = picture(500);
        std::vector<double> lat;
        for (int cycle = 0; cycle < 100; ++cycle) {
            for (Track& t : tracks) t.updated = now + Duration::from_seconds(cycle);
            const auto t0 = Clock::now();
            store.save_track_points(tracks);
            lat.push_back(us_since(t0));
        }
        std::sort(lat.begin(), lat.end());
        std::printf("save_track_points: 500 tracks/cycle, median %.0f us, max %.0f us per cycle\n",
                    lat[lat.size() / 2], lat.back());
        const auto t0 = Clock::now();
        const auto pts = store.track_points_between(Timestamp{0}, Timestamp{INT64_MAX});
        std::printf("track_points_between: %zu rows in %.0f us\n", pts.size(), us_since(t0));
    }
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);

    Registry reg;
    Counter& c = reg.counter("bench_total", "bench");
    Histogram& h = reg.histogram("bench_seconds", "bench", default_latency_buckets_s());
    const auto t0 = Clock::now();
    constexpr int kOps = 1'000'000;
    for (int i = 0; i < kOps; ++i) {
        c.inc();
        h.observe(1e-6 * (i % 5000));
    }
    std::printf("metrics: counter inc + histogram observe %.1f ns/op\n",
                us_since(t0) * 1000.0 / kOps);
    const auto t1 = Clock::now();
    const std::string text = reg.render_prometheus();
    std::printf("render_prometheus: %zu bytes in %.1f us\n", text.size(), us_since(t1));
    return 0;
}
