#include "sensors/ais/ais_bits.hpp"

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace picket::sensors::ais {

namespace {

#if !defined(__SSE2__)
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

// Eight armoured characters (a little-endian word: the first in the lowest byte) -> their 48
// bits, the first character in the most significant six,
// computed on all eight bytes at once in a 64-bit register (no table, no per-character
// dependency chain). `bad` becomes non-zero when any character is outside the two armouring
// ranges '0'..'W' (values 0..39) and '`'..'w' (40..63).
inline std::uint64_t dearmour8(std::uint64_t c, std::uint64_t& bad) {
    bad |= c & kHighs;  // bytes >= 128
    const std::uint64_t c7 = c & ~kHighs;
    // Per byte, adding (128 - k) to a value below 128 sets the high bit exactly when the value
    // is >= k, without carrying into the next byte.
    const std::uint64_t ge48 = (c7 + kOnes * (128 - 48)) & kHighs;
    bad |= ~ge48 & kHighs;                                           // below '0'
    const std::uint64_t v = ((c7 | kHighs) - kOnes * 48) & ~kHighs;  // c - 48 where c >= 48
    const std::uint64_t ge40 = (v + kOnes * (128 - 40)) & kHighs;    // 'X' and above
    const std::uint64_t ge48v = (v + kOnes * (128 - 48)) & kHighs;   // '`' and above
    const std::uint64_t ge72 = (v + kOnes * (128 - 72)) & kHighs;    // past 'w'
    bad |= (ge40 & ~ge48v) | ge72;                                   // 'X'..'_', or past 'w'
    const std::uint64_t x = v - (ge40 >> 4);  // 40.. -> minus 8: 6-bit values, one per byte
    // Pack: pairs of bytes into 12 bits, pairs of those into 24, then the two halves into 48.
    const std::uint64_t p12 = (x & 0x00FF00FF00FF00FFULL) << 6 | ((x >> 8) & 0x00FF00FF00FF00FFULL);
    const std::uint64_t p24 =
        (p12 & 0x0000FFFF0000FFFFULL) << 12 | ((p12 >> 16) & 0x0000FFFF0000FFFFULL);
    return (p24 & 0xFFFFFFFFULL) << 24 | p24 >> 32;
}
#endif

// Sixteen armoured characters, given as two little-endian words (the first character in the
// lowest byte of `lo`) -> two 48-bit halves (`first` holds characters 0..7, the first in its
// most significant six bits). `bad` becomes non-zero when any character is outside the two
// armouring ranges '0'..'W' (values 0..39) and '`'..'w' (40..63). SSE2, part of every x86-64
// CPU, does all sixteen at once; elsewhere two eight-byte SWAR steps do.
inline void dearmour16(std::uint64_t lo, std::uint64_t hi, std::uint64_t& first,
                       std::uint64_t& second, std::uint64_t& bad) {
#if defined(__SSE2__)
    const __m128i c = _mm_set_epi64x(static_cast<long long>(hi), static_cast<long long>(lo));
    // Signed byte compares: characters >= 128 are negative and fall outside both ranges.
    const __m128i low =
        _mm_and_si128(_mm_cmpgt_epi8(c, _mm_set1_epi8(47)), _mm_cmplt_epi8(c, _mm_set1_epi8(88)));
    const __m128i high =
        _mm_and_si128(_mm_cmpgt_epi8(c, _mm_set1_epi8(95)), _mm_cmplt_epi8(c, _mm_set1_epi8(120)));
    bad |= static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(low, high))) ^ 0xFFFFu;
    const __m128i v =
        _mm_sub_epi8(_mm_sub_epi8(c, _mm_set1_epi8(48)), _mm_and_si128(high, _mm_set1_epi8(8)));
    // Pack: byte pairs into 12 bits per 16-bit lane (first character high), lane pairs into 24
    // bits per 32-bit lane with one multiply-add (x 4096 + x 1), then 32-bit lane pairs into 48.
    const __m128i p12 = _mm_or_si128(_mm_slli_epi16(_mm_and_si128(v, _mm_set1_epi16(0x00FF)), 6),
                                     _mm_srli_epi16(v, 8));
    const __m128i p24 = _mm_madd_epi16(p12, _mm_set1_epi32(0x00011000));
    const auto p_lo = static_cast<std::uint64_t>(_mm_cvtsi128_si64(p24));
    const auto p_hi = static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_srli_si128(p24, 8)));
    first = (p_lo & 0xFFFFFFULL) << 24 | p_lo >> 32;
    second = (p_hi & 0xFFFFFFULL) << 24 | p_hi >> 32;
