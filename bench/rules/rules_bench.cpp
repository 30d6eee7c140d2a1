// Rule engine cycle time: every rule kind over 10,000 live tracks moving at 1 Hz in the Timor
// region. Goal (issue #4/#5): <= 10 ms per cycle. Prints median, p99 and max per cycle, the
// first (cold) cycle, geometry queries per cycle and alerts raised.
//
//   build-NAME/bench/rules/picket_bench_rules [tracks=10000] [cycles=300] [rule-file]
//
// Zones: a rule file when given (e.g. config/rules/timor.yaml over data/borders/timor.gpkg),
// otherwise the embedded simplified Timor below (West Timor with the Oecusse enclave as a hole,
// Timor-Leste sharing its land border, a territorial-sea box), which needs no data files.
// Benchmarks may read the clock; the engine never does.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "config/yaml_reader.hpp"
#include "geo/local_frame.hpp"
#include "rules/rule_engine.hpp"
#include "rules/rule_file.hpp"

namespace {

const char* kSyntheticTimor = R"yaml(
layers:
  - name: timor
    zones:
      - name: IDN
        wkt: "POLYGON((123.4 -10.4, 123.6 -9.9, 124.0 -9.3, 124.95 -8.95, 125.05 -9.3, 125.1 -9.6, 124.7 -10.1, 124.0 -10.4, 123.4 -10.4),(124.1 -9.35, 124.4 -9.3, 124.45 -9.5, 124.1 -9.55, 124.1 -9.35))"
      - name: OEC
        wkt: "POLYGON((124.1 -9.35, 124.4 -9.3, 124.45 -9.5, 124.1 -9.55, 124.1 -9.35))"
      - name: TLS
        wkt: "POLYGON((124.95 -8.95, 125.6 -8.6, 126.4 -8.45, 127.3 -8.35, 127.1 -8.75, 126.2 -9.0, 125.5 -9.35, 125.1 -9.6, 125.05 -9.3, 124.95 -8.95))"
      - name: TLS_SEA
        wkt: "POLYGON((124.8 -8.7, 127.5 -8.1, 127.5 -9.0, 125.3 -9.9, 124.9 -9.6, 124.8 -8.7))"
      - name: BOX
        wkt: "POLYGON((123 -11, 127.5 -11, 127.5 -7.5, 123 -7.5, 123 -11))"
lines:
  - {name: IDN-TLS, between: [IDN, TLS]}
  - {name: TLS-SEA-LIMIT, boundary_of: TLS_SEA}
exemptions:
  mmsi: [525000001]
rules:
  - {name: enter-sea, kind: zone_entry, zone: TLS_SEA, severity: high, escalate_after: 5min}
  - {name: leave-sea, kind: zone_exit, zone: TLS_SEA}
  - {name: in-oecusse, kind: zone_presence, zone: OEC, dwell: 1min}
  - {name: cross-land, kind: border_crossing, line: IDN-TLS}
  - {name: cross-sea, kind: border_crossing, line: TLS-SEA-LIMIT, to: TLS_SEA}
  - {name: approach-sea, kind: approach, zone: TLS_SEA, time_to_reach: 10min, distance_m: 2000}
  - {name: approach-land, kind: approach, line: IDN-TLS, distance_m: 3000}
  - {name: fast, kind: speeding, zone: TLS_SEA, max_speed_kn: 20}
  - {name: dark-sea, kind: dark_target, zone: TLS_SEA}
  - {name: dark-border, kind: dark_target, line: IDN-TLS, within_m: 2000}
  - {name: gap, kind: ais_gap, gap: 10min}
  - {name: loiter, kind: loitering, zone: BOX}
  - {name: meet, kind: rendezvous}
  - {name: anomaly, kind: ais_anomaly}
  - {name: ugs, kind: ground_detection, line: IDN-TLS, within_m: 1000}
)yaml";

/// This thread's CPU time (ms): on a shared, loaded machine the wall clock also counts the
/// time other processes held the CPU; both are reported.
double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(std::min<double>(
        static_cast<double>(v.size() - 1), std::floor(p * static_cast<double>(v.size()))));
    return v[i];
}

}  // namespace

