// The partner sockets for real: each partner's CurveZMQ PUB admits that partner's key only
// (another key, even with the server's public key, gets nothing and is refused by ZAP), carries
// that partner's share (area, delay) and every message sent is in the audit log.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <thread>

#include "src/io/zap_handler.hpp"
#include "src/outputs/metrics.hpp"
#include "src/partners/partner_output.hpp"

using namespace picket;
using namespace picket::partners;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

using Keys = std::pair<std::string, std::string>;

const Timestamp kT0 = *parse_iso8601("2026-12-06T10:00:00.000Z");
Timestamp at(double s) { return kT0 + Duration::from_seconds(s); }

Track track(TrackId id, LatLon where) {
    Track t;
    t.id = id;
    t.status = TrackStatus::confirmed;
    t.position = where;
    t.updated = kT0;
    t.born = kT0;
    t.target_class = TargetClass::vessel;
    t.identity = Identity{525000111, "KM BAHARI", "YBAB", 0, 70};
    t.cov = Eigen::Matrix4d::Identity();
    return t;
}

zmq::socket_t subscriber(zmq::context_t& ctx, const std::string& endpoint,
                         const std::string& server_public, const Keys& me) {
    zmq::socket_t s(ctx, zmq::socket_type::sub);
    s.set(zmq::sockopt::curve_serverkey, server_public);
    s.set(zmq::sockopt::curve_publickey, me.first);
    s.set(zmq::sockopt::curve_secretkey, me.second);
    s.set(zmq::sockopt::linger, 0);
    s.set(zmq::sockopt::subscribe, "");
    s.connect(endpoint);
    return s;
}

/// Every (topic, json) that arrives within `wait`.
std::vector<std::pair<std::string, json>> received(zmq::socket_t& s,
                                                   std::chrono::milliseconds wait) {
    std::vector<std::pair<std::string, json>> out;
    const auto until = std::chrono::steady_clock::now() + wait;
    s.set(zmq::sockopt::rcvtimeo, 50);
    while (std::chrono::steady_clock::now() < until) {
        zmq::message_t topic, body;
        if (!s.recv(topic)) continue;
        REQUIRE(topic.more());
        REQUIRE(s.recv(body));
        out.emplace_back(topic.to_string(), json::parse(body.to_string()));
    }
    return out;
}

}  // namespace

TEST_CASE("each partner's socket admits its key only and carries its share, audited",
          "[partners][security]") {
    const Keys server_a = server::generate_curve_keypair(),
               server_b = server::generate_curve_keypair();
    const Keys north = server::generate_curve_keypair(), east = server::generate_curve_keypair();
    const Keys intruder = server::generate_curve_keypair();
    PartnerRules a;
    a.name = "north";
    a.endpoint = "tcp://127.0.0.1:*";
    a.server_secret_key = server_a.second;
    a.allowed_client_keys = {north.first};
    a.area = {{-8.6, 125.4}, {-8.6, 125.6}, {-8.4, 125.6}, {-8.4, 125.4}};
    PartnerRules b = a;
    b.name = "east";
    b.server_secret_key = server_b.second;
    b.allowed_client_keys = {east.first};
    b.area.clear();  // everywhere, but a minute late
    b.min_delay_s = 60;

    zmq::context_t ctx;
    outputs::Registry metrics;
    server::ZapHandler zap(ctx, {{"partner:north", {north.first}}, {"partner:east", {east.first}}},
                           metrics);
    const auto audit_path = std::filesystem::temp_directory_path() /
                            ("picket-partner-audit-" + std::to_string(::getpid()) + ".jsonl");
    std::filesystem::remove(audit_path);
    {
        PartnerOutput out(ctx, {a, b}, audit_path.string(), "0123456789abcdef");
        auto sub_north = subscriber(ctx, out.endpoint(0), server_a.first, north);
        auto sub_east = subscriber(ctx, out.endpoint(1), server_b.first, east);
        // The intruder knows north's server key; its own key is on no list.
        auto sub_intruder = subscriber(ctx, out.endpoint(0), server_a.first, intruder);
        std::this_thread::sleep_for(500ms);  // handshakes and ZAP verdicts

        const Track inside = track(1, {-8.5, 125.5}), outside = track(2, {-8.9, 125.5});
        out.on_tracks(std::vector{inside, outside}, at(0));
        out.flush(at(0), at(0));
        const auto got = received(sub_north, 500ms);
        REQUIRE(got.size() == 1);  // the area: track 2 is not north's
        CHECK(got[0].first == "track");
        CHECK(got[0].second["properties"]["track_id"] == 1);
        CHECK(got[0].second["properties"]["mmsi"].is_null());  // redacted by default
        CHECK(got[0].second["instance"] == "0123456789abcdef");
        CHECK(received(sub_east, 200ms).empty());  // east: not yet, a minute late
        CHECK(received(sub_intruder, 200ms).empty());
        CHECK(zap.refused() >= 1);

        out.flush(at(60), at(60));
        const auto late = received(sub_east, 500ms);
        CHECK(late.size() == 2);  // everywhere: both tracks, as they were at 0
    }
    // Who got what, when: one line per message sent, in order, with the message itself.
    std::ifstream in(audit_path);
    std::vector<json> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
    REQUIRE(lines.size() == 3);
    CHECK(lines[0]["partner"] == "north");
    CHECK(lines[0]["track_id"] == 1);
    CHECK(lines[0]["time"] == "2026-12-06T10:00:00.000Z");
    CHECK(lines[0]["message"]["properties"]["track_id"] == 1);
    CHECK(lines[1]["partner"] == "east");
    CHECK(lines[2]["partner"] == "east");
    CHECK(lines[1]["time"] == "2026-12-06T10:01:00.000Z");
    CHECK(lines[1]["made"] == "2026-12-06T10:00:00.000Z");
    std::filesystem::remove(audit_path);
}
