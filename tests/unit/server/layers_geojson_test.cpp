// The rule layers as the control room's map receives them (/api/layers): every zone and rule
// line, lines told apart as borders (between two zones) or limits (one zone's boundary).
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "rules/rule_file.hpp"
#include "src/engine/layers_geojson.hpp"

using nlohmann::json;

TEST_CASE("layers GeoJSON: zones by layer, rule lines as border or limit") {
    if (!std::filesystem::exists("data/borders/timor.gpkg")) {
        WARN("data/borders/timor.gpkg missing (scripts/derive-borders.sh): skipped");
        return;
    }
    const auto book = picket::rules::load_rule_file("config/demo/rules.yaml");
    const auto fc = json::parse(picket::server::layers_feature_collection(book));
    REQUIRE(fc["type"] == "FeatureCollection");
    std::map<std::string, json> lines;
    std::map<std::string, int> zones_per_layer;
    for (const auto& f : fc["features"]) {
        const auto& p = f["properties"];
        if (p["kind"] == "border") lines[p["name"].get<std::string>()] = p;
        if (p["kind"] == "zone") ++zones_per_layer[p["layer"].get<std::string>()];
        CHECK(f["geometry"].is_object());
    }
    CHECK(zones_per_layer["land"] == 2);  // IDN, TLS
    CHECK(zones_per_layer["sea"] == 2);
    CHECK(zones_per_layer["waters"] == 2);
    REQUIRE(lines.count("IDN-TLS") == 1);
    CHECK(lines["IDN-TLS"]["line_kind"] == "border");
    CHECK(lines["IDN-TLS"]["left"] == "IDN");
    CHECK(lines["IDN-TLS"]["right"] == "TLS");
    REQUIRE(lines.count("TLS-12nm") == 1);
    CHECK(lines["TLS-12nm"]["line_kind"] == "limit");
    CHECK(lines["TLS-12nm"]["left"] == "TLS");
    CHECK(lines["TLS-12nm"]["right"] == "");
}
