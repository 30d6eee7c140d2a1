#include "src/outputs/cat062_track_numbers.hpp"

#include <stdexcept>

namespace picket::outputs {

TrackNumberPool::TrackNumberPool(Duration hold_off, std::uint16_t first, std::uint16_t last)
    : hold_off_(hold_off), first_(first), last_(last), next_fresh_(first) {
    if (first > last) throw std::invalid_argument("track number pool: first > last");
}

std::optional<std::uint16_t> TrackNumberPool::acquire(TrackId id, Timestamp now) {
    if (auto it = live_.find(id); it != live_.end()) return it->second;
    std::uint16_t n = 0;
    if (next_fresh_ <= last_) {
        n = static_cast<std::uint16_t>(next_fresh_++);
    } else if (!freed_.empty() && now - freed_.front().second >= hold_off_) {
        n = freed_.front().first;
        freed_.pop_front();
    } else {
        return std::nullopt;
    }
    live_.emplace(id, n);
    return n;
}

std::optional<std::uint16_t> TrackNumberPool::find(TrackId id) const {
    if (auto it = live_.find(id); it != live_.end()) return it->second;
    return std::nullopt;
}

void TrackNumberPool::release(TrackId id, Timestamp now) {
    auto it = live_.find(id);
    if (it == live_.end()) return;
    freed_.emplace_back(it->second, now);
    live_.erase(it);
}

}  // namespace picket::outputs
