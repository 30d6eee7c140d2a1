// NMEA 0183 framing and field parsing (IEC 61162-1 ed. 5 §7.3, §7.2.3 field formats).
#include "sensors/nmea/nmea_sentence.hpp"

#include <cmath>

namespace picket::sensors::nmea {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

}  // namespace

unsigned nmea_checksum(std::string_view body) {
    unsigned sum = 0;
    for (const char c : body) sum ^= static_cast<unsigned char>(c);
    return sum;
}

Expected<Sentence, DecodeError> parse_sentence(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    if (line.size() + 2 > kMaxSentenceLength) return reject("oversized");
    if (line.size() < 10 || line[0] != '$') return reject("bad_frame");
    const std::size_t star = line.rfind('*');
    if (star == std::string_view::npos || star + 3 != line.size())
        return reject("checksum", "missing");
    const int hi = hex_value(line[star + 1]), lo = hex_value(line[star + 2]);
    if (hi < 0 || lo < 0) return reject("checksum", "not hex");
    const std::string_view body = line.substr(1, star - 1);
    if (nmea_checksum(body) != static_cast<unsigned>(hi * 16 + lo)) return reject("checksum");
    for (const char c : body)
        if (c < 0x20 || c > 0x7E || c == '$' || c == '*') return reject("bad_frame", "character");
    const std::size_t comma = body.find(',');
    const std::string_view address = body.substr(0, comma);
    if (address.size() != 5) return reject("bad_frame", "address");
    Sentence s;
    s.talker = address.substr(0, 2);
    s.formatter = address.substr(2);
    if (comma == std::string_view::npos) return s;
    std::string_view rest = body.substr(comma + 1);
    while (true) {
        if (s.field_count == kMaxFields) return reject("too_many_fields");
        const std::size_t next = rest.find(',');
        s.fields[s.field_count++] = rest.substr(0, next);
        if (next == std::string_view::npos) break;
        rest.remove_prefix(next + 1);
    }
    return s;
}

std::optional<double> parse_number(std::string_view field, bool& ok) {
    if (field.empty()) return std::nullopt;
    double v = 0;
    const char* first = field.data();
    if (*first == '+') ++first;  // from_chars does not accept a leading '+'
    const auto [ptr, ec] = std::from_chars(first, field.data() + field.size(), v);
    if (ec != std::errc{} || ptr != field.data() + field.size() || !std::isfinite(v)) {
        ok = false;
        return std::nullopt;
    }
    return v;
}

std::optional<double> parse_time_of_day(std::string_view field, bool& ok) {
    if (field.empty()) return std::nullopt;
    if (field.size() < 6) {
        ok = false;
        return std::nullopt;
    }
    int hms[3];
    for (int i = 0; i < 3; ++i) {
        const char a = field[static_cast<std::size_t>(2 * i)],
                   b = field[static_cast<std::size_t>(2 * i + 1)];
        if (a < '0' || a > '9' || b < '0' || b > '9') {
            ok = false;
            return std::nullopt;
        }
        hms[i] = (a - '0') * 10 + (b - '0');
    }
    double frac = 0;
    if (field.size() > 6) {
        if (field[6] != '.') {
            ok = false;
            return std::nullopt;
        }
        bool frac_ok = true;
        const auto f = parse_number(field.substr(6), frac_ok);  // ".ss"
        if (!frac_ok || !f || *f < 0 || *f >= 1) {
            ok = false;
            return std::nullopt;
        }
        frac = *f;
    }
    if (hms[0] > 23 || hms[1] > 59 || hms[2] > 60) {  // 60: a leap second
        ok = false;
        return std::nullopt;
    }
    return hms[0] * 3600.0 + hms[1] * 60.0 + hms[2] + frac;
}

std::optional<double> parse_coordinate(std::string_view value, std::string_view hemisphere,
                                       bool latitude, bool& ok) {
    if (value.empty() && hemisphere.empty()) return std::nullopt;
    const auto v = parse_number(value, ok);
    if (!ok || !v || *v < 0) {
        ok = false;
        return std::nullopt;
    }
    // ddmm.mm / dddmm.mm: degrees are the digits before the last two of the integer part.
    const double degrees = std::floor(*v / 100.0);
    const double minutes = *v - degrees * 100.0;
    if (minutes >= 60.0) {
        ok = false;
        return std::nullopt;
    }
    double deg = degrees + minutes / 60.0;
    const char h = hemisphere.size() == 1 ? hemisphere[0] : '?';
    const bool positive = latitude ? h == 'N' : h == 'E';
    const bool negative = latitude ? h == 'S' : h == 'W';
    if ((!positive && !negative) || deg > (latitude ? 90.0 : 180.0)) {
        ok = false;
        return std::nullopt;
    }
    return negative ? -deg : deg;
}

}  // namespace picket::sensors::nmea
