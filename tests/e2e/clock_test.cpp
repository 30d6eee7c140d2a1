// Time that no single sensor can poison (issue 12), over real sockets: the real server with its
// real-time clock, feeds pushed over ZeroMQ, the picture read back from its PUB socket, its
// status, its /metrics over HTTP and its log. Each case once broke tracking:
// - one AIS sentence a day ahead (or dated 2255) stopped all tracking until restart;
// - one camera 25 s fast made every current AIS report late for ~20 s;
// - a radar 26 min ahead was rejected record by record, silently, while its feed showed healthy.
// The same cases, with every detail, drive the engine directly in
// tests/unit/server/engine_clock_test.cpp.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <thread>

#include "core/log.hpp"
#include "geo/local_frame.hpp"
#include "sensors/ais/ais_encoder.hpp"
#include "sensors/asterix/cat048_encoder.hpp"
#include "src/server.hpp"
#include "tests/e2e/e2e_support.hpp"
#include "tests/e2e/server_process.hpp"
#include "tests/unit/server/clock_scene.hpp"

using namespace picket;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

Duration secs(double s) { return Duration::from_seconds(s); }

/// Log lines of the server under test (it logs from its threads: guarded).
class LogCapture {
public:
    LogCapture() {
        log::set_sink([this](log::Level, std::string_view m) {
            const std::lock_guard lock(mu_);
            lines_.emplace_back(m);
        });
    }
    ~LogCapture() { log::set_sink(nullptr); }
    [[nodiscard]] int count(std::string_view needle) const {
        const std::lock_guard lock(mu_);
        int n = 0;
        for (const auto& l : lines_) n += l.find(needle) != std::string::npos ? 1 : 0;
        return n;
    }

private:
    mutable std::mutex mu_;
    std::vector<std::string> lines_;
};

/// A server with an AIS feed, a camera, three radars (no offset, a configured one, a learned one)
/// and a satellite AIS feed (15 min expected latency), every feed a PULL socket the test pushes
/// to; real-time clock, HTTP on a free port.
struct Rig {
    std::string publish;
    std::vector<std::string> feeds;  // ais, cam, radar, radar-fixed, radar-learn, sat
    std::unique_ptr<server::Server> srv;
    zmq::context_t ctx;
    std::vector<zmq::socket_t> push;

    explicit Rig(std::optional<Timestamp> clock_start = std::nullopt) {
        // A port free_port() found free may be taken (by some connection's ephemeral port)
        // before the server binds it: try again with fresh ports.
        for (int attempt = 1;; ++attempt) {
            try {
                start(clock_start);
                break;
            } catch (const std::exception& e) {
                if (attempt == 3 || std::string(e.what()).find("cannot bind") == std::string::npos)
                    throw;
                srv.reset();
            }
        }
        for (const std::string& f : feeds) {
            push.emplace_back(ctx, zmq::socket_type::push);
            push.back().set(zmq::sockopt::linger, 0);
            push.back().connect(f);
        }
    }

    void start(std::optional<Timestamp> clock_start) {
        publish = e2e::loopback(e2e::free_port());
        feeds.clear();
        for (int i = 0; i < 6; ++i) feeds.push_back(e2e::loopback(e2e::free_port()));
        const std::string radar_site = ", site: {lat: -9.05, lon: 125.0, height_m: 30}";
        const std::string cfg =
            "region: {name: t, origin: {lat: -9.0, lon: 125.0}}\nfeeds:\n"
            "  - {id: ais, kind: ais, format: nmea-ais, socket: pull, endpoint: '" +
            feeds[0] +
            "'}\n"
            "  - {id: cam, kind: camera, format: camera-json, socket: pull, endpoint: '" +
            feeds[1] +
            "', site: {lat: -9.05, lon: 125.05, height_m: 20}}\n"
            "  - {id: radar, kind: radar, format: asterix, socket: pull, endpoint: '" +
            feeds[2] + "'" + radar_site +
            "}\n"
            "  - {id: radar-fixed, kind: radar, format: asterix, socket: pull, endpoint: '" +
            feeds[3] + "'" + radar_site +
            ", clock_offset: 26min}\n"
            "  - {id: radar-learn, kind: radar, format: asterix, socket: pull, endpoint: '" +
            feeds[4] + "'" + radar_site +
            ", clock_offset: learn}\n"
            "  - {id: sat, kind: ais, format: nmea-ais, socket: pull, endpoint: '" +
            feeds[5] + "', expected_latency: 15min}\n" + "outputs:\n  publish: " + publish +
            "\n  snapshot: " + e2e::loopback(e2e::free_port()) + "\n  http: {port: 0}\n";
        server::ServeOptions opt;
        opt.quiet = true;
        opt.clock_start = clock_start;
        srv = std::make_unique<server::Server>(server::parse_server_config(cfg, "clock.yaml", "."),
                                               opt);
        srv->start();
    }
    ~Rig() { srv->stop(); }

