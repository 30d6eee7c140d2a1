#pragma once
/// Big-endian byte reading and writing for ASTERIX (Part 1 §4: all fields are MSB first).
#include <cstddef>
#include <cstdint>
#include <string>

namespace picket::sensors::asterix::detail {

inline std::uint32_t read_u16(const std::uint8_t* p) { return (std::uint32_t{p[0]} << 8) | p[1]; }
inline std::uint32_t read_u24(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | p[2];
}
inline std::uint32_t read_u32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           p[3];
}
/// Two's complement of the low `bits` bits of v.
inline std::int32_t sign_extend(std::uint32_t v, int bits) {
    const std::uint32_t m = 1u << (bits - 1);
    v &= (bits == 32) ? 0xFFFFFFFFu : ((1u << bits) - 1u);
    return static_cast<std::int32_t>((v ^ m) - m);
}

inline void put_u8(std::string& out, std::uint32_t v) {
    out.push_back(static_cast<char>(v & 0xFF));
}
inline void put_u16(std::string& out, std::uint32_t v) {
    put_u8(out, v >> 8);
    put_u8(out, v);
}
inline void put_u24(std::string& out, std::uint32_t v) {
    put_u8(out, v >> 16);
    put_u16(out, v);
}
inline void put_u32(std::string& out, std::uint32_t v) {
    put_u16(out, v >> 16);
    put_u16(out, v);
}

/// Builds an FSPEC (Part 1 §4.3.3): FRN n is bit 8-((n-1) mod 7) of octet (n-1)/7, and bit 1
/// (FX) of every octet but the last says another FSPEC octet follows.
class FspecBuilder {
public:
    void set(int frn) {
        const int i = (frn - 1) / 7;
        bytes_[i] |= static_cast<std::uint8_t>(0x80u >> ((frn - 1) % 7));
        if (i + 1 > count_) count_ = i + 1;
    }
    void write(std::string& out) const {
        for (int i = 0; i < count_; ++i) put_u8(out, bytes_[i] | (i + 1 < count_ ? 0x01u : 0x00u));
    }

private:
    std::uint8_t bytes_[8]{};
    int count_{0};
};

/// Starts a data block: CAT and a LEN placeholder. Returns the offset of the block in `out`.
inline std::size_t begin_block(std::string& out, std::uint8_t category) {
    const std::size_t at = out.size();
    put_u8(out, category);
    put_u16(out, 0);
    return at;
}
/// Patches LEN of the block that starts at `at`.
inline void end_block(std::string& out, std::size_t at) {
    const std::size_t len = out.size() - at;
    out[at + 1] = static_cast<char>((len >> 8) & 0xFF);
    out[at + 2] = static_cast<char>(len & 0xFF);
}

}  // namespace picket::sensors::asterix::detail
