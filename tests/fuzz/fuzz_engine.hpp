#pragma once
// A small real FusionEngine for the fuzz targets that drive operator commands: one AIS feed, a
// rule file with a zone, and a few vessels already tracked (one inside the zone, so an alert
// exists to acknowledge and close), so that every command kind reaches its real handling.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "src/engine/fusion_engine.hpp"

namespace picket::fuzz {

struct NullOutput final : server::EngineOutput {
    void publish(std::string_view, const std::string& json) override { bytes += json.size(); }
    std::size_t bytes{0};
};

/// Six-bit ASCII armouring of an AIS payload (ITU-R M.1371 / IEC 61162).
inline std::string armour(const std::string& bits) {
    std::string out;
    for (std::size_t i = 0; i < bits.size(); i += 6) {
        int v = 0;
        for (std::size_t j = 0; j < 6; ++j) v = v * 2 + (i + j < bits.size() && bits[i + j] == '1');
        out.push_back(static_cast<char>(v < 40 ? v + 48 : v + 56));
    }
    return out;
}

inline void put_bits(std::string& bits, long long v, int n) {
    for (int i = n - 1; i >= 0; --i) bits.push_back(((v >> i) & 1) ? '1' : '0');
}

/// A Class A position report (type 1) of `mmsi` at (lat, lon), 10 kn east, as one sentence.
inline std::string ais_report(long mmsi, double lat, double lon) {
    std::string bits;
    put_bits(bits, 1, 6);
    put_bits(bits, 0, 2);
    put_bits(bits, mmsi, 30);
    put_bits(bits, 0, 4);
    put_bits(bits, -128, 8);
    put_bits(bits, 100, 10);
    put_bits(bits, 1, 1);
    put_bits(bits, static_cast<long long>(lon * 600000), 28);
    put_bits(bits, static_cast<long long>(lat * 600000), 27);
    put_bits(bits, 900, 12);
    put_bits(bits, 90, 9);
    put_bits(bits, 60, 6);
    put_bits(bits, 0, 4);
    put_bits(bits, 0, 1);
    put_bits(bits, 0, 19);
    const std::string body = "AIVDM,1,1,,A," + armour(bits) + ",0";
    int sum = 0;
    for (char c : body) sum ^= static_cast<unsigned char>(c);
    char tail[8];
    std::snprintf(tail, sizeof tail, "*%02X\r\n", sum);
    return "!" + body + tail;
}

struct EngineFixture {
    EngineFixture() {
        const auto dir = std::filesystem::temp_directory_path() / "picket-fuzz-engine";
        std::filesystem::create_directories(dir);
        std::ofstream(dir / "rules.yaml")
            << "layers:\n  - name: z\n    zones:\n      - {name: BOX, wkt: \"POLYGON((0 0,0.2 "
               "0,0.2 0.2,0 0.2,0 0))\"}\n"
               "rules:\n  - {name: box, kind: zone_entry, zone: BOX, severity: high}\n";
        config = server::parse_server_config(
            "region: {name: fuzz, origin: {lat: 0.1, lon: 0.1}}\n"
            "feeds:\n  - {id: ais, kind: ais, format: nmea-ais, endpoint: \"inproc://fuzz\"}\n"
            "rules: rules.yaml\noutputs: {http: {enabled: false}}\n",
            "fuzz.yaml", dir.string());
        engine = std::make_unique<server::FusionEngine>(config, output);
        // Vessels reporting for a minute: tracks 1.., one inside BOX (an alert to ack/close).
        for (int s = 0; s < 60; s += 10) {
            now = Timestamp{(1'795'564'800LL + s) * kNsPerSecond};
            for (int v = 0; v < 4; ++v)
                engine->on_message(0, now,
                                   ais_report(257000001 + v, 0.1 + 0.2 * v, 0.1 + 0.0005 * s));
            engine->on_tick(now);
        }
    }

    /// One command; aborts (a finding) when the reply is not a JSON object with a boolean "ok".
    void command(std::string_view text) {
        now = now + Duration::from_seconds(0.1);
        const std::string reply = engine->on_command(text, "fuzz", now);
        const auto j = nlohmann::json::parse(reply, nullptr, false);
        if (!j.is_object() || !j.contains("ok") || !j["ok"].is_boolean()) std::abort();
    }

    server::ServerConfig config;
    NullOutput output;
    std::unique_ptr<server::FusionEngine> engine;
    Timestamp now{};
};

}  // namespace picket::fuzz
