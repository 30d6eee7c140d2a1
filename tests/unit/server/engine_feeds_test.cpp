// What real feeds need from the fusion engine, end to end (decoder -> tracker -> rules ->
// published JSON): AIS anomalies that name the MMSI they are about, sane tracks at the poles, a
// radar's stated antenna period handed to the tracker.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sensors/ais/ais_encoder.hpp"
#include "sensors/asterix/cat048_encoder.hpp"
#include "src/engine/fusion_engine.hpp"
#include "src/server_config.hpp"

using namespace picket;
using nlohmann::json;

namespace {

class Collect final : public server::EngineOutput {
public:
    void publish(std::string_view topic, const std::string& text) override {
        messages.push_back({std::string(topic), json::parse(text)});
    }
    std::vector<json> on(std::string_view topic) const {
        std::vector<json> out;
        for (const auto& [t, j] : messages)
            if (t == topic) out.push_back(j);
        return out;
    }
    std::vector<std::pair<std::string, json>> messages;
};

/// A server config with a radar on Timor's north coast: feed 0, or feed 1 after an AIS feed.
server::ServerConfig radar_config(bool with_ais) {
    std::string text = "region:\n  name: test\n  origin: {lat: -8.8, lon: 125.3}\nfeeds:\n";
    if (with_ais)
        text +=
            "  - {id: ais, kind: ais, format: nmea-ais, endpoint: 'tcp://127.0.0.1:1', "
            "socket: sub}\n";
    text +=
        "  - {id: radar, kind: radar, format: asterix, endpoint: 'tcp://127.0.0.1:2', "
        "socket: sub,\n     site: {lat: -8.56, lon: 125.575, height_m: 80}}\n";
    return server::parse_server_config(text, "test.yaml",
                                       std::filesystem::temp_directory_path().string());
}

/// A server config with one AIS feed (and the rule file `rules`, when not empty), in a temporary
/// directory that lives as long as the object.
struct AisDeployment {
    explicit AisDeployment(const std::string& rules, double origin_lat = -8.8,
                           double origin_lon = 125.3) {
        dir =
            std::filesystem::temp_directory_path() /
            ("picket_engine_feeds_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        std::filesystem::create_directories(dir);
        std::string text = "region:\n  name: test\n  origin: {lat: " + std::to_string(origin_lat) +
                           ", lon: " + std::to_string(origin_lon) +
                           "}\n"
                           "feeds:\n"
                           "  - {id: ais, kind: ais, format: nmea-ais, endpoint: "
                           "'tcp://127.0.0.1:1', socket: sub}\n";
        if (!rules.empty()) {
            std::ofstream(dir / "rules.yaml") << rules;
            text += "rules: rules.yaml\n";
        }
        config = server::parse_server_config(text, "test.yaml", dir.string());
    }
    ~AisDeployment() { std::filesystem::remove_all(dir); }
    std::filesystem::path dir;
    server::ServerConfig config;
    static inline int counter = 0;
};

Timestamp at(double s) { return Timestamp{static_cast<std::int64_t>((1.764e9 + s) * 1e9)}; }

std::string type1(Mmsi mmsi, double lat, double lon, double sog_kn, double cog_deg, int second) {
    sensors::ais::PositionReportA m;
    m.mmsi = mmsi;
    m.lat_deg = lat;
    m.lon_deg = lon;
    m.sog_kn = sog_kn;
    m.cog_deg = cog_deg;
    m.high_accuracy = true;
    m.utc_second = second;
    return sensors::ais::encode(m, {}).front();
}

}  // namespace

TEST_CASE("an invalid-MMSI anomaly alert carries the MMSI it was sent with, even 0",
          "[server][engine][ais]") {
    AisDeployment d("rules:\n  - {name: identity, kind: ais_anomaly, reasons: [invalid_mmsi]}\n");
    Collect out;
    server::FusionEngine engine(d.config, out);
    // Two different invalid identities (a test pattern and the "not available" 0) and one
    // 8-digit (a coast station's group call) must give three distinguishable alerts.
    const std::vector<Mmsi> bad{123'456'789, 0, 12'345'678};
    for (std::size_t i = 0; i < bad.size(); ++i) {
        const double t = 10.0 * static_cast<double>(i);
        engine.on_message(0, at(t), type1(bad[i], -8.5, 125.5 + 0.01 * i, 10, 90, 0));
        engine.on_tick(at(t + 1));
    }
    const auto alerts = out.on("alert");
    REQUIRE(alerts.size() == bad.size());
    for (std::size_t i = 0; i < bad.size(); ++i) {
        INFO(alerts[i].dump());
        const json& p = alerts[i]["properties"];
        REQUIRE(p["mmsi"].is_number_unsigned());
        CHECK(p["mmsi"].get<Mmsi>() == bad[i]);
    }
}

TEST_CASE("a vessel at the pole keeps a stable longitude and the course it reported",
          "[server][engine][ais]") {
    // Regression (issue 15): a report at 90 N, 45 E, course 45 was published at longitude -54.46
    // and course 307: the same motion told from a meridian picked by rounding noise. At the pole
    // every meridian is valid; what must hold is that the published pair is stable and
    // describes the reported motion: at the north pole a course c from meridian L points along
    // meridian L + 180 - c, so L - c is the invariant.
    const auto invariant = [](double lon, double course) {
        return std::fmod(std::fmod(lon - course, 360.0) + 360.0, 360.0);
    };
    SECTION("reported on the tracker origin's meridian: published as reported") {
        AisDeployment d("", 89.0, 45.0);
        Collect out;
        server::FusionEngine engine(d.config, out);
        engine.on_message(0, at(0), type1(273'000'001, 90.0, 45.0, 10.0, 45.0, 0));
        const auto tracks = out.on("track");
        REQUIRE(tracks.size() == 1);
        INFO(tracks[0].dump());
        CHECK(tracks[0]["geometry"]["coordinates"][0].get<double>() == Approx(45.0));
        CHECK(tracks[0]["geometry"]["coordinates"][1].get<double>() == Approx(90.0));
        CHECK(tracks[0]["properties"]["course_deg"].get<double>() == Approx(45.0).margin(0.05));
    }
    SECTION("reported on another meridian: the same motion, stable over reports") {
        AisDeployment d("", 89.0, 45.0);
        Collect out;
        server::FusionEngine engine(d.config, out);
        for (int i = 0; i < 5; ++i)  // a stationary report repeated: the published pair must hold
            engine.on_message(0, at(10.0 * i), type1(273'000'002, 90.0, 0.0, 0.0, 45.0, 10 * i));
        const auto tracks = out.on("track");
        REQUIRE(!tracks.empty());
        for (const json& t : tracks) {
            INFO(t.dump());
            const double lon = t["geometry"]["coordinates"][0].get<double>();
            CHECK(lon == Approx(45.0));  // the origin's meridian, not noise
            CHECK(t["geometry"]["coordinates"][1].get<double>() == Approx(90.0));
        }
        // With no speed there is no course to check; with speed, the first report's motion:
        engine.on_message(0, at(100), type1(273'000'003, 90.0, 0.0, 10.0, 45.0, 40));
        const json moving = out.on("track").back();
        INFO(moving.dump());
        CHECK(invariant(moving["geometry"]["coordinates"][0].get<double>(),
                        moving["properties"]["course_deg"].get<double>()) ==
              Approx(invariant(0.0, 45.0)).margin(0.05));
    }
}

TEST_CASE("a radar's CAT034 antenna period reaches the tracker for its feed",
          "[server][engine][asterix]") {
    // Regression (issue 15): the period decoded from CAT034 was thrown away, so a slow radar's
    // tracks were counted as missing every `min_miss_interval` instead of every look.
    const server::ServerConfig config = radar_config(/*with_ais=*/true);
    Collect out;
    server::FusionEngine engine(config, out);
    CHECK_FALSE(engine.tracker().scan_period(1).has_value());
    const double time_of_day = std::fmod(1.764e9 + 100, 86400.0);
    engine.on_message(1, at(100.2),
                      sensors::asterix::encode_cat034_north_marker({25, 1}, time_of_day, 7.6));
    REQUIRE(engine.tracker().scan_period(1).has_value());
    CHECK(*engine.tracker().scan_period(1) == Approx(7.6).margin(1.0 / 128));
    CHECK_FALSE(engine.tracker().scan_period(0).has_value());  // the AIS feed's stays unset
}

TEST_CASE("a radar's end-of-track record ends the track it kept alive, and only that one",
          "[server][engine][asterix]") {
    const server::ServerConfig config = radar_config(/*with_ais=*/false);
    Collect out;
    server::FusionEngine engine(config, out);
    // Two boats 10 km apart, radar tracks 77 and 78, eight 4-s scans: both confirmed.
    const auto scan = [](double t, bool end77) {
        using sensors::asterix::Cat048Plot;
        std::vector<Cat048Plot> plots;
        for (const int n : {77, 78}) {
            Cat048Plot p;
            p.source = {25, 1};
            p.time_of_day_s = std::fmod(1.764e9 + t, 86400.0);
            p.polar = Cat048Plot::Polar{18520.0 + 5.0 * t, n == 77 ? 90.0 : 120.0};
            p.track_number = static_cast<std::uint16_t>(n);
            if (end77 && n == 77) {
                p.polar.reset();  // the end-of-track record: no position
                p.type = sensors::asterix::Cat048DetectionType::no_detection;
                p.track_end = true;
            }
            plots.push_back(p);
        }
        return sensors::asterix::encode_cat048_block(plots);
    };
    for (int i = 0; i < 8; ++i) {
        engine.on_message(0, at(4.0 * i + 0.2), scan(4.0 * i, false));
        engine.on_tick(at(4.0 * i + 1));
    }
    REQUIRE(engine.tracker().tracks().size() == 2);
    for (const Track& t : engine.tracker().tracks()) CHECK(t.status == TrackStatus::confirmed);
    REQUIRE(out.on("track.deleted").empty());
    engine.on_message(0, at(32.2), scan(32.0, true));
    // Track 77 is gone at once (not a minute of coasting later), 78 lives on; no reject counted.
    CHECK(out.on("track.deleted").size() == 1);
    CHECK(engine.tracker().tracks().size() == 1);
    CHECK(engine.feeds()[0].rejected_total() == 0);
}

TEST_CASE("an air radar's CAT048 plots with I048/200 start aircraft tracks at the radar's velocity",
          "[server][engine][asterix]") {
    // Regression (issue 15): a polar plot's velocity was dropped, so on a real en-route radar
    // picket confirmed 8.8 % of the radar's fast targets.
    const std::string text =
        "region:\n  name: test\n  origin: {lat: 41.3, lon: 2.1}\nfeeds:\n"
        "  - {id: radar, kind: radar, format: asterix, endpoint: 'tcp://127.0.0.1:2', "
        "socket: sub, watches: air,\n     site: {lat: 41.3, lon: 2.1, height_m: 27}}\n";
    const server::ServerConfig config = server::parse_server_config(
        text, "test.yaml", std::filesystem::temp_directory_path().string());
    Collect out;
    server::FusionEngine engine(config, out);
    sensors::asterix::Cat048Plot p;
    p.source = {20, 129};
    p.time_of_day_s = std::fmod(1.764e9 + 10, 86400.0);
    p.type = sensors::asterix::Cat048DetectionType::mode_s_roll_call;
    p.polar = sensors::asterix::Cat048Plot::Polar{90'000.0, 45.0};
    p.track_number = 1234;
    p.velocity = sensors::asterix::Cat048Plot::Velocity{230.0, 90.0};  // due east
    const std::vector<sensors::asterix::Cat048Plot> plots{p};
    engine.on_message(0, at(10.2), sensors::asterix::encode_cat048_block(plots));
    REQUIRE(engine.tracker().tracks().size() == 1);
    const Track& t = engine.tracker().tracks().front();
    CHECK(t.target_class == TargetClass::aircraft);
    // 230 m/s east at the plot (2^-14 NM/s and 360/2^16 deg on the wire).
    CHECK(t.east_mps == Approx(230.0).margin(0.2));
    CHECK(t.north_mps == Approx(0.0).margin(0.2));
}
