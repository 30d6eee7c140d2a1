#pragma once
/// One row of track history: a track's position and state at one update.
#include <optional>
#include <string>

#include "core/time.hpp"
#include "core/track.hpp"

namespace picket::outputs {

struct TrackPoint {
    TrackId track_id{0};
    Timestamp time;  ///< the track's `updated` time
    LatLon position;
    double east_mps{0};
    double north_mps{0};
    double sigma_m{0};  ///< 1-sigma horizontal position error (m)
    TrackStatus status{TrackStatus::tentative};
    TargetClass target_class{TargetClass::unknown};
    Standing standing{Standing::unknown};
    std::optional<Mmsi> mmsi;
    std::string name;   ///< AIS name, empty when unknown
    std::string label;  ///< operator label
};

/// The row of track history for a track as it is now (time = its last update).
TrackPoint track_point(const Track& track);
/// The same, written into `out` in place (its strings keep their capacity: no allocation on the
/// fusion thread once warm).
void fill_track_point(TrackPoint& out, const Track& track);

}  // namespace picket::outputs
