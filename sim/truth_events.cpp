#include "sim/truth_events.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "geo/local_frame.hpp"

namespace picket::sim {
namespace {

Timestamp at_time(const TruthInputs& in, double t_s) {
    return in.start + Duration::from_seconds(t_s);
}

TruthEvent make_event(const TruthInputs& in, AlertKind kind, double t_s, std::size_t target,
                      LatLon where) {
    TruthEvent e;
    e.time = at_time(in, t_s);
    e.kind = kind;
    e.truth_ids = {static_cast<TruthId>(target + 1)};
    e.names = {in.targets[target].name};
    e.where = where;
    e.scripted = target < in.scenario.targets.size();
    const AisSpec& ais = in.targets[target].ais;
    e.mmsi = {ais.cls == AisClass::none ? 0 : ais.mmsi};
    return e;
}

ScenarioZones::Ref require_zone(const TruthInputs& in, const std::string& name) {
    const auto ref = in.zones.find(name);
    if (!ref)
        throw std::runtime_error(in.scenario.source_file + ": truth names zone '" + name +
                                 "' which no zone source provides");
    return *ref;
}

/// Crossings of one target's path with a list of zones, grouped by place along the path: the
/// shared boundary of two land zones is crossed once (leaving one, entering the other).
struct PathCrossing {
    double t_s;
    LatLon where;
    std::vector<std::string> entered;
    std::vector<std::string> left;
};

std::vector<PathCrossing> path_crossings(const TruthInputs& in, std::size_t target,
                                         const std::vector<std::string>& zone_names) {
    std::vector<std::pair<std::string, ScenarioZones::Ref>> zones;
    for (const auto& name : zone_names) zones.emplace_back(name, require_zone(in, name));
    std::vector<PathCrossing> out;
    const auto& knots = in.paths[target].knots();
    for (std::size_t k = 0; k + 1 < knots.size(); ++k) {
        const Knot& a = knots[k];
        const Knot& b = knots[k + 1];
        if (a.en == b.en) continue;
        const LatLon la = in.frame.to_latlon(a.en);
        const LatLon lb = in.frame.to_latlon(b.en);
        std::vector<PathCrossing> here;
        for (const auto& [name, ref] : zones) {
            for (const geo::Crossing& c : in.zones.set(ref.set).crossings(ref.zone, la, lb)) {
                const double t = a.t_s + c.fraction * (b.t_s - a.t_s);
                // The same point on a shared boundary, seen from the other zone: merge (1 ms).
                auto same = std::find_if(here.begin(), here.end(), [&](const PathCrossing& p) {
                    return std::abs(p.t_s - t) < 1e-3;
                });
                if (same == here.end()) {
                    here.push_back({t, c.where, {}, {}});
                    same = here.end() - 1;
                }
                (c.entering ? same->entered : same->left).push_back(name);
            }
        }
        std::sort(here.begin(), here.end(),
                  [](const PathCrossing& x, const PathCrossing& y) { return x.t_s < y.t_s; });
        out.insert(out.end(), here.begin(), here.end());
    }
    return out;
}

std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : "+") + x;
    return s.empty() ? "outside" : s;
}

void zone_entry_events(const TruthInputs& in, std::vector<TruthEvent>& out) {
    if (in.scenario.truth.watch_zones.empty()) return;
    for (std::size_t i = 0; i < in.targets.size(); ++i) {
        for (const PathCrossing& c : path_crossings(in, i, in.scenario.truth.watch_zones)) {
            for (const auto& zone : c.entered) {
                TruthEvent e = make_event(in, AlertKind::zone_entry, c.t_s, i, c.where);
                e.zone = zone;
                e.detail = "entered " + zone;
                out.push_back(std::move(e));
            }
        }
    }
}

void ais_events(const TruthInputs& in, std::vector<TruthEvent>& out) {
    for (std::size_t i = 0; i < in.targets.size(); ++i) {
        const AisSpec& ais = in.targets[i].ais;
        const Trajectory& path = in.paths[i];
        if (ais.cls == AisClass::none) continue;
        if (std::isfinite(ais.off_at_s) && path.active(ais.off_at_s)) {
            TruthEvent e = make_event(in, AlertKind::ais_gap, ais.off_at_s, i,
                                      in.frame.to_latlon(path.at(ais.off_at_s).en));
            e.detail = "AIS switched off";
            out.push_back(std::move(e));
        }
        if (std::isfinite(ais.spoof_from_s) && path.active(ais.spoof_from_s)) {
            const LatLon truth = in.frame.to_latlon(path.at(ais.spoof_from_s).en);
            TruthEvent e = make_event(in, AlertKind::ais_anomaly, ais.spoof_from_s, i, truth);
            char buf[64];
            std::snprintf(buf, sizeof buf, "AIS position spoofed %.1f km away",
                          geo::geodesic_distance_m(truth, ais.spoof_position) / 1000.0);
            e.detail = buf;
            e.reported = ais.spoof_position;
            out.push_back(std::move(e));
        }
    }
}

void loitering_events(const TruthInputs& in, std::vector<TruthEvent>& out) {
    for (std::size_t i = 0; i < in.targets.size(); ++i) {
        for (const auto& iv : in.paths[i].intervals(Activity::loiter)) {
            if (std::min(iv.end_s, in.duration_s) - iv.begin_s < in.scenario.truth.loiter_min_s)
                continue;
            TruthEvent e =
                make_event(in, AlertKind::loitering, iv.begin_s, i, in.frame.to_latlon(iv.where));
            char buf[64];
            std::snprintf(buf, sizeof buf, "loitering for %.0f s", iv.end_s - iv.begin_s);
            e.detail = buf;
            out.push_back(std::move(e));
        }
    }
}

