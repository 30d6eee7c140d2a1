#include "sim/rule_truth.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numbers>

#include "geo/local_frame.hpp"
#include "rules/condition_latch.hpp"
#include "sensors/ais/ais_feed.hpp"

namespace picket::sim {
namespace {

using rules::ConditionLatch;
using rules::LatchEvent;
using rules::RuleSpec;

constexpr double kStepS = 1.0;
/// Loitering and rendezvous judge speed by the mean velocity vector, an exponential mean with a
/// 120 s time constant: the rule's documented definition of "slow" (docs/rules.md).
constexpr double kMeanVelocityTauS = 120.0;
constexpr double kRadToDeg = 180.0 / std::numbers::pi;
/// How close to a zone's edge a point is on it (m): zones are closed, the edge is inside.
constexpr double kOnEdgeM = 0.01;

/// One second of one target's truth.
struct Sample {
    double t_s{0};
    Eigen::Vector2d en{0, 0};
    Eigen::Vector2d vel{0, 0};
    Eigen::Vector2d mean_vel{0, 0};
    LatLon p;
    bool ais_heard{false};    ///< a position report sent in this step, a shore receiver in range
    double heard_at_s{0};     ///< when it was sent (the sample's time without a schedule)
    bool radar_cover{false};  ///< within some radar's range (land targets: one that sees land)
    [[nodiscard]] double speed() const { return vel.norm(); }
    [[nodiscard]] double mean_speed() const { return mean_vel.norm(); }
    [[nodiscard]] double course_deg() const {
        double c = std::atan2(vel.x(), vel.y()) * kRadToDeg;
        return c < 0 ? c + 360 : c;
    }
};

bool transmitting(const AisSpec& a, double t_s) {
    return a.cls != AisClass::none && !(t_s >= a.off_at_s && t_s < a.on_at_s);
}

struct SensorSites {
    std::vector<Eigen::Vector2d> receivers_en;
    std::vector<Eigen::Vector2d> radars_en;
};

std::vector<Sample> sample_target(const TruthInputs& in, std::size_t i, const SensorSites& sites) {
    const auto& receivers_en = sites.receivers_en;
    const bool land = on_land(in.targets[i].kind);
    std::vector<Sample> out;
    const Trajectory& path = in.paths[i];
    const AisSpec& ais = in.targets[i].ais;
    const double first = std::ceil(std::max(0.0, path.start_s()));
    const std::vector<double>* reports =
        in.ais_reports && i < in.ais_reports->size() ? &(*in.ais_reports)[i] : nullptr;
    std::size_t next_report = 0;
    const double last = std::min(path.end_s(), in.duration_s);
    if (last < first) return out;
    out.reserve(static_cast<std::size_t>((last - first) / kStepS) + 1);
    for (double t = first; t <= last; t += kStepS) {
        const MotionState m = path.at(t);
        Sample s;
        s.t_s = t;
        s.en = m.en;
        s.vel = m.vel_mps;
        if (out.empty()) {
            s.mean_vel = s.vel;
        } else {
            const double w = std::min(1.0, kStepS / kMeanVelocityTauS);
            s.mean_vel = out.back().mean_vel + w * (s.vel - out.back().mean_vel);
        }
        s.p = in.frame.to_latlon(m.en);
        bool reported = transmitting(ais, t);
        if (reports) {
            // Heard only when a report goes out: within the last step.
            while (next_report < reports->size() && (*reports)[next_report] <= t - kStepS)
                ++next_report;
            reported = next_report < reports->size() && (*reports)[next_report] <= t;
            if (reported) s.heard_at_s = (*reports)[next_report];
        } else {
            s.heard_at_s = t;
        }
        if (reported) {
            for (std::size_t r = 0; r < receivers_en.size() && !s.ais_heard; ++r)
                s.ais_heard =
                    (m.en - receivers_en[r]).norm() <= in.scenario.ais_receivers[r].range_m;
        }
        for (std::size_t r = 0; r < sites.radars_en.size() && !s.radar_cover; ++r) {
            const RadarSpec& radar = in.scenario.radars[r];
            s.radar_cover =
                (!land || radar.sees_land) && (m.en - sites.radars_en[r]).norm() <= radar.range_m;
        }
        out.push_back(s);
    }
    return out;
}

/// The zone or line a rule watches, with a safe-radius cache: the distance to the boundary at an
/// anchor bounds the distance (and fixes the side) anywhere within that radius, so a target far
/// from every edge costs one query per few hundred seconds instead of one per second.
class Place {
public:
    Place(const rules::RuleBook& book, const RuleSpec& spec) {
        if (spec.line) {
            line_ = &book.lines[*spec.line].line;
        } else if (spec.zone) {
            zones_ = &book.zones_of(*spec.zone);
            zone_ = spec.zone->zone;
        }
    }
    [[nodiscard]] bool any() const { return line_ || zones_; }
    [[nodiscard]] bool is_line() const { return line_ != nullptr; }

