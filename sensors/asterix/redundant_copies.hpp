#pragma once
/// A/B redundant radar channels: many radars (and their LAN gateways) send every datagram on two
/// networks, so a feed configured with both endpoints (`redundant_endpoint`), or a gateway that
/// forwards both, hands the decoder each datagram twice. Fusing both copies makes twin tracks
/// (issue 15: 63 of 63 on a real A/B capture). A datagram carries its records' times of day, so
/// the same bytes again within a few seconds are a copy, never new data.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string_view>
#include <unordered_map>

#include "core/time.hpp"

namespace picket::sensors::asterix {

class RedundantCopies {
public:
    explicit RedundantCopies(Duration window = Duration::from_seconds(5),
                             std::size_t capacity = 4096)
        : window_(window), capacity_(capacity) {}

    /// True when `datagram` equals one received within the window before `received` (drop it);
    /// otherwise remembers it and returns false.
    bool is_copy(std::string_view datagram, Timestamp received);

private:
    struct Seen {
        std::uint64_t key;
        Timestamp at;
    };
    Duration window_;
    std::size_t capacity_;
    std::deque<Seen> order_;                             ///< oldest first, for expiry
    std::unordered_map<std::uint64_t, Timestamp> last_;  ///< key -> when last received
};

}  // namespace picket::sensors::asterix
