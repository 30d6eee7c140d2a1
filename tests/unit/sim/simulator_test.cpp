#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "geo/local_frame.hpp"
#include "sim/ais_reporting.hpp"
#include "sim/radar_model.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/simulator.hpp"
#include "sim_test_support.hpp"

using namespace picket;
using namespace picket::sim;

namespace {

std::vector<SimMessage> run(const Scenario& s, SimOptions opt = {}) {
    Simulator sim(s, opt);
    std::vector<SimMessage> out;
    SimMessage m;
    while (sim.next(m)) out.push_back(m);
    return out;
}

const char* kMixed = R"yaml(
radars:
  - {id: radar, endpoint: "inproc://radar", lat: 0, lon: 0, height_m: 50, range_m: 40000,
     pd_ref: 0.9, range_ref_m: 20000, clutter_per_km2: 0.002}
ais_receivers:
  - {id: ais, endpoint: "inproc://ais", lat: 0, lon: 0, range_m: 100000, dropout: 0.1}
cameras:
  - {id: cam, endpoint: "inproc://cam", lat: 0, lon: 0, height_m: 20, boresight_deg: 90, fov_deg: 90,
     range_m: 8000}
ground_sensors:
  - {id: ugs, endpoint: "inproc://ugs", lat: 0.0, lon: 0.02, radius_m: 60, false_alarm_per_hour: 20}
targets:
  - name: ship
    kind: cargo
    waypoints: [{lat: 0.05, lon: 0.05, speed_kn: 12}, {lat: -0.1, lon: 0.2}]
    ais: {class: A, mmsi: 525000001, ship_type: 70, length_m: 120, beam_m: 20, callsign: ABC1}
  - name: yacht
    kind: pleasure
    waypoints: [{lat: 0.01, lon: 0.03, speed_kn: 6}, {lat: 0.03, lon: 0.01}]
    ais: {class: B, mmsi: 525000002}
  - name: walker
    kind: person
    waypoints: [{lat: 0.001, lon: 0.015, speed_mps: 1.4}, {lat: -0.001, lon: 0.025}]
)yaml";

}  // namespace

TEST_CASE("simulator: the same seed gives the same bytes; another seed does not") {
    const Scenario s = parse_scenario(test::base_scenario(kMixed, 600), "mixed.yaml");
    const auto a = run(s);
    const auto b = run(s);
    REQUIRE(a.size() > 100);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        REQUIRE(a[i].bytes == b[i].bytes);
        REQUIRE(a[i].time == b[i].time);
        REQUIRE(a[i].feed_id == b[i].feed_id);
    }
    const auto c = run(s, {.seed = 43});
    bool differs = c.size() != a.size();
    for (std::size_t i = 0; !differs && i < a.size(); ++i) differs = a[i].bytes != c[i].bytes;
    CHECK(differs);
    // Time order, and every feed is represented.
    std::map<std::string, int> per_feed;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (i > 0) REQUIRE(a[i - 1].time <= a[i].time);
        ++per_feed[a[i].feed_id];
    }
    CHECK(per_feed.size() == 4);
}

TEST_CASE("AIS reporting intervals follow ITU-R M.1371-5 Table 1 and 2") {
    CHECK(class_a_interval_s(0.0, false, true) == 180.0);
    CHECK(class_a_interval_s(5.0, false, true) == 10.0);  // anchored but moving > 3 kn
    CHECK(class_a_interval_s(10.0, false, false) == 10.0);
    CHECK(class_a_interval_s(10.0, true, false) == Approx(10.0 / 3.0));
    CHECK(class_a_interval_s(18.0, false, false) == 6.0);
    CHECK(class_a_interval_s(18.0, true, false) == 2.0);
    CHECK(class_a_interval_s(30.0, false, false) == 2.0);
    CHECK(class_b_interval_s(1.0) == 180.0);
    CHECK(class_b_interval_s(8.0) == 30.0);
}