    bool inside(const Sample& s) {
        if (!zones_) return false;
        if (!valid_ || moved(s) >= dist_) refresh(s);
        return inside_;
    }
    bool closer_than(const Sample& s, double m) {
        if (valid_) {
            const double d = moved(s);
            if (dist_ - d >= m) return false;
            if (dist_ + d < m) return true;
        }
        refresh(s);
        return dist_ < m;
    }
    double distance(const Sample& s) {
        if (!valid_ || !(anchor_ == s.en)) refresh(s);
        return dist_;
    }
    std::vector<geo::Crossing> crossings(LatLon a, LatLon b) const {
        return line_ ? line_->crossings(a, b) : zones_->crossings(zone_, a, b);
    }

private:
    [[nodiscard]] double moved(const Sample& s) const {
        return (s.en - anchor_).norm() * 1.01 + 1.0;  // the flat frame's error, with margin
    }
    void refresh(const Sample& s) {
        anchor_ = s.en;
        valid_ = true;
        if (line_) {
            dist_ = line_->distance_m(s.p);
            inside_ = false;
        } else {
            dist_ = zones_->distance_to_boundary_m(zone_, s.p);
            // A point on the edge is not outside: entering is coming in from outside. Gambia's
            // speedboat starts on the harbour box's corner (a scripted waypoint on a vertex),
            // and the truth had it "enter" one second later, though it never was outside.
            inside_ = zones_->contains(zone_, s.p) || dist_ < kOnEdgeM;
        }
    }

    const geo::BorderLine* line_{nullptr};
    const geo::ZoneSet* zones_{nullptr};
    std::size_t zone_{0};
    bool valid_{false};
    bool inside_{false};
    double dist_{0};
    Eigen::Vector2d anchor_{0, 0};
};

/// The optional area a behaviour rule is limited to: a zone, or within `within_m` of a line.
class Area {
public:
    Area(const rules::RuleBook& book, const RuleSpec& spec, double within_m)
        : place_(book, spec), within_m_(within_m) {}
    bool contains(const Sample& s) {
        if (!place_.any()) return true;
        return place_.is_line() ? place_.closer_than(s, within_m_) : place_.inside(s);
    }

private:
    Place place_;
    double within_m_;
};

class Builder {
public:
    Builder(const TruthInputs& in, std::vector<TruthEvent>& out) : in_(in), out_(out) {}

