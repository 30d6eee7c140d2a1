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

/// Bits 0..37, common to every message (M.1371-5 Annex 8 §3).
inline Header decode_header(const AisBits& b) {
    return Header{static_cast<std::uint8_t>(b.u(0, 6)), static_cast<std::uint8_t>(b.u(6, 2)),
                  b.u(8, 30)};
}

// The position-report decoders used on the feed's hot path (no variant, no strings). Inlined so
// that the feed's compiler keeps the fields it uses in registers: called out of line, the
// returned struct is written to memory field by field and read back at once, which stalls.

/// Types 1, 2, 3 (§3.1, table 45): 168 bits; 163..167 seen in the wild and accepted (gpsd).
inline constexpr std::size_t kPositionAMinBits = 163;
/// The fields of a type 1-3 report that has at least kPositionAMinBits. A plain struct (no
/// Expected around it) stays in registers in the feed's hot path.
[[gnu::always_inline]] inline PositionA read_position_a(const AisBits& b) {
    PositionA m;
    m.hdr = decode_header(b);
    m.status = static_cast<std::uint8_t>(b.u(38, 4));
    m.turn = b.s(42, 8);
    m.speed = b.u(50, 10);
    m.accuracy = b.b(60);
    m.lon = b.s(61, 28);
    m.lat = b.s(89, 27);
    m.course = b.u(116, 12);
    m.heading = b.u(128, 9);
    m.second = static_cast<std::uint8_t>(b.u(137, 6));
    m.maneuver = static_cast<std::uint8_t>(b.u(143, 2));
    m.raim = b.b(148);
    // Short (163..167-bit) reports carry a truncated radio field; read what is there.
    m.radio = b.size() >= 168 ? b.u(149, 19) : b.u(149, static_cast<unsigned>(b.size() - 149));
    return m;
}
[[gnu::always_inline]] inline Expected<PositionA, DecodeError> decode_position_a(const AisBits& b) {
    if (b.size() < kPositionAMinBits) return reject("truncated");
    return read_position_a(b);
}

/// Bits 38-138 of the Class B position reports, types 18 and 19 alike (§3.16 table 70, §3.17
/// table 71): reserved, SOG, accuracy, lon, lat, COG, heading, time stamp.
template <class ClassBReport>
[[gnu::always_inline]] inline void read_class_b_kinematics(const AisBits& b, ClassBReport& m) {
    m.hdr = decode_header(b);
    m.reserved = b.u(38, 8);
    m.speed = b.u(46, 10);
    m.accuracy = b.b(56);
    m.lon = b.s(57, 28);
    m.lat = b.s(85, 27);
    m.course = b.u(112, 12);
    m.heading = b.u(124, 9);
    m.second = static_cast<std::uint8_t>(b.u(133, 6));
}

/// Type 18 (§3.16, table 70): 168 bits.
inline constexpr std::size_t kPositionBMinBits = 168;
/// The fields of a type 18 report that has at least kPositionBMinBits.
[[gnu::always_inline]] inline PositionB read_position_b(const AisBits& b) {
    PositionB m;
    read_class_b_kinematics(b, m);
    m.regional = b.u(139, 2);
    m.cs = b.b(141);
    m.display = b.b(142);
    m.dsc = b.b(143);
    m.band = b.b(144);
    m.msg22 = b.b(145);
    m.assigned = b.b(146);
    m.raim = b.b(147);
    m.radio = b.u(148, 20);
    return m;
}
[[gnu::always_inline]] inline Expected<PositionB, DecodeError> decode_position_b(const AisBits& b) {
    if (b.size() < kPositionBMinBits) return reject("truncated");
    return read_position_b(b);
}

/// Type 27 (§3.26, table 84): long-range broadcast; 96 bits, or a whole 168-bit slot (gpsd).
[[gnu::always_inline]] inline Expected<LongRange, DecodeError> decode_long_range(const AisBits& b) {
    // 96 bits nominal; some transmitters send a full 168-bit slot (gpsd accepts both).
    if (b.size() != 96 && b.size() != 168)
        return b.size() < 96 ? reject("truncated") : reject("too_long");
    LongRange m;
    m.hdr = decode_header(b);
    m.accuracy = b.b(38);
    m.raim = b.b(39);
    m.status = static_cast<std::uint8_t>(b.u(40, 4));
    m.lon = b.s(44, 18);
    m.lat = b.s(62, 17);
    m.speed = b.u(79, 6);
    m.course = b.u(85, 9);
    m.gnss = b.b(94);
    return m;
}

/// gpsd's type 24 pairing (driver_ais.c): part A names are stashed in a small circular queue,
/// one queue per radio channel (gpsd keeps one per channel context: A, with '1' and an empty
/// channel field; B, with '2'); a part B with a stashed MMSI in its channel's queue is reported
/// as the merged message (part = both, the stash entry cleared), otherwise as part B alone. Part
/// A is always reported as itself. Used by `picket decode` so its output matches `gpsdecode -s`.
class Type24Merger {
public:
    /// Updates `channel`'s queue with `m` and, for a matching part B, fills in the name and sets
    /// both. `channel` is the VDM channel field ('\0' when empty).
    void process(StaticB& m, char channel);

private:
    struct Entry {
        Mmsi mmsi{0};
        std::string shipname;
    };
    static constexpr std::size_t kSlots = 8;  // gpsd MAX_TYPE24_INTERLEAVE
    struct Queue {
        std::array<Entry, kSlots> slots{};
        std::size_t next{0};
    };
    /// A, B, and any other channel letter (which gpsd does not decode at all).
    std::array<Queue, 3> queues_{};
};

}  // namespace picket::sensors::ais
