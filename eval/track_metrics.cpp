#include "eval/track_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "eval/ospa.hpp"

namespace picket::eval {
namespace {
std::int64_t key(double t) { return static_cast<std::int64_t>(std::llround(t * 1e9)); }
}  // namespace

ScoreReport score(const std::vector<TruthPoint>& truth, const std::vector<TrackPoint>& tracks,
                  const ScoreOptions& opt) {
    ScoreReport r;
    r.truth_points = truth.size();
    r.track_points = tracks.size();
    std::map<std::int64_t, std::pair<std::vector<std::size_t>, std::vector<std::size_t>>> by_time;
    for (std::size_t i = 0; i < truth.size(); ++i) by_time[key(truth[i].t_s)].first.push_back(i);
    for (std::size_t j = 0; j < tracks.size(); ++j) by_time[key(tracks[j].t_s)].second.push_back(j);

    struct TruthState {
        double first_t{0};
        bool seen{false};
        bool tracked{false};
        double first_tracked_t{0};
        std::uint64_t last_track{0};
        bool has_last{false};
        bool covered_now{false};
        bool gap_since_cover{false};
    };
    std::map<std::uint64_t, TruthState> ts;
    std::map<std::uint64_t, bool> track_assigned;
    double sq = 0;
    for (auto& [k, sets] : by_time) {
        const double t = static_cast<double>(k) * 1e-9;
        std::vector<Eigen::Vector2d> X;
        std::vector<Eigen::Vector2d> Y;
        for (std::size_t i : sets.first) X.emplace_back(truth[i].x_m, truth[i].y_m);
        for (std::size_t j : sets.second) {
            Y.emplace_back(tracks[j].x_m, tracks[j].y_m);
            track_assigned.emplace(tracks[j].track_id, false);
        }
        r.ospa_mean += ospa(X, Y, opt.c_m, opt.p);
        const GospaResult g = gospa(X, Y, opt.c_m, opt.p);
        r.gospa_mean += g.distance;
        r.gospa_localisation_mean += g.localisation;
        r.gospa_missed_mean += g.missed;
        r.gospa_false_mean += g.false_;
        r.missed_mean += g.missed_count;
        r.false_mean += g.false_count;
        for (std::size_t a = 0; a < sets.first.size(); ++a) {
            const TruthPoint& tp = truth[sets.first[a]];
            TruthState& s = ts[tp.truth_id];
            if (!s.seen) {
                s.seen = true;
                s.first_t = t;
            }
            const int j = g.truth_to_estimate[a];
            if (j < 0) {
                if (s.covered_now) s.gap_since_cover = true;
                s.covered_now = false;
                continue;
            }
            const TrackPoint& tk = tracks[sets.second[static_cast<std::size_t>(j)]];
            const double d2 = std::pow(tp.x_m - tk.x_m, 2) + std::pow(tp.y_m - tk.y_m, 2);
            sq += d2;
            ++r.assigned_pairs;
            track_assigned[tk.track_id] = true;
            if (!s.tracked) {
                s.tracked = true;
                s.first_tracked_t = t;
            }
            if (s.gap_since_cover) {
                ++r.fragmentations;
                s.gap_since_cover = false;
            }
            if (s.has_last && s.last_track != tk.track_id) ++r.id_switches;
            s.last_track = tk.track_id;
            s.has_last = true;
            s.covered_now = true;
        }
    }
    r.times = by_time.size();
    if (r.times > 0) {
        const double n = static_cast<double>(r.times);
        r.ospa_mean /= n;
        r.gospa_mean /= n;
        r.gospa_localisation_mean /= n;
        r.gospa_missed_mean /= n;
        r.gospa_false_mean /= n;
        r.missed_mean /= n;
        r.false_mean /= n;
    }
    r.position_rmse_m =
        r.assigned_pairs ? std::sqrt(sq / static_cast<double>(r.assigned_pairs)) : 0;
    r.truths = ts.size();
    r.track_ids = track_assigned.size();
    for (const auto& [id, a] : track_assigned) r.false_tracks += a ? 0 : 1;
    double delay = 0;
    std::size_t tracked = 0;
    for (const auto& [id, s] : ts) {
        if (!s.tracked) {
            ++r.truths_never_tracked;
            continue;
        }
        const double d = s.first_tracked_t - s.first_t;
        delay += d;
        r.initiation_delay_max_s = std::max(r.initiation_delay_max_s, d);
        ++tracked;
    }
    r.initiation_delay_mean_s = tracked ? delay / static_cast<double>(tracked) : 0;
    return r;
}

}  // namespace picket::eval
