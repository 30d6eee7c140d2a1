#pragma once
/// Time in picket: integer nanoseconds, UTC. Never double seconds on the wire or in state,
/// so that replaying a recording gives bit-identical arithmetic. Libraries never read a clock:
/// the current time is always passed in (see src/ for the only clock reads).
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace picket {

inline constexpr std::int64_t kNsPerSecond = 1'000'000'000;
inline constexpr std::int64_t kNsPerMilli = 1'000'000;

/// A span of time in integer nanoseconds.
struct Duration {
    std::int64_t ns{0};

    constexpr auto operator<=>(const Duration&) const = default;
    [[nodiscard]] constexpr double seconds() const { return static_cast<double>(ns) * 1e-9; }
    [[nodiscard]] static constexpr Duration from_seconds(double s) {
        // Round to the nearest nanosecond rather than truncate, so 0.1 s is exactly 100'000'000.
        return Duration{static_cast<std::int64_t>(s * 1e9 + (s >= 0 ? 0.5 : -0.5))};
    }
    [[nodiscard]] static constexpr Duration from_millis(std::int64_t ms) {
        return {ms * kNsPerMilli};
    }
    constexpr Duration operator+(Duration o) const { return {ns + o.ns}; }
    constexpr Duration operator-(Duration o) const { return {ns - o.ns}; }
    constexpr Duration operator-() const { return {-ns}; }
};

/// A UTC instant: nanoseconds since 1970-01-01T00:00:00Z (leap seconds not counted, as in POSIX).
struct Timestamp {
    std::int64_t ns{0};

    constexpr auto operator<=>(const Timestamp&) const = default;
    [[nodiscard]] constexpr double unix_seconds() const { return static_cast<double>(ns) * 1e-9; }
    [[nodiscard]] static constexpr Timestamp from_unix_seconds(double s) {
        return Timestamp{Duration::from_seconds(s).ns};
    }
    constexpr Timestamp operator+(Duration d) const { return {ns + d.ns}; }
    constexpr Timestamp operator-(Duration d) const { return {ns - d.ns}; }
    constexpr Duration operator-(Timestamp o) const { return {ns - o.ns}; }
    Timestamp& operator+=(Duration d) {
        ns += d.ns;
        return *this;
    }
};

/// Formats as RFC 3339 UTC with millisecond precision: "2026-11-25T13:18:52.123Z".
std::string to_iso8601(Timestamp t);

/// Parses RFC 3339 / ISO 8601 UTC ("...Z" or "+00:00"; fraction optional; a numeric offset is
/// applied). Returns nullopt for anything else.
std::optional<Timestamp> parse_iso8601(std::string_view text);

/// Start of the UTC day containing t (for protocols that send time of day, e.g. ASTERIX I048/140).
constexpr Timestamp utc_midnight_before(Timestamp t) {
    constexpr std::int64_t day = 86'400 * kNsPerSecond;
    std::int64_t q = t.ns / day;
    if (t.ns % day < 0) --q;
    return Timestamp{q * day};
}

/// Resolves a time of day (seconds since midnight UTC, as sent by ASTERIX and AIS) against a
/// reference instant, choosing the day that puts the result nearest the reference. This handles
/// the midnight wrap: a plot stamped 23:59:59.9 received at 00:00:00.2 belongs to yesterday.
Timestamp resolve_time_of_day(double seconds_of_day, Timestamp reference);

}  // namespace picket