TEST_CASE("AIS: a vessel's position reports on the wire arrive at its speed's interval") {
    struct Case {
        const char* speed;
        const char* ais_class;
        double hold_s;
        double expected_s;
    };
    for (const Case& c : {Case{"speed_kn: 10", "A", 0, 10}, Case{"speed_kn: 18", "A", 0, 6},
                          Case{"speed_kn: 30", "A", 0, 2}, Case{"speed_kn: 10", "B", 0, 30},
                          Case{"speed_kn: 10", "A", 1200, 180}}) {
        INFO(c.speed << " class " << c.ais_class << " hold " << c.hold_s);
        // Straight east along the equator (no turn); a hold keeps the ship at anchor.
        const std::string target =
            std::string("targets:\n  - name: v\n    kind: cargo\n    waypoints:\n") +
            "      - {lat: 0, lon: 0, " + c.speed + ", hold: " + std::to_string(c.hold_s) +
            "}\n      - {lat: 0, lon: 0.5}\n" + "    ais: {class: " + c.ais_class +
            ", mmsi: 525000009}\n";
        const Scenario s = parse_scenario(
            test::base_scenario(
                "ais_receivers:\n  - {id: ais, lat: 0, lon: 0, range_m: 200000, dropout: 0}\n" +
                    target,
                1200),
            "ais.yaml");
        sensors::FeedParams params;
        params.id = "ais";
        params.kind = SensorKind::ais;
        params.format = "nmea-ais";
        auto decoder = sensors::make_feed_decoder(params);
        REQUIRE(decoder);
        Simulator sim(s, {});
        std::vector<Timestamp> reports;
        int statics = 0;
        SimMessage m;
        while (sim.next(m)) {
            test::CollectSink sink;
            decoder->decode(m.bytes, m.time, sink);
            INFO(m.bytes);
            REQUIRE(sink.rejects.empty());
            if (!sink.measurements.empty()) reports.push_back(m.time);
            statics += static_cast<int>(sink.identities.size());
            for (const Identity& id : sink.identities) CHECK(id.mmsi == 525000009u);
        }
        REQUIRE(reports.size() >= 3);
        for (std::size_t i = 1; i < reports.size(); ++i)
            CHECK((reports[i] - reports[i - 1]).seconds() == Approx(c.expected_s).margin(1e-6));
        // Static data every 6 minutes: 3 or 4 in 20 minutes, from a random phase in the first
        // minute.
        CHECK(statics >= 3);
        CHECK(statics <= 4 * (std::string(c.ais_class) == "B" ? 2 : 1));
    }
}

