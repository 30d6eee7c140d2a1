// `picket demo`: the simulator, the server and the control room together on the Timor border,
// from the files in config/ (no arguments needed). The demo's clock starts now and runs --speed
// times faster than real time; the simulator runs at the same speed, so what the operator sees is
// the scenario in fast-forward with real timestamps.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <thread>

#include "config/yaml_reader.hpp"
#include "sim/scenario_loader.hpp"
#include "src/commands/args.hpp"
#include "src/commands/commands.hpp"
#include "src/commands/demo_sectors.hpp"
#include "src/commands/sim_publisher.hpp"
#include "src/io/virtual_clock.hpp"
#include "src/server.hpp"
#include "version.hpp"

namespace picket::cli {
namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_stop{false};
extern "C" void on_demo_signal(int) { g_stop = true; }

constexpr const char* kHelp =
    "usage: picket demo [--speed N] [--http-port N] [--duration T] [--sectors N] [--exit-at-end]\n"
    "                   [--quiet]\n\n"
    "Runs the simulator, the server and the control room together on the Timor border\n"
    "(config/demo/server.yaml + config/scenarios/timor-demo.yaml): radars on the north coast, AIS\n"
    "traffic in the Ombai and Wetar straits, a fast boat crossing the sea border with AIS off, a\n"
    "fishing boat loitering, a rendezvous at sea, people crossing the land border into Oecusse.\n\n"
    "  --speed N       scenario seconds per wall second (default 10)\n"
    "  --http-port N   control room port (default 8080; 0 = any free port)\n"
    "  --duration T    scenario length in seconds (default: the scenario's 45 min)\n"
    "  --sectors N     split the sensors over N sector servers (1-8) and fuse their track\n"
    "                  streams in a regional server, which the control room shows\n"
    "                  (docs/deployment.md); sector i publishes on 127.0.0.1:5710+2i\n"
    "  --exit-at-end   stop when the scenario ends (default: keep serving until Ctrl-C)\n"
    "  --quiet         no progress lines\n\n"
    "Each run writes its recording and database under data/demo/run-<time>/.\n";

void print_banner(const server::Server& srv, const std::string& run_dir, double speed,
                  double duration_s) {
    const auto& o = srv.config().outputs;
    std::printf(
        "\npicket demo: the Timor border, %.0f min of scenario at %gx (%.1f min wall)\n\n"
        "  control room   http://127.0.0.1:%u/   (operator token: %s)\n"
        "  metrics        http://127.0.0.1:%u/metrics\n"
        "  ZeroMQ out     %s (PUB: track, alert), snapshot %s, commands %s\n"
        "  recording      %s/recording   (replay: picket replay %s/recording --speed 20)\n\n"
        "Watch for, in scenario time (alerts appear in the control room's queue):\n"
        "  0:00  a dark fishing boat loitering 12 km off Dili                       dark target, "
        "loitering\n"
        "  0:45  fast boat 'kilat' switches its AIS off west of Atauro              AIS gap\n"
        "  1:08  'kilat' crosses the sea border into Timor-Leste waters             border "
        "crossing, speeding\n"
        "  3:30  cargo 'lorosae-star' spoofs its AIS position in the Wetar strait   AIS anomaly\n"
        "  4:47  two people cross the land border into Oecusse (again at 5:44),\n"
        "        seen by ground sensors and a camera                                border "
        "crossing, ground detection\n"
        "  5:51  skiff 'sombra' meets the anchored 'mae-do-mar' off Baucau          rendezvous\n\n"
        "Ctrl-C stops.\n\n",
        duration_s / 60.0, speed, duration_s / 60.0 / speed, srv.http_port(),
        srv.http_token().c_str(), srv.http_port(), o.publish.c_str(), o.snapshot.c_str(),
        o.commands.empty() ? "off (the control room's)" : o.commands.c_str(), run_dir.c_str(),
        run_dir.c_str());
    std::fflush(stdout);
}

}  // namespace

