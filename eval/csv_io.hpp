#pragma once
/// CSV files of batch mode and scoring. Comma separated, first line a header naming the
/// columns (any order; extra columns ignored), '#' lines and blank lines skipped.
///   detections: time,x,y            (s, local east m, local north m)
///   truths:     time,truth_id,x,y
///   tracks:     time,track_id,x,y,vx,vy
/// Readers throw std::runtime_error("file:line: what") on a missing column or a bad number.
#include <iosfwd>
#include <string>
#include <vector>

#include "eval/scene.hpp"

namespace picket::eval {

/// One row of a tracks CSV: a confirmed track's state after a scan.
struct TrackPoint {
    double t_s{0};
    std::uint64_t track_id{0};
    double x_m{0};
    double y_m{0};
    double vx_mps{0};
    double vy_mps{0};
};

std::vector<Detection> read_detections(std::istream& in, const std::string& name);
std::vector<TruthPoint> read_truths(std::istream& in, const std::string& name);
std::vector<TrackPoint> read_tracks(std::istream& in, const std::string& name);
std::vector<Detection> read_detections_file(const std::string& path);
std::vector<TruthPoint> read_truths_file(const std::string& path);
std::vector<TrackPoint> read_tracks_file(const std::string& path);

void write_detections(std::ostream& out, const std::vector<Detection>& d);  ///< + truth_id column
void write_truths(std::ostream& out, const std::vector<TruthPoint>& t);
void write_tracks_header(std::ostream& out);
void write_track_row(std::ostream& out, const TrackPoint& p);

}  // namespace picket::eval