int main(int argc, char** argv) {
    using namespace picket;
    const int n_tracks = argc > 1 ? std::atoi(argv[1]) : 10'000;
    const int cycles = argc > 2 ? std::atoi(argv[2]) : 300;
    rules::RuleBook book =
        argc > 3 ? rules::load_rule_file(argv[3])
                 : rules::parse_rule_file(
                       config::Node::load_string(kSyntheticTimor, "synthetic-timor"), ".");
    const std::size_t n_rules = book.rules.size();
    // The engine prepares its zones' distance indexes when it is made (at the server's start).
    const auto built0 = std::chrono::steady_clock::now();
    rules::RuleEngine engine(std::move(book));
    const double build_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - built0)
            .count();

    std::mt19937_64 rng(20261125);
    std::uniform_real_distribution<double> lon(123.0, 127.5);
    std::uniform_real_distribution<double> lat(-11.0, -7.5);
    std::uniform_real_distribution<double> course(0, 360);
    std::uniform_real_distribution<double> unit(0, 1);
    const Timestamp t0 = Timestamp::from_unix_seconds(1'800'000'000);
    std::vector<Track> tracks(static_cast<std::size_t>(n_tracks));
    for (std::size_t i = 0; i < tracks.size(); ++i) {
        Track& t = tracks[i];
        t.id = i + 1;
        t.status = TrackStatus::confirmed;
        t.born = t0;
        t.position = {lat(rng), lon(rng)};
        // 15 % slow (loitering, rendezvous candidates), the rest up to 25 kn.
        const double kn = unit(rng) < 0.15 ? 1.5 * unit(rng) : 25 * unit(rng);
        const double c = course(rng) * 3.14159265358979323846 / 180;
        t.east_mps = kn * 1852 / 3600 * std::sin(c);
        t.north_mps = kn * 1852 / 3600 * std::cos(c);
        if (unit(rng) < 0.5) {
            t.identity = Identity{.mmsi = static_cast<Mmsi>(525'000'000 + i)};
            t.last_ais = t0;
        }
    }

    std::vector<double> ms;
    std::vector<double> cpu_ms;
    double first_ms = 0;
    std::uint64_t queries_before = 0;
    std::size_t alerts = 0;
    Timestamp now = t0;
    for (int c = 0; c <= cycles; ++c) {
        now += Duration::from_seconds(1);
        for (auto& t : tracks) {
            const double v = t.speed_mps();
            if (v > 0) t.position = geo::geodesic_destination(t.position, t.course_deg(), v);
            t.updated = now;
            // Identified tracks report AIS every 10 s, except every 7th, which has gone quiet.
            if (t.identity && t.id % 7 != 0 && c % 10 == 0) t.last_ais = now;
        }
        const double cpu_start = thread_cpu_ms();
        const auto start = std::chrono::steady_clock::now();
        engine.evaluate(tracks, now);
        const auto stop = std::chrono::steady_clock::now();
        const double cpu = thread_cpu_ms() - cpu_start;
        alerts += engine.take_alert_updates().size();
        const double dt = std::chrono::duration<double, std::milli>(stop - start).count();
        if (c == 0) {
            first_ms = dt;
            queries_before = engine.stats().geometry_queries;
        } else {
            ms.push_back(dt);
            cpu_ms.push_back(cpu);
        }
    }
    const auto st = engine.stats();
    const double q_per_cycle =
        static_cast<double>(st.geometry_queries - queries_before) / static_cast<double>(cycles);
    std::printf("rules bench: %d tracks, %zu compiled rules, %d cycles at 1 Hz\n", n_tracks,
                n_rules, cycles);
    std::printf("  engine made (distance indexes prepared): %.2f ms\n", build_ms);
    std::printf("  first (cold) cycle: %.2f ms\n", first_ms);
    std::printf("  per cycle, wall: median %.2f ms, p99 %.2f ms, max %.2f ms (goal <= 10 ms)\n",
                percentile(ms, 0.5), percentile(ms, 0.99), percentile(ms, 1.0));
    std::printf("  per cycle, thread CPU time: median %.2f ms, p99 %.2f ms\n",
                percentile(cpu_ms, 0.5), percentile(cpu_ms, 0.99));
    std::printf(
        "  geometry queries per cycle: %.0f; rendezvous pairs timed: %zu; alert updates: %zu\n",
        q_per_cycle, st.rendezvous_pairs, alerts);
    return 0;
}
