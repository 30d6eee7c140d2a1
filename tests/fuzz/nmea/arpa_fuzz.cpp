// libFuzzer target: NMEA ARPA lines (TTM / TLL / HDT) through the "nmea-arpa" feed decoder.
#include <cstddef>
#include <cstdint>

#include "sensors/nmea/arpa_feed.hpp"
#include "tests/fuzz/fuzz_sink.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto decoder = [] {
        picket::sensors::FeedParams p;
        p.site.position = {-8.55, 125.57};
        return picket::sensors::make_arpa_feed_decoder(p);
    }();
    picket::fuzz::CheckingSink sink;
    decoder->decode(std::string_view(reinterpret_cast<const char*>(data), size),
                    picket::Timestamp{1'795'608'000LL * picket::kNsPerSecond}, sink);
    return 0;
}
