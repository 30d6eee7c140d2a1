// Replay throughput on a busy coast: simulates a scenario (default 24 h of
// config/scenarios/busy-coast.yaml: ~500 vessels, 2 radars, AIS) straight into a recording, then
// replays it as fast as possible, three times, to show where the time goes:
//   decode only  -> every feed decoder over every message, into a sink that counts
//   + tracking   -> the FusionEngine without rules
//   full         -> the FusionEngine with the benchmark rule file
//   full, 2 thr  -> the same, rules and output on a second thread (as `picket replay` runs)
// Run from the repository root:
//   picket_bench_replay [SCENARIO] [SERVER_CONFIG] [HOURS]
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "sim/scenario_loader.hpp"
#include "sim/simulator.hpp"
#include "src/record/offline_recording.hpp"
#include "src/record/recording_reader.hpp"
#include "src/replay.hpp"

using namespace picket;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

class CountingSink final : public sensors::DecodeSink {
public:
    void measurement(Measurement) override { ++measurements; }
    void identity(const Identity&, Timestamp) override {}
    void anomaly(std::string_view, std::optional<Mmsi>, LatLon, Timestamp) override {}
    void rejected(const DecodeError&) override { ++rejected_count; }
    std::uint64_t measurements{0}, rejected_count{0};
};

class CountingOutput final : public server::EngineOutput {
public:
    void publish(std::string_view, const std::string& json) override {
        ++messages;
        bytes += json.size();
    }
    std::uint64_t messages{0}, bytes{0};
};

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    const std::string scenario_path = argc > 1 ? argv[1] : "config/scenarios/busy-coast.yaml";
    const std::string config_path = argc > 2 ? argv[2] : "config/bench/busy-coast-server.yaml";
    const double hours = argc > 3 ? std::stod(argv[3]) : 24.0;
    const fs::path dir = fs::temp_directory_path() / "picket-bench-replay";
    fs::remove_all(dir);

    const server::ServerConfig config = server::load_server_config(config_path);

    // 1. Simulate into a recording laid out as the live server records (ticks every second).
    const sim::Scenario scenario = sim::load_scenario(scenario_path);
    sim::SimOptions so;
    so.duration_s = hours * 3600.0;
    if (!scenario.start) so.start = Timestamp::from_unix_seconds(1'795'564'800);
    auto t0 = Clock::now();
    std::uint64_t recorded = 0, unknown = 0;
    {
        sim::Simulator simulator(scenario, so);
        record::OfflineRecording rec(config, dir.string(), simulator.start());
        sim::SimMessage m;
        while (simulator.next(m)) rec.add(m.endpoint, m.time, m.bytes);
        rec.finish(simulator.end());
        recorded = rec.messages();
        unknown = rec.unmatched();
    }
    const double sim_s = seconds_since(t0);
    std::uint64_t rec_bytes = 0;
    for (const auto& e : fs::directory_iterator(dir)) rec_bytes += e.file_size();
    std::printf(
        "scenario %s, %.1f h: simulated and recorded %llu messages (%.0f MB, %llu for no feed) in "
        "%.1f s "
        "(%.0f msg/s)\n",
        scenario_path.c_str(), hours, static_cast<unsigned long long>(recorded), rec_bytes / 1e6,
        static_cast<unsigned long long>(unknown), sim_s, recorded / sim_s);

    // 2. Decode only.
    {
        std::vector<std::unique_ptr<sensors::FeedDecoder>> decoders;
        for (const auto& f : config.feeds) decoders.push_back(sensors::make_feed_decoder(f.params));
        CountingSink sink;
        record::RecordingReader reader(dir.string());
        t0 = Clock::now();
        std::uint64_t n = 0;
        while (auto r = reader.next()) {
            if (r->type != record::RecordType::message) continue;
            decoders[r->feed]->decode(r->payload, r->time, sink);
            ++n;
        }
        const double s = seconds_since(t0);
        std::printf(
            "decode only : %7.2f s  %9.0f msg/s  %6.0fx real time  (%llu measurements, %llu "
            "rejected)\n",
            s, n / s, hours * 3600 / s, static_cast<unsigned long long>(sink.measurements),
            static_cast<unsigned long long>(sink.rejected_count));
    }
    // 3. Engine without rules, then with them; then with them and the output half (rules, JSON)
    // on a thread of its own, as `picket replay` runs it.
    struct Run {
        const char* name;
        bool rules;
        server::OutputThreading threading;
    };
    for (const Run& run : {Run{"+ tracking  ", false, server::OutputThreading::inline_},
                           Run{"full        ", true, server::OutputThreading::inline_},
                           Run{"full, 2 thr ", true, server::OutputThreading::worker}}) {
        server::ServerConfig c = config;
        if (!run.rules) c.rules_file.clear();
        CountingOutput out;
        server::FusionEngine engine(c, out, run.threading);
        server::ReplayControl control;
        t0 = Clock::now();
        const auto stats = server::run_replay(dir.string(), engine, {}, control);
        const double s = seconds_since(t0);
        const auto& tc = engine.tracker().counters();
        std::printf(
            "%s: %7.2f s  %9.0f msg/s  %6.0fx real time  (%llu published, %llu confirmed tracks "
            "over the run, "
            "%zu live at the end, %zu open alerts)\n",
            run.name, s, stats.messages / s, hours * 3600 / s,
            static_cast<unsigned long long>(out.messages),
            static_cast<unsigned long long>(tc.confirmed), engine.tracker().tracks().size(),
            engine.alerts().size());
    }
    fs::remove_all(dir);
    return 0;
}
