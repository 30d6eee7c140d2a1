#pragma once
/// Ground truth of a simulator run, written beside it for `picket score`:
/// truth.csv (one row per target per truth sample period, 1 s by default):
/// `time,truth_id,x,y` first (the `picket score --truth` columns; time in unix
/// seconds, x/y metres east/north in the scenario's local frame), then lat, lon, velocity,
/// class and name; events.jsonl, the truth events the rules should find; and run.json, the
/// run's start, end and seed.
#include <fstream>
#include <string>
#include <vector>

#include "sim/simulator.hpp"

namespace picket::cli {

class TruthWriter {
public:
    /// `dir` empty: writes nothing. Throws std::runtime_error when the files cannot be written.
    TruthWriter(const std::string& dir, const sim::Simulator& sim, double period_s);
    /// Writes every sample up to and including `until`.
    void advance(Timestamp until);
    /// Writes the samples up to the scenario's end.
    void finish();

private:
    const sim::Simulator& sim_;
    Duration period_;
    std::ofstream csv_;
    std::ofstream events_;
    Timestamp next_sample_;
    std::vector<sim::TruthSample> samples_;
};

}  // namespace picket::cli
