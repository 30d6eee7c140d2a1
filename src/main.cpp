// picket: one binary, one subcommand per job (docs/architecture.md).
#include <cstdio>
#include <cstring>
#include <exception>
#include <string_view>

#include "config/yaml_reader.hpp"
#include "src/commands/commands.hpp"
#include "version.hpp"

namespace {

struct Command {
    const char* name;
    int (*run)(int, char**);
    const char* summary;
};

constexpr Command kCommands[] = {
    {"demo", picket::cli::run_demo,
     "simulator + server + control room on the Timor border (embedded defaults)"},
    {"serve", picket::cli::run_serve, "run the server: feeds in, tracks and alerts out"},
    {"sim", picket::cli::run_sim, "publish a simulated scenario on the real wire formats"},
    {"replay", picket::cli::run_replay, "run a recording through the pipeline again, identically"},
    {"decode", picket::cli::run_decode, "decode a feed (AIS NMEA, ...) to JSON lines"},
    {"track", picket::cli::run_track, "batch tracking over a CSV of detections"},
    {"score", picket::cli::run_score,
     "OSPA/GOSPA and track metrics against truth; alerts against events"},
    {"zones", picket::cli::run_zones,
     "which zones of a border layer contain points, and how far the border is"},
    {"export", picket::cli::run_export,
     "write tracks and alerts from the database to a GeoPackage"},
    {"keygen", picket::cli::run_keygen, "write a CurveZMQ key pair for a feed or an operator"},
};

void usage(std::FILE* out) {
    std::fprintf(out,
                 "picket %s: sensor fusion and tracking for border and coastal surveillance\n\n"
                 "usage: picket COMMAND [options]     (picket COMMAND --help for its options)\n\n"
                 "commands:\n",
                 picket::kVersion);
    for (const Command& c : kCommands) std::fprintf(out, "  %-8s %s\n", c.name, c.summary);
    std::fprintf(out, "\n  --version  print the version\n  --help     this text\n");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const std::string_view cmd = argv[1];
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
        usage(stdout);
        return 0;
    }
    if (cmd == "--version") {
        std::printf("picket %s\n", picket::kVersion);
        return 0;
    }
    for (const Command& c : kCommands) {
        if (cmd != c.name) continue;
        try {
            return c.run(argc - 1, argv + 1);
        } catch (const picket::config::ConfigError& e) {
            // Wherever it surfaced (the server config, a rule file, a border layer it names):
            // the same message form and exit code as any other configuration error.
            std::fprintf(stderr, "picket %s: configuration error: %s\n", c.name, e.what());
            return 2;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "picket %s: %s\n", c.name, e.what());
            return 1;
        }
    }
    std::fprintf(stderr, "picket: unknown command '%.*s'\n\n", static_cast<int>(cmd.size()),
                 cmd.data());
    usage(stderr);
    return 2;
}