    TruthEvent& add(const RuleSpec& spec, double t_s, std::vector<std::size_t> targets,
                    LatLon where, std::string detail) {
        TruthEvent e;
        e.time = in_.start + Duration::from_seconds(t_s);
        e.kind = spec.kind;
        e.rule = spec.name;
        e.zone = spec.place;
        e.where = where;
        e.detail = std::move(detail);
        e.scripted = true;
        for (std::size_t i : targets) {
            e.truth_ids.push_back(static_cast<TruthId>(i + 1));
            e.names.push_back(in_.targets[i].name);
            const AisSpec& ais = in_.targets[i].ais;
            e.mmsi.push_back(ais.cls == AisClass::none ? 0 : ais.mmsi);
            if (i >= in_.scenario.targets.size()) e.scripted = false;
        }
        out_.push_back(std::move(e));
        return out_.back();
    }
    /// The state the last event added is about held until `t_s` (TruthEvent::until).
    void held_until(double t_s) { out_.back().until = in_.start + Duration::from_seconds(t_s); }

private:
    const TruthInputs& in_;
    std::vector<TruthEvent>& out_;
};

Timestamp at(double t_s) { return Timestamp{static_cast<std::int64_t>(std::llround(t_s * 1e9))}; }

/// Steps a latch over the samples with `cond(sample) -> {enter, stay}` and calls `emit(sample)`
/// each time it turns on, and then `held(t)` with the last time the lenient test held before it
/// turned off (or the samples ended): for a state that holds for a while (TruthEvent::until).
/// `first_state`: the latch starts in the state the first sample gives (a target first seen
/// inside a zone has not entered it).
template <class Cond, class Emit, class Held>
void level(const std::vector<Sample>& ss, Duration dwell, Duration clear_after, bool first_state,
           Cond&& cond, Emit&& emit, Held&& held) {
    ConditionLatch latch;
    double last_held = 0;
    bool emitted = false;
    for (std::size_t k = 0; k < ss.size(); ++k) {
        const auto [enter, stay] = cond(ss[k]);
        if (k == 0 && first_state) {
            latch.reset(enter);
            continue;
        }
        const LatchEvent ev = latch.step(enter, stay, at(ss[k].t_s), dwell, clear_after);
        if (ev == LatchEvent::turned_on) {
            emit(ss[k]);
            emitted = true;
        } else if (ev == LatchEvent::turned_off && emitted) {
            held(last_held);
            emitted = false;
        }
        if (latch.on && stay) last_held = ss[k].t_s;
    }
    if (emitted) held(last_held);
}

/// The same, for an event of one moment (an entry, a detection): no `held`.
template <class Cond, class Emit>
void level(const std::vector<Sample>& ss, Duration dwell, Duration clear_after, bool first_state,
           Cond&& cond, Emit&& emit) {
    level(ss, dwell, clear_after, first_state, cond, emit, [](double) {});
}

std::string fmt(const char* f, double v) {
    char buf[96];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

bool exempt(const rules::RuleBook& book, const RuleSpec& spec, const TargetSpec& target) {
    if (target.ais.cls == AisClass::none) return false;
    const Mmsi m = target.ais.mmsi;
    return std::binary_search(spec.exempt_mmsi.begin(), spec.exempt_mmsi.end(), m) ||
           std::binary_search(book.exempt_mmsi.begin(), book.exempt_mmsi.end(), m);
}

bool class_accepted(const RuleSpec& spec, TargetKind kind) {
    return spec.classes.empty() || std::find(spec.classes.begin(), spec.classes.end(),
                                             target_class_of(kind)) != spec.classes.end();
}

bool sensor_accepted(const RuleSpec& spec, SensorKind k) {
    return spec.sensors.empty()
               ? (k == SensorKind::ugs || k == SensorKind::camera)
               : std::find(spec.sensors.begin(), spec.sensors.end(), k) != spec.sensors.end();
}

bool reason_accepted(const RuleSpec& spec, std::initializer_list<AnomalyReason> reasons) {
    if (spec.reasons.empty()) return true;
    for (AnomalyReason r : reasons)
        if (std::find(spec.reasons.begin(), spec.reasons.end(), r) != spec.reasons.end())
            return true;
    return false;
}

// ---------------------------------------------------------------------------------------------
// One target, one rule.

void zone_membership(const TruthInputs& in, const rules::RuleBook& book, const RuleSpec& spec,
                     std::size_t i, const std::vector<Sample>& ss, Builder& b) {
    Place zone(book, spec);
    const bool exit = spec.kind == AlertKind::zone_exit;
    const bool presence = spec.kind == AlertKind::zone_presence;
    const char* verb = exit ? "left " : presence ? "present in " : "entered ";
    (void)in;
    level(
        ss, spec.dwell, spec.clear_after, !presence,
        [&](const Sample& s) {
            const bool c = zone.inside(s) != exit;
            return std::pair{c, c};
        },
        [&](const Sample& s) { b.add(spec, s.t_s, {i}, s.p, verb + spec.place); },
        [&](double t) {
            if (presence) b.held_until(t);  // an entry or an exit is a moment
        });
}

void border_crossings(const TruthInputs& in, const rules::RuleBook& book, const RuleSpec& spec,
                      std::size_t i, Builder& b) {
    const rules::LineDef& def = book.lines[*spec.line];
    const geo::BorderLine& line = def.line;
    const auto& knots = in.paths[i].knots();
    // Re-arm: after a raise, the target must spend clear_after on the far (`from`) side; for a
    // rule of any direction, clear_after without crossing again.
    bool armed = true;
    double away_since = -1;
    for (std::size_t k = 0; k + 1 < knots.size(); ++k) {
        const Knot& ka = knots[k];
        const Knot& kb = knots[k + 1];
        if (ka.en == kb.en || ka.t_s > in.duration_s) continue;
        const LatLon la = in.frame.to_latlon(ka.en);
        const LatLon lb = in.frame.to_latlon(kb.en);
        if (line.distance_m(la) > (kb.en - ka.en).norm() * 1.01 + 1.0) continue;
        for (const geo::Crossing& c : line.crossings(la, lb)) {
            const double t = ka.t_s + c.fraction * (kb.t_s - ka.t_s);
            if (t > in.duration_s) break;
            const int dir = c.entering ? +1 : -1;
            if (!armed && away_since >= 0 && t - away_since >= spec.clear_after.seconds())
                armed = true;
            if (spec.direction == 0 || dir == spec.direction) {
                if (armed) {
                    // The line's left zone is the one a boundary_of line goes "into" (+1 = out).
                    std::string detail = def.right_zone.empty()
                                             ? (dir > 0 ? "out of " : "into ") + def.left_zone
                                             : (dir > 0 ? def.left_zone + " -> " + def.right_zone
                                                        : def.right_zone + " -> " + def.left_zone);
                    b.add(spec, t, {i}, c.where, std::move(detail));
                    armed = false;
                }
                away_since = spec.direction == 0 ? t : -1;
            } else {
                away_since = t;  // back on the `from` side
            }
        }
    }
}

void approach(const rules::RuleBook& book, const RuleSpec& spec, std::size_t i,
              const std::vector<Sample>& ss, Builder& b) {
    Place place(book, spec);
    const double horizon = spec.time_to_reach.seconds();
    level(
        ss, spec.dwell, spec.clear_after, false,
        [&](const Sample& s) {
            const bool inside = !place.is_line() && place.inside(s);
            const bool near = spec.near_m > 0 && place.closer_than(s, spec.near_m);
            bool reaches = false;
            const double speed = s.speed();
            if (!inside && horizon > 0 && speed >= spec.min_speed_mps) {
                const double reach = speed * horizon;
                if (place.closer_than(s, reach)) {
                    const LatLon dest = geo::geodesic_destination(s.p, s.course_deg(), reach);
                    for (const geo::Crossing& c : place.crossings(s.p, dest)) {
                        const int dir = c.entering ? +1 : -1;
                        if (place.is_line() ? (spec.direction == 0 || dir == spec.direction)
                                            : c.entering) {
                            reaches = true;
                            break;
                        }
                    }
                }
            }
            return std::pair{!inside && (near || reaches), inside || near || reaches};
        },
        [&](const Sample& s) { b.add(spec, s.t_s, {i}, s.p, "approaching " + spec.place); },
        [&](double t) { b.held_until(t); });
}

void behaviour(const TruthInputs& in, const rules::RuleBook& book, const RuleSpec& spec,
               std::size_t i, const std::vector<Sample>& ss, Builder& b) {
    Area area(book, spec, spec.within_m);
    switch (spec.kind) {
        case AlertKind::speeding:
            level(
                ss, spec.dwell, spec.clear_after, false,
                [&](const Sample& s) {
                    const bool c = s.speed() > spec.above_speed_mps && area.contains(s);
                    return std::pair{c, c};
                },
                [&](const Sample& s) {
                    b.add(spec, s.t_s, {i}, s.p, fmt("%.1f kn", s.speed() / kKnotToMps));
                },
                [&](double t) { b.held_until(t); });
            break;
        case AlertKind::dark_target: {
            // Dark: no AIS identity can be known, because none has been heard yet. A target
            // heard once and then silent keeps its identity: that is an AIS gap, not dark. A
            // transponder sending an MMSI no ship may have (0, a factory default, a test
            // pattern) gives no identity either: the control room has no one to call, so it is
            // dark (and its reports an AIS anomaly), docs/rules.md.
            const bool identifies = sensors::ais::plausible_mobile_mmsi(in.targets[i].ais.mmsi);
            bool heard = false;
            level(
                ss, spec.dwell, spec.clear_after, false,
                [&](const Sample& s) {
                    heard = heard || (s.ais_heard && identifies);
                    const bool c = !heard && area.contains(s);
                    return std::pair{c, c};
                },
                [&](const Sample& s) { b.add(spec, s.t_s, {i}, s.p, "no AIS heard yet"); },
                [&](double t) { b.held_until(t); });
            break;
        }
        case AlertKind::loitering:
            level(
                ss, spec.dwell, spec.clear_after, false,
                [&](const Sample& s) {
                    const bool c = s.mean_speed() < spec.below_speed_mps && area.contains(s);
                    return std::pair{c, c};
                },
                [&](const Sample& s) {
                    b.add(spec, s.t_s, {i}, s.p, fmt("slow for %.0f s", spec.dwell.seconds()));
                },
                [&](double t) { b.held_until(t); });
            break;
        case AlertKind::ais_gap: {
            double last_heard = -1;
            level(
                ss, Duration{0}, spec.clear_after, false,
                [&](const Sample& s) {
                    if (s.ais_heard) last_heard = s.heard_at_s;
                    // The rule's silence is measured against radar: it holds the target.
                    const bool c = last_heard >= 0 && s.t_s - last_heard > spec.gap.seconds() &&
                                   s.radar_cover && area.contains(s);
                    return std::pair{c, c};
                },
                [&](const Sample& s) {
                    b.add(spec, s.t_s, {i}, s.p, fmt("AIS silent for %.0f s", s.t_s - last_heard));
                },
                [&](double t) { b.held_until(t); });
            break;
        }
        case AlertKind::ais_anomaly: {
            const AisSpec& ais = in.targets[i].ais;
            if (ais.cls == AisClass::none) break;
            if (std::isfinite(ais.spoof_from_s) &&
                reason_accepted(spec, {AnomalyReason::impossible_jump,
                                       AnomalyReason::position_disagrees_with_track,
                                       AnomalyReason::position_jump})) {
                // The area filter sees the report: either position may be the one inside.
                const auto report_outside = [&](const Sample& s) {
                    return spec.zone && !book.zones_of(*spec.zone).contains(spec.zone->zone, s.p) &&
                           !book.zones_of(*spec.zone).contains(spec.zone->zone, ais.spoof_position);
                };
                // The jump between the true and the spoofed position, either way.
                const auto add_jump = [&](const Sample& s, const char* what) {
                    TruthEvent& e = b.add(
                        spec, s.t_s, {i}, s.p,
                        what + fmt(" %.1f km away",
                                   geo::geodesic_distance_m(s.p, ais.spoof_position) / 1000.0));
                    e.reported = ais.spoof_position;
                };
                for (const Sample& s : ss) {
                    if (s.t_s < ais.spoof_from_s || s.t_s >= ais.spoof_to_s) continue;
                    if (!s.ais_heard) continue;
                    if (report_outside(s)) continue;
                    add_jump(s, "AIS position spoofed");
                    break;
                }
                // A spoof that ends jumps back: the first true report after it is as far from the
                // last false one as the first false one was from the truth, an impossible jump
                // the rule raises again (Honduras, Sixaola: 900 and 1,080 s after it began; it
                // was scored a false entry while no truth said it).
                bool spoofed = false;
                for (const Sample& s : ss) {
                    if (!s.ais_heard) continue;
                    if (s.t_s < ais.spoof_to_s) {
                        spoofed = spoofed || s.t_s >= ais.spoof_from_s;
                        continue;
                    }
                    if (!spoofed) break;
                    if (report_outside(s)) break;
                    add_jump(s, "AIS position back from a spoof");
                    break;
                }
            }
            if (!sensors::ais::plausible_mobile_mmsi(ais.mmsi) &&
                reason_accepted(spec, {AnomalyReason::invalid_mmsi})) {
                // Every report carries the MMSI: the state holds while the transponder is heard
                // in the area (a track that takes it later, 30 min on, raises it again).
                bool raised = false;
                for (const Sample& s : ss) {
                    if (!s.ais_heard || !area.contains(s)) continue;
                    if (!raised) b.add(spec, s.t_s, {i}, s.p, "invalid MMSI");
                    raised = true;
                    b.held_until(s.t_s);
                }
            }
            break;
        }
        default:
            break;
    }
}

/// Ground sensors and cameras: a target of an accepted class coming into a sensor's reach.
void ground_detections(const TruthInputs& in, const rules::RuleBook& book, const RuleSpec& spec,
                       std::size_t i, const std::vector<Sample>& ss, Builder& b) {
    const TargetSpec& target = in.targets[i];
    if (!class_accepted(spec, target.kind)) return;
    auto watched = [&](LatLon where) {
        if (spec.line) return book.lines[*spec.line].line.distance_m(where) < spec.within_m;
        if (spec.zone) return book.zones_of(*spec.zone).contains(spec.zone->zone, where);
        return true;
    };
    if (sensor_accepted(spec, SensorKind::ugs) && on_land(target.kind)) {
        for (std::size_t u = 0; u < in.scenario.ugs.size(); ++u) {
            const UgsSpec& ugs = in.scenario.ugs[u];
            if (!watched(ugs.position)) continue;  // the event is placed at the sensor
            const Eigen::Vector2d centre = in.frame.to_en(ugs.position);
            UgsVisit visit(in, u, i);
            level(
                ss, Duration{0}, spec.clear_after, false,
                [&](const Sample& s) {
                    const bool c = visit.detected((s.en - centre).norm() <= ugs.radius_m, s.t_s);
                    return std::pair{c, c};
                },
                [&](const Sample& s) {
                    b.add(spec, s.t_s, {i}, s.p, "entered " + ugs.feed.id + " radius");
                });
        }
    }
    if (sensor_accepted(spec, SensorKind::camera)) {
        for (const CameraSpec& cam : in.scenario.cameras) {
            const Eigen::Vector2d site = in.frame.to_en(cam.site.position);
            level(
                ss, Duration{0}, spec.clear_after, false,
                [&](const Sample& s) {
                    if ((s.en - site).norm() > cam.range_m * 1.02 + 50)
                        return std::pair{false, false};
                    const double range = geo::geodesic_distance_m(cam.site.position, s.p);
                    const double bearing = geo::geodesic_bearing_deg(cam.site.position, s.p);
                    const double off =
                        std::fmod(bearing - cam.site.boresight_deg + 540.0, 360.0) - 180.0;
                    const bool c = range <= cam.range_m && range >= 1.0 &&
                                   std::abs(off) <= cam.fov_deg / 2 && watched(s.p);
                    return std::pair{c, c};
                },
                [&](const Sample& s) {
                    b.add(spec, s.t_s, {i}, s.p, "in " + cam.feed.id + " view");
                });
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Pairs: rendezvous.

struct SlowSample {
    std::size_t target;
    Eigen::Vector2d en;
    LatLon p;
    double mean_speed_mps;
};

void rendezvous(const rules::RuleBook& book, const RuleSpec& spec,
                const std::map<std::int64_t, std::vector<SlowSample>>& slow_by_second, Builder& b) {
    Place zone(book, spec);
    struct PairState {
        ConditionLatch latch;
        std::int64_t seen{-1};
    };
    std::map<std::pair<std::size_t, std::size_t>, PairState> pairs;
    // Pairs not close (or not slow) at `sec` fail their condition.
    auto fail_unseen = [&](std::int64_t sec) {
        for (auto it = pairs.begin(); it != pairs.end();) {
            PairState& ps = it->second;
            if (ps.seen != sec) {
                ps.latch.step(false, false, at(static_cast<double>(sec)), spec.dwell,
                              spec.clear_after);
                if (!ps.latch.on && ps.latch.pending_since_ns == ConditionLatch::kUnset) {
                    it = pairs.erase(it);
                    continue;
                }
            }
            ++it;
        }
    };
    std::int64_t prev = -1;
    for (const auto& [sec, slow] : slow_by_second) {
        if (prev >= 0 && sec > prev + 1) fail_unseen(prev + 1);  // nobody slow in between
        prev = sec;
        const Timestamp now = at(static_cast<double>(sec));
        for (std::size_t x = 0; x < slow.size(); ++x) {
            for (std::size_t y = x + 1; y < slow.size(); ++y) {
                const SlowSample& a = slow[x];
                const SlowSample& c = slow[y];
                if ((a.en - c.en).norm() >= spec.pair_distance_m) continue;
                if (spec.zone && !(book.zones_of(*spec.zone).contains(spec.zone->zone, a.p) &&
                                   book.zones_of(*spec.zone).contains(spec.zone->zone, c.p)))
                    continue;
                auto key = std::minmax(a.target, c.target);
                PairState& ps = pairs[key];
                ps.seen = sec;
                if (ps.latch.step(true, true, now, spec.dwell, spec.clear_after) ==
                    LatchEvent::turned_on) {
                    b.add(spec, static_cast<double>(sec), {key.first, key.second},
                          geo::geodesic_destination(a.p, geo::geodesic_bearing_deg(a.p, c.p),
                                                    (a.en - c.en).norm() / 2),
                          "rendezvous");
                }
            }
        }
        fail_unseen(sec);
    }
}

}  // namespace

std::vector<TruthEvent> rule_truth_events(const TruthInputs& in, const rules::RuleBook& book) {
    std::vector<TruthEvent> out;
    Builder b(in, out);
    SensorSites sites;
    for (const AisReceiverSpec& r : in.scenario.ais_receivers)
        sites.receivers_en.push_back(in.frame.to_en(r.position));
    for (const RadarSpec& r : in.scenario.radars)
        sites.radars_en.push_back(in.frame.to_en(r.site.position));
    double slowest_rendezvous = -1;
    for (const RuleSpec& spec : book.rules)
        if (spec.kind == AlertKind::rendezvous)
            slowest_rendezvous = std::max(slowest_rendezvous, spec.below_speed_mps);
    std::map<std::int64_t, std::vector<SlowSample>> slow_by_second;

    for (std::size_t i = 0; i < in.targets.size(); ++i) {
        const std::vector<Sample> ss = sample_target(in, i, sites);
        if (ss.empty()) continue;
        for (const RuleSpec& spec : book.rules) {
            if (exempt(book, spec, in.targets[i])) continue;
            switch (spec.kind) {
                case AlertKind::zone_entry:
                case AlertKind::zone_exit:
                case AlertKind::zone_presence:
                    zone_membership(in, book, spec, i, ss, b);
                    break;
                case AlertKind::border_crossing:
                    border_crossings(in, book, spec, i, b);
                    break;
                case AlertKind::approach:
                    approach(book, spec, i, ss, b);
                    break;
                case AlertKind::ground_detection:
                    ground_detections(in, book, spec, i, ss, b);
                    break;
                case AlertKind::rendezvous:
                    break;
                default:
                    behaviour(in, book, spec, i, ss, b);
                    break;
            }
        }
        if (slowest_rendezvous > 0) {
            bool exempt_all = true;  // exemptions differ per rule: keep the target if any applies
            for (const RuleSpec& spec : book.rules)
                if (spec.kind == AlertKind::rendezvous && !exempt(book, spec, in.targets[i]))
                    exempt_all = false;
            if (!exempt_all)
                for (const Sample& s : ss)
                    if (s.mean_speed() < slowest_rendezvous)
                        slow_by_second[static_cast<std::int64_t>(s.t_s)].push_back(
                            {i, s.en, s.p, s.mean_speed()});
        }
    }
    for (const RuleSpec& spec : book.rules) {
        if (spec.kind != AlertKind::rendezvous) continue;
        std::map<std::int64_t, std::vector<SlowSample>> mine;
        for (const auto& [sec, slow] : slow_by_second) {
            std::vector<SlowSample> keep;
            for (const SlowSample& s : slow)
                if (s.mean_speed_mps < spec.below_speed_mps &&
                    !exempt(book, spec, in.targets[s.target]))
                    keep.push_back(s);
            if (!keep.empty()) mine.emplace(sec, std::move(keep));
        }
        rendezvous(book, spec, mine, b);
    }
    std::stable_sort(out.begin(), out.end(), [](const TruthEvent& a, const TruthEvent& c) {
        if (a.time != c.time) return a.time < c.time;
        if (a.kind != c.kind) return a.kind < c.kind;
        return a.truth_ids < c.truth_ids;
    });
    return out;
}

}  // namespace picket::sim
