#include "eval/batch_tracking.hpp"

#include <algorithm>

namespace picket::eval {

BatchResult run_batch(std::vector<Detection> det, const BatchOptions& opt) {
    std::stable_sort(det.begin(), det.end(),
                     [](const Detection& a, const Detection& b) { return a.t_s < b.t_s; });
    filters::Tracker tracker(opt.tracker);
    BatchResult out;
    std::vector<Measurement> batch;
    const Eigen::Matrix2d cov = Eigen::Matrix2d::Identity() * (opt.sigma_m * opt.sigma_m);
    std::size_t b = 0;
    while (b < det.size()) {
        std::size_t e = b;
        const double t = det[b].t_s;
        const Timestamp ts{kBatchEpochNs + Duration::from_seconds(t).ns};
        batch.clear();
        while (e < det.size() && det[e].t_s == t) {
            Measurement m;
            m.feed = 0;
            m.sensor = SensorKind::radar;
            m.observed = m.received = ts;
            m.z =
                PositionZ{tracker.frame().to_latlon(Eigen::Vector2d(det[e].x_m, det[e].y_m)), cov};
            batch.push_back(m);
            ++e;
        }
        tracker.process(batch, ts);  // batch mode: the scan's own time is the clock
        ++out.scans;
        for (const filters::LocalTrack& lt : tracker.local_tracks(ts)) {
            // Reported: confirmed and more likely there than not (a coasting track is kept to
            // re-acquire its target, but is not shown as one).
            if (lt.status != TrackStatus::confirmed) continue;
            out.tracks.push_back(TrackPoint{t, lt.id, lt.x(0), lt.x(1), lt.x(2), lt.x(3)});
            out.position_variance.push_back(lt.position_cov.trace());
        }
        b = e;
    }
    out.counters = tracker.counters();
    out.bytes_per_track = tracker.bytes_per_track_estimate();
    return out;
}

}  // namespace picket::eval
