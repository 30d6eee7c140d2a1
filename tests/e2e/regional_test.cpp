// Track-to-track fusion over real sockets (issue 16): two real `picket serve` sector processes,
// each with its own radar and both with the same AIS receiver (a sensor that reaches two
// sectors), and a real regional `picket serve` reading their track streams (`kind: tracks`),
// started late so that it joins by their snapshots. The regional picture has one track per
// target where the sectors overlap, the source tracks of each, the sensors behind it counted
// once, and keeps its ids when a sector restarts.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <thread>

#include "geo/local_frame.hpp"
#include "sensors/json/json_detections.hpp"
#include "tests/e2e/e2e_support.hpp"
#include "tests/e2e/server_process.hpp"
#include "tests/e2e/voyage.hpp"

using namespace picket;
using namespace picket::e2e;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const LatLon kSiteA{-8.40, 125.40};
const LatLon kSiteB{-8.40, 125.60};
constexpr Mmsi kShip = 525000111;

struct Sector {
    std::string name, radar;
    LatLon site;
    std::string radar_feed = loopback(free_port());
    std::string ais_feed = loopback(free_port());
    std::string publish = loopback(free_port());
    std::string snapshot = loopback(free_port());
};

std::string sector_config(const Sector& s) {
    return "region: {name: " + s.name +
           ", origin: {lat: -8.4, lon: 125.5}}\n"
           "feeds:\n"
           "  - {id: " +
           s.radar + ", kind: radar, format: json-plot, socket: pull, endpoint: \"" + s.radar_feed +
           "\", site: {lat: " + std::to_string(s.site.lat_deg) +
           ", lon: " + std::to_string(s.site.lon_deg) +
           "}}\n"
           "  - {id: ais-coast, kind: ais, format: nmea-ais, socket: pull, endpoint: \"" +
           s.ais_feed + "\"}\noutputs:\n  publish: \"" + s.publish + "\"\n  snapshot: \"" +
           s.snapshot + "\"\n  http: {enabled: false}\ntick: 0.5s\n";
}

std::string regional_config(const std::vector<Sector*>& sectors, const std::string& publish,
                            const std::string& snapshot) {
    std::string c = "region: {name: regional, origin: {lat: -8.4, lon: 125.5}}\nfeeds:\n";
    for (const Sector* s : sectors)
        c += "  - {id: " + s->name + ", kind: tracks, format: picket, endpoint: \"" + s->publish +
             "\", snapshot: \"" + s->snapshot + "\"}\n";
    return c + "outputs:\n  publish: \"" + publish + "\"\n  snapshot: \"" + snapshot +
           "\"\n  http: {enabled: false}\ntick: 0.5s\n";
}

/// A radar plot of the target at `p`, now, from `site`.
std::string plot(const std::string& radar, LatLon site, LatLon p) {
    sensors::json::JsonPlot pl;
    pl.radar_id = radar;
    pl.time = Timestamp{std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count()};
    pl.range_m = geo::geodesic_distance_m(site, p);
    pl.bearing_deg = geo::geodesic_bearing_deg(site, p);
    pl.sigma_range_m = 15;
    pl.sigma_bearing_deg = 0.2;
    return sensors::json::encode_json_plot(pl);
}

struct Pushers {
    zmq::socket_t a_radar, a_ais, b_radar, b_ais;
};

zmq::socket_t push_to(zmq::context_t& ctx, const std::string& endpoint) {
    zmq::socket_t s(ctx, zmq::socket_type::push);
    s.set(zmq::sockopt::linger, 0);
    s.connect(endpoint);
    return s;
}

/// One second of the scene at step `k`: the ship (AIS to both sectors, radar A) and a dark boat
/// in the overlap (radar A and radar B).
void step(const Sector& a, const Sector& b, zmq::socket_t& a_radar, zmq::socket_t& a_ais,
          zmq::socket_t& b_radar, zmq::socket_t& b_ais, int k) {
    const LatLon ship = geo::geodesic_destination({-8.45, 125.45}, 90, 10.3 * k);
    const LatLon boat = geo::geodesic_destination({-8.42, 125.50}, 0, 5.0 * k);
    const std::string ais = position_report_message(kShip, ship, 90);
    a_ais.send(zmq::buffer(ais), zmq::send_flags::none);
    b_ais.send(zmq::buffer(ais), zmq::send_flags::none);
    const std::string pa = plot(a.radar, a.site, ship) + "\n" + plot(a.radar, a.site, boat);
    a_radar.send(zmq::buffer(pa), zmq::send_flags::none);
    const std::string pb = plot(b.radar, b.site, boat);
    b_radar.send(zmq::buffer(pb), zmq::send_flags::none);
}

json snapshot_of(zmq::context_t& ctx, const std::string& endpoint) {
    const auto r = request(ctx, endpoint, "snapshot", 3000ms);
    REQUIRE(r);
    return json::parse(*r);
}

std::set<std::string> sources_of(const json& track) {
    std::set<std::string> out;
    for (const auto& s : track["properties"]["sources"]) out.insert(s["feed"].get<std::string>());
    return out;
}

}  // namespace

