#include "sensors/ais/ais_sentence.hpp"

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
            if (v <= 9'000'000'000LL) tag.time = Timestamp{v * kNsPerSecond};
            else if (v <= 9'000'000'000'000LL) tag.time = Timestamp{v * kNsPerMilli};
            else return false;
        }
    }
    return true;
}

}  // namespace

std::uint8_t nmea_checksum(std::string_view body) {
    std::uint8_t x = 0;
    for (const char c : body) x = static_cast<std::uint8_t>(x ^ static_cast<std::uint8_t>(c));
    return x;
}

Expected<AisSentence, DecodeError> parse_sentence(std::string_view line) {
    if (line.size() > kMaxLineChars) return reject("too_long");
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' ' ||
                             line.back() == '\t'))
        line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty()) return reject("bad_sentence");

    AisSentence out;
    if (line.front() == '\\') {
        const std::size_t end = line.find('\\', 1);
        if (end == std::string_view::npos) return reject("truncated");
        if (!parse_tag_block(line.substr(1, end - 1), out.tag)) return reject("bad_tag_block");
        line = line.substr(end + 1);
    }
    if (line.empty() || line.front() != '!') return reject("bad_sentence");

    // The checksum covers everything between '!' and '*'. Find the '*' with memchr, XOR the
    // body eight bytes at a time (folded at the end), then locate the six commas that separate
    // the seven VDM fields (talker+type, count, number, seq id, channel, payload, fill).
    const void* star_ptr = std::memchr(line.data() + 1, '*', line.size() - 1);
    if (star_ptr == nullptr) return reject("truncated");
    const std::size_t star = static_cast<std::size_t>(static_cast<const char*>(star_ptr) - line.data());
    if (star + 3 > line.size()) return reject("truncated");
    const int hi = hex_digit(line[star + 1]);
    const int lo = hex_digit(line[star + 2]);
    if (hi < 0 || lo < 0) return reject("bad_sentence");
    const char* p = line.data() + 1;
    const char* const end = line.data() + star;
    std::uint64_t wide = 0;
    for (; p + 8 <= end; p += 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        wide ^= w;
    }
    wide ^= wide >> 32;
    wide ^= wide >> 16;
    wide ^= wide >> 8;
    auto sum = static_cast<std::uint8_t>(wide);
    for (; p < end; ++p) sum = static_cast<std::uint8_t>(sum ^ static_cast<std::uint8_t>(*p));
    if (sum != (hi << 4 | lo)) return reject("checksum");
    // Commas: the five before the payload are within the first few characters; the last one
    // precedes the one-digit fill field, so scan forward for five and backward for one instead
    // of walking the whole payload.
    std::size_t comma[6];
    std::size_t i = 1;
    for (int k = 0; k < 5; ++k) {
        while (i < star && line[i] != ',') ++i;
        if (i >= star) return reject("bad_sentence");
        comma[k] = i++;
    }
    std::size_t j = star;
    while (j > i && line[j - 1] != ',') --j;
    if (j <= i) return reject("bad_sentence");
    comma[5] = j - 1;
    // A comma inside the payload (an eighth field) is not checked here: ',' is outside the
    // armouring set, so de-armouring rejects such a payload as "bad_payload".
    std::string_view f[7];
    f[0] = line.substr(1, comma[0] - 1);
    for (int k = 1; k < 6; ++k) f[k] = line.substr(comma[k - 1] + 1, comma[k] - comma[k - 1] - 1);
    f[6] = line.substr(comma[5] + 1, star - comma[5] - 1);
    const std::string_view t = f[0];
    if (t.size() != 5 || t[2] != 'V' || t[3] != 'D' || (t[4] != 'M' && t[4] != 'O'))
        return reject("bad_sentence");
    out.talker = t;
    out.own_ship = t[4] == 'O';
    const int count = small_field(f[1]);
    const int number = small_field(f[2]);
    const int seq = small_field(f[3]);
    const int fill = small_field(f[6]);
    if (count < 1 || number < 1 || number > count || seq == -2 || fill < 0 || fill > 5)
        return reject("bad_sentence");
    out.fragment_count = count;
    out.fragment_number = number;
    out.sequence_id = seq;
    if (f[4].size() > 1) return reject("bad_sentence");
    out.channel = f[4].empty() ? '\0' : f[4][0];
    if (f[5].size() > kMaxPayloadCharsPerSentence) return reject("too_long");
    if (f[5].empty()) return reject("bad_payload");
    out.payload = f[5];
    out.fill_bits = fill;
    return out;
}

}  // namespace picket::sensors::ais
