#include <cstdio>

#include "config/yaml_reader.hpp"
#include "src/commands/args.hpp"
#include "src/commands/commands.hpp"
#include "src/server.hpp"

namespace picket::cli {

int run_serve(int argc, char** argv) {
    const Args args(argc, argv, {"config", "clock-start", "clock-speed", "http-port"},
                    {"quiet", "standby"});
    if (args.help() || !args.get("config")) {
        std::FILE* out = args.help() ? stdout : stderr;
        std::fprintf(
            out,
            "usage: picket serve --config FILE [options]\n\n"
            "Runs the server: receives the feeds named in FILE over ZeroMQ, tracks, evaluates\n"
            "the rules and publishes tracks and alerts (docs/configuration.md, "
            "docs/protocol.md).\n\n"
            "  --config FILE        server configuration (YAML)\n"
            "  --clock-start ISO    start the server clock at this UTC time (default: now; to\n"
            "                       replay an old capture, the capture's start)\n"
            "  --clock-speed N      run the clock N times faster (with `picket sim --speed N`),\n"
            "                       0 < N <= 10000\n"
            "  --http-port N        control room port (overrides the config; 0 = any free port)\n"
            "  --quiet              less logging\n"
            "  --standby            hot standby: follow the primary at the config's\n"
            "                       standby.endpoint, muted, and take over when it is gone\n"
            "                       (docs/deployment.md, \"Hot standby\")\n\n"
            "Stops cleanly on Ctrl-C or SIGTERM.\n");
        return args.help() ? 0 : 2;
    }
    server::ServerConfig config;
    try {
        config = server::load_server_config(*args.get("config"));
    } catch (const config::ConfigError& e) {
        std::fprintf(stderr, "picket serve: configuration error: %s\n", e.what());
        return 2;
    }
    server::ServeOptions options;
    if (auto s = args.get("clock-start")) {
        options.clock_start = parse_iso8601(*s);
        if (!options.clock_start) {
            std::fprintf(stderr, "picket serve: --clock-start: not an ISO 8601 UTC time: %s\n",
                         s->c_str());
            return 2;
        }
    }
    if (args.has("clock-speed")) {
        // 0 would stop the clock (no tick, no coasting, ever) and a negative speed run it
        // backwards: refused, like the config's clock.speed.
        const double speed = args.number("clock-speed", 1.0);
        if (!(speed > 0 && speed <= server::kMaxClockSpeed)) {
            std::fprintf(stderr,
                         "picket serve: --clock-speed must be within (0, %g] (virtual seconds per "
                         "wall second), got %s\n",
                         server::kMaxClockSpeed, args.get("clock-speed")->c_str());
            return 2;
        }
        options.clock_speed = speed;
    }
    if (args.has("http-port"))
        options.http_port = static_cast<std::uint16_t>(args.number("http-port", 8080));
    options.quiet = args.has("quiet");
    options.standby = args.has("standby");
    server::Server server(std::move(config), options);
    return server::run_server_until_signal(server);
}

}  // namespace picket::cli