TEST_CASE("a regional server fuses two sectors' tracks: one track per target, sensors once",
          "[e2e][regional]") {
    TempDir dir;
    Sector a{"sector-a", "radar-a", kSiteA};
    Sector b{"sector-b", "radar-b", kSiteB};
    write_text(dir.file("a.yaml"), sector_config(a));
    write_text(dir.file("b.yaml"), sector_config(b));
    const std::string publish = loopback(free_port()), snapshot = loopback(free_port());
    write_text(dir.file("regional.yaml"), regional_config({&a, &b}, publish, snapshot));

    ChildProcess sa({picket_binary(), "serve", "--config", dir.file("a.yaml")}, dir.file("a.log"));
    ChildProcess sb({picket_binary(), "serve", "--config", dir.file("b.yaml")}, dir.file("b.log"));
    zmq::context_t ctx;
    (void)wait_for_snapshot(ctx, a.snapshot, 20s);
    (void)wait_for_snapshot(ctx, b.snapshot, 20s);
    auto a_radar = push_to(ctx, a.radar_feed), a_ais = push_to(ctx, a.ais_feed);
    auto b_radar = push_to(ctx, b.radar_feed), b_ais = push_to(ctx, b.ais_feed);

    // The sectors confirm both targets before the regional server exists: it joins late.
    int k = 0;
    for (; k < 6; ++k, std::this_thread::sleep_for(1s))
        step(a, b, a_radar, a_ais, b_radar, b_ais, k);
    ChildProcess reg({picket_binary(), "serve", "--config", dir.file("regional.yaml")},
                     dir.file("regional.log"));
    Subscriber sub(ctx, publish);
    (void)wait_for_snapshot(ctx, snapshot, 20s);
    for (; k < 10; ++k, std::this_thread::sleep_for(1s))
        step(a, b, a_radar, a_ais, b_radar, b_ais, k);
    sub.drain(500ms);

    const json pic = snapshot_of(ctx, snapshot);
    std::vector<json> confirmed;
    for (const auto& t : pic["tracks"])
        if (t["properties"]["status"] == "confirmed") confirmed.push_back(t);
    INFO(pic.dump());
    REQUIRE(confirmed.size() == 2);  // no duplicate where the sectors overlap
    const json& ship = confirmed[0]["properties"]["mmsi"] == kShip ? confirmed[0] : confirmed[1];
    const json& boat = confirmed[0]["properties"]["mmsi"] == kShip ? confirmed[1] : confirmed[0];
    // The ship: both sectors hold it (the shared AIS), radar A too; the AIS receiver is one
    // sensor however many sectors it reaches.
    CHECK(sources_of(ship) == std::set<std::string>{"sector-a", "sector-b"});
    CHECK(ship["properties"]["feeds"] == json::array({"ais-coast", "radar-a"}));
    // Sector B's view of the ship is AIS only, a subset of sector A's: the regional estimate
    // is sector A's alone (tests/unit/fusion/track_fuser_test.cpp shows the arithmetic).
    const json sa_pic = snapshot_of(ctx, a.snapshot);
    double sector_a_sigma = 0;
    for (const auto& t : sa_pic["tracks"])
        if (t["properties"]["mmsi"] == kShip) sector_a_sigma = t["properties"]["sigma_m"];
    REQUIRE(sector_a_sigma > 0);
    CHECK(ship["properties"]["sigma_m"].get<double>() >= 0.8 * sector_a_sigma);
    // The dark boat in the overlap: one regional track from both radars.
    CHECK(sources_of(boat) == std::set<std::string>{"sector-a", "sector-b"});
    CHECK(boat["properties"]["feeds"] == json::array({"radar-a", "radar-b"}));
    CHECK(boat["properties"]["dark"] == true);

    // The stream says the same: every regional track message names its sources.
    std::set<std::uint64_t> streamed;
    for (const auto& m : sub.of_topic("track")) {
        CHECK(m["properties"].contains("sources"));
        streamed.insert(m["properties"]["track_id"].get<std::uint64_t>());
    }
    CHECK(streamed.count(boat["properties"]["track_id"].get<std::uint64_t>()) == 1);

    SECTION("a sector killed and restarted is re-read; the regional ids stay") {
        // The restarted sector reuses its track ids from 1 (for whichever target it confirms
        // first) and the regional server's SUB may reconnect only after its first messages, so
        // by seq it can look like a gap. Its new instance id says "restarted": its tracks are
        // re-bound by state to the regional tracks that were there (docs/tracking.md).
        const auto boat_id = boat["properties"]["track_id"].get<std::uint64_t>();
        const auto ship_id = ship["properties"]["track_id"].get<std::uint64_t>();
        sb.kill9();
        ChildProcess sb2({picket_binary(), "serve", "--config", dir.file("b.yaml")},
                         dir.file("b2.log"));
        (void)wait_for_snapshot(ctx, b.snapshot, 20s);
        for (; k < 18; ++k, std::this_thread::sleep_for(1s))
            step(a, b, a_radar, a_ais, b_radar, b_ais, k);
        const json after = snapshot_of(ctx, snapshot);
        INFO(after.dump());
        std::map<std::uint64_t, json> by_id;
        for (const auto& t : after["tracks"])
            if (t["properties"]["status"] == "confirmed")
                by_id[t["properties"]["track_id"].get<std::uint64_t>()] = t;
        CHECK(by_id.size() == 2);
        REQUIRE(by_id.count(boat_id) == 1);
        REQUIRE(by_id.count(ship_id) == 1);
        CHECK(sources_of(by_id[boat_id]) == std::set<std::string>{"sector-a", "sector-b"});
        CHECK(sources_of(by_id[ship_id]) == std::set<std::string>{"sector-a", "sector-b"});
        // The restart was seen as one by its instance id, whatever the seq looked like.
        std::ifstream log(dir.file("regional.log"));
        const std::string text((std::istreambuf_iterator<char>(log)),
                               std::istreambuf_iterator<char>());
        CHECK(text.find("feed sector-b: the source restarted (instance") != std::string::npos);
    }
    CHECK(reg.terminate() == 0);
}
