#pragma once
/// A server configuration for engine tests: one AIS feed and one zone-presence rule on a box off
/// Timor (BOX, 125.4-125.6 E, 8.4-8.6 S), its rule file in a scratch folder removed at scope
/// exit; and the tests' clock.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/time.hpp"
#include "src/server_config.hpp"

namespace picket::testing {

struct BoxDeployment {
    /// `tag` names the scratch folder (one per test binary and process).
    explicit BoxDeployment(const std::string& tag) {
        dir = std::filesystem::temp_directory_path() /
              ("picket_" + tag + "_" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        std::ofstream(dir / "rules.yaml") << R"yaml(layers:
  - name: areas
    zones:
      - {name: BOX, wkt: "POLYGON((125.4 -8.6, 125.6 -8.6, 125.6 -8.4, 125.4 -8.4, 125.4 -8.6))"}
rules:
  - {name: in-box, kind: zone_presence, zone: BOX, severity: medium}
)yaml";
        config = server::parse_server_config(
            "region:\n  name: test\n  origin: {lat: -8.5, lon: 125.5}\n"
            "feeds:\n  - {id: ais, kind: ais, format: nmea-ais, endpoint: 'tcp://127.0.0.1:1', "
            "socket: sub}\nrules: rules.yaml\n",
            "test.yaml", dir.string());
    }
    ~BoxDeployment() { std::filesystem::remove_all(dir); }
    BoxDeployment(const BoxDeployment&) = delete;
    BoxDeployment& operator=(const BoxDeployment&) = delete;
    std::filesystem::path dir;
    server::ServerConfig config;
};

/// Seconds after the tests' epoch (2025-11-24T16:00:00Z).
inline Timestamp at(double s) { return Timestamp{static_cast<std::int64_t>((1.764e9 + s) * 1e9)}; }

}  // namespace picket::testing