#else
    first = dearmour8(lo, bad);
    second = dearmour8(hi, bad);
#endif
}

std::uint64_t load8(const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);  // little-endian (as u() assumes): first character lowest
    return w;
}

// Writes 16 characters' 96 bits at a time, MSB first, as 16-byte big-endian windows: the bits
// already in the current byte, the 96 new ones, zeros after (all past the end). 96 bits are
// 12 whole bytes, so the bit offset within a byte never changes, and the bits that spill into
// the next window's first byte are carried in a register rather than read back: a load that
// straddles the store just made stalls until that store completes.
class BitWriter {
public:
    BitWriter(std::uint8_t* bytes, std::size_t bit_pos)
        : bytes_(bytes),
          byte_(bit_pos / 8),
          off_(static_cast<unsigned>(bit_pos % 8)),
          head_mask_(~(~std::uint64_t{0} >> off_)) {
        head_ = (std::uint64_t{bytes_[byte_]} << 56) & head_mask_;
    }
    void put96(std::uint64_t first48, std::uint64_t second48) {
        put(first48 << 16 | second48 >> 32, second48 << 32);
    }
    /// One past the last byte written (0 before any write).
    [[nodiscard]] std::size_t end() const { return end_; }
    /// The last `count` (6..90) of the 96 bits, as the last write (zeros after them).
    void put_last(std::uint64_t first48, std::uint64_t second48, unsigned count) {
        // Left-align the wanted bits: shift the 128-bit window left by 96 - count.
        std::uint64_t h = first48 << 16 | second48 >> 32;
        std::uint64_t l = second48 << 32;
        const unsigned k = 96 - count;  // 6..90
        if (k >= 64) {
            h = l << (k - 64);
            l = 0;
        } else {
            h = h << k | l >> (64 - k);
            l <<= k;
        }
        put(h, l);
    }

private:
    // Writes the left-aligned window (h, l) after the carried bits, and moves on 12 bytes.
    void put(std::uint64_t h, std::uint64_t l) {
        const std::uint64_t hi = head_ | h >> off_;
        const std::uint64_t lo = l >> off_ | (h << 1) << (63 - off_);  // h's low bits, none when 0
        const std::uint64_t hi_be = __builtin_bswap64(hi);
        const std::uint64_t lo_be = __builtin_bswap64(lo);
        std::memcpy(bytes_ + byte_, &hi_be, sizeof hi_be);
        std::memcpy(bytes_ + byte_ + 8, &lo_be, sizeof lo_be);
        byte_ += 12;
        head_ = (lo << 32) & head_mask_;  // byte 12 of the window starts the next one
        end_ = byte_ + 4;
    }

    std::uint8_t* bytes_;
    std::size_t byte_;
    unsigned off_;
    std::uint64_t head_mask_;  // the top `off_` bits
    std::uint64_t head_{0};
    std::size_t end_{0};
};

}  // namespace

bool AisBits::append_armoured(std::string_view chars) {
    std::size_t written_end = 0;
    return append_armoured(chars, written_end);
}

