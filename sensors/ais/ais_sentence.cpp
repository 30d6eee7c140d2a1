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

// Parses a `c:` value: UNIX seconds, or milliseconds from some sources. Up to 9e9 is seconds
// (to year 2255), up to 9e12 milliseconds; anything larger would overflow int64 nanoseconds.
std::optional<Timestamp> parse_tag_time(std::string_view value) {
    if (value.empty() || value.size() > 16) return std::nullopt;
    std::int64_t v = 0;
    for (const char c : value) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    if (v <= 9'000'000'000LL) return Timestamp{v * kNsPerSecond};
    if (v <= 9'000'000'000'000LL) return Timestamp{v * kNsPerMilli};
    return std::nullopt;
}

// Parses `s:...,c:...` inside the tag block (NMEA 4.10 §6.3). Unknown parameters (d:, g:, n:,
// r:, t:, and IEC 61162-450 groups such as "1G2:") are skipped: legal, and nothing picket uses.
// gpsd skips the whole block as line noise, so nothing in it can lose the sentence here either:
// a missing or wrong checksum and an unusable time are quirks (the time is then not used).
void parse_tag_block(std::string_view block, AisSentence& out) {
    TagBlock& tag = out.tag;
    const std::size_t star = block.rfind('*');
    if (star == std::string_view::npos) {
        out.quirks |= kQuirkTagChecksum;
    } else {
        const std::string_view sum = block.substr(star + 1);
        const int hi = sum.size() == 2 ? hex_digit(sum[0]) : -1;
        const int lo = sum.size() == 2 ? hex_digit(sum[1]) : -1;
        block = block.substr(0, star);
        if (hi < 0 || lo < 0 || nmea_checksum(block) != (hi << 4 | lo))
            out.quirks |= sum == "00" ? kQuirkTagChecksumZero : kQuirkTagChecksum;
    }
    while (!block.empty()) {
        const std::size_t comma = block.find(',');
        const std::string_view item = block.substr(0, comma);
        block = comma == std::string_view::npos ? std::string_view{} : block.substr(comma + 1);
        if (item.size() < 2 || item[1] != ':') continue;
        const std::string_view value = item.substr(2);
        if (item[0] == 's') {
            tag.source = value;
        } else if (item[0] == 'c') {
            tag.time = parse_tag_time(value);
            if (!tag.time) out.quirks |= kQuirkTagTime;
        }
    }
}

}  // namespace

std::string_view sentence_quirk_name(int bit) {
    static constexpr std::string_view kNames[kSentenceQuirkCount] = {
        "leading_text",    "no_checksum",  "extra_fields",      "bad_sequence_id", "long_channel",
        "empty_fill_bits", "tag_checksum", "tag_checksum_zero", "bad_tag_time"};
    return bit >= 0 && bit < kSentenceQuirkCount ? kNames[bit] : std::string_view{};
}

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
    // A comma in it is an extra field, which only the general parser reads (as gpsd does).
    if (std::memchr(s + p, ',', payload_len) != nullptr) return false;

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

