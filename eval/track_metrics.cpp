#include "eval/track_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <Eigen/Core>

#include "eval/ospa.hpp"

namespace picket::eval {
namespace {
std::int64_t key(double t) { return static_cast<std::int64_t>(std::llround(t * 1e9)); }

using ByTime =
    std::map<std::int64_t, std::pair<std::vector<std::size_t>, std::vector<std::size_t>>>;

// CLEAR-MOT (Bernardin & Stiefelhagen, "Evaluating multiple object tracking performance",
// EURASIP JIVP 2008): at each time a truth keeps the track it had while that track is present and
// within c; the remaining truths and tracks are paired by the optimal assignment (pairs < c). A
// switch: a truth's partner differs from its previous one.
std::size_t mot_switches(const std::vector<TruthPoint>& truth,
                         const std::vector<TrackPoint>& tracks, const ByTime& by_time, double c) {
    std::map<std::uint64_t, std::uint64_t> partner;  // truth -> track, last known
    std::size_t switches = 0;
    for (const auto& [k, sets] : by_time) {
        std::vector<char> track_taken(sets.second.size(), 0);
        std::vector<std::size_t> free_truths;
        std::map<std::uint64_t, std::size_t> pos_of;  // track id -> position in sets.second
        for (std::size_t q = 0; q < sets.second.size(); ++q)
            pos_of.emplace(tracks[sets.second[q]].track_id, q);
        for (std::size_t i : sets.first) {
            const TruthPoint& tp = truth[i];
            auto p = partner.find(tp.truth_id);
            if (p != partner.end()) {
                auto q = pos_of.find(p->second);
                if (q != pos_of.end() && !track_taken[q->second]) {
                    const TrackPoint& tk = tracks[sets.second[q->second]];
                    if (std::hypot(tp.x_m - tk.x_m, tp.y_m - tk.y_m) < c) {
                        track_taken[q->second] = 1;
                        continue;
                    }
                }
            }
            free_truths.push_back(i);
        }
        std::vector<Eigen::Vector2d> X;
        std::vector<Eigen::Vector2d> Y;
        std::vector<std::size_t> ycol;
        for (std::size_t i : free_truths) X.emplace_back(truth[i].x_m, truth[i].y_m);
        for (std::size_t q = 0; q < sets.second.size(); ++q) {
            if (track_taken[q]) continue;
            Y.emplace_back(tracks[sets.second[q]].x_m, tracks[sets.second[q]].y_m);
            ycol.push_back(sets.second[q]);
        }
        if (X.empty() || Y.empty()) continue;
        const GospaResult g = gospa(X, Y, c, 1);
        for (std::size_t a = 0; a < free_truths.size(); ++a) {
            const int j = g.truth_to_estimate[a];
            if (j < 0) continue;
            const std::uint64_t id = tracks[ycol[static_cast<std::size_t>(j)]].track_id;
            auto [it, fresh] = partner.emplace(truth[free_truths[a]].truth_id, id);
            if (!fresh && it->second != id) {
                ++switches;
                it->second = id;
            }
        }
    }
    return switches;
}
}  // namespace

ScoreReport score(const std::vector<TruthPoint>& truth, const std::vector<TrackPoint>& tracks,
                  const ScoreOptions& opt) {
    ScoreReport r;
    r.truth_points = truth.size();
    r.track_points = tracks.size();
    ByTime by_time;
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
        std::uint64_t mot_track{0};  ///< CLEAR-MOT correspondence
        bool has_mot{false};
        int same_track_run{0};  ///< consecutive time steps on last_track
    };
    std::map<std::uint64_t, TruthState> ts;
    std::map<std::uint64_t, bool> track_assigned;
    double sq = 0;
    double sq_settled = 0;
    std::size_t settled_pairs = 0;
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
                s.same_track_run = 0;
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
            s.same_track_run = s.has_last && s.last_track == tk.track_id ? s.same_track_run + 1 : 1;
            if (s.same_track_run > kSettledPairs) {
                sq_settled += d2;
                ++settled_pairs;
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
    r.id_switches_mot = mot_switches(truth, tracks, by_time, opt.c_m);
    r.position_rmse_settled_m =
        settled_pairs ? std::sqrt(sq_settled / static_cast<double>(settled_pairs)) : 0;
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

std::size_t truths_sharing_a_track(const std::vector<TruthPoint>& truth,
                                   const std::vector<TrackPoint>& tracks, double from_s,
                                   double gate_m) {
    std::map<double, std::vector<const TrackPoint*>> by_time;
    for (const TrackPoint& p : tracks) by_time[p.t_s].push_back(&p);
    std::set<std::uint64_t> shared;
    std::map<std::pair<double, std::uint64_t>, std::uint64_t> owner;  // (time, track) -> truth
    for (const TruthPoint& t : truth) {
        if (t.t_s < from_s) continue;
        const auto it = by_time.find(t.t_s);
        if (it == by_time.end()) continue;
        const TrackPoint* best = nullptr;
        double best_d = gate_m;
        for (const TrackPoint* p : it->second) {
            const double d = std::hypot(p->x_m - t.x_m, p->y_m - t.y_m);
            if (d < best_d) {
                best_d = d;
                best = p;
            }
        }
        if (best == nullptr) continue;
        auto [o, fresh] = owner.emplace(std::make_pair(t.t_s, best->track_id), t.truth_id);
        if (!fresh && o->second != t.truth_id) {
            shared.insert(t.truth_id);
            shared.insert(o->second);
        }
    }
    return shared.size();
}

}  // namespace picket::eval
