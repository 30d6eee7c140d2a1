#include <catch2/catch.hpp>

#include "core/time.hpp"

using namespace picket;

TEST_CASE("ISO 8601 round trip at millisecond precision", "[core][time]") {
    const auto t = parse_iso8601("2026-11-25T13:18:52.123Z");
    REQUIRE(t.has_value());
    CHECK(to_iso8601(*t) == "2026-11-25T13:18:52.123Z");
    CHECK(t->ns % kNsPerSecond == 123'000'000);
}

TEST_CASE("ISO 8601 parses offsets and rejects junk", "[core][time]") {
    CHECK(parse_iso8601("1970-01-01T00:00:00Z")->ns == 0);
    CHECK(parse_iso8601("1970-01-01T01:00:00+01:00")->ns == 0);
    CHECK(parse_iso8601("2000-02-29T00:00:00Z")->ns == 951'782'400LL * kNsPerSecond);
    CHECK_FALSE(parse_iso8601("2026-13-01T00:00:00Z"));
    CHECK_FALSE(parse_iso8601("2026-11-25 13:18"));
    CHECK_FALSE(parse_iso8601("2026-11-25T13:18:52.Z"));
    CHECK_FALSE(parse_iso8601("2026-11-25T13:18:52Zjunk"));
}

TEST_CASE("Times before the epoch format correctly", "[core][time]") {
    CHECK(to_iso8601(Timestamp{-1}) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("Time of day resolves across midnight to the nearest day", "[core][time]") {
    const Timestamp just_after_midnight = *parse_iso8601("2026-11-25T00:00:00.200Z");
    const Timestamp t = resolve_time_of_day(86'399.9, just_after_midnight);
    CHECK(to_iso8601(t) == "2026-11-24T23:59:59.900Z");
    const Timestamp noon = *parse_iso8601("2026-11-25T12:00:00Z");
    CHECK(to_iso8601(resolve_time_of_day(43'201.5, noon)) == "2026-11-25T12:00:01.500Z");
    const Timestamp late = *parse_iso8601("2026-11-25T23:59:59.800Z");
    CHECK(to_iso8601(resolve_time_of_day(0.3, late)) == "2026-11-26T00:00:00.300Z");
}

TEST_CASE("Durations round to the nearest nanosecond", "[core][time]") {
    CHECK(Duration::from_seconds(0.1).ns == 100'000'000);
    CHECK(Duration::from_seconds(-0.1).ns == -100'000'000);
    CHECK((Timestamp{5} - Timestamp{2}).ns == 3);
}
