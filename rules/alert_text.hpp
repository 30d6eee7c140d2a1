#pragma once
/// One-line operator messages for alerts ("MMSI 525012345 'KM BAHARI' crossed IDN -> TLS at
/// 12.0 kn, course 045"). Pure formatting: no state, no locale (always '.' decimals).
#include <string>

#include "core/track.hpp"

namespace picket::rules {

/// "MMSI 525012345 'KM BAHARI'", "MMSI 525012345", or "dark track 42".
std::string describe_target(const Track& t);
/// "12.0 kn, course 045".
std::string describe_motion(const Track& t);
/// "850 m" below 10 km, "12.3 km" above.
std::string describe_distance(double metres);
/// "45 s", "12 min", "2.0 h".
std::string describe_duration(double seconds);

}  // namespace picket::rules
