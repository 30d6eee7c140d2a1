#include "src/outputs/track_point.hpp"

#include <cmath>

namespace picket::outputs {

void fill_track_point(TrackPoint& p, const Track& t) {
    p.track_id = t.id;
    p.time = t.updated;
    p.position = t.position;
    p.east_mps = t.east_mps;
    p.north_mps = t.north_mps;
    const double var = 0.5 * (t.cov(0, 0) + t.cov(1, 1));
    p.sigma_m = var > 0 && std::isfinite(var) ? std::sqrt(var) : 0.0;
    p.status = t.status;
    p.target_class = t.target_class;
    p.standing = t.standing;
    if (t.identity) {
        p.mmsi = t.identity->mmsi;
        p.name.assign(t.identity->name);
    } else {
        p.mmsi.reset();
        p.name.clear();
    }
    p.label.assign(t.label);
}

TrackPoint track_point(const Track& t) {
    TrackPoint p;
    fill_track_point(p, t);
    return p;
}

}  // namespace picket::outputs
