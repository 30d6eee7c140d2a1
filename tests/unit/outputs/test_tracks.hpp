#pragma once
/// Sample tracks and alerts for the outputs tests: realistic values off Timor (Ombai Strait).
#include "core/alert.hpp"
#include "core/track.hpp"

namespace picket::outputs::testing {

/// 2026-11-25T00:01:02Z.
Timestamp sample_time();
/// A confirmed radar+AIS vessel "OCEAN STAR", MMSI 538001234, 5 m/s heading north-east.
Track sample_vessel(TrackId id = 12);
/// A confirmed dark (radar-only) fast boat heading due east at 10 m/s.
Track sample_dark_boat(TrackId id = 13);
/// An open border-crossing alert about sample_dark_boat().
Alert sample_alert(AlertId id = 7);

}  // namespace picket::outputs::testing