    void send(std::size_t feed, const std::string& bytes) {
        (void)push[feed].send(zmq::buffer(bytes), zmq::send_flags::none);
    }
    json status() { return json::parse(srv->status()); }
    json feed_status(const std::string& id) {
        const json all = status();  // kept: a range over a temporary's member would dangle
        for (const auto& f : all["feeds"])
            if (f["id"] == id) return f;
        FAIL("no feed " << id << " in " << all.dump());
        return {};
    }
    /// Waits until feed `id` has received `n` messages (the server processed them).
    void wait_for(const std::string& id, std::uint64_t n) {
        const auto until = std::chrono::steady_clock::now() + 10s;
        while (feed_status(id)["messages"].get<std::uint64_t>() < n) {
            if (std::chrono::steady_clock::now() > until) FAIL("feed " << id << " stuck");
            std::this_thread::sleep_for(20ms);
        }
    }
    /// GET `path` from the control room's HTTP server; the body.
    std::string http_get(const std::string& path) const {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(srv->http_port());
        REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        const std::string req = "GET " + path +
                                " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(srv->http_port()) +
                                "\r\nConnection: close\r\n\r\n";
        REQUIRE(::write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size()));
        std::string res;
        char buf[4096];
        for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
            res.append(buf, static_cast<std::size_t>(n));
        ::close(fd);
        const auto body = res.find("\r\n\r\n");
        return body == std::string::npos ? res : res.substr(body + 4);
    }
};

using clock_scene::ais;
using clock_scene::sail;

std::string radar_plot(Timestamp stamp, double range_m) {
    sensors::asterix::Cat048Plot p;
    p.source = {1, 2};
    p.time_of_day_s = (stamp - utc_midnight_before(stamp)).seconds();
    p.polar = sensors::asterix::Cat048Plot::Polar{range_m, 30};
    return sensors::asterix::encode_cat048_block(
        std::span<const sensors::asterix::Cat048Plot>(&p, 1));
}

std::uint64_t rejected(const json& feed, const std::string& reason) {
    return feed["rejected"].contains(reason) ? feed["rejected"][reason].get<std::uint64_t>() : 0;
}

constexpr Mmsi kVessel = 257000001;

/// Track messages about kVessel received on the PUB socket.
std::vector<json> vessel_updates(const e2e::Subscriber& sub) {
    std::vector<json> out;
    for (const json& t : sub.of_topic("track"))
        if (t["properties"]["mmsi"] == kVessel) out.push_back(t);
    return out;
}

}  // namespace

TEST_CASE("One AIS sentence a day ahead, or dated 2255, does not stop tracking", "[e2e][clock]") {
    Rig rig;
    e2e::Subscriber sub(rig.ctx, rig.publish);
    std::this_thread::sleep_for(200ms);  // the subscriber joins
    const LatLon a0{-9.0, 125.0};
    const int reports = 16;
    for (int k = 0; k < reports; ++k) {
        rig.send(0, ais(kVessel, sail(a0, 0.25 * k), rig.srv->now()));
        if (k == 5) rig.send(0, ais(257000003, a0, rig.srv->now() + secs(86400)));
        if (k == 8) rig.send(0, ais(257000004, a0, *parse_iso8601("2255-01-01T00:00:00Z")));
        std::this_thread::sleep_for(250ms);
    }
    rig.wait_for("ais", reports + 2);
    const json feed = rig.feed_status("ais");
    CHECK(rejected(feed, "clock_ahead") == 2);
    CHECK(rejected(feed, "late") == 0);
    CHECK(rig.status()["tracker"]["late_dropped"] == 0);
    sub.drain(300ms);
    // Every report after the bad ones still updates the live track; it is never deleted, and
    // nothing published is dated in the future.
    CHECK(vessel_updates(sub).size() >= reports - 1);
    CHECK(sub.of_topic("track.deleted").empty());
    const Timestamp now = rig.srv->now();
    for (const json& t : sub.of_topic("track")) {
        CHECK(t["properties"]["mmsi"] != 257000003);
        CHECK(t["properties"]["mmsi"] != 257000004);
        CHECK(*parse_iso8601(t["properties"]["time"].get<std::string>()) <= now);
    }
}

