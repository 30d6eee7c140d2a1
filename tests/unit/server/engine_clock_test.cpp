// The engine's time (issue 12): "now" is the server's clock, and no single feed, message or clock
// can stop or delay the tracking of the others. The FusionEngine is driven directly here, with
// the events the live server would give it (tests/e2e/clock_test.cpp does the same over sockets).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/log.hpp"
#include "geo/local_frame.hpp"
#include "sensors/ais/ais_encoder.hpp"
#include "sensors/asterix/cat048_encoder.hpp"
#include "src/engine/fusion_engine.hpp"
#include "src/server_config.hpp"
#include "tests/unit/server/clock_scene.hpp"

using namespace picket;
using nlohmann::json;

namespace {

const Timestamp kT0{1'795'564'800LL * kNsPerSecond};  // 2026-11-25T00:00:00Z
const LatLon kOrigin{-9.0, 125.0};
const LatLon kRadarSite{-9.05, 125.0};

Duration secs(double s) { return Duration::from_seconds(s); }

struct Capture final : server::EngineOutput {
    std::vector<std::pair<std::string, json>> messages;
    void publish(std::string_view topic, const std::string& text) override {
        messages.emplace_back(std::string(topic), json::parse(text));
    }
    [[nodiscard]] std::vector<json> of(const std::string& topic) const {
        std::vector<json> out;
        for (const auto& [t, j] : messages)
            if (t == topic) out.push_back(j);
        return out;
    }
};

/// Log lines, captured for the duration of a test.
struct LogCapture {
    std::vector<std::string> lines;
    LogCapture() {
        log::set_sink([this](log::Level, std::string_view m) { lines.emplace_back(m); });
    }
    ~LogCapture() { log::set_sink(nullptr); }
    [[nodiscard]] int count(std::string_view needle) const {
        int n = 0;
        for (const auto& l : lines) n += l.find(needle) != std::string::npos ? 1 : 0;
        return n;
    }
};

/// An AIS feed (0), a camera (1), a radar (2) and a satellite AIS feed (3, 15 min expected
/// latency); `radar_extra` / `ais_extra` add keys to the radar / AIS feed.
server::ServerConfig config(const std::string& radar_extra = "",
                            const std::string& ais_extra = "") {
    const std::string text =
        "region: {name: t, origin: {lat: -9.0, lon: 125.0}}\n"
        "feeds:\n"
        "  - {id: ais, kind: ais, format: nmea-ais, endpoint: 'tcp://127.0.0.1:1'" +
        ais_extra +
        "}\n"
        "  - {id: cam, kind: camera, format: camera-json, endpoint: 'tcp://127.0.0.1:2',"
        " site: {lat: -9.05, lon: 125.05, height_m: 20}}\n"
        "  - {id: radar, kind: radar, format: asterix, endpoint: 'tcp://127.0.0.1:3',"
        " site: {lat: -9.05, lon: 125.0, height_m: 30}" +
        radar_extra +
        "}\n"
        "  - {id: sat, kind: ais, format: nmea-ais, endpoint: 'tcp://127.0.0.1:4',"
        " expected_latency: 15min}\n";
    return server::parse_server_config(text, "clock.yaml", "/tmp");
}

using clock_scene::ais;
using clock_scene::sail;

/// One CAT048 plot of the radar, stamped `stamp` (time of day).
std::string radar_plot(Timestamp stamp, double range_m, double az_deg) {
    sensors::asterix::Cat048Plot p;
    p.source = {1, 2};
    p.time_of_day_s = (stamp - utc_midnight_before(stamp)).seconds();
    p.polar = sensors::asterix::Cat048Plot::Polar{range_m, az_deg};
    return sensors::asterix::encode_cat048_block(
        std::span<const sensors::asterix::Cat048Plot>(&p, 1));
}

const json* find_feed(const json& status, const std::string& id) {
    for (const auto& f : status["feeds"])
        if (f["id"] == id) return &f;
    return nullptr;
}

std::uint64_t rejected(const json& status, const std::string& feed, const std::string& reason) {
    const json* f = find_feed(status, feed);
    return f && (*f)["rejected"].contains(reason) ? (*f)["rejected"][reason].get<std::uint64_t>()
                                                  : 0;
}

const Track* track_with(const server::FusionEngine& e, Mmsi mmsi) {
    for (const Track& t : e.tracker().tracks())
        if (t.identity && t.identity->mmsi == mmsi) return &t;
    return nullptr;
}

}  // namespace

TEST_CASE("One AIS sentence a day ahead, or dated 2255, does not stop tracking", "[clock]") {
    Capture out;
    server::FusionEngine e(config(), out);
    const LatLon a0{-9.0, 125.0}, b0{-9.02, 125.01};
    for (int k = 0; k <= 60; ++k) {
        const Timestamp t = kT0 + secs(2.0 * k);
        const Timestamp stamp = t - secs(1);  // whole seconds on the wire: stamped a second back
        e.on_message(0, t, ais(257000001, sail(a0, 2.0 * k), stamp));
        e.on_message(0, t, ais(257000002, sail(b0, 2.0 * k), stamp));
        if (k == 10) e.on_message(0, t, ais(257000003, a0, t + secs(86400)));
        if (k == 20) e.on_message(0, t, ais(257000004, b0, *parse_iso8601("2255-01-01T00:00:00Z")));
        e.on_tick(t);
    }
    const json status = json::parse(e.status_json());
    CHECK(rejected(status, "ais", "clock_ahead") == 2);
    CHECK(rejected(status, "ais", "late") == 0);
    CHECK(status["tracker"]["late_dropped"] == 0);
    // Both vessels are tracked to their last report; nothing is dated in the future.
    const Timestamp last = kT0 + secs(120) - secs(1);
    for (Mmsi m : {257000001u, 257000002u}) {
        const Track* t = track_with(e, m);
        REQUIRE(t);
        CHECK(t->status == TrackStatus::confirmed);
        CHECK(t->updated == last);
    }
    CHECK_FALSE(track_with(e, 257000003));
    CHECK_FALSE(track_with(e, 257000004));
    for (const Track& t : e.tracker().tracks()) CHECK(t.updated <= e.now());
    CHECK((*find_feed(status, "ais"))["clock"]["status"] == "ok");
}

TEST_CASE("A camera 25 s fast does not make current AIS reports late", "[clock]") {
    Capture out;
    server::FusionEngine e(config(), out);
    const LatLon a0{-9.0, 125.0};
    int reports = 0;
    for (int k = 0; k <= 30; ++k) {
        const Timestamp t = kT0 + secs(2.0 * k);
        e.on_message(0, t, ais(257000001, sail(a0, 2.0 * k), t - secs(1)));
        ++reports;
        if (k == 5) {
            // Inside its 30 s max_clock_skew, beyond the 5 s latency window.
            const std::string line = R"({"camera":"cam","time":")" + to_iso8601(t + secs(25)) +
                                     R"(","lat":-9.0,"lon":125.01,"class":"vessel"})";
            e.on_message(1, t, line);
        }
        e.on_tick(t);
    }
    const json status = json::parse(e.status_json());
    CHECK(rejected(status, "ais", "late") == 0);
    CHECK(status["tracker"]["late_dropped"] == 0);
    CHECK((*find_feed(status, "cam"))["clock_clamped"] == 1);
    const Track* t = track_with(e, 257000001);
    REQUIRE(t);
    CHECK(t->updated == kT0 + secs(60) - secs(1));
    for (const Track& tr : e.tracker().tracks()) CHECK(tr.updated <= e.now());
}

