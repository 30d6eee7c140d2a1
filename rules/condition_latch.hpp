#pragma once
/// A condition with dwell and hysteresis, the heart of "fire once, do not flap".
///
/// Each cycle the caller says whether the condition holds by the strict test (`enter`: e.g. more
/// than 50 m inside the zone, speed > 25 kn) and by the lenient one (`stay`: e.g. not more than
/// 50 m outside, speed > 23 kn). The latch turns on when the lenient test has held without a break
/// for `dwell` since the strict test first held, and turns off only when the lenient test has
/// failed without a break for `clear_after`. A track wobbling across an edge therefore changes
/// the latch at most once per excursion that is both deep enough and long enough.
/// Times are integer ns; nothing here reads a clock.
#include <cstdint>

#include "core/time.hpp"

namespace picket::rules {

enum class LatchEvent : std::uint8_t { none, turned_on, turned_off };

struct ConditionLatch {
    static constexpr std::int64_t kUnset = INT64_MIN;

    bool on{false};
    std::int64_t pending_since_ns{kUnset};  ///< start of the current dwell (off state)
    std::int64_t failing_since_ns{kUnset};  ///< start of the current clear wait (on state)

    /// Advances the latch to `now`. `stay` should be implied by `enter` (the caller's tests nest).
    LatchEvent step(bool enter, bool stay, Timestamp now, Duration dwell, Duration clear_after) {
        if (!on) {
            if (pending_since_ns == kUnset) {
                if (!enter) return LatchEvent::none;
                pending_since_ns = now.ns;
            } else if (!stay) {
                pending_since_ns = enter ? now.ns : kUnset;
                if (!enter) return LatchEvent::none;
            }
            if (now.ns - pending_since_ns >= dwell.ns) {
                on = true;
                pending_since_ns = kUnset;
                failing_since_ns = kUnset;
                return LatchEvent::turned_on;
            }
            return LatchEvent::none;
        }
        if (stay) {
            failing_since_ns = kUnset;
            return LatchEvent::none;
        }
        if (failing_since_ns == kUnset) failing_since_ns = now.ns;
        if (now.ns - failing_since_ns >= clear_after.ns) {
            on = false;
            failing_since_ns = kUnset;
            pending_since_ns = kUnset;
            return LatchEvent::turned_off;
        }
        return LatchEvent::none;
    }

    /// Forces the state without an event (first sighting: a track seen already inside a zone
    /// has not "entered" it).
    void reset(bool state) {
        on = state;
        pending_since_ns = kUnset;
        failing_since_ns = kUnset;
    }
};

}  // namespace picket::rules