TEST_CASE("A camera 25 s fast does not make current AIS reports late", "[e2e][clock]") {
    Rig rig;
    const LatLon a0{-9.0, 125.0};
    const int reports = 16;
    for (int k = 0; k < reports; ++k) {
        rig.send(0, ais(kVessel, sail(a0, 0.25 * k), rig.srv->now()));
        if (k == 2) {
            // Inside its 30 s max_clock_skew, beyond the 5 s latency window.
            rig.send(1, R"({"camera":"cam","time":")" + to_iso8601(rig.srv->now() + secs(25)) +
                            R"(","lat":-9.0,"lon":125.01,"class":"vessel"})");
        }
        std::this_thread::sleep_for(250ms);
    }
    rig.wait_for("ais", reports);
    rig.wait_for("cam", 1);
    CHECK(rejected(rig.feed_status("ais"), "late") == 0);
    CHECK(rig.status()["tracker"]["late_dropped"] == 0);
    CHECK(rig.feed_status("cam")["clock_clamped"] == 1);
    CHECK(rig.status()["tracker"]["associated"].get<int>() >= reports - 1);
}

TEST_CASE(
    "A radar 26 min ahead is flagged everywhere, and corrected by a configured or learned "
    "offset",
    "[e2e][clock]") {
    LogCapture logs;
    Rig rig;
    e2e::Subscriber sub(rig.ctx, rig.publish);
    std::this_thread::sleep_for(200ms);
    const int scans = 12;
    for (int k = 0; k < scans; ++k) {
        const Timestamp stamp = rig.srv->now() - secs(0.1) + secs(26 * 60);
        for (std::size_t f : {2, 3, 4}) rig.send(f, radar_plot(stamp, 4000 + 2.0 * k));
        std::this_thread::sleep_for(150ms);
    }
    for (const char* f : {"radar", "radar-fixed", "radar-learn"}) rig.wait_for(f, scans);

    // No offset: every record rejected, and the feed flagged in the status JSON ...
    const json radar = rig.feed_status("radar");
    CHECK(rejected(radar, "clock_ahead") == scans);
    CHECK(radar["clock"]["status"] == "ahead");
    CHECK(radar["clock"]["measured_offset_s"].get<double>() == Approx(1560).margin(1));
    // ... in /metrics ...
    const std::string metrics = rig.http_get("/metrics");
    CHECK(metrics.find("picket_feed_clock_off{feed=\"radar\"} 1\n") != std::string::npos);
    CHECK(metrics.find("picket_feed_clock_off{feed=\"radar-fixed\"} 0\n") != std::string::npos);
    CHECK(metrics.find("picket_feed_rejected_total{feed=\"radar\",reason=\"clock_ahead\"} " +
                       std::to_string(scans) + "\n") != std::string::npos);
    // ... on the `feed` topic (what the control room shows) ...
    sub.drain(300ms);
    bool announced = false;
    for (const json& m : sub.of_topic("feed"))
        announced = announced || (m["feed"] == "radar" && m["clock"]["status"] == "ahead");
    CHECK(announced);
    // ... and in the log, once.
    CHECK(logs.count("feed radar: clock ahead of the server's by") == 1);
    CHECK(logs.count("feed radar: 1 record rejected as clock_ahead") == 1);

    // A configured offset: every record fused; a learned one: all but the first few.
    const json fixed = rig.feed_status("radar-fixed");
    CHECK(rejected(fixed, "clock_ahead") == 0);
    CHECK(fixed["clock"]["status"] == "corrected");
    CHECK(fixed["measurements"] == scans);
    const json learned = rig.feed_status("radar-learn");
    CHECK(rejected(learned, "clock_ahead") == server::FeedClock::kMinSamples);
    CHECK(learned["clock"]["status"] == "corrected");
    CHECK(learned["clock"]["offset_source"] == "learned");
    CHECK(learned["clock"]["applied_offset_s"].get<double>() == Approx(1560).margin(1));
    CHECK(learned["measurements"] == scans - server::FeedClock::kMinSamples);
    // Nothing the server published is dated 26 minutes ahead.
    const Timestamp now = rig.srv->now();
    for (const json& t : sub.of_topic("track"))
        CHECK(*parse_iso8601(t["properties"]["time"].get<std::string>()) <= now);
}