namespace {

/// A radar whose clock runs `fast` ahead: one plot of a target every 2 s for `scans` scans.
/// Returns the engine's status.
json run_radar(server::FusionEngine& e, Duration fast, int scans) {
    const double range0 = 4000;
    for (int k = 0; k < scans; ++k) {
        const Timestamp t = kT0 + secs(2.0 * k);
        // Stamped a quarter second before receipt (a multiple of I048/140's 1/128 s).
        e.on_message(2, t, radar_plot(t - secs(0.25) + fast, range0 + 5.0 * 2 * k, 30));
        e.on_tick(t);
    }
    return json::parse(e.status_json());
}

}  // namespace

TEST_CASE("A radar 26 min ahead is flagged, in the status, the feed topic and the log", "[clock]") {
    LogCapture logs;
    Capture out;
    server::FusionEngine e(config(), out);
    const json status = run_radar(e, secs(26 * 60), 25);  // 50 s: within one minute of logs
    CHECK(rejected(status, "radar", "clock_ahead") == 25);
    const json& clock = (*find_feed(status, "radar"))["clock"];
    CHECK(clock["status"] == "ahead");
    CHECK(clock["measured_offset_s"].get<double>() == Approx(26 * 60 - 0.25).margin(0.001));
    CHECK(clock["applied_offset_s"] == 0.0);
    CHECK(e.tracker().tracks().empty());
    // Announced once on the `feed` topic; logged, rate-limited: one line for the flag and one for
    // the rejected records in the first minute, however many records there were.
    const auto feed = out.of("feed");
    REQUIRE(feed.size() == 1);
    CHECK(feed[0]["feed"] == "radar");
    CHECK(feed[0]["clock"]["status"] == "ahead");
    CHECK(logs.count("feed radar: clock ahead of the server's by 1559.") == 1);
    CHECK(logs.count("feed radar: 1 record rejected as clock_ahead") == 1);
    // The other feeds are not touched.
    CHECK((*find_feed(status, "ais"))["clock"]["status"] == "ok");
}

