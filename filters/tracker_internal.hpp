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

// A sensor that tracks (a camera's video analytics, a radar's own tracker) names each object it
// follows, and the name is evidence of which plot is which track's when their positions cannot
// tell: the next plot with the id of a track's last plot from that feed is its target's with
// probability ~0.95 (the analytics keeps an object's id from look to look; a new id after it lost
// the object is no evidence either way), and another object's with ~0.01 (an id swap between
// two objects, which trackers make mostly where the objects pass each other). The ratio, ln 95
// = 4.55 nats (9.1 in the GNN cost's d2 units), lets the id decide between tracks whose plots
// are a few sigma apart at most, never a plot outside a track's gate.
inline constexpr double kLogSameSourceObject = 4.55;

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