TEST_CASE("Late data is counted per feed and logged; satellite AIS, late by nature, is tracked",
          "[e2e][clock]") {
    LogCapture logs;
    Rig rig;
    e2e::Subscriber sub(rig.ctx, rig.publish);
    std::this_thread::sleep_for(200ms);
    const LatLon a0{-9.0, 125.0}, far{-8.5, 125.5};
    for (int k = 0; k < 4; ++k) {
        const Timestamp now = rig.srv->now();
        // Current reports of one vessel; and a report 10 s old of another (older than the 5 s
        // latency window): late.
        rig.send(0, ais(kVessel, sail(a0, 0.25 * k), now));
        rig.send(0, ais(257000005, a0, now - secs(10)));
        // A satellite report made 8 minutes ago.
        rig.send(5, ais(257000020, sail(far, 0.25 * k - 480), now - secs(480)));
        std::this_thread::sleep_for(250ms);
    }
    rig.wait_for("ais", 8);
    rig.wait_for("sat", 4);
    CHECK(rejected(rig.feed_status("ais"), "late") == 4);
    CHECK(rejected(rig.feed_status("sat"), "late") == 0);
    CHECK(rig.feed_status("sat")["clock"]["status"] == "ok");
    CHECK(logs.count("feed ais: 1 measurement dropped as late") == 1);
    sub.drain(300ms);
    bool sat_track = false, current = false;
    for (const json& t : sub.of_topic("track")) {
        sat_track = sat_track || t["properties"]["mmsi"] == 257000020;
        current = current || t["properties"]["mmsi"] == kVessel;
        CHECK(t["properties"]["mmsi"] != 257000005);
    }
    CHECK(sat_track);
    CHECK(current);
}

TEST_CASE("An old capture is replayed through `serve` with the server clock started at its time",
          "[e2e][clock]") {
    // The documented setting (docs/configuration.md, "A feed's clock"): `clock: {start: ...}` or
    // --clock-start. The capture's radar plots, pushed at their own pace, are fused at their own
    // times; nothing is rejected, nothing is dated ahead.
    const Timestamp capture = *parse_iso8601("2024-05-01T10:00:00Z");
    Rig rig(capture);
    const int scans = 8;
    for (int k = 0; k < scans; ++k) {
        rig.send(2, radar_plot(capture + secs(0.25 * k), 4000 + 2.0 * k));
        std::this_thread::sleep_for(250ms);
    }
    rig.wait_for("radar", scans);
    const json radar = rig.feed_status("radar");
    CHECK(radar["rejected_total"] == 0);
    CHECK(radar["measurements"] == scans);
    CHECK(radar["clock"]["status"] == "ok");
    CHECK(rig.status()["tracker"]["confirmed"] == 1);
    CHECK(*parse_iso8601(rig.status()["time"].get<std::string>()) < capture + secs(60));
}

TEST_CASE("Clock values out of range stop `picket serve` with a clear message", "[e2e][clock]") {
    e2e::TempDir dir;
    const std::string cfg = dir.file("bad.yaml");
    e2e::write_text(cfg,
                    "region: {name: t, origin: {lat: -9, lon: 125}}\nfeeds:\n"
                    "  - id: radar\n    kind: radar\n    format: asterix\n"
                    "    endpoint: " +
                        e2e::loopback(e2e::free_port()) +
                        "\n    site: {lat: -9, lon: 125}\n    max_clock_skew: 0\n");
    const auto run = [&](std::vector<std::string> args) {
        const std::string log = dir.file("serve.log");
        std::filesystem::remove(log);
        args.insert(args.begin(), {e2e::picket_binary(), "serve"});
        e2e::ChildProcess p(args, log);
        const int code = p.wait();
        std::ifstream in(log);
        return std::pair{code, std::string(std::istreambuf_iterator<char>(in), {})};
    };
    const auto [skew_code, skew_out] = run({"--config", cfg});
    CHECK(skew_code == 2);
    CHECK(skew_out.find(cfg + ":8:21: feeds[0].max_clock_skew: max_clock_skew must be within") !=
          std::string::npos);
    const std::string good = dir.file("good.yaml");
    e2e::write_text(good, "region: {name: t, origin: {lat: -9, lon: 125}}\nfeeds: []\n");
    for (const char* speed : {"0", "-1", "nan"}) {
        const auto [code, out] = run({"--config", good, "--clock-speed", speed});
        CHECK(code == 2);
        CHECK(out.find("--clock-speed must be within (0, 10000]") != std::string::npos);
    }
}
