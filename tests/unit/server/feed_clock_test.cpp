// A feed's clock judged against the server's (src/engine/feed_clock.hpp): rejection beyond the
// skew, clamping of times ahead, the measured offset and its flag, configured and learned
// offsets, steps back.
#include <catch2/catch.hpp>

#include <cstdint>

#include "src/engine/feed_clock.hpp"

using namespace picket;
using picket::server::ClockStatus;
using picket::server::FeedClock;
using picket::server::FeedClockConfig;

namespace {

const Timestamp kT0{1'795'564'800LL * kNsPerSecond};  // 2026-11-25T00:00:00Z

Duration secs(double s) { return Duration::from_seconds(s); }

/// `n` one-measurement messages, one a second, stamped `offset` from their receive time; returns
/// the verdict of the last.
FeedClock::Verdict feed(FeedClock& c, int n, Duration offset, Timestamp& t) {
    FeedClock::Verdict v{};
    for (int k = 0; k < n; ++k) {
        t = t + secs(1);
        v = c.judge(t + offset, t).verdict;
        c.end_message();
    }
    return v;
}

}  // namespace

TEST_CASE("times beyond the skew are rejected, ahead of the receive time clamped", "[clock]") {
    FeedClock c{FeedClockConfig{}};  // skew 30 s, tolerance 2 s
    const Timestamp r = kT0;
    CHECK(c.judge(r - secs(1), r).verdict == FeedClock::Verdict::ok);
    CHECK(c.judge(r - secs(1), r).observed == r - secs(1));
    CHECK(c.judge(r + secs(1.5), r).verdict == FeedClock::Verdict::ok);  // within the tolerance
    const auto fast = c.judge(r + secs(25), r);  // inside the skew, beyond the tolerance
    CHECK(fast.verdict == FeedClock::Verdict::clamped);
    CHECK(fast.observed == r);
    CHECK(c.judge(r + secs(31), r).verdict == FeedClock::Verdict::ahead);
    CHECK(c.judge(r - secs(31), r).verdict == FeedClock::Verdict::behind);
    // A day ahead, the year 2255, the year 1970: no overflow, no surprise.
    CHECK(c.judge(r + secs(86400), r).verdict == FeedClock::Verdict::ahead);
    CHECK(c.judge(*parse_iso8601("2255-01-01T00:00:00Z"), r).verdict == FeedClock::Verdict::ahead);
    CHECK(c.judge(Timestamp{0}, r).verdict == FeedClock::Verdict::behind);
    CHECK(c.judge(Timestamp{INT64_MAX}, r).verdict == FeedClock::Verdict::ahead);
    CHECK(c.judge(Timestamp{INT64_MIN}, r).verdict == FeedClock::Verdict::behind);
}

TEST_CASE("expected latency moves the behind limit back", "[clock]") {
    FeedClockConfig cfg;
    cfg.expected_latency = secs(600);
    FeedClock c{cfg};
    CHECK(c.judge(kT0 - secs(590), kT0).verdict == FeedClock::Verdict::ok);
    CHECK(c.judge(kT0 - secs(640), kT0).verdict == FeedClock::Verdict::behind);
    CHECK(c.judge(kT0 + secs(31), kT0).verdict == FeedClock::Verdict::ahead);
}

TEST_CASE("the measured offset flags a clock ahead, and one message does not move it", "[clock]") {
    FeedClock c{FeedClockConfig{}};
    Timestamp t = kT0;
    feed(c, 20, secs(-0.2), t);
    REQUIRE(c.measured_offset());
    CHECK(c.measured_offset()->seconds() == Approx(-0.2));
    CHECK(c.status() == ClockStatus::ok);
    // One message a day ahead: rejected, and the median does not notice.
    t = t + secs(1);
    CHECK(c.judge(t + secs(86400), t).verdict == FeedClock::Verdict::ahead);
    c.end_message();
    feed(c, 3, secs(-0.2), t);
    CHECK(c.measured_offset()->seconds() == Approx(-0.2));
    CHECK(c.status() == ClockStatus::ok);
    // A clock 26 minutes fast: every record rejected, and the feed flagged.
    CHECK(feed(c, 31, secs(1560), t) == FeedClock::Verdict::ahead);
    CHECK(c.status() == ClockStatus::ahead);
    CHECK(c.measured_offset()->seconds() == Approx(1560));
    // Back in time: cleared.
    feed(c, 31, secs(-0.1), t);
    CHECK(c.status() == ClockStatus::ok);
}

TEST_CASE("a feed whose data arrives too old to fuse is flagged behind", "[clock]") {
    FeedClockConfig cfg;
    cfg.late_after = secs(5);
    FeedClock c{cfg};
    Timestamp t = kT0;
    feed(c, 10, secs(-3), t);
    CHECK(c.status() == ClockStatus::ok);
    feed(c, 31, secs(-12), t);
    CHECK(c.status() == ClockStatus::behind);
    // Late by nature (satellite AIS): the same data is not a fault.
    cfg.expected_latency = secs(600);
    FeedClock sat{cfg};
    Timestamp ts = kT0;
    feed(sat, 31, secs(-300), ts);
    CHECK(sat.status() == ClockStatus::ok);
}

TEST_CASE("a configured offset is taken off every time", "[clock]") {
    FeedClockConfig cfg;
    cfg.offset_mode = FeedClockConfig::Offset::fixed;
    cfg.offset = secs(1560);
    FeedClock c{cfg};
    CHECK(c.status() == ClockStatus::corrected);
    CHECK(c.offset_source() == "configured");
    Timestamp t = kT0;
    CHECK(feed(c, 10, secs(1560 - 0.3), t) == FeedClock::Verdict::ok);
    const auto j = c.judge(t + secs(1560 - 0.3), t);
    CHECK(j.observed == t - secs(0.3));
    CHECK(c.status() == ClockStatus::corrected);
    // The clock was fixed but the config was not: now it is 26 minutes behind.
    feed(c, 31, secs(0), t);
    CHECK(c.status() == ClockStatus::behind);
}

TEST_CASE("a learned offset corrects after a few messages and lets go when it is not needed",
          "[clock]") {
    FeedClockConfig cfg;
    cfg.offset_mode = FeedClockConfig::Offset::learn;
    FeedClock c{cfg};
    CHECK(c.offset_source() == "learned");
    Timestamp t = kT0;
    // The first messages, before any estimate: rejected.
    CHECK(feed(c, FeedClock::kMinSamples - 1, secs(1560), t) == FeedClock::Verdict::ahead);
    CHECK(c.applied_offset() == Duration{});
    feed(c, 1, secs(1560), t);
    CHECK(c.applied_offset() == secs(1560));
    CHECK(c.status() == ClockStatus::corrected);
    CHECK(feed(c, 1, secs(1560), t) == FeedClock::Verdict::ok);
    // A slow clock is learned too.
    feed(c, 31, secs(-40), t);
    CHECK(c.applied_offset() == secs(-40));
    CHECK(feed(c, 1, secs(-40), t) == FeedClock::Verdict::ok);
    // A healthy clock needs no correction: the feed's own small latency is left alone.
    feed(c, 31, secs(-0.4), t);
    CHECK(c.applied_offset() == Duration{});
    CHECK(c.status() == ClockStatus::ok);
}

TEST_CASE("a step back of the feed's own times is reported once", "[clock]") {
    FeedClock c{FeedClockConfig{}};
    CHECK_FALSE(c.judge(kT0 + secs(10), kT0 + secs(11)).stepped_back);
    CHECK(c.judge(kT0 - secs(10), kT0 + secs(12)).stepped_back);
    CHECK_FALSE(c.judge(kT0 - secs(9), kT0 + secs(13)).stepped_back);
    FeedClockConfig ais;
    ais.check_backwards = false;  // each vessel's own time: they interleave
    FeedClock a{ais};
    a.judge(kT0 + secs(10), kT0 + secs(11));
    CHECK_FALSE(a.judge(kT0 - secs(10), kT0 + secs(12)).stepped_back);
}

TEST_CASE("an anomaly's time is bounded by the receive time", "[clock]") {
    FeedClock c{FeedClockConfig{}};
    CHECK(c.bound(kT0 - secs(1), kT0) == kT0 - secs(1));
    CHECK(c.bound(*parse_iso8601("2255-01-01T00:00:00Z"), kT0) == kT0);
    CHECK(c.bound(kT0 + secs(20), kT0) == kT0);
    CHECK(c.bound(Timestamp{0}, kT0) == kT0);
}
