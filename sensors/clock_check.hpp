#pragma once
/// Sanity checks on a feed's timestamps, shared by the radar, camera and UGS decoders.
/// "Clock off": |observed - received| beyond the feed's max_clock_skew (far future or far past;
/// the record is rejected, because the tracker would place it wrongly in time). "Backwards":
/// the feed's observed times step back by more than a tolerance (counted, still fused: the
/// reorder buffer copes with small disorder, and one bad stamp must not blind the feed).
#include <cstdlib>

#include "core/time.hpp"

namespace picket::sensors {

class ClockCheck {
public:
    enum class Verdict { ok, clock_off, backwards };

    explicit ClockCheck(Duration max_skew, Duration backwards_tolerance = Duration::from_seconds(5))
        : max_skew_(max_skew), backwards_tolerance_(backwards_tolerance) {}

    /// Checks one observed time against its receive time and the feed's previous observations.
    Verdict check(Timestamp observed, Timestamp received) {
        const std::int64_t skew = observed.ns - received.ns;
        if (max_skew_.ns > 0 && (skew > max_skew_.ns || skew < -max_skew_.ns))
            return Verdict::clock_off;
        if (has_last_ && observed.ns < last_.ns - backwards_tolerance_.ns) {
            last_ = observed;  // re-anchor: report a step back once, not every record after it
            return Verdict::backwards;
        }
        if (!has_last_ || observed > last_) last_ = observed;
        has_last_ = true;
        return Verdict::ok;
    }

private:
    Duration max_skew_;
    Duration backwards_tolerance_;
    Timestamp last_{};
    bool has_last_{false};
};

}  // namespace picket::sensors
