// libFuzzer target: one ASTERIX datagram through the "asterix" feed decoder.
//   build-fuzz/tests/fuzz/asterix/picket_fuzz_asterix tests/fuzz/asterix/corpus -max_total_time=60
#include <cstddef>
#include <cstdint>

#include "sensors/asterix/asterix_feed.hpp"
#include "tests/fuzz/fuzz_sink.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto decoder = [] {
        picket::sensors::FeedParams p;
        p.site.position = {-8.55, 125.57};
        return picket::sensors::make_asterix_feed_decoder(p);
    }();
    picket::fuzz::CheckingSink sink;
    decoder->decode(std::string_view(reinterpret_cast<const char*>(data), size),
                    picket::Timestamp{1'795'608'000LL * picket::kNsPerSecond}, sink);
    return 0;
}
