#pragma once
// Shared helpers for the simulator tests: a small scenario on the equator (so that metres and
// degrees convert by hand: 1° of longitude ≈ 111 319.5 m at latitude 0) and a decode sink.
#include <string>
#include <vector>

#include "sensors/feed_decoder.hpp"

namespace picket::sim::test {

/// A scenario with no sensors and no targets; append YAML lists after it.
inline std::string base_scenario(const std::string& extra, double duration_s = 600) {
    return "name: test\n"
           "start: 2026-11-25T00:00:00Z\n"
           "duration: " +
           std::to_string(duration_s) +
           "\n"
           "seed: 42\n"
           "origin: {lat: 0.0, lon: 0.0}\n" +
           extra;
}

class CollectSink final : public sensors::DecodeSink {
public:
    std::vector<Measurement> measurements;
    std::vector<Identity> identities;
    std::vector<std::string> rejects;
    int scans{0};
    void measurement(Measurement m) override { measurements.push_back(std::move(m)); }
    void identity(const Identity& id, Timestamp) override { identities.push_back(id); }
    void anomaly(std::string_view, std::optional<Mmsi>, LatLon, Timestamp) override {}
    void scan(double, Timestamp) override { ++scans; }
    void rejected(const DecodeError& e) override {
        rejects.push_back(std::string(e.reason) + ": " + e.detail);
    }
};

}  // namespace picket::sim::test
