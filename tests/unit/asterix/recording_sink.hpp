#pragma once
// A DecodeSink that records everything, for decoder tests (asterix, nmea, sensor_json).
#include <string>
#include <vector>

#include "sensors/feed_decoder.hpp"

namespace picket::test {

struct RecordingSink final : sensors::DecodeSink {
    std::vector<Measurement> measurements;
    std::vector<std::string> rejected_reasons;
    std::vector<std::string> anomalies;
    std::vector<double> scan_periods_s;
    std::vector<Timestamp> scan_times;
    std::vector<std::uint64_t> ended_source_tracks;
    std::vector<std::string> quirks;

    void measurement(Measurement m) override { measurements.push_back(std::move(m)); }
    void identity(const Identity&, Timestamp) override {}
    void anomaly(std::string_view reason, std::optional<Mmsi>, LatLon, Timestamp) override {
        anomalies.emplace_back(reason);
    }
    void scan(double period_s, Timestamp observed) override {
        scan_periods_s.push_back(period_s);
        scan_times.push_back(observed);
    }
    void source_track_ended(std::uint64_t source_object_id, Timestamp) override {
        ended_source_tracks.push_back(source_object_id);
    }
    void quirk(std::string_view kind) override { quirks.emplace_back(kind); }
    void rejected(const DecodeError& e) override { rejected_reasons.emplace_back(e.reason); }

    void clear() { *this = RecordingSink{}; }
};

}  // namespace picket::test
