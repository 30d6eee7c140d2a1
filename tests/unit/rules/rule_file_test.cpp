// The rule file: what it resolves to, and errors that name file, line and key.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "rules_scene.hpp"

using namespace picket;
using picket::test::test_book;

namespace {

/// The ConfigError message of parsing `rules_yaml` after the test zones, or "" if it parsed.
std::string error_of(const std::string& rules_yaml) {
    try {
        (void)test_book(rules_yaml);
    } catch (const config::ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("rule file: rules compile to one spec per zone, with units converted", "[rules][file]") {
    const auto book = test_book(R"(
exemptions:
  mmsi: [525999002, 525999001]
  friendly: false
rules:
  - name: fast-in-AB
    kind: speeding
    zones: [A, B]
    max_speed_kn: 25
    severity: critical
    escalate_after: 5min
  - {name: meet, kind: rendezvous}
  - {name: loiter, kind: loitering, zone: t/A, min_duration: 30min}
  - {name: x, kind: border_crossing, line: AB, from: B}
)");
    REQUIRE(book.rules.size() == 5);
    CHECK(book.rules[0].name == "fast-in-AB");
    CHECK(book.rules[0].place == "A");
    CHECK(book.rules[1].place == "B");
    CHECK(book.rules[0].above_speed_mps == Approx(25 * 1852.0 / 3600.0));
    CHECK(book.rules[0].severity == Severity::critical);
    CHECK(book.rules[0].escalate_after == Duration::from_seconds(300));
    // GFW encounter and loitering defaults (docs/rules.md).
    CHECK(book.rules[2].pair_distance_m == 500);
    CHECK(book.rules[2].dwell == Duration::from_seconds(7200));
    CHECK(book.rules[2].below_speed_mps == Approx(2 * 1852.0 / 3600.0));
    CHECK_FALSE(book.rules[2].zone.has_value());
    CHECK(book.rules[3].dwell == Duration::from_seconds(1800));
    CHECK(book.rules[3].below_speed_mps == Approx(2 * 1852.0 / 3600.0));
    CHECK(book.rules[4].direction == -1);  // from B (right of AB) to A (left)
    CHECK(book.exempt_mmsi == std::vector<Mmsi>{525999001, 525999002});
    CHECK_FALSE(book.exempt_friendly);
    REQUIRE(book.lines.size() == 3);
    CHECK(book.lines[0].left_zone == "A");
    CHECK(book.lines[0].right_zone == "B");
    CHECK_FALSE(book.lines[0].line.empty());
}

TEST_CASE("rule file: errors name the file, line and key", "[rules][file]") {
    // The test zones take the first 22 lines; the rules start after them.
    const std::string unknown = error_of(R"(
rules:
  - {name: r, kind: zone_entry, zone: B, dwel: 10s}
)");
    CHECK(unknown.find("test.yaml:") == 0);
    CHECK(unknown.find("unknown key 'dwel'") != std::string::npos);
    CHECK(unknown.find("rules[0].dwel") != std::string::npos);

    CHECK(
        error_of("rules:\n  - {name: r, kind: zone_entry, zone: Q}\n").find("no zone named 'Q'") !=
        std::string::npos);
    CHECK(error_of("rules:\n  - {name: r, kind: teleport, zone: B}\n").find("unknown rule kind") !=
          std::string::npos);
    CHECK(error_of("rules:\n  - {name: r, kind: zone_entry}\n").find("needs 'zone' or 'zones'") !=
          std::string::npos);
    CHECK(error_of("rules:\n  - {name: r, kind: speeding, zone: B}\n").find("max_speed_kn") !=
          std::string::npos);
    // A key that belongs to another kind is unknown here.
    CHECK(error_of("rules:\n  - {name: r, kind: zone_entry, zone: B, max_speed_kn: 3}\n")
              .find("unknown key 'max_speed_kn'") != std::string::npos);
    CHECK(error_of("rules:\n  - {name: r, kind: border_crossing, line: AB, from: E}\n")
              .find("not on either side") != std::string::npos);
    CHECK(error_of("rules:\n  - {name: r, kind: border_crossing, line: AB, from: A, to: A}\n")
              .find("same side") != std::string::npos);
    CHECK(error_of("rules:\n  - {name: r, kind: ais_gap}\n").find("'gap'") != std::string::npos);
    CHECK(error_of("rules:\n  - {name: r, kind: zone_entry, zone: B, severity: urgent}\n")
              .find("expected info, low") != std::string::npos);
    CHECK(error_of("exemptions: {mmsi: [1234567890]}\nrules: []\n").find("9 digits") !=
          std::string::npos);
    // Lines that make no sense are refused (a standalone document: the test zones have lines).
    std::string apart;
    try {
        rules::parse_rule_file(config::Node::load_string(R"yaml(
layers:
  - name: t
    zones:
      - {name: A, wkt: "POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))"}
      - {name: E, wkt: "POLYGON((10.4 0.4, 10.6 0.4, 10.6 0.6, 10.4 0.6, 10.4 0.4))"}
lines:
  - {name: AE, between: [A, E]}
rules: []
)yaml",
                                                         "apart.yaml"),
                               ".");
    } catch (const config::ConfigError& e) {
        apart = e.what();
    }
    CHECK(apart.find("apart.yaml:8:") == 0);
    CHECK(apart.find("do not touch") != std::string::npos);
}

TEST_CASE("rule file: load_rule_file resolves layer paths from the file's folder",
          "[rules][file]") {
    const auto dir = std::filesystem::temp_directory_path() / "picket_rules_test";
    std::filesystem::create_directories(dir / "layers");
    {
        std::ofstream geojson(dir / "layers" / "zones.geojson");
        geojson << R"({"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"Z"},
           "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}]})";
        std::ofstream rules(dir / "rules.yaml");
        rules << "layers:\n  - {name: l, path: layers/zones.geojson}\n"
                 "rules:\n  - {name: in-Z, kind: zone_presence, zone: Z}\n";
    }
    const auto book = rules::load_rule_file((dir / "rules.yaml").string());
    REQUIRE(book.rules.size() == 1);
    CHECK(book.rules[0].place == "Z");
    CHECK(book.zones_of(*book.rules[0].zone).contains(book.rules[0].zone->zone, {0.5, 0.5}));
    std::filesystem::remove_all(dir);
}

TEST_CASE("rule file: the shipped example files load", "[rules][file]") {
    for (const auto& entry : std::filesystem::directory_iterator("config/rules")) {
        if (entry.path().extension() != ".yaml") continue;
        // The Timor file needs the derived border layers (scripts/derive-borders.sh).
        if (entry.path().filename() == "timor.yaml" &&
            !std::filesystem::exists("data/borders/timor.gpkg"))
            continue;
        INFO(entry.path().string());
        const auto book = rules::load_rule_file(entry.path().string());
        CHECK_FALSE(book.rules.empty());
    }
}

TEST_CASE("real borders: the Oecusse enclave is TLS, not IDN", "[rules][file][enclave]") {
    if (!std::filesystem::exists("data/borders/timor.gpkg")) {
        WARN("data/borders/timor.gpkg missing (scripts/derive-borders.sh): skipped");
        return;
    }
    auto book = rules::load_rule_file("config/rules/timor.yaml");
    const auto idn = *book.find_zone("land/IDN");
    const auto tls = *book.find_zone("land/TLS");
    // Inland Oecusse (south of Pante Macassar), and Kupang in West Timor.
    const LatLon oecusse{-9.30, 124.30};
    const LatLon kupang{-10.20, 123.65};
    REQUIRE(book.zones_of(tls).contains(tls.zone, oecusse));
    REQUIRE_FALSE(book.zones_of(idn).contains(idn.zone, oecusse));
    REQUIRE(book.zones_of(idn).contains(idn.zone, kupang));

    rules::RuleEngine engine(std::move(book));
    std::vector<Track> tracks{test::vessel(1, oecusse.lat_deg, oecusse.lon_deg, 0, 0),
                              test::vessel(2, kupang.lat_deg, kupang.lon_deg, 0, 0)};
    Timestamp now = Timestamp::from_unix_seconds(1'800'000'000);
    std::vector<Alert> raised;
    for (int i = 0; i < 130; ++i) {
        now += Duration::from_seconds(1);
        engine.evaluate(tracks, now);
        for (auto& a : engine.take_alert_updates()) raised.push_back(a);
    }
    std::string all;
    for (const auto& a : raised) all += a.rule + ": " + a.message + "\n";
    INFO(all);
    // Only the land rule: the dark-target rule at sea watches the waters layer (the territorial
    // sea alone), which inland Oecusse is not part of; Kupang raises nothing.
    REQUIRE(raised.size() == 1);
    for (const auto& a : raised) CHECK(a.track == 1);
    CHECK(std::any_of(raised.begin(), raised.end(),
                      [](const Alert& a) { return a.rule == "dark-on-tls-land"; }));
}

TEST_CASE("real borders: driving from Atambua (IDN) to Balibo (TLS) crosses once",
          "[rules][file][crossing]") {
    if (!std::filesystem::exists("data/borders/timor.gpkg")) {
        WARN("data/borders/timor.gpkg missing (scripts/derive-borders.sh): skipped");
        return;
    }
    auto book = rules::load_rule_file("config/rules/timor.yaml");
    const LatLon atambua{-9.106, 124.893};
    const LatLon balibo{-8.970, 125.060};
    const auto idn = *book.find_zone("land/IDN");
    const auto tls = *book.find_zone("land/TLS");
    REQUIRE(book.zones_of(idn).contains(idn.zone, atambua));
    REQUIRE(book.zones_of(tls).contains(tls.zone, balibo));
    const geo::BorderLine& border = book.lines[*book.find_line("IDN-TLS")].line;

    rules::RuleEngine engine(std::move(book));
    const double course = geo::geodesic_bearing_deg(atambua, balibo);
    const double total_m = geo::geodesic_distance_m(atambua, balibo);
    Track car = test::vessel(9, atambua.lat_deg, atambua.lon_deg, 30, course);  // 30 kn ~ 55 km/h
    car.target_class = TargetClass::vehicle;
    Timestamp now = Timestamp::from_unix_seconds(1'800'000'000);
    std::vector<Alert> raised;
    for (double done = 0; done < total_m; done += car.speed_mps() * 5) {
        car.position = geo::geodesic_destination(atambua, course, done);
        now += Duration::from_seconds(5);
        engine.evaluate(std::span<const Track>(&car, 1), now);
        for (auto& a : engine.take_alert_updates()) raised.push_back(a);
    }
    std::size_t incursions = 0;
    for (const auto& a : raised) {
        if (a.escalated) continue;  // the same alert again, escalated (escalate_after: 2min)
        if (a.rule == "land-incursion") {
            ++incursions;
            CHECK(border.distance_m(a.where) < 1.0);  // placed on the border itself
            CHECK(a.message.find("crossed IDN -> TLS") != std::string::npos);
        }
        CHECK(a.rule != "land-egress");
        CHECK(a.rule != "sea-incursion");  // the land border is not part of the sea limit
    }
    CHECK(incursions == 1);
}

TEST_CASE("real borders: the TLS 12 nm line is the seaward limit only, without the land border",
          "[rules][file][crossing]") {
    if (!std::filesystem::exists("data/borders/timor.gpkg")) {
        WARN("data/borders/timor.gpkg missing (scripts/derive-borders.sh): skipped");
        return;
    }
    const auto book = rules::load_rule_file("config/rules/timor.yaml");
    const geo::BorderLine& land_border = book.lines[*book.find_line("IDN-TLS")].line;
    const geo::BorderLine& sea_limit = book.lines[*book.find_line("TLS-12nm")].line;
    // On the land border (Oecusse, and the main border near Balibo), inland: the whole boundary
    // of sea/TLS runs through these points, its seaward limit kilometres away.
    for (const LatLon p : {LatLon{-9.2454, 124.4644}, LatLon{-9.05, 124.98}}) {
        REQUIRE(land_border.distance_m(p) < 2000);
        CHECK(sea_limit.distance_m(p) > 5000);
    }
    // Where the demo's fast boat crosses from Indonesian into Timorese waters, west of Atauro.
    CHECK(sea_limit.distance_m(LatLon{-8.354916, 125.395371}) < 300);
}
