#include "sensors/ais/ais_bits.hpp"

namespace picket::sensors::ais {

bool AisBits::append_armoured(std::string_view chars) {
    if (bit_count_ + chars.size() * 6 > kMaxPayloadBits) return false;
    // Shift 6-bit groups into a register and store whole bytes: one table lookup and at most
    // one store per character. Invalid characters (0xFF in the table) are detected once at the
    // end through the OR of the high bits, keeping the loop branch-free.
    std::size_t byte = bit_count_ / 8;
    unsigned nacc = static_cast<unsigned>(bit_count_ % 8);
    std::uint32_t acc = nacc ? static_cast<std::uint32_t>(bytes_[byte] >> (8 - nacc)) : 0u;
    unsigned bad = 0;
    for (const char c : chars) {
        const unsigned v = kArmourTable[static_cast<unsigned char>(c)];
        bad |= v;
        acc = acc << 6 | (v & 63u);
        nacc += 6;
        if (nacc >= 8) {
            nacc -= 8;
            bytes_[byte++] = static_cast<std::uint8_t>(acc >> nacc);
        }
    }
    if (nacc) bytes_[byte] = static_cast<std::uint8_t>(acc << (8 - nacc));
    bit_count_ += chars.size() * 6;  // also on failure, so that clear() wipes what was written
    return (bad & 0xC0u) == 0;
}

void AisBits::append_bits(std::uint64_t value, unsigned count) {
    for (unsigned i = 0; i < count && bit_count_ < kMaxPayloadBits; ++i) {
        const unsigned bitv = static_cast<unsigned>(value >> (count - 1 - i)) & 1u;
        if (bitv) bytes_[bit_count_ / 8] |= static_cast<std::uint8_t>(0x80u >> (bit_count_ % 8));
        ++bit_count_;
    }
}

std::string AisBits::text(std::size_t start, std::size_t count, bool trim) const {
    std::string out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const char c = kSixbitAscii[u(start + 6 * i, 6)];
        if (c == '@') break;  // '@' terminates the string (M.1371-5 §3.3 note on padding)
        out.push_back(c);
    }
    if (trim) {
        while (!out.empty() && (out.back() == ' ' || out.back() == '@')) out.pop_back();
    }
    return out;
}

std::string AisBits::hex(std::size_t start, std::size_t bit_len, bool mask_tail,
                         std::size_t zero_from) const {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    const std::size_t nbytes = (bit_len + 7) / 8;
    out.reserve(nbytes * 2);
    for (std::size_t i = 0; i < nbytes; ++i) {
        const std::size_t remaining = bit_len - i * 8;
        const std::size_t at = start + i * 8;
        unsigned v = u(at, 8);
        if (at + 8 > zero_from) v = at >= zero_from ? 0u : v & (0xFFu << (at + 8 - zero_from)) & 0xFFu;
        if (mask_tail && remaining < 8) v &= 0xFFu << (8 - remaining) & 0xFFu;
        out.push_back(kHex[v >> 4]);
        out.push_back(kHex[v & 15]);
    }
    return out;
}

}  // namespace picket::sensors::ais
