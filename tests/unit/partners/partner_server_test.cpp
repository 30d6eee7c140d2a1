// The partner share wired into a real server: its config read, its CURVE socket bound, the
// tracks the engine publishes reach the partner redacted, and the audit log holds them; config
// errors name the file and line.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <thread>

#include "sensors/ais/ais_encoder.hpp"
#include "src/io/zap_handler.hpp"
#include "src/server.hpp"
#include "tests/unit/outputs/temp_dir.hpp"

using namespace picket;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// One Class A position report with no UTC second, so it is stamped when it arrives. (A fixed
// sentence carries a fixed second: depending on the wall clock it landed up to 30 s in the past
// and was dropped as late, so the partner never got a track: CI failed on it.)
std::string report_now() {
    sensors::ais::PositionReportA m;
    m.mmsi = 366123000;
    m.sog_kn = 5.0;
    m.cog_deg = 90.0;
    m.lat_deg = 0.01;
    m.lon_deg = 0.01;
    m.utc_second = 60;  // not available
    return sensors::ais::encode(m).front() + "\r\n";
}

/// A file in a directory of the test program's own, removed when it ends: a bound ipc:// socket
/// leaves its file behind, and these piled up in /tmp run after run.
std::string scratch(const std::string& name) {
    static const picket::outputs::testing::TempDir dir("picket-partner");
    return dir.file(name);
}

std::string ipc(const std::string& what) { return "ipc://" + scratch(what); }

std::string config(const std::string& feed, const std::string& partner,
                   const std::string& server_secret, const std::string& partner_public,
                   const std::string& audit) {
    return "region: {name: t, origin: {lat: 0, lon: 0}}\n"
           "feeds:\n  - {id: ais, kind: ais, format: nmea-ais, socket: pull, endpoint: \"" +
           feed + "\"}\noutputs:\n  publish: \"" + ipc("pub") + "\"\n  snapshot: \"" + ipc("snap") +
           "\"\n  http: {enabled: false}\n"
           "tick: 0.2s\n"
           "partners:\n  audit_log: \"" +
           audit + "\"\n  share:\n    - name: east\n      endpoint: \"" + partner +
           "\"\n      curve: {server_secret_key: \"" + server_secret + "\", allowed_clients: [\"" +
           partner_public + "\"]}\n";
}

}  // namespace

TEST_CASE("a server shares its tracks with a partner over CURVE, redacted and audited",
          "[partners][server]") {
    const auto server_keys = server::generate_curve_keypair();
    const auto east = server::generate_curve_keypair();
    const std::string feed = ipc("feed"), partner = ipc("east");
    const std::string audit = scratch("audit.jsonl");
    server::ServeOptions opt;
    opt.quiet = true;
    server::Server srv(
        server::parse_server_config(config(feed, partner, server_keys.second, east.first, audit),
                                    "partners.yaml", "."),
        opt);
    srv.start();
    zmq::context_t ctx;
    zmq::socket_t sub(ctx, zmq::socket_type::sub);
    sub.set(zmq::sockopt::curve_serverkey, server_keys.first);
    sub.set(zmq::sockopt::curve_publickey, east.first);
    sub.set(zmq::sockopt::curve_secretkey, east.second);
    sub.set(zmq::sockopt::linger, 0);
    sub.set(zmq::sockopt::subscribe, "track");
    sub.connect(partner);
    zmq::socket_t push(ctx, zmq::socket_type::push);
    push.set(zmq::sockopt::linger, 0);
    push.connect(feed);
    // PUB drops what it sends before the CURVE handshake and the subscription arrive (the slow
    // joiner): the report is sent again until the partner has a track message, for 20 s at most.
    sub.set(zmq::sockopt::rcvtimeo, 300);
    zmq::message_t topic, body;
    bool got = false;
    for (int i = 0; i < 60 && !got; ++i) {
        (void)push.send(zmq::buffer(report_now()), zmq::send_flags::none);
        got = static_cast<bool>(sub.recv(topic));
    }
    REQUIRE(got);
    REQUIRE(sub.recv(body));
    CHECK(topic.to_string() == "track");
    const json m = json::parse(body.to_string());
    CHECK(m["properties"]["mmsi"].is_null());              // redacted: the default
    CHECK(m["instance"].get<std::string>().size() == 16);  // our instance id, as on our PUB
    srv.stop();
    std::ifstream in(audit);
    std::string line;
    REQUIRE(std::getline(in, line));
    CHECK(json::parse(line)["partner"] == "east");
}

TEST_CASE("partner config errors stop startup with file:line", "[partners][config]") {
    const auto keys = server::generate_curve_keypair();
    const std::string base =
        "region: {name: t, origin: {lat: 0, lon: 0}}\n"
        "feeds:\n  - {id: ais, kind: ais, format: nmea-ais, socket: pull, endpoint: \"" +
        ipc("cfg") + "\"}\n";
    const auto fails = [&](const std::string& partners, const std::string& what) {
        try {
            (void)server::parse_server_config(base + partners, "p.yaml", ".");
            FAIL("accepted: " << partners);
        } catch (const std::exception& e) {
            INFO(e.what());
            CHECK(std::string(e.what()).find("p.yaml:") != std::string::npos);
            CHECK(std::string(e.what()).find(what) != std::string::npos);
        }
    };
    // No CURVE, no share.
    fails("partners:\n  audit_log: a.jsonl\n  share:\n    - {name: x, endpoint: \"tcp://*:1\"}\n",
          "curve");
    const std::string curve = "curve: {server_secret_key: \"" + keys.second +
                              "\", allowed_clients: [\"" + keys.first + "\"]}";
    fails("partners:\n  audit_log: a.jsonl\n  share:\n    - {name: x, endpoint: \"tcp://*:1\", " +
              curve + ", area: [{lat: 0, lon: 0}, {lat: 1, lon: 1}]}\n",
          "3 vertices");
    fails("partners:\n  audit_log: a.jsonl\n  share:\n    - {name: x, endpoint: \"tcp://*:1\", " +
              curve + ", classes: [submarine]}\n",
          "submarine");
    fails("partners:\n  share:\n    - {name: x, endpoint: \"tcp://*:1\", " + curve + "}\n",
          "audit_log");
}
