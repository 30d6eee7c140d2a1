// picket_web_fake_feed: serves web/ with generated tracks and alerts, for developing the page and
// measuring its frame rate with many tracks before `picket serve` exists. Not part of the server.
//   picket_web_fake_feed [--port N] [--tracks N] [--static DIR] [--tiles DIR] [--token T]
//                        [--rate HZ]
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/web/web_server.hpp"

using nlohmann::json;
using namespace std::chrono;

namespace {

std::atomic<bool> g_stop{false};

std::string iso(system_clock::time_point t) {
    const auto secs = system_clock::to_time_t(t);
    const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count() % 1000;
    char buf[96];
    std::tm tm{};
    gmtime_r(&secs, &tm);
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms));
    return buf;
}

struct FakeTrack {
    int id;
    double lat, lon, speed_mps, course_deg;
    std::string cls, standing, label;
    bool dark;
    std::string born;
};

struct World {
    std::mutex mutex;
    std::uint64_t seq = 0;
    std::map<int, FakeTrack> tracks;
    std::map<int, json> alerts;  // open + acknowledged
    int next_alert = 1;

    json track_json(const FakeTrack& t, const std::string& now) {
        const double c = t.course_deg * M_PI / 180.0;
        json p = {{"track_id", t.id},
                  {"status", "confirmed"},
                  {"time", now},
                  {"born", t.born},
                  {"speed_mps", t.speed_mps},
                  {"course_deg", t.course_deg},
                  {"east_mps", t.speed_mps * std::sin(c)},
                  {"north_mps", t.speed_mps * std::cos(c)},
                  {"sigma_m", 15.0},
                  {"class", t.cls},
                  {"standing", t.standing},
                  {"label", t.label},
                  {"dark", t.dark},
                  {"mmsi", t.dark ? json(nullptr) : json(538000000 + t.id)},
                  {"name", t.dark ? json(nullptr) : json("VESSEL " + std::to_string(t.id))},
                  {"callsign", nullptr},
                  {"ship_type", t.dark ? json(nullptr) : json(70)},
                  {"sensors", t.dark ? json::array({"radar"}) : json::array({"ais", "radar"})},
                  {"spoof_suspect", false},
                  {"ais_jump", false},
                  {"last_ais", t.dark ? json(nullptr) : json(now)}};
        return {{"seq", seq},
                {"type", "Feature"},
                {"id", t.id},
                {"geometry", {{"type", "Point"}, {"coordinates", {t.lon, t.lat}}}},
                {"properties", p}};
    }
};

World g_world;

const char* kLayers = R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"kind":"sea","name":"Timor Sea"},"geometry":{"type":"Polygon","coordinates":[[[124,-10.5],[127.5,-10.5],[127.5,-7.5],[124,-7.5],[124,-10.5]]]}},
{"type":"Feature","properties":{"kind":"land","name":"Timor"},"geometry":{"type":"Polygon","coordinates":[[[124.0,-9.9],[124.4,-10.2],[125.2,-9.6],[126.0,-9.2],[127.0,-8.6],[127.3,-8.4],[126.5,-8.5],[125.6,-8.6],[124.9,-8.95],[124.3,-9.3],[124.0,-9.9]]]}},
{"type":"Feature","properties":{"kind":"border","name":"IDN-TLS"},"geometry":{"type":"LineString","coordinates":[[124.95,-8.95],[125.1,-9.2],[124.95,-9.45],[125.1,-9.6]]}},
{"type":"Feature","properties":{"kind":"border","name":"maritime boundary"},"geometry":{"type":"LineString","coordinates":[[124.0,-10.3],[125.5,-10.0],[127.5,-9.6]]}},
{"type":"Feature","properties":{"kind":"zone","name":"Exclusion zone A"},"geometry":{"type":"Polygon","coordinates":[[[125.4,-8.4],[125.8,-8.4],[125.8,-8.1],[125.4,-8.1],[125.4,-8.4]]]}}
]})";

}  // namespace