/// First entry of each person/vehicle into each ground sensor's radius (re-entries after
/// leaving count again), sampled each second.
void ground_detection_events(const TruthInputs& in, std::vector<TruthEvent>& out) {
    for (std::size_t u = 0; u < in.scenario.ugs.size(); ++u) {
        const UgsSpec& ugs = in.scenario.ugs[u];
        const Eigen::Vector2d centre = in.frame.to_en(ugs.position);
        for (std::size_t i = 0; i < in.targets.size(); ++i) {
            if (!on_land(in.targets[i].kind)) continue;
            const Trajectory& path = in.paths[i];
            UgsVisit visit(in, u, i);
            bool inside = false;
            for (double t = std::ceil(path.start_s()); t <= path.end_s(); t += 1.0) {
                const bool now = visit.detected((path.at(t).en - centre).norm() <= ugs.radius_m, t);
                if (now && !inside) {
                    TruthEvent e = make_event(in, AlertKind::ground_detection, t, i,
                                              in.frame.to_latlon(path.at(t).en));
                    e.zone = ugs.feed.id;
                    e.detail = "entered ground sensor " + ugs.feed.id + " radius";
                    out.push_back(std::move(e));
                }
                inside = now;
            }
        }
    }
}

}  // namespace

std::vector<TruthEvent> border_crossing_events(const TruthInputs& in) {
    std::vector<TruthEvent> out;
    if (in.scenario.truth.border_zones.empty()) return out;
    for (std::size_t i = 0; i < in.targets.size(); ++i) {
        for (const PathCrossing& c : path_crossings(in, i, in.scenario.truth.border_zones)) {
            TruthEvent e = make_event(in, AlertKind::border_crossing, c.t_s, i, c.where);
            e.zone = c.entered.empty() ? join(c.left) : join(c.entered);
            e.detail = join(c.left) + " -> " + join(c.entered);
            out.push_back(std::move(e));
        }
    }
    return out;
}

std::vector<TruthEvent> rendezvous_events(const TruthInputs& in) {
    // Candidates: stretches where a target is stopped or loitering. A rendezvous is two such
    // stretches overlapping in time with the targets within the distance for the minimum time;
    // the event is at the onset of the proximity, midway between them.
    struct Slow {
        std::size_t target;
        double begin_s, end_s;
    };
    std::vector<Slow> slow;
    for (std::size_t i = 0; i < in.targets.size(); ++i) {
        if (on_land(in.targets[i].kind)) continue;
        for (auto a : {Activity::hold, Activity::loiter})
            for (const auto& iv : in.paths[i].intervals(a))
                slow.push_back({i, iv.begin_s, iv.end_s});
    }
    const double step = 5.0;
    const double dmax = in.scenario.truth.rendezvous_distance_m;
    const double need = in.scenario.truth.rendezvous_min_s;
    std::map<std::pair<std::size_t, std::size_t>, double> last_event_end;  // one per meeting
    std::vector<TruthEvent> out;
    for (std::size_t x = 0; x < slow.size(); ++x) {
        for (std::size_t y = 0; y < slow.size(); ++y) {
            const Slow& a = slow[x];
            const Slow& b = slow[y];
            if (a.target >= b.target) continue;
            const double lo = std::max(a.begin_s, b.begin_s);
            const double hi = std::min({a.end_s, b.end_s, in.duration_s});
            if (hi - lo < need) continue;
            const auto key = std::make_pair(a.target, b.target);
            double onset = -1;
            for (double t = lo; t <= hi; t += step) {
                const bool close =
                    (in.paths[a.target].at(t).en - in.paths[b.target].at(t).en).norm() <= dmax;
                if (!close) {
                    onset = -1;
                    continue;
                }
                if (onset < 0) onset = t;
                if (t - onset >= need) {
                    auto it = last_event_end.find(key);
                    if (it == last_event_end.end() || onset > it->second) {
                        const Eigen::Vector2d mid = 0.5 * (in.paths[a.target].at(onset).en +
                                                           in.paths[b.target].at(onset).en);
                        TruthEvent e = make_event(in, AlertKind::rendezvous, onset, a.target,
                                                  in.frame.to_latlon(mid));
                        e.truth_ids.push_back(static_cast<TruthId>(b.target + 1));
                        e.scripted = e.scripted && b.target < in.scenario.targets.size();
                        const AisSpec& bais = in.targets[b.target].ais;
                        e.mmsi.push_back(bais.cls == AisClass::none ? 0 : bais.mmsi);
                        e.names.push_back(in.targets[b.target].name);
                        e.detail = "rendezvous " + in.targets[a.target].name + " + " +
                                   in.targets[b.target].name;
                        out.push_back(std::move(e));
                    }
                    last_event_end[key] = hi;
                    break;
                }
            }
        }
    }
    return out;
}

std::vector<TruthEvent> compute_truth_events(const TruthInputs& in) {
    std::vector<TruthEvent> out = border_crossing_events(in);
    zone_entry_events(in, out);
    ais_events(in, out);
    loitering_events(in, out);
    auto rv = rendezvous_events(in);
    out.insert(out.end(), rv.begin(), rv.end());
    ground_detection_events(in, out);
    std::stable_sort(out.begin(), out.end(), [](const TruthEvent& a, const TruthEvent& b) {
        if (a.time != b.time) return a.time < b.time;
        if (a.kind != b.kind) return a.kind < b.kind;
        return a.truth_ids < b.truth_ids;
    });
    return out;
}

}  // namespace picket::sim