// Any sentence: what gpsd 3.22 accepts (drivers.c aivdm_decode), naming every deviation from
// IEC 61162-1 as a quirk and every reject with its reason. The body is split at its commas:
// talker+type, count, number, sequence id, channel, payload, fill bits, then any extra fields.
std::string_view parse_vdm_general(std::string_view line, AisSentence& out) {
    // The checksum covers everything between '!' and '*'; text after "*hh" is a receiver's
    // trailer (",b003660465,1272412827"). gpsd decodes a sentence without "*hh" and so do we
    // (a quirk); a sentence whose checksum is there but wrong is rejected, also with a trailer
    // (gpsd does not check the sum when a trailer follows it: docs/ais.md).
    std::size_t body_end = line.size();
    if (const void* star_ptr = std::memchr(line.data() + 1, '*', line.size() - 1)) {
        body_end = static_cast<std::size_t>(static_cast<const char*>(star_ptr) - line.data());
        const int hi = body_end + 2 < line.size() ? hex_digit(line[body_end + 1]) : -1;
        const int lo = body_end + 2 < line.size() ? hex_digit(line[body_end + 2]) : -1;
        if (hi < 0 || lo < 0) {
            out.quirks |= kQuirkNoChecksum;
        } else if (nmea_checksum(line.substr(1, body_end - 1)) != (hi << 4 | lo)) {
            return "checksum";
        }
    } else {
        out.quirks |= kQuirkNoChecksum;
    }
    // Fields: at least seven. A comma inside the payload cannot be told from an extra field, so
    // the payload is field 6 as gpsd reads it; fields after the fill bits are ignored (quirk).
    std::string_view f[7];
    std::size_t start = 1;
    int n = 0;
    for (; n < 7 && start <= body_end; ++n) {
        std::size_t comma = line.find(',', start);
        if (comma == std::string_view::npos || comma > body_end) comma = body_end;
        f[n] = line.substr(start, comma - start);
        start = comma + 1;
    }
    if (n < 7) return "bad_sentence";
    if (start <= body_end) out.quirks |= kQuirkExtraFields;
    const std::string_view t = f[0];
    if (t.size() != 5 || t[2] != 'V' || t[3] != 'D' || (t[4] != 'M' && t[4] != 'O'))
        return "bad_sentence";
    out.talker = t;
    out.own_ship = t[4] == 'O';
    const int count = small_field(f[1]);
    const int number = small_field(f[2]);
    if (count < 1 || number < 1 || number > count) return "bad_sentence";
    out.fragment_count = count;
    out.fragment_number = number;
    // The sequential message id only keys reassembly (gpsd ignores it): an unusable one is
    // treated as empty.
    int seq = small_field(f[3]);
    if (seq == -2) {
        out.quirks |= kQuirkSequenceId;
        seq = -1;
    }
    out.sequence_id = seq;
    if (f[4].size() > 1) out.quirks |= kQuirkChannel;  // gpsd reads the first character
    out.channel = f[4].empty() ? '\0' : f[4][0];
    int fill = small_field(f[6]);
    if (fill == -1) {
        out.quirks |= kQuirkNoFillBits;
        fill = 0;
    }
    if (fill < 0 || fill > 5) return "bad_sentence";
    if (f[5].size() > kMaxPayloadCharsPerSentence) return "too_long";
    if (f[5].empty()) return "bad_payload";
    out.payload = f[5];
    out.fill_bits = fill;
    return {};
}

std::string_view parse_line(std::string_view line, AisSentence& out, bool fast_path) {
    out.tag = TagBlock{};  // every other field is set on success
    out.quirks = 0;
    if (line.size() > kMaxLineChars) return "too_long";
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' ' ||
                             line.back() == '\t'))
        line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty()) return "bad_sentence";

    if (line.front() != '\\' && line.front() != '!') {
        // A logger's time stamp or other text before the sentence: gpsd skips it as noise.
        const std::size_t at = line.find_first_of("\\!");
        if (at == std::string_view::npos) return "bad_sentence";
        out.quirks |= kQuirkLeadingText;
        line.remove_prefix(at);
    }
    // Tag blocks (several in a row are merged). One that is never closed is skipped as noise.
    while (!line.empty() && line.front() == '\\') {
        const std::size_t end = line.find('\\', 1);
        if (end == std::string_view::npos) {
            const std::size_t bang = line.find('!');
            if (bang == std::string_view::npos) return "bad_sentence";
            out.quirks |= kQuirkLeadingText;
            line.remove_prefix(bang);
            break;
        }
        parse_tag_block(line.substr(1, end - 1), out);
        line.remove_prefix(end + 1);
    }
    if (line.size() < 2 || line.front() != '!') return "bad_sentence";
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
