// Log lines that outside input cannot blow up: bounded text and rate-limited refusal lines.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/log_limit.hpp"

using namespace picket;

namespace {

/// Captures what reaches the log while alive.
struct CapturedLog {
    CapturedLog() {
        log::set_sink([this](log::Level, std::string_view m) { lines.emplace_back(m); });
    }
    ~CapturedLog() { log::set_sink(nullptr); }
    std::vector<std::string> lines;
};

}  // namespace

TEST_CASE("bounded: a 100 kB label becomes one short, single log line") {
    std::string label(100'000, 'a');
    label[10] = '\n';
    const auto line = log::bounded(label, 200);
    CHECK(line.size() < 240);
    CHECK(line.find('\n') == std::string::npos);
    CHECK(line.find("\\x0a") == 10);
    CHECK(line.find("...(+99800 bytes)") != std::string::npos);
    CHECK(log::bounded("plain", 200) == "plain");
    CHECK(log::bounded("a\\b", 200) == "a\\x5cb");  // a backslash cannot fake an escape
}

TEST_CASE("RateLimited: a burst per period, then a count of what was left out") {
    CapturedLog captured;
    log::RateLimited limited(log::Level::warn, 2, std::chrono::seconds(10));
    const auto t0 = log::RateLimited::Clock::time_point{} + std::chrono::hours(1);
    CHECK(limited.write("one", t0));
    CHECK(limited.write("two", t0));
    for (int i = 0; i < 1000; ++i)
        CHECK_FALSE(limited.write("flood", t0 + std::chrono::seconds(1)));
    CHECK(limited.suppressed() == 1000);
    CHECK(limited.write("later", t0 + std::chrono::seconds(11)));
    REQUIRE(captured.lines.size() == 3);
    CHECK(captured.lines[2] == "later (1000 similar lines left out)");
    CHECK(limited.suppressed() == 0);
}