TEST_CASE("A radar 26 min ahead is corrected by a configured offset", "[clock]") {
    Capture out;
    server::FusionEngine e(config(", clock_offset: 26min"), out);
    const json status = run_radar(e, secs(26 * 60), 40);
    CHECK(rejected(status, "radar", "clock_ahead") == 0);
    const json& clock = (*find_feed(status, "radar"))["clock"];
    CHECK(clock["status"] == "corrected");
    CHECK(clock["offset_source"] == "configured");
    CHECK(clock["applied_offset_s"] == 1560.0);
    REQUIRE(e.tracker().tracks().size() == 1);
    const Track& t = e.tracker().tracks()[0];
    CHECK(t.status == TrackStatus::confirmed);
    CHECK(t.updated == kT0 + secs(78) - secs(0.25));
}

TEST_CASE("A radar 26 min ahead is corrected by a learned offset, the same in replay", "[clock]") {
    auto run = [] {
        Capture out;
        server::FusionEngine e(config(", clock_offset: learn"), out);
        const json status = run_radar(e, secs(26 * 60), 40);
        return std::pair{status, out.messages};
    };
    const auto [status, messages] = run();
    // Rejected until enough messages to measure the offset, then fused.
    CHECK(rejected(status, "radar", "clock_ahead") == server::FeedClock::kMinSamples);
    const json& clock = (*find_feed(status, "radar"))["clock"];
    CHECK(clock["status"] == "corrected");
    CHECK(clock["offset_source"] == "learned");
    CHECK(clock["applied_offset_s"].get<double>() == Approx(26 * 60 - 0.25).margin(0.001));
    CHECK(status["tracker"]["confirmed"] == 1);
    // Learned from recorded inputs only: the same events give the same bytes.
    CHECK(run().second == messages);
}

