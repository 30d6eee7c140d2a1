#pragma once
/// Helpers shared by the tracker's source files (not part of the public API).
#include <cstdint>
#include <numbers>
#include <utility>
#include <vector>

#include "core/ids.hpp"
#include "core/measurement.hpp"
#include "filters/pre_gate.hpp"

namespace picket::filters::detail {

inline constexpr double kTwoPi = 2 * std::numbers::pi;

// Plots of one look: a camera frame shares one time; a radar sweep passes two objects 500 m apart
// at 20 km within ~0.02 s. A track's own plots from successive looks are a frame or a rotation
// apart (>= ~1 s).
inline constexpr double kSameLookS = 0.25;
/// The longest a vessel's transponder normally stays quiet between position reports: 3 min
/// (ITU-R M.1371-5: Class A at anchor, Class B below 2 kn) plus the 10 % a SOTDMA slot may move
/// (as rules' kAisQuietestReport).
inline constexpr double kQuietestAisReportS = 198;

// Clutter densities in spaces the feeds cannot teach: a bearing (per radian per look) and the
// velocity part of an AIS report (uniform over +-30 m/s in each axis). An AIS report names its
// vessel, and a camera bearing comes with a detector's classification: both are strong evidence,
// so a low density (a high likelihood ratio) is right for them.
inline constexpr double kBearingClutterPerRad = 0.1;
inline constexpr double kVelocityClutterPerMps2 = 1.0 / (60.0 * 60.0);

inline std::int64_t cell_key(double e, double n, double cell) { return gate_cell_key(e, n, cell); }

inline std::size_t first_at_or_after(
    const std::vector<std::pair<std::int64_t, std::uint32_t>>& cells, std::int64_t key) {
    return first_cell_at_or_after(cells, key);
}

/// The classes that move on land: a `watches: sea` radar (land returns masked) sees none of them.
inline bool land_class(TargetClass c) {
    return c == TargetClass::person || c == TargetClass::vehicle;
}

inline TargetClass class_from_ship_type(std::uint8_t t) {
    // ITU-R M.1371 ship types 40-49 are high-speed craft.
    if (t >= 40 && t <= 49) return TargetClass::fast_boat;
    return TargetClass::vessel;
}

/// Adds `id` to the change list once.
inline void mark(std::vector<TrackId>& changed, bool& flag, TrackId id) {
    if (!flag) {
        flag = true;
        changed.push_back(id);
    }
}

}  // namespace picket::filters::detail