bool AisBits::assign_armoured(std::string_view chars) {
    // What clear() would zero, less what the new windows overwrite (with zeros after the new
    // bits): for the usual run of same-length messages, nothing.
    const std::size_t used = std::min((bit_count_ + 7) / 8 + 8, bytes_.size());
    bit_count_ = 0;
    std::size_t written_end = 0;
    const bool ok = append_armoured(chars, written_end);
    if (used > written_end) std::memset(bytes_.data() + written_end, 0, used - written_end);
    return ok;
}

bool AisBits::append_armoured(std::string_view chars, std::size_t& written_end) {
    if (bit_count_ + chars.size() * 6 > kMaxPayloadBits) return false;
    // Every window BitWriter writes starts at most at byte (kMaxPayloadBits - 6) / 8 and bytes_
    // has 16 bytes of slack. Characters are only read inside `chars`, and never from a buffer
    // just written byte by byte (a wide load from narrow stores stalls).
    const char* c = chars.data();
    const std::size_t n = chars.size();
    BitWriter out(bytes_.data(), bit_count_);
    std::uint64_t bad = 0, first = 0, second = 0;
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        dearmour16(load8(c + i), load8(c + i + 8), first, second, bad);
        out.put96(first, second);
    }
    if (const std::size_t rest = n - i; rest > 0 && n >= 16) {
        // Re-read the last 16 characters and keep the new ones.
        dearmour16(load8(c + n - 16), load8(c + n - 8), first, second, bad);
        out.put_last(first, second, static_cast<unsigned>(6 * rest));
    } else if (rest > 0) {
        // Fewer than 16 in all: gather them into two words padded with '0' (the value 0).
        constexpr std::uint64_t kZeros = 0x3030303030303030ULL;
        std::uint64_t lo = kZeros, hi = kZeros;
        for (std::size_t k = 0; k < n; ++k) {
            const unsigned shift = static_cast<unsigned>(8 * (k % 8));
            const std::uint64_t byte = std::uint64_t{static_cast<unsigned char>(c[k])} << shift;
            const std::uint64_t keep = ~(std::uint64_t{0xFF} << shift);
            if (k < 8)
                lo = (lo & keep) | byte;
            else
                hi = (hi & keep) | byte;
        }
        dearmour16(lo, hi, first, second, bad);
        out.put96(first, second);
    }
    bit_count_ += n * 6;  // also on failure, so that clear() wipes what was written
    written_end = out.end();
    return bad == 0;
}

void AisBits::append_bits(std::uint64_t value, unsigned count) {
    for (unsigned i = 0; i < count && bit_count_ < kMaxPayloadBits; ++i) {
        const unsigned bitv = static_cast<unsigned>(value >> (count - 1 - i)) & 1u;
        if (bitv) bytes_[bit_count_ / 8] |= static_cast<std::uint8_t>(0x80u >> (bit_count_ % 8));
        ++bit_count_;
    }
}

std::string AisBits::text(std::size_t start, std::size_t count, bool trim) const {
    // Into a local buffer, then one string: no growth checks per character. Reads at or past
    // kMaxPayloadBits are zero ('@'), so no text is longer than the buffer.
    char buf[kMaxPayloadChars];
    std::size_t len = 0;
    for (; len < count && len < sizeof buf; ++len) {
        const char c = kSixbitAscii[u(start + 6 * len, 6)];
        if (c == '@') break;  // '@' terminates the string (M.1371-5 §3.3 note on padding)
        buf[len] = c;
    }
    if (trim) {
        while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '@')) --len;
    }
    return std::string(buf, len);
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
        if (at + 8 > zero_from)
            v = at >= zero_from ? 0u : v & (0xFFu << (at + 8 - zero_from)) & 0xFFu;
        if (mask_tail && remaining < 8) v &= 0xFFu << (8 - remaining) & 0xFFu;
        out.push_back(kHex[v >> 4]);
        out.push_back(kHex[v & 15]);
    }
    return out;
}

}  // namespace picket::sensors::ais
