// The real `picket serve` process: what a new user sees at startup (the generated token printed
// with the URL; a configuration error anywhere, a missing border file included, exits 2 with the
// reason), and a disk that fills up during a run (a real file size limit, prlimit --fsize): the
// store's writes fail, are counted and logged, and the server keeps tracking and answering.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/e2e/e2e_support.hpp"
#include "tests/e2e/http_get.hpp"
#include "tests/e2e/server_process.hpp"
#include "tests/e2e/voyage.hpp"

using namespace picket;
using namespace picket::e2e;
using namespace std::chrono_literals;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Polls the log file until it contains `text`; returns the log.
std::string wait_for_log(const std::string& path, const std::string& text,
                         std::chrono::seconds timeout = 20s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string log;
    while (std::chrono::steady_clock::now() < deadline) {
        log = read_file(path);
        if (log.find(text) != std::string::npos) break;
        std::this_thread::sleep_for(50ms);
    }
    return log;
}

struct Ports {
    std::string feed = loopback(free_port());
    std::string publish = loopback(free_port());
    std::string snapshot = loopback(free_port());
    int http = free_port();
};

std::string server_config(const Ports& p, const std::string& extra_outputs) {
    return "region: {name: t, origin: {lat: 0, lon: 0}}\n"
           "feeds:\n  - {id: ais, kind: ais, format: nmea-ais, socket: pull, endpoint: \"" +
           p.feed + "\"}\noutputs:\n  publish: \"" + p.publish + "\"\n  snapshot: \"" + p.snapshot +
           "\"\n  http: {port: " + std::to_string(p.http) + "}\n" + extra_outputs + "tick: 1s\n";
}

}  // namespace

TEST_CASE("picket serve prints the generated token with the URL, and the page has that token",
          "[e2e][process]") {
    TempDir dir;
    Ports ports;
    write_text(dir.file("server.yaml"), server_config(ports, ""));
    ChildProcess server({picket_binary(), "serve", "--config", dir.file("server.yaml")},
                        dir.file("serve.log"));
    const auto log = wait_for_log(dir.file("serve.log"), "operator token: ");
    std::smatch m;
    const std::regex line(
        "control room (http://127\\.0\\.0\\.1:([0-9]+)/)  operator token: "
        "([a-z2-9]{24}) \\(generated");
    REQUIRE(std::regex_search(log, m, line));
    CHECK(m[2] == std::to_string(ports.http));
    // The page served over loopback carries the same token: the printed one is the real one.
    const auto page = http_get(static_cast<std::uint16_t>(ports.http), "/");
    CHECK(page.find("content=\"" + m[3].str() + "\"") != std::string::npos);
    CHECK(server.terminate() == 0);
}

TEST_CASE("a missing border file stops startup with exit code 2 and a reason", "[e2e][process]") {
    TempDir dir;
    Ports ports;
    write_text(dir.file("rules.yaml"),
               "layers:\n  - name: land\n    path: borders-missing.gpkg\nrules: []\n");
    write_text(dir.file("server.yaml"), server_config(ports, "") + "rules: rules.yaml\n");
    ChildProcess server({picket_binary(), "serve", "--config", dir.file("server.yaml")},
                        dir.file("serve.log"));
    CHECK(server.wait() == 2);
    const auto log = read_file(dir.file("serve.log"));
    CHECK(log.find("picket serve: configuration error: " + dir.file("rules.yaml") +
                   ":3:11: layers[0].path: " + dir.file("borders-missing.gpkg") +
                   ": no such file") != std::string::npos);
}

TEST_CASE("a disk that fills during a run: store writes fail, counted; tracking goes on",
          "[e2e][process]") {
    TempDir dir;
    Ports ports;
    write_text(dir.file("server.yaml"), server_config(ports, "  database: picket.db\n"));
    // A real limit on every file the process writes: the day's track-history file hits it once
    // enough new tracks' points are stored (2,000 new tracks a round). The log file shares it,
    // which is one more reason for the rate-limited error lines.
    ChildProcess server({"/usr/bin/prlimit", "--fsize=400000", picket_binary(), "serve", "--config",
                         dir.file("server.yaml")},
                        dir.file("serve.log"));
    zmq::context_t ctx;
    (void)wait_for_snapshot(ctx, ports.snapshot, 20s);
    Subscriber sub(ctx, ports.publish);
    zmq::socket_t push(ctx, zmq::socket_type::push);
    push.set(zmq::sockopt::linger, 1000);
    push.connect(ports.feed);
    const std::uint16_t http = static_cast<std::uint16_t>(ports.http);
    // Track history is written by the persistence threads (src/persist): a failed write is
    // counted as dropped points there, the fusion thread never sees it.
    const std::string store_errors = "picket_persist_dropped_total{what=\"history_point\"}";
    CHECK(metric_value(http_get(http, "/metrics"), store_errors) == 0);

    auto send_fleet = [&](Mmsi first, int vessels, double lon) {
        for (int i = 0; i < vessels; ++i) {
            const LatLon p{-0.5 + 0.0005 * i, lon};
            push.send(zmq::buffer(position_report_message(first + static_cast<Mmsi>(i), p, 90)));
        }
    };
    bool failed = false;
    for (int round = 0; round < 40 && !failed; ++round) {
        send_fleet(201'000'000, 2000, 0.1 + 0.001 * round);
        std::this_thread::sleep_for(250ms);
        failed = metric_value(http_get(http, "/metrics"), store_errors) >= 1;
    }
    REQUIRE(failed);
    const auto log = wait_for_log(dir.file("serve.log"), "track history: cannot write",
                                  std::chrono::duration_cast<std::chrono::seconds>(scaled(20s)));
    CHECK(log.find("track history: cannot write") != std::string::npos);

    // Still tracking after the failures: vessels never seen before appear on PUB.
    sub.drain(200ms);
    sub.messages.clear();
    send_fleet(301'000'000, 5, 0.5);
    bool seen = false;
    // Behind the backlog of the rounds above: under ThreadSanitizer that is a minute of work.
    const auto deadline = std::chrono::steady_clock::now() + scaled(10s);
    while (!seen && std::chrono::steady_clock::now() < deadline) {
        const auto msg = sub.next(200ms);
        seen = msg && msg->first == "track" &&
               msg->second.dump().find("301000002") != std::string::npos;
    }
    CHECK(seen);
    // And it still answers: snapshot, metrics, a clean stop.
    CHECK(wait_for_snapshot(ctx, ports.snapshot, 5s).find("301000002") != std::string::npos);
    CHECK(metric_value(http_get(http, "/metrics"), store_errors) >= 1);
    CHECK(server.terminate() == 0);
}
