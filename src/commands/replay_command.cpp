#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "config/yaml_reader.hpp"
#include "src/commands/args.hpp"
#include "src/commands/commands.hpp"
#include "src/replay.hpp"

namespace picket::cli {
namespace {

/// Writes every published message as "topic json" lines: the same bytes as the server's
/// outputs.track_log, so a live run and its replay can be compared with cmp(1).
class LineWriter final : public server::EngineOutput {
public:
    explicit LineWriter(std::FILE* out) : out_(out) {}
    void publish(std::string_view topic, const std::string& json) override {
        ++count_;
        if (!out_) return;
        std::fwrite(topic.data(), 1, topic.size(), out_);
        std::fputc(' ', out_);
        std::fwrite(json.data(), 1, json.size(), out_);
        std::fputc('\n', out_);
    }
    std::uint64_t count_{0};

private:
    std::FILE* out_;
};

void draw_progress(std::uint64_t done, std::uint64_t total, Timestamp t, double wall_s) {
    const double frac = total ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
    const double rate = wall_s > 0 ? static_cast<double>(done) / wall_s / 1e6 : 0;
    const double eta = frac > 0 ? wall_s * (1 - frac) / frac : 0;
    char bar[31];
    const int filled = static_cast<int>(frac * 30);
    for (int i = 0; i < 30; ++i) bar[i] = i < filled ? '#' : '.';
    bar[30] = 0;
    std::fprintf(stderr, "\r[%s] %5.1f%%  %s  %6.1f MB/s  ETA %4.0fs ", bar, frac * 100,
                 to_iso8601(t).c_str(), rate, eta);
    std::fflush(stderr);
}

}  // namespace

int run_replay(int argc, char** argv) {
    const Args args(argc, argv, {"from", "to", "speed", "config", "out", "threads"},
                    {"fast", "quiet", "status"});
    if (args.help() || args.positional().size() != 1) {
        std::fprintf(
            args.help() ? stdout : stderr,
            "usage: picket replay RECORDING [--from ISO] [--to ISO] [--speed N | --fast]\n"
            "                     [--config FILE] [--out FILE] [--threads 1|2]\n\n"
            "Runs a recording made by `picket serve` (outputs.recording) through the whole\n"
            "pipeline again. The same recording and config give byte-identical tracks and\n"
            "alerts, at any speed.\n\n"
            "  --from, --to ISO   replay only this window (UTC)\n"
            "  --speed N          N times real time (default: --fast, as fast as possible)\n"
            "  --config FILE      server config (default: the one the recording was made with)\n"
            "  --out FILE         write every published message as 'topic json' lines ('-' = "
            "stdout)\n"
            "  --status           print the engine's feed health and counters at the end (JSON)\n"
            "  --threads N        2 (default): rules and output on a second thread, beside\n"
            "                     decoding and tracking; 1: all on one (same output)\n"
            "  --quiet            no progress bar\n");
        return args.help() ? 0 : 2;
    }
    const std::string dir = args.positional()[0];
    std::string config_path = args.get("config").value_or(server::recorded_config_path(dir));
    if (config_path.empty())
        throw std::runtime_error("no --config given and the recording does not name its config");
    server::ServerConfig config;
    try {
        config = server::load_server_config(config_path);
    } catch (const config::ConfigError& e) {
        std::fprintf(stderr, "picket replay: configuration error: %s\n", e.what());
        return 2;
    }
    server::ReplayOptions options;
    for (const char* key : {"from", "to"}) {
        if (auto v = args.get(key)) {
            auto t = parse_iso8601(*v);
            if (!t)
                throw std::runtime_error(std::string("--") + key +
                                         ": not an ISO 8601 UTC time: " + *v);
            (std::string(key) == "from" ? options.from : options.to) = t;
        }
    }
    if (args.has("speed") && args.has("fast"))
        throw std::runtime_error("--speed and --fast exclude each other");
    options.speed = args.has("speed") ? args.number("speed", 0) : 0;
    if (args.has("speed") && options.speed <= 0)
        throw std::runtime_error("--speed must be positive");

    std::FILE* out = nullptr;
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> owned(nullptr, std::fclose);
    if (auto path = args.get("out")) {
        if (*path == "-") {
            out = stdout;
        } else {
            owned.reset(std::fopen(path->c_str(), "we"));
            if (!owned) throw std::runtime_error("cannot write " + *path);
            out = owned.get();
        }
    }
    LineWriter writer(out);
    const double threads = args.has("threads") ? args.number("threads", 2) : 2;
    if (threads != 1 && threads != 2) throw std::runtime_error("--threads must be 1 or 2");
    // Tracking on this thread, rules and output on another: the same bytes, sooner.
    server::FusionEngine engine(
        config, writer,
        threads == 2 ? server::OutputThreading::worker : server::OutputThreading::inline_);
    server::ReplayControl control;
    const bool show = !args.has("quiet") && ::isatty(STDERR_FILENO) && out != stdout;
    const auto wall0 = std::chrono::steady_clock::now();
    if (show) {
        control.progress = [&](std::uint64_t done, std::uint64_t total, Timestamp t) {
            draw_progress(
                done, total, t,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count());
        };
    }
    const server::ReplayStats s = server::run_replay(dir, engine, options, control);
    if (show) std::fputc('\n', stderr);
    const double span = s.first && s.last ? (*s.last - *s.first).seconds() : 0;
    std::fprintf(
        stderr,
        "replayed %llu messages, %llu ticks, %llu commands (%.1f MB) covering %.0f s of recording "
        "in %.2f s wall: %.0fx real time; published %llu messages%s\n",
        static_cast<unsigned long long>(s.messages), static_cast<unsigned long long>(s.ticks),
        static_cast<unsigned long long>(s.commands), static_cast<double>(s.bytes) / 1e6, span,
        s.wall_s, s.wall_s > 0 ? span / s.wall_s : 0.0,
        static_cast<unsigned long long>(writer.count_),
        s.corrupt ? " (stopped at a torn record)" : "");
    if (args.has("status")) std::printf("%s\n", engine.status_json().c_str());
    return 0;
}

}  // namespace picket::cli
