#include "sensors/ais/ais_sentence.hpp"

#include <bit>
#include <cstddef>
#include <cstring>

namespace picket::sensors::ais {
namespace {

// Longest line accepted. NMEA 0183 limits a sentence to 82 characters, but tag blocks and
// receiver-appended fields make real lines longer; 512 leaves room while bounding work.
constexpr std::size_t kMaxLineChars = 512;

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// A one-digit field ("1".."9") or empty; -1 for empty, -2 for invalid.
int small_field(std::string_view f) {
    if (f.empty()) return -1;
    if (f.size() != 1 || f[0] < '0' || f[0] > '9') return -2;
    return f[0] - '0';
}

// Parses `s:...,c:...` inside the tag block (NMEA 4.10 §6.3). Unknown parameters (d:, g:, n:,
// r:, t:) are skipped: they are legal and carry nothing picket uses.
bool parse_tag_block(std::string_view block, TagBlock& tag) {
    const std::size_t star = block.rfind('*');
    if (star != std::string_view::npos) {
        if (star + 3 != block.size()) return false;
        const int hi = hex_digit(block[star + 1]);
        const int lo = hex_digit(block[star + 2]);
        if (hi < 0 || lo < 0) return false;
        if (nmea_checksum(block.substr(0, star)) != (hi << 4 | lo)) return false;
        block = block.substr(0, star);
    }
    while (!block.empty()) {
        const std::size_t comma = block.find(',');
        const std::string_view item = block.substr(0, comma);
        block = comma == std::string_view::npos ? std::string_view{} : block.substr(comma + 1);
        if (item.size() < 2 || item[1] != ':') return false;
        const std::string_view value = item.substr(2);
        if (item[0] == 's') {
            tag.source = value;
        } else if (item[0] == 'c') {
            if (value.empty() || value.size() > 16) return false;
            std::int64_t v = 0;
            for (const char c : value) {
                if (c < '0' || c > '9') return false;
                v = v * 10 + (c - '0');
            }
            // Some sources send milliseconds. Up to 9e9 is seconds (to year 2255), up to 9e12
            // milliseconds; anything larger would overflow int64 nanoseconds and is rejected.
            if (v <= 9'000'000'000LL)
                tag.time = Timestamp{v * kNsPerSecond};
            else if (v <= 9'000'000'000'000LL)
                tag.time = Timestamp{v * kNsPerMilli};
            else
                return false;
        }
    }
    return true;
}

}  // namespace

std::uint8_t nmea_checksum(std::string_view body) {
    // Eight bytes at a time, folded at the end: XOR is bytewise, so lanes never mix.
    const char* p = body.data();
    const char* const end = p + body.size();
    std::uint64_t wide = 0;
    for (; end - p >= 8; p += 8) {
        std::uint64_t w;
        std::memcpy(&w, p, sizeof w);
        wide ^= w;
    }
    if (p < end && body.size() >= 8) {
        // The last partial word, re-read so that it ends at `end`, its counted bytes shifted out.
        std::uint64_t w;
        std::memcpy(&w, end - 8, sizeof w);
        wide ^= w >> (8 * (8 - (end - p)));  // little-endian: the earlier bytes are the low ones
        p = end;
    }
    wide ^= wide >> 32;
    wide ^= wide >> 16;
    wide ^= wide >> 8;
    auto x = static_cast<std::uint8_t>(wide);
    for (; p < end; ++p) x = static_cast<std::uint8_t>(x ^ static_cast<std::uint8_t>(*p));
    return x;
}

namespace {

// Eight bytes at a time (SWAR) for the fast path below.
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

std::uint64_t load8(const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

// Non-zero when some byte of `w` equals `b`. Exact as a yes/no answer (the borrow trick can
// flag the wrong byte, never a word without a match).
std::uint64_t has_byte(std::uint64_t w, unsigned char b) {
    const std::uint64_t x = w ^ (kOnes * b);
    return (x - kOnes) & ~x & kHighs;
}

// The shape nearly every receiver sends, "!xxVDM,c,n,[s],[ch],payload,f*hh" with no trailer:
// the fields before the payload sit at fixed offsets, so they are read in place instead of
// searched for, and the checksum is XORed eight bytes at a time while checking that no earlier
// '*' ends the body. Returns false, deciding nothing, for a line of any other shape or with any
// invalid field or checksum: the general parser then gives the verdict and its reason, so the
// two paths agree on every input.
bool parse_common_vdm(std::string_view line, AisSentence& out) {
    if constexpr (std::endian::native != std::endian::little) return false;  // tail shift below
    const std::size_t n = line.size();
    // Shortest such line: "!AIVDM,1,1,,,0,0*hh" (19 characters).
    if (n < 19 || line[n - 3] != '*') return false;
    const char* s = line.data();
    const std::size_t star = n - 3;
    const int hi = hex_digit(s[star + 1]);
    const int lo = hex_digit(s[star + 2]);
    if ((hi | lo) < 0) return false;
    // Talker + "VDM"/"VDO" and its comma (the general parser's first field, with no comma in it).
    if (s[1] == ',' || s[2] == ',' || s[3] != 'V' || s[4] != 'D' || (s[5] != 'M' && s[5] != 'O') ||
        s[6] != ',')
        return false;
    const int count = s[7] - '0';
    const int number = s[9] - '0';
    if (count < 1 || count > 9 || s[8] != ',' || number < 1 || number > count || s[10] != ',')
        return false;
    std::size_t p = 11;  // n >= 19 keeps every index below inside the line
    int seq = -1;
    if (s[p] != ',') {
        seq = s[p] - '0';
        if (seq < 0 || seq > 9 || s[p + 1] != ',') return false;
        p += 2;
    } else {
        ++p;
    }
    char channel = '\0';
    if (s[p] != ',') {
        channel = s[p];
        if (s[p + 1] != ',') return false;
        p += 2;
    } else {
        ++p;
    }
    // Payload up to the comma before the one-digit fill field.
    const int fill = s[star - 1] - '0';
    if (s[star - 2] != ',' || fill < 0 || fill > 5 || star - 2 <= p) return false;
    const std::size_t payload_len = star - 2 - p;
    if (payload_len > kMaxPayloadCharsPerSentence) return false;

    // Checksum over [1, star): whole words, then the last partial word re-read so that it ends
    // at the '*' (its already-counted leading bytes shifted out). The body is >= 15 bytes.
    std::uint64_t x = 0, stars = 0;
    std::size_t i = 1;
    for (; i + 8 <= star; i += 8) {
        const std::uint64_t w = load8(s + i);
        x ^= w;
        stars |= has_byte(w, '*');
    }
    if (i < star) {
        const std::uint64_t w = load8(s + star - 8) >> (8 * (8 - (star - i)));
        x ^= w;
        stars |= has_byte(w, '*');
    }
    if (stars != 0) return false;  // an earlier '*' ends the body: not this shape
    x ^= x >> 32;
    x ^= x >> 16;
    x ^= x >> 8;
    if (static_cast<std::uint8_t>(x) != (hi << 4 | lo)) return false;

    out.talker = std::string_view(s + 1, 5);
    out.own_ship = s[5] == 'O';
    out.fragment_count = count;
    out.fragment_number = number;
    out.sequence_id = seq;
    out.channel = channel;
    out.payload = std::string_view(s + p, payload_len);
    out.fill_bits = fill;
    return true;
}

// Any sentence: finds the '*' and the seven fields wherever they are, and names what is wrong.
std::string_view parse_vdm_general(std::string_view line, AisSentence& out) {
    // The checksum covers everything between '!' and '*'. Find the '*' with memchr, check the
    // sum, then locate the six commas that separate the seven VDM fields (talker+type, count,
    // number, seq id, channel, payload, fill).
    const void* star_ptr = std::memchr(line.data() + 1, '*', line.size() - 1);
    if (star_ptr == nullptr) return "truncated";
    const std::size_t star =
        static_cast<std::size_t>(static_cast<const char*>(star_ptr) - line.data());
    if (star + 3 > line.size()) return "truncated";
    const int hi = hex_digit(line[star + 1]);
    const int lo = hex_digit(line[star + 2]);
    if (hi < 0 || lo < 0) return "bad_sentence";
    if (nmea_checksum(line.substr(1, star - 1)) != (hi << 4 | lo)) return "checksum";
    // Commas: the five before the payload are within the first few characters; the last one
    // precedes the one-digit fill field, so scan forward for five and backward for one instead
    // of walking the whole payload.
    std::size_t comma[6];
    std::size_t i = 1;
    for (int k = 0; k < 5; ++k) {
        while (i < star && line[i] != ',') ++i;
        if (i >= star) return "bad_sentence";
        comma[k] = i++;
    }
    std::size_t j = star;
    while (j > i && line[j - 1] != ',') --j;
    if (j <= i) return "bad_sentence";
    comma[5] = j - 1;
    // A comma inside the payload (an eighth field) is not checked here: ',' is outside the
    // armouring set, so de-armouring rejects such a payload as "bad_payload".
    std::string_view f[7];
    f[0] = line.substr(1, comma[0] - 1);
    for (int k = 1; k < 6; ++k) f[k] = line.substr(comma[k - 1] + 1, comma[k] - comma[k - 1] - 1);
    f[6] = line.substr(comma[5] + 1, star - comma[5] - 1);
    const std::string_view t = f[0];
    if (t.size() != 5 || t[2] != 'V' || t[3] != 'D' || (t[4] != 'M' && t[4] != 'O'))
        return "bad_sentence";
    out.talker = t;
    out.own_ship = t[4] == 'O';
    const int count = small_field(f[1]);
    const int number = small_field(f[2]);
    const int seq = small_field(f[3]);
    const int fill = small_field(f[6]);
    if (count < 1 || number < 1 || number > count || seq == -2 || fill < 0 || fill > 5)
        return "bad_sentence";
    out.fragment_count = count;
    out.fragment_number = number;
    out.sequence_id = seq;
    if (f[4].size() > 1) return "bad_sentence";
    out.channel = f[4].empty() ? '\0' : f[4][0];
    if (f[5].size() > kMaxPayloadCharsPerSentence) return "too_long";
    if (f[5].empty()) return "bad_payload";
    out.payload = f[5];
    out.fill_bits = fill;
    return {};
}

std::string_view parse_line(std::string_view line, AisSentence& out, bool fast_path) {
    out.tag = TagBlock{};  // every other field is set on success
    if (line.size() > kMaxLineChars) return "too_long";
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' ' ||
                             line.back() == '\t'))
        line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty()) return "bad_sentence";

    if (line.front() == '\\') {
        const std::size_t end = line.find('\\', 1);
        if (end == std::string_view::npos) return "truncated";
        if (!parse_tag_block(line.substr(1, end - 1), out.tag)) return "bad_tag_block";
        line = line.substr(end + 1);
    }
    if (line.empty() || line.front() != '!') return "bad_sentence";
    if (fast_path && parse_common_vdm(line, out)) return {};
    return parse_vdm_general(line, out);
}

}  // namespace

std::string_view parse_sentence(std::string_view line, AisSentence& out) {
    return parse_line(line, out, true);
}

Expected<AisSentence, DecodeError> parse_sentence(std::string_view line) {
    AisSentence out;
    const std::string_view reason = parse_line(line, out, true);
    if (!reason.empty()) return reject(reason);
    return out;
}

namespace detail {
std::string_view parse_sentence_general(std::string_view line, AisSentence& out) {
    return parse_line(line, out, false);
}
}  // namespace detail

}  // namespace picket::sensors::ais
