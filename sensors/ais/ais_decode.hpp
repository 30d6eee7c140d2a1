#pragma once
/// Bits -> message. Pure functions over one reassembled payload; length rules follow gpsd's
/// (M.1371-5 gives exact lengths, real transmitters are sloppier: e.g. type 5 at 420/422 bits).
#include <array>
#include <cstddef>

#include "core/expected.hpp"
#include "sensors/ais/ais_bits.hpp"
#include "sensors/ais/ais_messages.hpp"

namespace picket::sensors::ais {

/// Decodes any message type 1..27. Rejects with "truncated" (shorter than the type allows),
/// "too_long" (longer than the type allows) or "unsupported" (type 0 or 28..63, type 24 part
/// numbers 2/3). Never throws.
Expected<AisMessage, DecodeError> decode(const AisBits& bits);

/// The position-report decoders used on the feed's hot path (no variant, no strings).
Expected<PositionA, DecodeError> decode_position_a(const AisBits& bits);
Expected<PositionB, DecodeError> decode_position_b(const AisBits& bits);
Expected<LongRange, DecodeError> decode_long_range(const AisBits& bits);

/// gpsd's type 24 pairing (driver_ais.c): part A names are stashed in a small circular queue;
/// a part B with a stashed MMSI is reported as the merged message (part = both, the stash entry
/// cleared), otherwise as part B alone. Part A is always reported as itself. Used by
/// `picket decode` so its output matches `gpsdecode -s`.
class Type24Merger {
public:
    /// Updates the queue with `m` and, for a matching part B, fills in the name and sets both.
    void process(StaticB& m);

private:
    struct Entry {
        Mmsi mmsi{0};
        std::string shipname;
    };
    static constexpr std::size_t kSlots = 8;  // gpsd MAX_TYPE24_INTERLEAVE
    std::array<Entry, kSlots> slots_{};
    std::size_t next_{0};
};

}  // namespace picket::sensors::ais
