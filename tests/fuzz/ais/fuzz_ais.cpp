// libFuzzer target: arbitrary bytes through the AIS feed decoder (lines, tag blocks, reassembly,
// every message type, sanity checks) and through the gpsd JSON stream (`picket decode`).
// Run: build-fuzz-ais/tests/fuzz/ais/fuzz_ais tests/fuzz/ais/corpus -max_total_time=300
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sensors/ais/ais_feed.hpp"
#include "sensors/ais/ais_gpsd_stream.hpp"

namespace {
struct NullSink : picket::sensors::DecodeSink {
    void measurement(picket::Measurement) override {}
    void identity(const picket::Identity&, picket::Timestamp) override {}
    void anomaly(std::string_view, std::optional<picket::Mmsi>, picket::LatLon,
                 picket::Timestamp) override {}
    void rejected(const picket::DecodeError&) override {}
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    static auto decoder = picket::sensors::make_ais_feed_decoder({});  // stateful across inputs
    NullSink sink;
    decoder->decode(input, picket::Timestamp{static_cast<std::int64_t>(size) * 1'000'000'000},
                    sink);

    picket::sensors::ais::GpsdJsonStream raw(true), scaled(false);
    std::string out;
    std::size_t pos = 0;
    while (pos <= input.size()) {
        std::size_t nl = input.find('\n', pos);
        if (nl == std::string_view::npos) nl = input.size();
        const std::string_view line = input.substr(pos, nl - pos);
        raw.line(line, out);
        scaled.line(line, out);
        pos = nl + 1;
    }
    return 0;
}
