#pragma once
/// For engine tests: an output that keeps every published message as text, and the AIS position
/// report of vessel `i` of a grid over the box of box_deployment.hpp and around it, drifting east.
#include <string>
#include <string_view>

#include "sensors/ais/ais_encoder.hpp"
#include "src/engine/fusion_engine.hpp"

namespace picket::testing {

class Transcript final : public server::EngineOutput {
public:
    void publish(std::string_view topic, const std::string& json) override {
        text.append(topic).append(" ").append(json).append("\n");
    }
    std::string text;
};

/// Vessel `i` (MMSI first_mmsi + i) of a 60-row grid, at `t` seconds after the tests' epoch.
inline std::string grid_report(Mmsi first_mmsi, int i, double t) {
    sensors::ais::PositionReportA m;
    m.mmsi = static_cast<Mmsi>(first_mmsi + static_cast<Mmsi>(i));
    m.lat_deg = -8.7 + 0.006 * (i % 60);
    m.lon_deg = 125.3 + 0.01 * (i / 60) + 0.00005 * t;
    m.sog_kn = 5;
    m.cog_deg = 90;
    m.high_accuracy = true;
    m.utc_second = static_cast<int>(t) % 60;
    return sensors::ais::encode(m, {}).front();
}

}  // namespace picket::testing
