#pragma once
/// Raise once per occurrence: the state every per-track rule keeps on top of its ConditionLatch
/// (rules/condition_latch.hpp), shared by all evaluators (rules/evaluators.hpp).
///
/// Two shapes of rule use it:
///  - a level condition (a dark target in a zone, a speed above a limit): raise while the latch
///    is on and nothing was raised for this occurrence yet; re-arm when the latch turns off;
///  - an event (a border crossing, a transit through a zone corner): raise at the event; re-arm
///    once the track has been away (back on the far side, out of the band) for `clear_after`.
/// Times are integer ns; nothing here reads a clock.
#include <cstdint>

#include "core/time.hpp"
#include "rules/condition_latch.hpp"

namespace picket::rules {

struct RaiseLatch {
    bool raised{false};  ///< raised for the current occurrence
    std::int64_t away_since_ns{ConditionLatch::kUnset};

    struct LevelStep {
        bool raise{false};    ///< latched and not raised yet: raise now
        bool cleared{false};  ///< the latch turned off after a raise: the occurrence is over
    };
    /// A level condition: steps `latch` with the strict (`enter`) and lenient (`stay`) tests.
    LevelStep level(ConditionLatch& latch, bool enter, bool stay, Timestamp now, Duration dwell,
                    Duration clear_after) {
        LevelStep out;
        const LatchEvent ev = latch.step(enter, stay, now, dwell, clear_after);
        if (ev == LatchEvent::turned_off && raised) {
            raised = false;
            out.cleared = true;
        }
        out.raise = latch.on && !raised;
        return out;
    }
    /// An event's raise: re-arming waits for a fresh `away` stretch from now on.
    void raised_event() {
        raised = true;
        away_since_ns = ConditionLatch::kUnset;
    }
    /// An event rule after its raise: true (and re-armed) once `away` has held without a break
    /// for `clear_after`. The caller then clears the occurrence.
    bool rearm_when_away(bool away, Timestamp now, Duration clear_after) {
        if (!raised) return false;
        if (!away) {
            away_since_ns = ConditionLatch::kUnset;
            return false;
        }
        if (away_since_ns == ConditionLatch::kUnset) away_since_ns = now.ns;
        if (now.ns - away_since_ns < clear_after.ns) return false;
        raised = false;
        away_since_ns = ConditionLatch::kUnset;
        return true;
    }
};

}  // namespace picket::rules
