#pragma once
/// A confirmed vessel track seen by AIS and radar, as a sector server publishes it: the tracks
/// feed tests encode it with the server's own writer and read it back.
#include "core/time.hpp"
#include "core/track.hpp"

namespace picket::test {

inline Track sample_sector_track(TrackId id, Timestamp now) {
    Track t;
    t.id = id;
    t.status = TrackStatus::confirmed;
    t.updated = now - Duration::from_seconds(0.5);
    t.born = now - Duration::from_seconds(60);
    t.position = {-8.5512345, 125.5712345};
    t.east_mps = 3.63;
    t.north_mps = -1.25;
    t.cov << 144, 12, 3, 0.5, 12, 100, 0.25, 2, 3, 0.25, 1.5, 0.1, 0.5, 2, 0.1, 0.9;
    t.identity = Identity{538001234, "OCEAN STAR", "V7AB", 0, 70};
    t.seen_by.add(SensorKind::ais);
    t.seen_by.add(SensorKind::radar);
    t.target_class = TargetClass::vessel;
    return t;
}

}  // namespace picket::test
