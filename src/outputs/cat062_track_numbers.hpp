#pragma once
/// Track numbers for ASTERIX CAT062 (I062/040 is 16 bits) when track ids grow without bound.
///
/// Each live track keeps one number for its life. A number freed by a deleted track goes to the
/// back of a queue and is handed out again only after every number never used and only once it
/// has been free for `hold_off`, so a receiver never sees two live tracks with one number and
/// never mistakes a new track for one that just ended. When no number is available (more live
/// tracks than numbers, or every free one still held off) acquire() says so; the caller counts it
/// and leaves the track out rather than sending a duplicate.
#include <cstdint>
#include <deque>
#include <optional>
#include <unordered_map>
#include <utility>

#include "core/ids.hpp"
#include "core/time.hpp"

namespace picket::outputs {

class TrackNumberPool {
public:
    /// Numbers first..last (1..65535 by default: 0 stays unused, so a zeroed record is never
    /// read as a track).
    explicit TrackNumberPool(Duration hold_off, std::uint16_t first = 1,
                             std::uint16_t last = 65535);

    /// The track's number, assigning one on first use; nullopt when none is available.
    std::optional<std::uint16_t> acquire(TrackId id, Timestamp now);
    /// The track's number if it has one.
    [[nodiscard]] std::optional<std::uint16_t> find(TrackId id) const;
    /// Frees the track's number (no-op when it has none); reusable from now + hold_off.
    void release(TrackId id, Timestamp now);

    [[nodiscard]] std::size_t live() const { return live_.size(); }
    [[nodiscard]] std::size_t capacity() const {
        return static_cast<std::size_t>(last_) - first_ + 1;
    }

private:
    Duration hold_off_;
    std::uint16_t first_, last_;
    std::uint32_t next_fresh_;  ///< numbers from here to last_ were never handed out
    std::unordered_map<TrackId, std::uint16_t> live_;
    std::deque<std::pair<std::uint16_t, Timestamp>> freed_;  ///< oldest release first
};

}  // namespace picket::outputs
