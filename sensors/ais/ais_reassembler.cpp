#include "sensors/ais/ais_reassembler.hpp"

namespace picket::sensors::ais {

std::size_t Reassembler::slot_index(char channel, int seq) {
    // Channel 'A'/'1' and 'B'/'2' each get a row; anything else (empty, 'C', ...) shares a third.
    const std::size_t row = (channel == 'A' || channel == '1')   ? 0
                            : (channel == 'B' || channel == '2') ? 1
                                                                 : 2;
    const std::size_t col = seq >= 0 && seq <= 9 ? static_cast<std::size_t>(seq) : 10;
    return row * 11 + col;
}

const AisBits* Reassembler::add(const AisSentence& s, Timestamp now, std::string_view& reason) {
    if (s.fragment_count == 1) {
        if (!single_.assign_armoured(s.payload)) {
            reason = s.payload.size() > kMaxPayloadChars ? "too_long" : "bad_payload";
            return nullptr;
        }
        single_.drop_fill(static_cast<unsigned>(s.fill_bits));
        return &single_;
    }
    Slot& slot = slots_[slot_index(s.channel, s.sequence_id)];
    if (s.fragment_number == 1) {
        // A new first fragment replaces any unfinished message in the same slot: receivers
        // reuse sequence ids cyclically, so the old one will never complete.
        if (!slot.active) ++active_;
        slot.active = true;
        slot.expected = 1;
        slot.count = s.fragment_count;
        slot.started = now;
        slot.bits.clear();
    } else {
        if (!slot.active || slot.expected != s.fragment_number || slot.count != s.fragment_count) {
            reason = "bad_fragment";
            return nullptr;
        }
        if (now - slot.started > timeout_) {
            slot.active = false;
            --active_;
            reason = "fragment_timeout";
            return nullptr;
        }
    }
    if (!slot.bits.append_armoured(s.payload)) {
        slot.active = false;
        --active_;
        reason =
            slot.bits.size() + s.payload.size() * 6 > kMaxPayloadBits ? "too_long" : "bad_payload";
        return nullptr;
    }
    if (s.fragment_number < s.fragment_count) {
        ++slot.expected;
        return nullptr;
    }
    slot.bits.drop_fill(static_cast<unsigned>(s.fill_bits));
    slot.active = false;
    --active_;
    return &slot.bits;
}

int Reassembler::expire(Timestamp now) {
    if (active_ == 0) return 0;
    int dropped = 0;
    for (Slot& slot : slots_) {
        if (slot.active && now - slot.started > timeout_) {
            slot.active = false;
            --active_;
            ++dropped;
        }
    }
    return dropped;
}

}  // namespace picket::sensors::ais
