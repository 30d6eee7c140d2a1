// libFuzzer: the alert and truth-event line parsers of `picket score --alerts` read files from
// other programs; they must never crash or throw on any input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sim/alert_scoring.hpp"
#include "sim/truth.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    (void)picket::sim::parse_alert_line(line);
    (void)picket::sim::truth_event_from_json(line);
    return 0;
}
