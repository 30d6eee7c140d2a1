#include "sensors/asterix/redundant_copies.hpp"

#include <functional>

namespace picket::sensors::asterix {

bool RedundantCopies::is_copy(std::string_view datagram, Timestamp received) {
    // Forget what is older than the window (or beyond the capacity: a burst of distinct
    // datagrams cannot grow the table without bound).
    while (!order_.empty() &&
           (order_.size() >= capacity_ || order_.front().at + window_ < received)) {
        const auto it = last_.find(order_.front().key);
        if (it != last_.end() && it->second == order_.front().at) last_.erase(it);
        order_.pop_front();
    }
    // 64-bit hash of the bytes and their length: a false match between two distinct datagrams
    // within seconds is ~2^-64 per pair.
    const std::uint64_t key = std::hash<std::string_view>{}(datagram) ^
                              (static_cast<std::uint64_t>(datagram.size()) * 0x9E3779B97F4A7C15ull);
    const auto it = last_.find(key);
    if (it != last_.end() && !(it->second + window_ < received)) return true;
    last_[key] = received;
    order_.push_back({key, received});
    return false;
}

}  // namespace picket::sensors::asterix
