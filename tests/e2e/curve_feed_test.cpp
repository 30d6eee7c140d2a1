// A feed with CurveZMQ admits only the client keys on its allow-list: a sensor gateway with a
// listed key is decoded; one with any other key (even knowing the server's public key) is refused
// by the ZAP handler and nothing it sends reaches the decoders.
#include <catch2/catch.hpp>

#include <thread>

#include "src/io/zap_handler.hpp"
#include "src/server.hpp"
#include "tests/e2e/e2e_support.hpp"

using namespace picket;
using namespace std::chrono_literals;

namespace {

// One Class A position report (gpsd's sample.aivdm, first sentence).
constexpr const char* kReport = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\r\n";

void send_as(zmq::context_t& ctx, const std::string& endpoint, const std::string& server_public,
             const std::pair<std::string, std::string>& client, int copies) {
    zmq::socket_t push(ctx, zmq::socket_type::push);
    push.set(zmq::sockopt::curve_serverkey, server_public);
    push.set(zmq::sockopt::curve_publickey, client.first);
    push.set(zmq::sockopt::curve_secretkey, client.second);
    push.set(zmq::sockopt::linger, 0);
    push.connect(endpoint);
    std::this_thread::sleep_for(300ms);  // handshake (and ZAP verdict)
    for (int i = 0; i < copies; ++i)
        (void)push.send(zmq::buffer(std::string(kReport)), zmq::send_flags::dontwait);
    std::this_thread::sleep_for(300ms);
}

}  // namespace

TEST_CASE("A CURVE feed decodes allowed gateways only", "[e2e][security]") {
    const auto server_keys = server::generate_curve_keypair();
    const auto allowed = server::generate_curve_keypair();
    const auto intruder = server::generate_curve_keypair();
    const std::string feed = e2e::loopback(e2e::free_port());
    const std::string cfg =
        "region: {name: t, origin: {lat: 0, lon: 0}}\n"
        "feeds:\n  - id: ais\n    kind: ais\n    format: nmea-ais\n    socket: pull\n    "
        "endpoint: " +
        feed +
        "\n"
        "    curve:\n      server_secret_key: \"" +
        server_keys.second +
        "\"\n"
        "      allowed_clients: [\"" +
        allowed.first +
        "\"]\n"
        "outputs:\n  publish: " +
        e2e::loopback(e2e::free_port()) + "\n  snapshot: " + e2e::loopback(e2e::free_port()) +
        "\n  http: {enabled: false}\n";
    server::ServeOptions opt;
    opt.quiet = true;
    server::Server srv(server::parse_server_config(cfg, "curve.yaml", "."), opt);
    srv.start();
    zmq::context_t ctx;

    send_as(ctx, feed, server_keys.first, intruder, 5);
    auto status = nlohmann::json::parse(srv.status());
    CHECK(status["feeds"][0]["messages"] == 0);

    send_as(ctx, feed, server_keys.first, allowed, 5);
    status = nlohmann::json::parse(srv.status());
    CHECK(status["feeds"][0]["messages"] == 5);
    CHECK(status["feeds"][0]["measurements"] == 5);
    srv.stop();
}
