#pragma once
/// Batch mode: run the tracker over a detections table (local metres, seconds) and collect the
/// confirmed tracks after every scan (a scan = the rows sharing one time). Used by
/// `picket track`, the accuracy tests and the benchmark.
#include <vector>

#include "eval/csv_io.hpp"
#include "eval/scene.hpp"
#include "filters/tracker.hpp"

namespace picket::eval {

struct BatchOptions {
    filters::TrackerConfig tracker;  ///< origin defaults to (0, 0): local metres near the equator
    double sigma_m{20};              ///< detection noise per axis (m)
};

struct BatchResult {
    std::vector<TrackPoint> tracks;  ///< confirmed (not coasting) tracks after each scan
    std::vector<double>
        position_variance;  ///< trace of the track's predicted position covariance, per row
    filters::TrackerCounters counters;
    std::size_t scans{0};
    std::size_t bytes_per_track{0};
};

/// Detections need not be sorted; rows with equal time form one scan (stable order kept).
BatchResult run_batch(std::vector<Detection> detections, const BatchOptions& opt);

/// The Unix time picket gives to batch time 0 (2026-01-01T00:00:00Z): keeps integer ns exact.
inline constexpr std::int64_t kBatchEpochNs = 1'767'225'600LL * 1'000'000'000LL;

}  // namespace picket::eval