TEST_CASE("radar: Swerling 1 detection probability is calibrated and falls off with range^4") {
    RadarDetectionModel model{0.9, 10'000, 10, 1e-6};
    CHECK(model.pd(10'000, 10) == Approx(0.9).epsilon(1e-12));
    // Hand computed: SNR_ref = ln(1e-6)/ln(0.9) - 1 = 130.127; at twice the range SNR/16 = 8.133,
    // Pd = 1e-6^(1/9.133) = 0.2203.
    CHECK(model.snr(20'000, 10) == Approx(130.127 / 16).epsilon(1e-4));
    CHECK(model.pd(20'000, 10) == Approx(0.2203).epsilon(1e-3));
    CHECK(model.pd(20'000, 160) ==
          Approx(0.9).epsilon(1e-12));  // 16x the RCS makes up for 2x range
    CHECK(model.pd(5'000, 10) > 0.99);
    // 4/3-earth horizon: 50 m antenna, 5 m target: 4.12 km x (7.071 + 2.236) = 38.35 km.
    CHECK(radar_horizon_m(50, 5) == Approx(38'345).epsilon(1e-3));
}

TEST_CASE("radar: detection frequency over many scans matches Pd") {
    // Two fishing boats at anchor, one at the reference range and one at twice it.
    const Scenario s = parse_scenario(test::base_scenario(R"yaml(
targets:
  - {name: near, kind: fishing, rcs_m2: 10, waypoints: [{lat: 0, lon: 0.0898315, hold: 2h}]}
  - {name: far, kind: fishing, rcs_m2: 10, waypoints: [{lat: 0, lon: -0.179663, hold: 2h}]}
)yaml",
                                                          3600),
                                      "pd.yaml");
    Simulator sim(s, {});
    RadarSpec spec;
    spec.feed = {"radar", "", "asterix"};
    spec.site.position = {0, 0};
    spec.site.height_m = 100;
    spec.range_m = 30'000;
    spec.pd_ref = 0.9;
    spec.range_ref_m = 10'000;
    spec.rcs_ref_m2 = 10;
    RadarModel radar(spec, sim.world());
    const int scans = 2000;
    int near = 0, far = 0;
    for (int k = 0; k < scans; ++k) {
        for (const RadarPlot& p : radar.scan(k * 1.0)) {
            if (p.truth_id == 1) ++near;
            if (p.truth_id == 2) ++far;
        }
    }
    // Binomial: 4 sigma bands around the hand-computed Pd (0.9 and 0.2203).
    const double pn = radar.detection().pd(10'000, 10);
    const double pf = radar.detection().pd(20'000, 10);
    CHECK(near / double(scans) == Approx(pn).margin(4 * std::sqrt(pn * (1 - pn) / scans)));
    CHECK(far / double(scans) == Approx(pf).margin(4 * std::sqrt(pf * (1 - pf) / scans)));
}

TEST_CASE("every message decodes with the real feed decoders to positions near truth") {
    const Scenario s = parse_scenario(test::base_scenario(kMixed, 900), "mixed.yaml");
    Simulator sim(s, {});
    std::map<std::string, std::unique_ptr<sensors::FeedDecoder>> decoders;
    auto add = [&](const std::string& id, SensorKind kind, const std::string& format,
                   SensorSite site) {
        sensors::FeedParams p;
        p.id = id;
        p.kind = kind;
        p.format = format;
        p.site = site;
        decoders[id] = sensors::make_feed_decoder(p);
        REQUIRE(decoders[id]);
    };
    add("radar", SensorKind::radar, "asterix", {{0, 0}, 50, 0});
    add("ais", SensorKind::ais, "nmea-ais", {{0, 0}, 0, 0});
    add("cam", SensorKind::camera, "camera-json", {{0, 0}, 20, 90});
    add("ugs", SensorKind::ugs, "ugs-json", {{0, 0.02}, 0, 0});

    std::map<std::string, int> measured;
    int scans = 0;
    int radar_near_truth = 0, radar_plots = 0;
    std::vector<TruthSample> truth;
    SimMessage m;
    while (sim.next(m)) {
        test::CollectSink sink;
        decoders.at(m.feed_id)->decode(m.bytes, m.time, sink);
        INFO(m.feed_id << ": " << m.bytes);
        REQUIRE(sink.rejects.empty());
        scans += sink.scans;
        for (const Measurement& z : sink.measurements) {
            ++measured[m.feed_id];
            CHECK(z.observed <= m.time);
            CHECK((m.time - z.observed).seconds() < 5.0);
            sim.truth_at(z.observed, truth);
            if (const auto* pos = std::get_if<PositionZ>(&z.z);
                pos && z.sensor == SensorKind::ais) {
                // AIS: GNSS noise (3 m) and 1/10000' quantisation: within 30 m of a truth target.
                double best = 1e18;
                for (const auto& t : truth)
                    best = std::min(best, geo::geodesic_distance_m(t.where, pos->where));
                CHECK(best < 30.0);
            }
            if (const auto* polar = std::get_if<PolarZ>(&z.z)) {
                ++radar_plots;
                const LatLon p = geo::geodesic_destination({0, 0}, polar->bearing_rad * 180 / M_PI,
                                                           polar->range_m);
                for (const auto& t : truth)
                    if (geo::geodesic_distance_m(t.where, p) < 300.0) {
                        ++radar_near_truth;
                        break;
                    }
            }
            if (const auto* b = std::get_if<BearingZ>(&z.z)) {
                // Camera bearing within 5 sigma (0.5°) of some target's true bearing.
                double best = 360;
                for (const auto& t : truth) {
                    const double tb = geo::geodesic_bearing_deg({0, 0}, t.where);
                    best = std::min(
                        best, std::abs(std::remainder(tb - b->bearing_rad * 180 / M_PI, 360.0)));
                }
                CHECK(best < 2.5);
            }
        }
    }
    CHECK(measured["ais"] > 50);
    CHECK(measured["radar"] > 100);
    CHECK(measured["cam"] > 10);
    CHECK(measured["ugs"] > 0);
    CHECK(scans > 100);  // north markers with the rotation period
    // Most plots are targets; a few are clutter (0.002 per km² of a 40 km disc: ~10 per scan).
    CHECK(radar_near_truth > 100);
    CHECK(radar_plots > radar_near_truth);
}

TEST_CASE("AIS off and spoofing show on the wire") {
    const Scenario s = parse_scenario(test::base_scenario(R"yaml(
ais_receivers:
  - {id: ais, lat: 0, lon: 0, range_m: 200000, dropout: 0}
targets:
  - name: dark
    kind: fast_boat
    waypoints: [{lat: 0, lon: 0, speed_kn: 30}, {lat: 0.3, lon: 0.3}]
    ais: {class: A, mmsi: 525000011, off_at: 120s}
  - name: liar
    kind: cargo
    waypoints: [{lat: 0.1, lon: 0, speed_kn: 10}, {lat: 0.1, lon: 0.3}]
    ais: {class: A, mmsi: 525000012, spoof: {from: 200s, to: 400s, lat: 0.5, lon: 0.5}}
)yaml",
                                                          600),
                                      "dark.yaml");
    sensors::FeedParams p;
    p.id = "ais";
    p.kind = SensorKind::ais;
    p.format = "nmea-ais";
    auto decoder = sensors::make_feed_decoder(p);
    Simulator sim(s, {});
    Timestamp last_dark{};
    int spoofed = 0, honest_in_window = 0;
    SimMessage m;
    while (sim.next(m)) {
        test::CollectSink sink;
        decoder->decode(m.bytes, m.time, sink);
        for (const Measurement& z : sink.measurements) {
            const auto& pos = std::get<PositionZ>(z.z);
            if (z.mmsi == 525000011u) last_dark = m.time;
            if (z.mmsi == 525000012u) {
                const double t = (m.time - sim.start()).seconds();
                const bool at_spoof = geo::geodesic_distance_m(pos.where, {0.5, 0.5}) < 5.0;
                if (t >= 200 && t < 400) {
                    (at_spoof ? spoofed : honest_in_window) += 1;
                } else {
                    CHECK_FALSE(at_spoof);
                }
            }
        }
    }
    CHECK((last_dark - sim.start()).seconds() < 120.0);
    CHECK((last_dark - sim.start()).seconds() > 110.0);
    CHECK(spoofed >= 19);  // 200 s at 10 s
    CHECK(honest_in_window == 0);
}

TEST_CASE("simulator: a shorter run is a prefix of the longer one") {
    std::string text = test::base_scenario(kMixed, 900);
    text += R"yaml(traffic:
  - {name: fish, count: 5, kind: fishing, box: {south: -0.05, west: 0.0, north: 0.05, east: 0.1},
     speed_min_kn: 3, speed_max_kn: 6, ais: B}
)yaml";
    const Scenario s = parse_scenario(text, "prefix.yaml");
    const auto full = run(s);
    const auto part = run(s, {.duration_s = 300});
    REQUIRE(part.size() > 50);
    REQUIRE(part.size() < full.size());
    for (std::size_t i = 0; i < part.size(); ++i) {
        REQUIRE(part[i].bytes == full[i].bytes);
        REQUIRE(part[i].time == full[i].time);
    }
}

TEST_CASE("radar: the json-plot format decodes too, one line per plot") {
    const Scenario s = parse_scenario(test::base_scenario(R"yaml(
radars:
  - {id: radar, format: json-plot, lat: 0, lon: 0, height_m: 50, range_m: 30000, sectors: 4}
targets:
  - {name: ship, kind: cargo, waypoints: [{lat: 0.05, lon: 0.05, speed_kn: 12}, {lat: -0.1, lon: 0.2}]}
)yaml",
                                                          120),
                                      "json.yaml");
    sensors::FeedParams p;
    p.id = "radar";
    p.kind = SensorKind::radar;
    p.format = "json-plot";
    p.site = {{0, 0}, 50, 0};
    auto decoder = sensors::make_feed_decoder(p);
    REQUIRE(decoder);
    Simulator sim(s, {});
    SimMessage m;
    std::size_t plots = 0, lines = 0;
    while (sim.next(m)) {
        test::CollectSink sink;
        decoder->decode(m.bytes, m.time, sink);
        INFO(m.bytes);
        CHECK(sink.rejects.empty());
        plots += sink.measurements.size();
        lines += 1 + static_cast<std::size_t>(std::count(m.bytes.begin(), m.bytes.end(), '\n'));
    }
    CHECK(plots == lines);
    CHECK(plots >= 25);  // a 3000 m² ship at 8 km: detected on (nearly) every one of 30 scans
}
