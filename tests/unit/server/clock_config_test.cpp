// The clock keys of the server config: every value out of range refused with file:line, none
// silently meaning "off" (issue 12).
#include <catch2/catch.hpp>

#include "config/yaml_reader.hpp"
#include "src/server_config.hpp"

using namespace picket;

namespace {

server::ServerConfig parse_feed(const std::string& keys) {
    return server::parse_server_config(
        "region: {name: t, origin: {lat: -9, lon: 125}}\nfeeds:\n  - id: f1\n"
        "    kind: radar\n    format: asterix\n    endpoint: tcp://127.0.0.1:1\n"
        "    site: {lat: -8.5, lon: 125.5}\n" +
            keys,
        "s.yaml", "/tmp");
}

server::ServerConfig parse_clock(const std::string& clock) {
    return server::parse_server_config(
        "region: {name: t, origin: {lat: -9, lon: 125}}\nfeeds: []\nclock: " + clock + "\n",
        "s.yaml", "/tmp");
}

}  // namespace

TEST_CASE("Feed clock keys load with their defaults", "[config][clock]") {
    const auto d = parse_feed("");
    CHECK(d.feeds[0].clock.max_skew == Duration::from_seconds(30));
    CHECK(d.feeds[0].clock.tolerance == Duration::from_seconds(2));
    CHECK(d.feeds[0].clock.expected_latency == Duration{});
    CHECK(d.feeds[0].clock.offset_mode == server::FeedClockConfig::Offset::none);
    const auto c = parse_feed(
        "    max_clock_skew: 2min\n    clock_tolerance: 500ms\n    expected_latency: 15min\n"
        "    clock_offset: -26min\n");
    CHECK(c.feeds[0].clock.max_skew == Duration::from_seconds(120));
    CHECK(c.feeds[0].clock.tolerance == Duration::from_millis(500));
    CHECK(c.feeds[0].clock.expected_latency == Duration::from_seconds(900));
    CHECK(c.feeds[0].clock.offset_mode == server::FeedClockConfig::Offset::fixed);
    CHECK(c.feeds[0].clock.offset == Duration::from_seconds(-1560));
    CHECK(parse_feed("    clock_offset: learn\n").feeds[0].clock.offset_mode ==
          server::FeedClockConfig::Offset::learn);
}

TEST_CASE("Feed clock values out of range are refused with file:line", "[config][clock]") {
    // 0 used to switch the check off without saying so; negative values were accepted; 1e12 s
    // does not even fit in the server's integer nanoseconds.
    for (const char* v : {"0", "0s", "-5s", "1e12s", "25h"}) {
        INFO(v);
        CHECK_THROWS_WITH(
            parse_feed(std::string("    max_clock_skew: ") + v + "\n"),
            Catch::StartsWith("s.yaml:8:21: feeds[0].max_clock_skew: max_clock_skew must be "
                              "within (0 s, 86400 s]"));
    }
    CHECK_THROWS_WITH(parse_feed("    max_clock_skew: off\n"),
                      Catch::Contains("expected a duration"));
    CHECK_THROWS_WITH(parse_feed("    clock_tolerance: 0\n"),
                      Catch::StartsWith("s.yaml:8:22: feeds[0].clock_tolerance"));
    CHECK_THROWS_WITH(parse_feed("    max_clock_skew: 5s\n    clock_tolerance: 10s\n"),
                      Catch::Contains("clock_tolerance must not exceed max_clock_skew"));
    CHECK_THROWS_WITH(parse_feed("    expected_latency: -1min\n"),
                      Catch::StartsWith("s.yaml:8:23: feeds[0].expected_latency"));
    CHECK_THROWS_WITH(parse_feed("    clock_offset: 400000h\n"),
                      Catch::Contains("clock_offset must be within"));
    CHECK_THROWS_WITH(parse_feed("    clock_offset: lean\n"),
                      Catch::Contains("expected a duration"));
}

TEST_CASE("The clock speed is refused outside (0, 10000]", "[config][clock]") {
    CHECK(parse_clock("{speed: 20}").clock.speed == 20);
    for (const char* v : {"0", "-1", "1e9"}) {
        INFO(v);
        CHECK_THROWS_WITH(parse_clock(std::string("{speed: ") + v + "}"),
                          Catch::Contains("clock.speed: speed must be within (0, 10000]"));
    }
    CHECK_THROWS_WITH(parse_clock("{speed: .nan}"), Catch::Contains("expected a number"));
    CHECK_THROWS_WITH(parse_clock("{start: yesterday}"),
                      Catch::Contains("expected 'now' or an ISO 8601 UTC time"));
}
