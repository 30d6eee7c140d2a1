// run_sim_publisher end to end: binds PUB sockets, paces nothing (--fast), loses nothing to a
// subscriber that connected during the slow-joiner wait, and writes the truth files.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <zmq.hpp>

#include "sim/alert_scoring.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/simulator.hpp"
#include "sim/truth.hpp"
#include "sim_test_support.hpp"
#include "src/commands/sim_publisher.hpp"

using namespace picket;

namespace {

// A radar at the origin and a fast boat leaving it eastwards at 30 kn, both on `endpoint`;
// `boat_extra` adds fields to the boat (indented by four spaces).
std::string radar_and_boat(const std::string& endpoint, const std::string& boat_extra = "") {
    return "radars:\n"
           "  - {id: radar, endpoint: \"" +
           endpoint +
           "\", lat: 0, lon: 0, height_m: 30, range_m: 20000}\n"
           "targets:\n"
           "  - name: boat\n"
           "    kind: fast_boat\n"
           "    waypoints: [{lat: 0, lon: 0, speed_kn: 30}, {lat: 0, lon: 0.05}]\n" +
           boat_extra;
}

}  // namespace

TEST_CASE("sim publisher: every message reaches a subscriber, truth files are written") {
    const std::string endpoint =
        "ipc:///tmp/picket-sim-test-" + std::to_string(::getpid()) + ".ipc";
    const std::string dir = "/tmp/picket-sim-test-truth-" + std::to_string(::getpid());
    const sim::Scenario scenario = sim::parse_scenario(
        sim::test::base_scenario(R"yaml(
zones:
  - {name: EAST, wkt: "POLYGON((0.01 -1, 1 -1, 1 1, 0.01 1, 0.01 -1))"}
truth: {border_zones: [EAST]}
ais_receivers:
  - {id: ais, endpoint: ")yaml" + endpoint +
                                     R"yaml(", lat: 0, lon: 0, range_m: 100000, dropout: 0}
)yaml" + radar_and_boat(endpoint, "    ais: {class: A, mmsi: 525000001}\n"),
                                 300),
        "pub.yaml");

    // What the publisher should send: the same simulation, in process.
    std::size_t expected = 0;
    {
        sim::Simulator reference(scenario, {});
        sim::SimMessage m;
        while (reference.next(m)) ++expected;
    }
    REQUIRE(expected > 100);

    zmq::context_t ctx(1);
    zmq::socket_t sub(ctx, zmq::socket_type::sub);
    sub.set(zmq::sockopt::subscribe, "");
    sub.set(zmq::sockopt::rcvtimeo, 3000);
    sub.connect(endpoint);  // before the bind: ZeroMQ reconnects until the publisher is up

    cli::SimRunOptions opt;
    opt.fast = true;
    opt.truth_dir = dir;
    opt.start = *scenario.start;
    opt.slow_joiner_wait_s = 0.5;
    std::atomic<bool> stop{false};
    cli::SimRunResult result;
    std::thread publisher([&] { result = cli::run_sim_publisher(scenario, opt, stop); });

    std::size_t received = 0;
    zmq::message_t msg;
    while (received < expected && sub.recv(msg, zmq::recv_flags::none)) ++received;
    publisher.join();
    CHECK(received == expected);
    CHECK(result.messages == expected);
    CHECK_FALSE(result.stopped);

    std::ifstream csv(dir + "/truth.csv");
    std::string header, row;
    std::getline(csv, header);
    CHECK(header.rfind("time,truth_id,x,y,", 0) == 0);
    int rows = 0;
    while (std::getline(csv, row)) ++rows;
    // One boat, present the whole 300 s (the leg takes 360 s): samples at 0..300 s.
    CHECK(rows == 301);
    const auto events = sim::read_truth_events(dir + "/events.jsonl");
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == AlertKind::border_crossing);
    std::filesystem::remove_all(dir);
}

// `picket demo` paces the simulator by the server's virtual clock. Building the simulator takes
// wall time while that clock already runs; a publisher pacing by a clock of its own would start
// behind the server and every report would arrive late (the demo showed no tracks at all).
TEST_CASE("sim publisher: paced by the caller's clock, it sends what is due and holds the rest") {
    const std::string endpoint =
        "ipc:///tmp/picket-sim-clock-test-" + std::to_string(::getpid()) + ".ipc";
    const sim::Scenario scenario = sim::parse_scenario(
        sim::test::base_scenario(radar_and_boat(endpoint), 300), "pub-clock.yaml");
    const Timestamp start = *scenario.start;
    const Timestamp caller_now = start + Duration::from_seconds(100);
    std::size_t due = 0, total = 0;
    {
        sim::Simulator reference(scenario, {});
        sim::SimMessage m;
        while (reference.next(m)) {
            ++total;
            if (m.time <= caller_now) ++due;
        }
    }
    REQUIRE(due > 10);
    REQUIRE(total > due + 10);

    zmq::context_t ctx(1);
    zmq::socket_t sub(ctx, zmq::socket_type::sub);
    sub.set(zmq::sockopt::subscribe, "");
    sub.set(zmq::sockopt::rcvtimeo, 1500);
    sub.connect(endpoint);

    std::atomic<std::int64_t> clock_ns{caller_now.ns};
    cli::SimRunOptions opt;
    opt.speed = 1;  // one scenario second per wall second: a clock of its own sends ~2 s
    opt.start = start;
    opt.slow_joiner_wait_s = 0.5;
    opt.clock = [&] { return Timestamp{clock_ns.load()}; };
    std::atomic<bool> stop{false};
    cli::SimRunResult result;
    std::thread publisher([&] { result = cli::run_sim_publisher(scenario, opt, stop); });

    // The caller's clock stands at start + 100 s: exactly what is due arrives, then nothing.
    std::size_t received = 0;
    zmq::message_t msg;
    while (sub.recv(msg, zmq::recv_flags::none)) ++received;
    CHECK(received == due);

    clock_ns = (start + Duration::from_seconds(1000)).ns;  // the clock jumps past the end
    while (received < total && sub.recv(msg, zmq::recv_flags::none)) ++received;
    publisher.join();
    CHECK(received == total);
    CHECK(result.messages == total);
}