int main(int argc, char** argv) {
    picket::web::WebConfig config;
    config.static_dir = "web";
    config.tiles_dir = "data/basemap/tiles-v2";
    config.token = "demo-token";
    int n_tracks = 200;
    double rate_hz = 2.0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--port"))
            config.port = static_cast<std::uint16_t>(std::atoi(argv[i + 1]));
        if (!std::strcmp(argv[i], "--tracks")) n_tracks = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--static")) config.static_dir = argv[i + 1];
        if (!std::strcmp(argv[i], "--tiles")) config.tiles_dir = argv[i + 1];
        if (!std::strcmp(argv[i], "--token")) config.token = argv[i + 1];
        if (!std::strcmp(argv[i], "--rate")) rate_hz = std::atof(argv[i + 1]);
    }
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> u(0, 1);
    const char* classes[] = {"vessel", "fast_boat", "vessel", "unknown", "person", "vehicle"};
    const char* standings[] = {"unknown", "friendly", "neutral", "suspect", "hostile"};
    const std::string born = iso(system_clock::now());
    for (int i = 1; i <= n_tracks; ++i) {
        const char* cls = classes[static_cast<int>(u(rng) * 6)];
        const bool ground = !std::strcmp(cls, "person") || !std::strcmp(cls, "vehicle");
        g_world.tracks[i] = FakeTrack{
            i,
            ground ? -9.0 - u(rng) * 0.5 : -9.6 - u(rng) * 0.8 + 0.8 * (u(rng) > 0.5 ? 0 : -0),
            ground ? 124.9 + u(rng) * 0.4 : 124.3 + u(rng) * 3.0,
            ground ? 1 + u(rng) * 8 : 2 + u(rng) * 12,
            u(rng) * 360,
            cls,
            standings[static_cast<int>(u(rng) * 5)],
            "",
            u(rng) < 0.3,
            born};
    }

    picket::web::Hooks hooks;
    hooks.snapshot = [] {
        std::lock_guard lock(g_world.mutex);
        const auto now = iso(system_clock::now());
        json s = {{"seq", g_world.seq},
                  {"time", now},
                  {"tracks", json::array()},
                  {"alerts", json::array()}};
        for (auto& [id, t] : g_world.tracks) s["tracks"].push_back(g_world.track_json(t, now));
        for (auto& [id, a] : g_world.alerts) s["alerts"].push_back(a);
        return s.dump();
    };
    hooks.layers = [] { return std::string(kLayers); };
    hooks.metrics = [] { return std::string("picket_fake_feed 1\n"); };
    hooks.assets = [] {
        return std::string(
            R"([{"id":"pb-1","name":"PB Dili","kind":"vessel","lat":-8.55,"lon":125.57,"max_speed_mps":15.4,"available":true},
{"id":"pb-2","name":"PB Suai","kind":"vessel","lat":-9.35,"lon":125.25,"max_speed_mps":12.0,"available":true},
{"id":"car-1","name":"Border patrol 1","kind":"vehicle","lat":-9.1,"lon":125.05,"max_speed_mps":20.0,"available":false}])");
    };
    hooks.recordings = [] {
        return std::string(
            R"([{"name":"fake-day","from":"2026-11-25T00:00:00Z","to":"2026-11-25T01:00:00Z"}])");
    };
    picket::web::WebServer* server_ptr = nullptr;
    hooks.command = [&server_ptr](const std::string& body, const std::string& user) {
        const auto cmd = json::parse(body);
        std::lock_guard lock(g_world.mutex);
        const std::string c = cmd.value("cmd", "");
        const auto now = iso(system_clock::now());
        if (c == "ack" || c == "close") {
            auto it = g_world.alerts.find(cmd.value("alert_id", -1));
            if (it == g_world.alerts.end())
                return std::string(R"({"ok":false,"error":"no such alert"})");
            auto& p = it->second["properties"];
            if (c == "ack") {
                p["state"] = "acknowledged";
                p["acknowledged_by"] = cmd.value("by", user);
                p["acknowledged_at"] = now;
            } else {
                p["state"] = "closed";
                p["closed_at"] = now;
            }
            it->second["seq"] = ++g_world.seq;
            server_ptr->broadcast("alert", it->second.dump());
            if (c == "close") g_world.alerts.erase(it);
            return std::string(R"({"ok":true})");
        }
        auto it = g_world.tracks.find(cmd.value("track_id", -1));
        if (it == g_world.tracks.end())
            return std::string(R"({"ok":false,"error":"no such track"})");
        if (c == "standing")
            it->second.standing = cmd.value("standing", "unknown");
        else if (c == "class")
            it->second.cls = cmd.value("class", "unknown");
        else if (c == "label")
            it->second.label = cmd.value("label", "");
        else if (c != "mute")
            return std::string(R"({"ok":false,"error":"unknown cmd"})");
        ++g_world.seq;
        server_ptr->broadcast("track", g_world.track_json(it->second, now).dump());
        return std::string(R"({"ok":true})");
    };
    picket::web::WebServer server(config, hooks);
    server_ptr = &server;
    server.start();
    std::printf("http://127.0.0.1:%u/\n", server.port());
    std::fflush(stdout);
    std::signal(SIGINT, [](int) { g_stop = true; });
    std::signal(SIGTERM, [](int) { g_stop = true; });

    const double dt = 1.0 / rate_hz;
    int tick = 0;
    while (!g_stop) {
        std::this_thread::sleep_for(duration<double>(dt));
        std::vector<std::pair<const char*, std::string>> out;
        {
            std::lock_guard lock(g_world.mutex);
            const auto now = iso(system_clock::now());
            for (auto& [id, t] : g_world.tracks) {
                const double c = t.course_deg * M_PI / 180.0;
                // 30x time so that motion is visible in a short test.
                t.lat += t.speed_mps * 30 * dt * std::cos(c) / 111320.0;
                t.lon +=
                    t.speed_mps * 30 * dt * std::sin(c) / (111320.0 * std::cos(t.lat * M_PI / 180));
                if (u(rng) < 0.02)
                    t.course_deg = std::fmod(t.course_deg + 40 * (u(rng) - 0.5) + 360, 360);
                ++g_world.seq;
                out.emplace_back("track", g_world.track_json(t, now).dump());
            }
            if (tick % 10 == 3 && !g_world.tracks.empty()) {
                const int aid = g_world.next_alert++;
                auto& t = g_world.tracks[1 + static_cast<int>(u(rng) * g_world.tracks.size()) %
                                                 static_cast<int>(g_world.tracks.size())];
                const char* sev[] = {"low", "medium", "high", "critical"};
                json a = {
                    {"seq", ++g_world.seq},
                    {"type", "Feature"},
                    {"id", "alert-" + std::to_string(aid)},
                    {"geometry", {{"type", "Point"}, {"coordinates", {t.lon, t.lat}}}},
                    {"properties",
                     {{"alert_id", aid},
                      {"kind", aid % 2 ? "border_crossing" : "zone_entry"},
                      {"severity", sev[aid % 4]},
                      {"rule", "fake"},
                      {"zone", "Exclusion zone A"},
                      {"track_id", t.id},
                      {"other_track_id", nullptr},
                      {"time", now},
                      {"state", "open"},
                      {"escalated", false},
                      {"message", "Track " + std::to_string(t.id) + " entered Exclusion zone A"},
                      {"acknowledged_by", nullptr},
                      {"acknowledged_at", nullptr},
                      {"closed_at", nullptr},
                      {"mmsi", nullptr},
                      {"name", nullptr},
                      {"evidence",
                       {{"lat", t.lat},
                        {"lon", t.lon},
                        {"speed_mps", t.speed_mps},
                        {"course_deg", t.course_deg},
                        {"status", "confirmed"},
                        {"dark", t.dark}}}}}};
                g_world.alerts[aid] = a;
                out.emplace_back("alert", a.dump());
            }
        }
        for (auto& [topic, text] : out) server.broadcast(topic, std::move(text));
        ++tick;
    }
    server.stop();
    return 0;
}
