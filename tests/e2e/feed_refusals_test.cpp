// What a feed socket refuses is counted and logged, and the feed keeps working: messages over
// max_message_bytes (dropped by the receiver), messages so large libzmq drops the peer (a
// disconnect), and CURVE gateways whose key is not allowed (ZAP refusal, handshake failure).
#include <catch2/catch.hpp>

#include <mutex>
#include <thread>

#include "core/log.hpp"
#include "src/io/zap_handler.hpp"
#include "src/server.hpp"
#include "tests/e2e/e2e_support.hpp"
#include "tests/e2e/http_get.hpp"

using namespace picket;
using namespace std::chrono_literals;

namespace {

// One Class A position report (gpsd's sample.aivdm, first sentence).
constexpr const char* kReport = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\r\n";

/// Polls /metrics until `series` reaches `value` (the I/O thread counts asynchronously).
bool metric_reaches(std::uint16_t port, const std::string& series, double value) {
    for (int i = 0; i < 100; ++i) {
        if (e2e::metric_value(e2e::http_get(port, "/metrics"), series) >= value) return true;
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

std::string outputs_section() {
    return "outputs:\n  publish: " + e2e::loopback(e2e::free_port()) +
           "\n  snapshot: " + e2e::loopback(e2e::free_port()) + "\n  http: {port: 0}\n";
}

}  // namespace

TEST_CASE("oversized feed messages are dropped, counted and logged; the feed carries on",
          "[e2e][security]") {
    std::mutex mutex;
    std::string logged;
    log::set_sink([&](log::Level, std::string_view m) {
        std::lock_guard lock(mutex);
        logged += std::string(m) + "\n";
    });
    const std::string feed = e2e::loopback(e2e::free_port());
    server::ServeOptions opt;
    opt.quiet = true;
    server::Server srv(server::parse_server_config(
                           "region: {name: t, origin: {lat: 0, lon: 0}}\n"
                           "feeds:\n  - {id: ais, kind: ais, format: nmea-ais, socket: pull, "
                           "max_message_bytes: 1000, endpoint: " +
                               feed + "}\n" + outputs_section(),
                           "s.yaml", "."),
                       opt);
    srv.start();
    zmq::context_t ctx;
    {
        zmq::socket_t push(ctx, zmq::socket_type::push);
        push.set(zmq::sockopt::linger, 2000);
        push.connect(feed);
        push.send(zmq::buffer(std::string(1500, 'x')));  // over the limit: dropped here
        push.send(zmq::buffer(std::string(kReport)));
    }
    REQUIRE(metric_reaches(srv.http_port(), "picket_feed_oversized_total{feed=\"ais\"}", 1));
    {
        // Far over: libzmq drops this peer before buffering the message.
        zmq::socket_t push(ctx, zmq::socket_type::push);
        push.set(zmq::sockopt::linger, 2000);
        push.connect(feed);
        push.send(zmq::buffer(std::string(200'000, 'x')));
    }
    CHECK(metric_reaches(srv.http_port(), "picket_feed_disconnects_total{feed=\"ais\"}", 2));
    {
        zmq::socket_t push(ctx, zmq::socket_type::push);
        push.set(zmq::sockopt::linger, 2000);
        push.connect(feed);
        push.send(zmq::buffer(std::string(kReport)));
    }
    nlohmann::json status;
    for (int i = 0; i < 100; ++i) {
        status = nlohmann::json::parse(srv.status());
        if (status["feeds"][0]["messages"] == 2) break;
        std::this_thread::sleep_for(50ms);
    }
    CHECK(status["feeds"][0]["messages"] == 2);  // both good reports, neither oversized one
    CHECK(e2e::metric_value(e2e::http_get(srv.http_port(), "/metrics"),
                            "picket_feed_oversized_total{feed=\"ais\"}") == 1);
    srv.stop();
    log::set_sink(nullptr);
    std::lock_guard lock(mutex);
    CHECK(logged.find("feed ais: dropped a 1500-byte message (max_message_bytes 1000)") !=
          std::string::npos);
}

TEST_CASE("a CURVE feed counts ZAP refusals and failed handshakes", "[e2e][security]") {
    const auto server_keys = server::generate_curve_keypair();
    const auto allowed = server::generate_curve_keypair();
    const auto intruder = server::generate_curve_keypair();
    const std::string feed = e2e::loopback(e2e::free_port());
    server::ServeOptions opt;
    opt.quiet = true;
    server::Server srv(
        server::parse_server_config("region: {name: t, origin: {lat: 0, lon: 0}}\n"
                                    "feeds:\n  - id: ais\n    kind: ais\n    format: nmea-ais\n"
                                    "    socket: pull\n    endpoint: " +
                                        feed + "\n    curve:\n      server_secret_key: \"" +
                                        server_keys.second + "\"\n      allowed_clients: [\"" +
                                        allowed.first + "\"]\n" + outputs_section(),
                                    "s.yaml", "."),
        opt);
    srv.start();
    zmq::context_t ctx;
    zmq::socket_t push(ctx, zmq::socket_type::push);
    push.set(zmq::sockopt::curve_serverkey, server_keys.first);
    push.set(zmq::sockopt::curve_publickey, intruder.first);
    push.set(zmq::sockopt::curve_secretkey, intruder.second);
    push.set(zmq::sockopt::linger, 0);
    push.connect(feed);
    (void)push.send(zmq::buffer(std::string(kReport)), zmq::send_flags::dontwait);
    CHECK(metric_reaches(srv.http_port(), "picket_zap_refused_total{domain=\"feed:ais\"}", 1));
    CHECK(metric_reaches(srv.http_port(), "picket_feed_handshake_failures_total{feed=\"ais\"}", 1));
    CHECK(nlohmann::json::parse(srv.status())["feeds"][0]["messages"] == 0);
    srv.stop();
}
