// `picket sim SCENARIO`: runs a scenario and publishes its sensor feeds on ZeroMQ.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>

#include "core/time.hpp"
#include "sim/scenario_loader.hpp"
#include "src/commands/args.hpp"
#include "src/commands/commands.hpp"
#include "src/commands/sim_publisher.hpp"
#include "src/commands/sim_recording.hpp"

namespace picket::cli {
namespace {

std::atomic<bool> g_stop{false};
void on_sim_signal(int) { g_stop.store(true); }

constexpr const char* kHelp =
    R"(usage: picket sim SCENARIO [--speed N | --fast] [--truth DIR] [--duration T]
                  [--start now|ISO8601] [--seed N] [--wait SECONDS] [--quiet]
       picket sim SCENARIO --record DIR --config SERVER.yaml [--truth DIR] [...]

Runs a simulation scenario (config/scenarios/*.yaml) and publishes every sensor feed it
defines on its ZeroMQ endpoint (PUB sockets, bound here; the server's feeds connect).

  --speed N       scenario seconds per wall-clock second (default 1: real time)
  --fast          as fast as the subscribers consume (no pacing, no drops)
  --truth DIR     write DIR/truth.csv (time,truth_id,x,y,... per target per second; x,y metres
                  east/north of the scenario origin) and DIR/events.jsonl (truth events)
  --duration T    override the scenario duration (30s, 5min, 2h)
  --start WHEN    scenario start: now, or an ISO 8601 UTC time (default: the file's)
  --seed N        override the scenario seed
  --wait S        seconds to wait for subscribers after binding (default 1)
  --quiet         no progress lines
  --record DIR    no sockets: write the scenario, as fast as it can be simulated, into a
                  recording as `picket serve --config SERVER.yaml` would have made it from the
                  scenario's feeds; then `picket replay DIR` runs it through the pipeline
  --config FILE   the server config whose feeds read the scenario's endpoints (with --record);
                  its rule file defines the truth events
  --rules FILE    truth events are what this rule file's rules should raise (default: the
                  config's rule file, else the scenario's truth.rules, else its truth keys)
)";

double parse_duration(const std::string& text) {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    const std::string unit(end);
    if (end == text.c_str()) throw std::runtime_error("bad duration '" + text + "'");
    if (unit.empty() || unit == "s") return v;
    if (unit == "ms") return v / 1000;
    if (unit == "min") return v * 60;
    if (unit == "h") return v * 3600;
    throw std::runtime_error("bad duration unit in '" + text + "' (ms, s, min, h)");
}

Timestamp wall_now() {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    return Timestamp{ns.count()};
}

}  // namespace

int run_sim(int argc, char** argv) {
    try {
        const Args args(
            argc, argv,
            {"speed", "truth", "duration", "start", "seed", "wait", "record", "config", "rules"},
            {"fast", "quiet"});
        if (args.help()) {
            std::cout << kHelp;
            return 0;
        }
        if (args.positional().size() != 1) {
            std::cerr << kHelp;
            return 2;
        }
        const sim::Scenario scenario = sim::load_scenario(args.positional()[0]);
        SimRunOptions opt;
        opt.speed = args.number("speed", 1.0);
        opt.fast = args.has("fast");
        if (opt.fast && args.has("speed"))
            throw std::runtime_error("give --speed or --fast, not both");
        if (!opt.fast && !(opt.speed > 0)) throw std::runtime_error("--speed must be > 0");
        opt.truth_dir = args.get("truth").value_or("");
        opt.rules_file = args.get("rules").value_or("");
        if (auto d = args.get("duration")) opt.duration_s = parse_duration(*d);
        if (auto s = args.get("seed")) opt.seed = static_cast<std::uint64_t>(std::stoull(*s));
        opt.slow_joiner_wait_s = args.number("wait", 1.0);
        const std::string start = args.get("start").value_or(scenario.start ? "file" : "now");
        if (start == "now") {
            opt.start = wall_now();
        } else if (start == "file") {
            opt.start = *scenario.start;
        } else if (auto t = parse_iso8601(start)) {
            opt.start = *t;
        } else {
            throw std::runtime_error("--start: expected now or an ISO 8601 time, got '" + start +
                                     "'");
        }
        if (!args.has("quiet"))
            opt.progress = [](const std::string& line) { std::cerr << line << '\n'; };

        if (const auto dir = args.get("record")) {
            const auto config_path = args.get("config");
            if (!config_path)
                throw std::runtime_error(
                    "--record needs --config SERVER.yaml (its feeds name the recording's feeds)");
            if (args.has("speed") || args.has("fast"))
                throw std::runtime_error("--record runs as fast as it can: no --speed/--fast");
            const server::ServerConfig config = server::load_server_config(*config_path);
            if (opt.rules_file.empty()) opt.rules_file = config.rules_file;
            const SimRecordingResult r = run_sim_to_recording(scenario, opt, config, *dir);
            std::fprintf(stderr,
                         "sim: recorded %llu messages (%llu bytes) into %s in %.1f s; %llu for no "
                         "feed of the config; "
                         "%llu truth events\n",
                         static_cast<unsigned long long>(r.run.messages),
                         static_cast<unsigned long long>(r.run.bytes), dir->c_str(), r.run.wall_s,
                         static_cast<unsigned long long>(r.unmatched),
                         static_cast<unsigned long long>(r.run.truth_events));
            return r.unmatched == 0 ? 0 : 1;
        }
        std::signal(SIGINT, on_sim_signal);
        std::signal(SIGTERM, on_sim_signal);
        std::cerr << "sim: " << scenario.name << " from " << to_iso8601(opt.start)
                  << (opt.fast ? " (fast)" : "") << '\n';
        const SimRunResult r = run_sim_publisher(scenario, opt, g_stop);
        std::fprintf(stderr,
                     "sim: %s after %llu messages (%llu bytes) in %.1f s wall, %.0f msg/s; %llu "
                     "truth events\n",
                     r.stopped ? "stopped" : "finished",
                     static_cast<unsigned long long>(r.messages),
                     static_cast<unsigned long long>(r.bytes), r.wall_s,
                     r.wall_s > 0 ? static_cast<double>(r.messages) / r.wall_s : 0.0,
                     static_cast<unsigned long long>(r.truth_events));
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "picket sim: " << e.what() << '\n';
        return 1;
    }
}

}  // namespace picket::cli
