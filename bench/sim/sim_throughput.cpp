// Simulator throughput: generates a scenario as fast as possible (no sockets, no pacing) and
// reports messages and bytes per second of wall time, per feed format, and the speed-up over
// real time. The brief's figure: a 24-hour busy coast (~500 vessels, 2 radars, AIS).
//
//   picket_bench_sim [SCENARIO] [--duration SECONDS] [--events]
//   default SCENARIO: config/scenarios/busy-coast.yaml (run from the repository root)
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>

#include "sim/scenario_loader.hpp"
#include "sim/simulator.hpp"

using namespace picket;

int main(int argc, char** argv) {
    std::string path = "config/scenarios/busy-coast.yaml";
    sim::SimOptions opt;
    bool events = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--duration") == 0 && i + 1 < argc) {
            opt.duration_s = std::atof(argv[++i]);
        } else if (std::strcmp(argv[i], "--events") == 0) {
            events = true;
        } else {
            path = argv[i];
        }
    }
    const sim::Scenario scenario = sim::load_scenario(path);
    if (!scenario.start) opt.start = Timestamp{1'764'028'800LL * kNsPerSecond};

    const auto t0 = std::chrono::steady_clock::now();
    sim::Simulator simulator(scenario, opt);
    const auto t1 = std::chrono::steady_clock::now();
    std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> per_feed;  // messages, bytes
    sim::SimMessage m;
    std::uint64_t n = 0, bytes = 0;
    while (simulator.next(m)) {
        ++n;
        bytes += m.bytes.size();
        auto& f = per_feed[m.feed_id];
        ++f.first;
        f.second += m.bytes.size();
    }
    const auto t2 = std::chrono::steady_clock::now();
    const double setup_s = std::chrono::duration<double>(t1 - t0).count();
    const double run_s = std::chrono::duration<double>(t2 - t1).count();
    const double scenario_s = (simulator.end() - simulator.start()).seconds();

    std::printf("scenario %s: %zu targets, %.0f s of scenario time, %zu truth events\n",
                scenario.name.c_str(), simulator.targets().size(), scenario_s,
                simulator.truth_events().size());
    std::printf("setup (paths, truth events): %.2f s\n", setup_s);
    std::printf(
        "generated %llu messages, %.1f MB in %.2f s: %.0f messages/s, %.1f MB/s, %.0fx real time\n",
        static_cast<unsigned long long>(n), static_cast<double>(bytes) / 1e6, run_s,
        static_cast<double>(n) / run_s, static_cast<double>(bytes) / 1e6 / run_s,
        scenario_s / run_s);
    for (const auto& [feed, f] : per_feed)
        std::printf("  %-20s %10llu messages %8.1f MB\n", feed.c_str(),
                    static_cast<unsigned long long>(f.first), static_cast<double>(f.second) / 1e6);
    if (events)
        for (const auto& e : simulator.truth_events()) std::printf("%s\n", sim::to_json(e).c_str());
    return 0;
}
