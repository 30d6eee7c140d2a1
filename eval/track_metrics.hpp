#pragma once
/// Scoring of a track history against truth (what `picket score` prints). Times are matched
/// exactly (to the nanosecond); at each time truths and tracks are paired by the GOSPA
/// assignment (pairs closer than c), and the track-level metrics follow those pairs.
#include <cstdint>
#include <vector>

#include "eval/csv_io.hpp"
#include "eval/scene.hpp"

namespace picket::eval {

/// A pair counts as settled (position_rmse_settled_m) after this many time steps on one track.
inline constexpr int kSettledPairs = 10;

struct ScoreOptions {
    double c_m{100};  ///< OSPA/GOSPA cut-off, also the association distance for track metrics
    double p{1};      ///< OSPA/GOSPA order
};

struct ScoreReport {
    std::size_t times{0};  ///< distinct time steps scored (union of truth and track times)
    std::size_t truth_points{0};
    std::size_t track_points{0};
    double ospa_mean{0};
    double gospa_mean{0};
    double gospa_localisation_mean{0};  ///< per time step, before the 1/p root
    double gospa_missed_mean{0};
    double gospa_false_mean{0};
    double missed_mean{0};      ///< truths without a track, per time step
    double false_mean{0};       ///< tracks without a truth, per time step
    double position_rmse_m{0};  ///< over assigned pairs
    std::size_t assigned_pairs{0};
    std::size_t id_switches{0};  ///< a truth's assigned track id changed
    /// The same, with CLEAR-MOT's correspondences (Bernardin & Stiefelhagen 2008): a truth keeps
    /// its previous track while that track is within c of it, and only the others are assigned
    /// anew. Two targets passing 10 m apart, each tracked throughout, swap partners in the
    /// GOSPA assignment of a time step (id_switches) but not here.
    std::size_t id_switches_mot{0};
    /// RMSE over the pairs of a truth that has kept the same track for kSettledPairs time
    /// steps: the tracks' steady-state error, without their first scans (initiation).
    double position_rmse_settled_m{0};
    std::size_t fragmentations{0};  ///< a truth's track coverage was interrupted then resumed
    std::size_t false_tracks{0};    ///< track ids never assigned to any truth
    std::size_t track_ids{0};
    std::size_t truths{0};
    std::size_t truths_never_tracked{0};
    double initiation_delay_mean_s{0};  ///< first assignment - first truth time, tracked truths
    double initiation_delay_max_s{0};
};

ScoreReport score(const std::vector<TruthPoint>& truth, const std::vector<TrackPoint>& tracks,
                  const ScoreOptions& opt);

/// Truths that were, at some time at or after `from_s`, shown as one track with another truth:
/// each truth is paired with its nearest track within `gate_m` at each of its times, and two
/// truths paired with one track at one time were merged (the duplicate-merge pass fused two
/// real targets, or one track took both targets' plots).
std::size_t truths_sharing_a_track(const std::vector<TruthPoint>& truth,
                                   const std::vector<TrackPoint>& tracks, double from_s,
                                   double gate_m);

}  // namespace picket::eval
