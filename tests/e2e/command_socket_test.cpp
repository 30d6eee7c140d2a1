// The ZeroMQ operator command socket over real sockets: absent unless configured; CURVE-only
// unless the config opts in to an unauthenticated local socket (then a loud warning and a gauge);
// a CURVE client with a key not on the allow-list gets no answer, is counted per ZAP domain and
// logged, and its command never runs.
#include <catch2/catch.hpp>

#include <mutex>
#include <thread>

#include "config/yaml_reader.hpp"
#include "core/log.hpp"
#include "src/io/zap_handler.hpp"
#include "src/server.hpp"
#include "tests/e2e/e2e_support.hpp"
#include "tests/e2e/http_get.hpp"

using namespace picket;
using namespace std::chrono_literals;

namespace {

std::string base_config(const std::string& outputs_extra) {
    return "region: {name: t, origin: {lat: 0, lon: 0}}\n"
           "feeds:\n  - {id: ais, kind: ais, format: nmea-ais, socket: pull, endpoint: " +
           e2e::loopback(e2e::free_port()) +
           "}\n"
           "outputs:\n  publish: " +
           e2e::loopback(e2e::free_port()) + "\n  snapshot: " + e2e::loopback(e2e::free_port()) +
           "\n  http: {port: 0}\n" + outputs_extra;
}

/// Sends one command as a CURVE client with `client` keys; the reply, or nullopt on timeout.
std::optional<std::string> curve_command(zmq::context_t& ctx, const std::string& endpoint,
                                         const std::string& server_public,
                                         const std::pair<std::string, std::string>& client,
                                         const std::string& body) {
    zmq::socket_t req(ctx, zmq::socket_type::req);
    req.set(zmq::sockopt::curve_serverkey, server_public);
    req.set(zmq::sockopt::curve_publickey, client.first);
    req.set(zmq::sockopt::curve_secretkey, client.second);
    req.set(zmq::sockopt::linger, 0);
    req.set(zmq::sockopt::rcvtimeo, 2000);
    req.connect(endpoint);
    req.send(zmq::buffer(body), zmq::send_flags::none);
    zmq::message_t reply;
    if (!req.recv(reply)) return std::nullopt;
    return reply.to_string();
}

struct CapturedLog {
    CapturedLog() {
        log::set_sink([this](log::Level, std::string_view m) {
            std::lock_guard lock(mutex);
            text += std::string(m) + "\n";
        });
    }
    ~CapturedLog() { log::set_sink(nullptr); }
    std::string get() {
        std::lock_guard lock(mutex);
        return text;
    }
    std::mutex mutex;
    std::string text;
};

}  // namespace

TEST_CASE("a command socket without CURVE is refused unless explicitly opted in",
          "[e2e][security][config]") {
    const std::string endpoint = e2e::loopback(e2e::free_port());
    CHECK_THROWS_WITH(
        server::parse_server_config(base_config("  commands: " + endpoint + "\n"), "s.yaml", "."),
        Catch::Contains("s.yaml:8:13: outputs.commands: an unauthenticated command socket") &&
            Catch::Contains("commands_curve"));
    CHECK_THROWS_WITH(
        server::parse_server_config(
            base_config("  commands: tcp://0.0.0.0:5702\n  insecure_local_commands: true\n"),
            "s.yaml", "."),
        Catch::Contains("insecure_local_commands needs a loopback"));
    // No key at all: no command socket (the control room's commands go through the web server).
    const auto quiet = server::parse_server_config(base_config(""), "s.yaml", ".");
    CHECK(quiet.outputs.commands.empty());
    const auto opted = server::parse_server_config(base_config("  insecure_local_commands: true\n"),
                                                   "s.yaml", ".");
    CHECK(opted.outputs.commands == "tcp://127.0.0.1:5702");
}

TEST_CASE("an opted-in unauthenticated command socket works and is warned about loudly",
          "[e2e][security]") {
    CapturedLog captured;
    const std::string endpoint = e2e::loopback(e2e::free_port());
    server::ServeOptions opt;
    opt.quiet = true;
    server::Server srv(
        server::parse_server_config(
            base_config("  commands: " + endpoint + "\n  insecure_local_commands: true\n"),
            "s.yaml", "."),
        opt);
    srv.start();
    zmq::context_t ctx;
    zmq::socket_t req(ctx, zmq::socket_type::req);
    req.set(zmq::sockopt::linger, 0);
    req.set(zmq::sockopt::rcvtimeo, 5000);
    req.connect(endpoint);
    req.send(zmq::str_buffer(R"({"cmd":"label","track_id":1,"label":"x"})"));
    zmq::message_t reply;
    REQUIRE(req.recv(reply));
    CHECK(reply.to_string().find("no such track") != std::string::npos);  // it ran
    const auto log_text = captured.get();
    CHECK(log_text.find("INSECURE: the command socket " + endpoint) != std::string::npos);
    const auto metrics = e2e::http_get(srv.http_port(), "/metrics");
    CHECK(e2e::metric_value(metrics, "picket_commands_unauthenticated") == 1);
    srv.stop();
}

TEST_CASE("CURVE commands: allowed operators are answered, others refused and counted",
          "[e2e][security]") {
    CapturedLog captured;
    const auto server_keys = server::generate_curve_keypair();
    const auto operator_keys = server::generate_curve_keypair();
    const auto intruder = server::generate_curve_keypair();
    const std::string endpoint = e2e::loopback(e2e::free_port());
    server::ServeOptions opt;
    opt.quiet = true;
    server::Server srv(
        server::parse_server_config(
            base_config("  commands: " + endpoint +
                        "\n  commands_curve:\n    server_secret_key: \"" + server_keys.second +
                        "\"\n    allowed_clients: [\"" + operator_keys.first + "\"]\n"),
            "s.yaml", "."),
        opt);
    srv.start();
    zmq::context_t ctx;
    const std::string cmd = R"({"cmd":"label","track_id":1,"label":"x"})";
    CHECK_FALSE(curve_command(ctx, endpoint, server_keys.first, intruder, cmd));
    const auto ok = curve_command(ctx, endpoint, server_keys.first, operator_keys, cmd);
    REQUIRE(ok);
    CHECK(ok->find("no such track") != std::string::npos);

    const auto status = nlohmann::json::parse(srv.status());
    const auto metrics = e2e::http_get(srv.http_port(), "/metrics");
    CHECK(e2e::metric_value(metrics, "picket_zap_refused_total{domain=\"commands\"}") == 1);
    CHECK(e2e::metric_value(metrics, "picket_zap_admitted_total{domain=\"commands\"}") == 1);
    CHECK(e2e::metric_value(metrics, "picket_commands_unauthenticated") == -1);  // absent
    const auto log_text = captured.get();
    CHECK(log_text.find("ZAP: refused a CURVE client from 127.0.0.1 on domain 'commands' (key " +
                        intruder.first + " is not allowed)") != std::string::npos);
    CHECK(log_text.find("INSECURE") == std::string::npos);
    srv.stop();
}
