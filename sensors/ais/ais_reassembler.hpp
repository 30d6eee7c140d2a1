#pragma once
/// Multi-sentence reassembly (M.1371-5 Annex 8 §1 / IEC 61162-1 VDM: up to 9 sentences sharing a
/// sequential message id 0..9). Fragments are keyed by (channel, sequence id) so that messages
/// interleaved on channels A and B, or with different ids, reassemble independently; a message
/// not completed within the timeout is dropped. Fixed storage: no allocation per sentence.
#include <array>
#include <cstddef>
#include <string_view>

#include "core/time.hpp"
#include "sensors/ais/ais_bits.hpp"
#include "sensors/ais/ais_sentence.hpp"

namespace picket::sensors::ais {

class Reassembler {
public:
    explicit Reassembler(Duration timeout = Duration::from_seconds(10)) : timeout_(timeout) {}

    /// Adds one sentence. Returns the complete payload (valid until the next call) when this
    /// sentence completes a message, nullptr otherwise. On a rejected fragment, sets `reason`
    /// ("bad_payload", "too_long", "bad_fragment", "fragment_timeout") and returns nullptr.
    const AisBits* add(const AisSentence& s, Timestamp now, std::string_view& reason);

    /// Drops partial messages older than the timeout; returns how many were dropped.
    int expire(Timestamp now);

    /// Partial messages currently held.
    [[nodiscard]] int pending() const { return active_; }

private:
    struct Slot {
        bool active{false};
        int expected{0};
        int count{0};
        Timestamp started;
        AisBits bits;
    };
    static std::size_t slot_index(char channel, int seq);

    Duration timeout_;
    AisBits single_;
    std::array<Slot, 3 * 11> slots_{};
    int active_{0};
};

}  // namespace picket::sensors::ais
