#pragma once
/// The AIS payload as a bit string: NMEA 0183 "6-bit armouring" (IEC 61162-1 §7.3.4 / ITU-R
/// M.1371-5 Annex 8 §1.1) turned back into the bits the VDL carried, MSB first, and the field
/// readers the decoder uses. The buffer is fixed-size (no allocation per sentence) and zero-padded
/// past the end so a read that overhangs the payload sees zeros, as the standard's "fill" does.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace picket::sensors::ais {

/// Longest payload accepted, in armoured characters. A 5-slot message (types 6, 8, 25, 26) is at
/// most 1008 bits = 168 characters; anything longer is not AIS and is rejected as "too_long".
inline constexpr std::size_t kMaxPayloadChars = 168;
inline constexpr std::size_t kMaxPayloadBits = kMaxPayloadChars * 6;

/// Armoured character -> 6-bit value, 0xFF for characters outside the two armouring ranges
/// ('0'..'W' = 0..39 and '`'..'w' = 40..63).
inline constexpr std::array<std::uint8_t, 256> kArmourTable = [] {
    std::array<std::uint8_t, 256> t{};
    for (auto& v : t) v = 0xFF;
    for (int c = 48; c < 88; ++c)
        t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - 48);
    for (int c = 96; c < 120; ++c)
        t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - 56);
    return t;
}();

/// 6-bit value -> armoured character.
inline char armour_char(unsigned v) {
    v &= 63u;
    return static_cast<char>(v < 40 ? v + 48 : v + 56);
}

/// M.1371-5 Annex 8 table 47: the 6-bit ASCII used in text fields ('@' = 0 pads the end).
inline constexpr char kSixbitAscii[65] =
    "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?";

class AisBits {
public:
    /// Number of payload bits (after the fill bits of the last sentence are removed).
    [[nodiscard]] std::size_t size() const { return bit_count_; }
    void clear() {
        // Only the used prefix needs zeroing to keep the "reads past the end are zero" promise.
        const std::size_t used = (bit_count_ + 7) / 8 + 8;
        std::memset(bytes_.data(), 0, used < bytes_.size() ? used : bytes_.size());
        bit_count_ = 0;
    }

    /// Appends armoured characters. Returns false (and leaves the buffer in an unspecified but
    /// safe state) on a character outside the armouring set or when the payload gets too long.
    bool append_armoured(std::string_view chars);
    /// clear() then append_armoured(chars), zeroing only the old bytes the new payload does not
    /// overwrite (the reassembler's per-sentence path).
    bool assign_armoured(std::string_view chars);
    /// Drops the last `fill_bits` bits (0..5) once the last sentence is appended.
    void drop_fill(unsigned fill_bits) {
        bit_count_ = fill_bits > bit_count_ ? 0 : bit_count_ - fill_bits;
    }
    /// Appends raw bits, MSB first (for tests and the encoder).
    void append_bits(std::uint64_t value, unsigned count);

    /// Unsigned field of `len` <= 32 bits at bit offset `start` (0 = first bit of message type).
    [[nodiscard]] std::uint32_t u(std::size_t start, unsigned len) const {
        if (start >= kMaxPayloadBits) return 0;
        const std::size_t byte = start / 8;
        std::uint64_t w;
        std::memcpy(&w, bytes_.data() + byte, sizeof w);
        w = __builtin_bswap64(w) << (start % 8);
        return static_cast<std::uint32_t>(w >> (64 - len));
    }
    /// Two's complement signed field of `len` <= 32 bits.
    [[nodiscard]] std::int32_t s(std::size_t start, unsigned len) const {
        const std::uint32_t v = u(start, len);
        const std::uint32_t sign = 1u << (len - 1);
        return static_cast<std::int32_t>((v ^ sign)) - static_cast<std::int32_t>(sign);
    }
    [[nodiscard]] bool b(std::size_t start) const { return u(start, 1) != 0; }
    /// `count` 6-bit characters from `start`, gpsd style: stops at the first '@', then trailing
    /// spaces (and '@') are trimmed. `trim` = false keeps trailing spaces (type 21 name join).
    [[nodiscard]] std::string text(std::size_t start, std::size_t count, bool trim = true) const;
    /// `bit_len` bits from bit `start` as lower-case hex of ceil(bit_len/8) bytes, the last byte
    /// zero-padded when `mask_tail` (gpsd's "data" field layout: gpsd masks the tail for type 8
    /// only, so types 6, 17, 25, 26 show whatever fill bits the sender put there).
    /// Bits at or after `zero_from` read as zero (gpsd copies whole bytes, then shifts).
    [[nodiscard]] std::string hex(std::size_t start, std::size_t bit_len, bool mask_tail,
                                  std::size_t zero_from = kMaxPayloadBits + 64) const;
    /// Raw byte access (for hashing in the fuzzer and for tests).
    [[nodiscard]] const std::uint8_t* data() const { return bytes_.data(); }

private:
    /// append_armoured, also giving one past the last byte it wrote (0 if none).
    bool append_armoured(std::string_view chars, std::size_t& written_end);

    // +16 so the 8-byte windows in u() and append_armoured() never leave the array.
    std::array<std::uint8_t, kMaxPayloadBits / 8 + 16> bytes_{};
    std::size_t bit_count_{0};
};

}  // namespace picket::sensors::ais
