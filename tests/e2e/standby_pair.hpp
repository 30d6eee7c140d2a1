#pragma once
// A primary `picket serve` and its hot standby on one test deployment (issue 16, item 4): the
// config's standby link, the two command lines, and the primary's word that the standby attached.
// Shared by the SQLite (standby_test.cpp) and the PostgreSQL (pg_standby_test.cpp) pair tests.
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "tests/e2e/e2e_support.hpp"
#include "tests/e2e/scenario_fixture.hpp"
#include "tests/e2e/server_process.hpp"
#include "tests/e2e/voyage.hpp"

namespace picket::e2e {

/// Appends the standby link to the deployment's config: the primary binds it at a free
/// loopback port, the standby (same config) connects to it.
inline void add_standby_link(const Deployment& d) {
    std::ofstream cfg(d.config_path, std::ios::app);
    cfg << "standby:\n  endpoint: " << loopback(free_port()) << "\n";
}

/// `picket serve` on the deployment with the virtual clock from kT0 at `clock_speed`; the
/// standby's with `--standby`.
inline std::vector<std::string> serve_args(const Deployment& d, double clock_speed, bool standby) {
    std::vector<std::string> a{
        picket_binary(), "serve",         "--config",      d.config_path,
        "--clock-start", to_iso8601(kT0), "--clock-speed", std::to_string(clock_speed)};
    if (standby) a.push_back("--standby");
    return a;
}

/// Waits up to `timeout` for the primary's log to say its standby attached (acked): from then
/// on an alert is published only once the standby has it. False on timeout.
inline bool wait_standby_attached(const std::string& primary_log,
                                  std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!file_contains(primary_log, "standby: attached")) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
}

/// The pair running on `d`: our feed's PUB (bound first, so both servers' SUBs find it), a
/// console on the publish endpoint, the standby started before the primary, the primary's first
/// snapshot, its standby attached (from then on an alert is published only once the standby has
/// it) and its SUB connected. Both processes are SIGKILLed when this goes.
struct RunningPair {
    RunningPair(const Deployment& d, const TempDir& dir, double clock_speed)
        : feed(bound_pub(ctx, d.feed_endpoint)),
          console(ctx, d.publish_endpoint),
          standby(serve_args(d, clock_speed, true), dir.file("standby.log")),
          primary(serve_args(d, clock_speed, false), dir.file("primary.log")) {
        using namespace std::chrono_literals;
        const auto first = nlohmann::json::parse(wait_for_snapshot(ctx, d.snapshot_endpoint, 20s));
        primary_instance = first["instance"];
        REQUIRE(wait_standby_attached(dir.file("primary.log"), 20s));
        std::this_thread::sleep_for(300ms);  // the primary's feed SUB connected to our PUB
    }

    zmq::context_t ctx;
    zmq::socket_t feed;
    Subscriber console;
    ChildProcess standby;
    ChildProcess primary;
    std::string primary_instance;  ///< the primary's instance id (from its first snapshot)

private:
    static zmq::socket_t bound_pub(zmq::context_t& ctx, const std::string& endpoint) {
        zmq::socket_t s(ctx, zmq::socket_type::pub);
        s.bind(endpoint);
        return s;
    }
};

}  // namespace picket::e2e
