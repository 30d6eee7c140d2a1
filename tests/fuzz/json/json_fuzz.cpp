// libFuzzer target: the same bytes through the three JSON line decoders (plot, camera, UGS).
#include <array>
#include <cstddef>
#include <cstdint>

#include "sensors/json/json_feeds.hpp"
#include "tests/fuzz/fuzz_sink.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto decoders = [] {
        picket::sensors::FeedParams p;
        p.site.position = {-8.55, 125.57};
        p.site.height_m = 25;
        std::array<std::unique_ptr<picket::sensors::FeedDecoder>, 3> d{
            picket::sensors::make_json_plot_decoder(p), picket::sensors::make_camera_decoder(p),
            picket::sensors::make_ugs_decoder(p)};
        return d;
    }();
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto& d : decoders) {
        picket::fuzz::CheckingSink sink;
        d->decode(text, picket::Timestamp{1'795'608'000LL * picket::kNsPerSecond}, sink);
    }
    return 0;
}
