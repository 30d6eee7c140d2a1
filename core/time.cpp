#include "core/time.hpp"

#include <cmath>
#include <cstdio>

namespace picket {
namespace {

// Howard Hinnant's civil-from-days / days-from-civil: proleptic Gregorian, no tables, no libc
// time zone state (gmtime is not thread-safe and timegm is not standard).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
    std::int64_t y;
    unsigned m, d;
};

constexpr Civil civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2), m, d};
}

bool read_digits(std::string_view s, std::size_t& pos, int count, int& out) {
    if (pos + static_cast<std::size_t>(count) > s.size()) return false;
    out = 0;
    for (int i = 0; i < count; ++i) {
        const char c = s[pos++];
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
    if (pos >= s.size() || s[pos] != c) return false;
    ++pos;
    return true;
}

}  // namespace

std::string to_iso8601(Timestamp t) {
    constexpr std::int64_t day_ns = 86'400 * kNsPerSecond;
    std::int64_t days = t.ns / day_ns;
    std::int64_t rem = t.ns % day_ns;
    if (rem < 0) {
        rem += day_ns;
        --days;
    }
    const Civil c = civil_from_days(days);
    const std::int64_t ms_of_day = rem / kNsPerMilli;
    // Hand-formatted: this runs for every published message, and snprintf's format parsing
    // was a tenth of the replay's time.
    char buf[32];
    char* p = buf;
    auto put = [&p](std::int64_t v, int width) {
        for (int i = width - 1; i >= 0; --i) {
            p[i] = static_cast<char>('0' + v % 10);
            v /= 10;
        }
        p += width;
    };
    if (c.y < 0 || c.y > 9999) {
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(c.y));
        while (*p) ++p;
    } else {
        put(c.y, 4);
    }
    *p++ = '-';
    put(c.m, 2);
    *p++ = '-';
    put(c.d, 2);
    *p++ = 'T';
    put(ms_of_day / 3'600'000, 2);
    *p++ = ':';
    put(ms_of_day / 60'000 % 60, 2);
    *p++ = ':';
    put(ms_of_day / 1000 % 60, 2);
    *p++ = '.';
    put(ms_of_day % 1000, 3);
    *p++ = 'Z';
    return std::string(buf, p);
}

std::optional<Timestamp> parse_iso8601(std::string_view s) {
    std::size_t p = 0;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    if (!read_digits(s, p, 4, y) || !expect(s, p, '-') || !read_digits(s, p, 2, mo) ||
        !expect(s, p, '-') || !read_digits(s, p, 2, d))
        return std::nullopt;
    if (p >= s.size() || (s[p] != 'T' && s[p] != 't' && s[p] != ' ')) return std::nullopt;
    ++p;
    if (!read_digits(s, p, 2, h) || !expect(s, p, ':') || !read_digits(s, p, 2, mi) ||
        !expect(s, p, ':') || !read_digits(s, p, 2, se))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
    // int64 nanoseconds span 1677-09-21 .. 2262-04-11: outside that, secs * 1e9 would overflow.
    if (y < 1678 || y > 2261) return std::nullopt;
    std::int64_t frac_ns = 0;
    if (p < s.size() && s[p] == '.') {
        ++p;
        std::int64_t scale = 100'000'000;
        const std::size_t start = p;
        while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
            frac_ns += (s[p] - '0') * scale;
            scale /= 10;
            ++p;
        }
        if (p == start) return std::nullopt;
    }
    std::int64_t offset_s = 0;
    if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
        ++p;
    } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
        const int sign = s[p] == '-' ? -1 : 1;
        ++p;
        int oh = 0, om = 0;
        if (!read_digits(s, p, 2, oh) || !expect(s, p, ':') || !read_digits(s, p, 2, om))
            return std::nullopt;
        offset_s = sign * (oh * 3600 + om * 60);
    } else {
        return std::nullopt;
    }
    if (p != s.size()) return std::nullopt;
    const std::int64_t days =
        days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
    const std::int64_t secs = days * 86'400 + h * 3600 + mi * 60 + se - offset_s;
    return Timestamp{secs * kNsPerSecond + frac_ns};
}

Timestamp resolve_time_of_day(double seconds_of_day, Timestamp reference) {
    constexpr std::int64_t day = 86'400 * kNsPerSecond;
    const Timestamp midnight = utc_midnight_before(reference);
    const auto tod_ns = static_cast<std::int64_t>(std::llround(seconds_of_day * 1e9));
    Timestamp best{midnight.ns + tod_ns};
    for (std::int64_t shift : {-day, day}) {
        const Timestamp cand{midnight.ns + tod_ns + shift};
        const auto dist = [&](Timestamp a) { return std::llabs(a.ns - reference.ns); };
        if (dist(cand) < dist(best)) best = cand;
    }
    return best;
}

}  // namespace picket
