#include "src/outputs/store.hpp"

namespace picket::outputs {

void Store::save_track_points(std::span<const Track> tracks) {
    std::vector<TrackPoint> points;
    points.reserve(tracks.size());
    for (const Track& t : tracks)
        if (t.status != TrackStatus::deleted) points.push_back(track_point(t));
    save_track_points(std::span<const TrackPoint>(points));
}

}  // namespace picket::outputs