int run_demo(int argc, char** argv) {
    const Args args(argc, argv, {"speed", "http-port", "duration", "sectors"},
                    {"exit-at-end", "quiet"});
    if (args.help()) {
        std::fputs(kHelp, stdout);
        return 0;
    }
    const double speed = args.number("speed", 10);
    if (!(speed > 0)) throw std::runtime_error("--speed must be positive");
    // The demo's files are addressed relative to the source tree it was built from.
    fs::current_path(kSourceDir);
    if (!fs::exists("data/borders/timor.gpkg"))
        throw std::runtime_error("data/borders/timor.gpkg is missing: run scripts/setup.sh first");

    server::ServerConfig config;
    try {
        config = server::load_server_config("config/demo/server.yaml");
    } catch (const config::ConfigError& e) {
        std::fprintf(stderr, "picket demo: configuration error: %s\n", e.what());
        return 2;
    }
    const sim::Scenario scenario = sim::load_scenario("config/scenarios/timor-demo.yaml");

    const Timestamp start = server::VirtualClock::wall_now();
    const std::string run_dir = "data/demo/run-" + to_iso8601(start).substr(0, 19);
    fs::create_directories(run_dir);
    config.outputs.database = fs::absolute(run_dir + "/picket.db").string();
    config.outputs.recording = fs::absolute(run_dir + "/recording").string();

    server::ServeOptions options;
    options.clock_start = start;
    options.clock_speed = speed;
    options.quiet = args.has("quiet");
    if (args.has("http-port"))
        options.http_port = static_cast<std::uint16_t>(args.number("http-port", 8080));
    // --sectors: the sector servers first (they read the simulator's sensors), then the
    // regional one in the demo's place (outputs, rules, store, control room).
    std::vector<std::unique_ptr<server::Server>> sectors;
    if (args.has("sectors")) {
        SectorPlan plan = plan_sectors(config, static_cast<int>(args.number("sectors", 3)));
        server::ServeOptions quiet = options;
        quiet.quiet = true;
        quiet.http_port.reset();
        for (auto& s : plan.sectors) sectors.push_back(std::make_unique<server::Server>(s, quiet));
        config = std::move(plan.regional);
    }
    server::Server srv(std::move(config), options);

    SimRunOptions sim_options;
    sim_options.speed = speed;
    sim_options.start = start;
    if (args.has("duration")) sim_options.duration_s = args.number("duration", 0);
    sim_options.slow_joiner_wait_s = 0;  // the server's clock is already running: no pause
    sim_options.truth_dir = run_dir + "/truth";
    sim_options.rules_file = srv.config().rules_file;
    if (!args.has("quiet"))
        sim_options.progress = [](const std::string& line) {
            std::fprintf(stderr, "%s\n", line.c_str());
        };
    const double duration_s = sim_options.duration_s.value_or(scenario.duration_s);

    std::signal(SIGINT, on_demo_signal);
    std::signal(SIGTERM, on_demo_signal);
    for (auto& s : sectors) s->start();
    srv.start();
    if (!sectors.empty())
        std::printf(
            "picket demo: %zu sector servers (publish 127.0.0.1:5710, 5712, ...) and a "
            "regional server fusing their tracks\n",
            sectors.size());
    sim_options.start = srv.now();  // the simulator's clock is the server's
    sim_options.clock = [&srv] { return srv.now(); };
    print_banner(srv, run_dir, speed, duration_s);
    std::atomic<bool> sim_done{false};
    std::thread sim_thread([&] {
        try {
            run_sim_publisher(scenario, sim_options, g_stop);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "picket demo: simulator: %s\n", e.what());
        }
        sim_done = true;
    });
    while (!g_stop && !(sim_done && args.has("exit-at-end")))
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (sim_done && !g_stop) std::fprintf(stderr, "picket demo: scenario finished\n");
    g_stop = true;
    sim_thread.join();
    srv.stop();
    for (auto& s : sectors) s->stop();
    std::printf("picket demo: stopped. Recording and truth in %s\n", run_dir.c_str());
    return 0;
}

}  // namespace picket::cli
