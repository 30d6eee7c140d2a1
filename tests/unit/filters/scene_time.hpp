// What the tracker tests' scenes share: their clock, scene seconds from one fixed instant
// (2026-01-01T00:00:00Z), so a failing test names the same times on every run, and degrees.
#pragma once

#include <numbers>

#include "core/time.hpp"

namespace picket::tracker_tests {

inline constexpr double kDeg = std::numbers::pi / 180;

/// The scene's time `s` seconds after its start.
inline Timestamp at(double s) {
    return Timestamp{1'767'225'600LL * kNsPerSecond} + Duration::from_seconds(s);
}

}  // namespace picket::tracker_tests