TEST_CASE("Late data is counted per feed and logged once a minute; the slow feed is flagged",
          "[clock]") {
    LogCapture logs;
    Capture out;
    server::FusionEngine e(config(", clock_tolerance: 1s"), out);
    const LatLon a0{-9.0, 125.0};
    for (int k = 0; k < 100; ++k) {
        const Timestamp t = kT0 + secs(1.0 * k);
        e.on_message(0, t, ais(257000001, sail(a0, 1.0 * k), t - secs(1)));
        // A radar 12 s slow: inside max_clock_skew, older than the 5 s latency window.
        e.on_message(2, t, radar_plot(t - secs(12), 4000, 30));
        e.on_tick(t);
    }
    const json status = json::parse(e.status_json());
    CHECK(rejected(status, "radar", "late") == 100);
    CHECK(rejected(status, "ais", "late") == 0);
    CHECK(status["tracker"]["late_dropped"] == 100);
    CHECK((*find_feed(status, "radar"))["clock"]["status"] == "behind");
    // 100 s of late data: a line at the first, one a minute later with the rest so far.
    CHECK(logs.count("feed radar: 1 measurement dropped as late") == 1);
    CHECK(logs.count("feed radar: 60 measurements dropped as late") == 1);
    CHECK(logs.count("feed ais") == 0);
    CHECK(track_with(e, 257000001));
}

TEST_CASE("Satellite AIS, minutes late by nature, keeps its vessels tracked and identified",
          "[clock]") {
    Capture out;
    server::FusionEngine e(config(), out);
    const LatLon far{-8.5, 125.5};  // beyond every other sensor
    // A pass every 3 minutes; each report reaches the server 8 minutes after it was made.
    for (int k = 0; k < 5; ++k) {
        const Timestamp made = kT0 + secs(180.0 * k);
        const Timestamp received = made + secs(480);
        e.on_message(3, received, ais(257000020, sail(far, 180.0 * k), made));
        // The same report through an ordinary feed is too old to use.
        e.on_message(0, received, ais(257000021, sail(far, 180.0 * k), received - secs(20)));
        for (int s = 0; s < 180; s += 10) e.on_tick(received + secs(s));
    }
    const json status = json::parse(e.status_json());
    CHECK(rejected(status, "sat", "late") == 0);
    CHECK(rejected(status, "ais", "late") == 5);
    CHECK((*find_feed(status, "sat"))["clock"]["status"] == "ok");
    const Track* t = track_with(e, 257000020);
    REQUIRE(t);
    CHECK(t->status != TrackStatus::tentative);
    CHECK(t->updated == kT0 + secs(720));
    CHECK_FALSE(track_with(e, 257000021));
    // Published, with its identity, each pass.
    int updates = 0;
    for (const json& m : out.of("track")) updates += m["properties"]["mmsi"] == 257000020 ? 1 : 0;
    CHECK(updates >= 5);
}

TEST_CASE("An old capture, with the clock check at its widest, never dates a track in the future",
          "[clock]") {
    // Issue 12: with the check off (`max_clock_skew: 0`, now refused), a radar recording made one
    // evening and pushed through `serve` the next morning produced tracks stamped 12 h ahead: its
    // times of day resolve to the receive day. The widest check there is (24 h) lets those times
    // through, and they are fused at their receive time; tracks are never dated after "now".
    Capture out;
    server::FusionEngine e(config(", max_clock_skew: 24h"), out);
    const Duration evening = secs(11 * 3600.0);  // recorded at 21:00, pushed at 10:00
    const json status = run_radar(e, evening, 20);
    const json& radar = *find_feed(status, "radar");
    CHECK(radar["rejected_total"] == 0);
    CHECK(radar["clock_clamped"] == 20);
    CHECK(radar["clock"]["status"] == "ahead");
    REQUIRE(e.tracker().tracks().size() == 1);
    CHECK(e.tracker().tracks()[0].updated == e.now());
    for (const json& m : out.of("track"))
        CHECK(*parse_iso8601(m["properties"]["time"].get<std::string>()) <= e.now());

    // The default check rejects the same capture, visibly: nothing fused, the clock flagged.
    Capture out2;
    server::FusionEngine strict(config(), out2);
    const json s2 = run_radar(strict, evening, 20);
    CHECK(rejected(s2, "radar", "clock_ahead") == 20);
    CHECK((*find_feed(s2, "radar"))["clock"]["status"] == "ahead");
    CHECK(strict.tracker().tracks().empty());
}
