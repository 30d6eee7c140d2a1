#include <catch2/catch.hpp>

#include "rules/condition_latch.hpp"

using namespace picket;
using picket::rules::ConditionLatch;
using picket::rules::LatchEvent;

namespace {
Timestamp sec(std::int64_t s) { return Timestamp{s * kNsPerSecond}; }
}  // namespace

TEST_CASE("latch: turns on only after the dwell, once", "[rules][latch]") {
    ConditionLatch l;
    const Duration dwell = Duration::from_seconds(10);
    const Duration clear = Duration::from_seconds(5);
    CHECK(l.step(false, false, sec(0), dwell, clear) == LatchEvent::none);
    CHECK(l.step(true, true, sec(1), dwell, clear) == LatchEvent::none);
    for (int s = 2; s <= 10; ++s)
        CHECK(l.step(true, true, sec(s), dwell, clear) == LatchEvent::none);
    CHECK(l.step(true, true, sec(11), dwell, clear) == LatchEvent::turned_on);
    CHECK(l.on);
    for (int s = 12; s < 100; ++s)
        CHECK(l.step(true, true, sec(s), dwell, clear) == LatchEvent::none);
}

TEST_CASE("latch: a break in the lenient test restarts the dwell", "[rules][latch]") {
    ConditionLatch l;
    const Duration dwell = Duration::from_seconds(10);
    l.step(true, true, sec(0), dwell, {});
    l.step(false, true, sec(5), dwell, {});  // lenient still holds: dwell continues
    CHECK(l.step(false, true, sec(10), dwell, {}) == LatchEvent::turned_on);
    ConditionLatch m;
    m.step(true, true, sec(0), dwell, {});
    m.step(false, false, sec(5), dwell, {});  // broken
    CHECK(m.step(true, true, sec(6), dwell, {}) == LatchEvent::none);
    CHECK(m.step(true, true, sec(15), dwell, {}) == LatchEvent::none);
    CHECK(m.step(true, true, sec(16), dwell, {}) == LatchEvent::turned_on);
}

TEST_CASE("latch: flapping at the edge does not toggle", "[rules][latch]") {
    // A track wobbling across a boundary: strict test alternates, lenient holds throughout.
    ConditionLatch l;
    const Duration clear = Duration::from_seconds(30);
    int ons = 0;
    int offs = 0;
    for (int s = 0; s < 600; ++s) {
        const bool strict = (s % 2) == 0;
        const auto ev = l.step(strict, true, sec(s), {}, clear);
        ons += ev == LatchEvent::turned_on;
        offs += ev == LatchEvent::turned_off;
    }
    CHECK(ons == 1);
    CHECK(offs == 0);
    // Brief excursions out of the lenient band shorter than clear_after: still no toggle.
    for (int s = 600; s < 1200; ++s) {
        const bool stay = (s % 20) != 0;
        const auto ev = l.step(stay, stay, sec(s), {}, clear);
        ons += ev == LatchEvent::turned_on;
        offs += ev == LatchEvent::turned_off;
    }
    CHECK(ons == 1);
    CHECK(offs == 0);
}

TEST_CASE("latch: clears after the condition has failed for clear_after", "[rules][latch]") {
    ConditionLatch l;
    const Duration clear = Duration::from_seconds(30);
    REQUIRE(l.step(true, true, sec(0), {}, clear) == LatchEvent::turned_on);
    CHECK(l.step(false, false, sec(1), {}, clear) == LatchEvent::none);
    CHECK(l.step(false, false, sec(30), {}, clear) == LatchEvent::none);
    CHECK(l.step(false, false, sec(31), {}, clear) == LatchEvent::turned_off);
    CHECK_FALSE(l.on);
    CHECK(l.step(true, true, sec(32), {}, clear) == LatchEvent::turned_on);
}
