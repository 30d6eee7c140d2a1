// AIS identity: reports bound to a track by MMSI, spoof and jump detection, static data, operator
// commands.
#include "filters/tracker.hpp"

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "filters/chi_square.hpp"
#include "filters/frame_geometry.hpp"
#include "filters/jpda.hpp"
#include "filters/tracker_internal.hpp"

namespace picket::filters {
using namespace detail;

namespace {
/// An AIS report as its position alone (its course and speed left out): what a report the
/// track's velocity gate refused, or one judged against another track, is fused or scored as.
Tracker::Prepared position_only(const Tracker::Prepared& p) {
    Tracker::Prepared out = p;
    out.obs.kind = ObsKind::position;
    out.obs.z = p.pos_en;
    out.obs.R = p.pos_cov;
    out.has_velocity = false;
    return out;
}
}  // namespace

// ---------------------------------------------------------------------------------------------
// AIS reports whose MMSI is already bound to a track: identity decides the association.

bool Tracker::handle_bound_ais(const Measurement& m, const Prepared& p) {
    auto own = mmsi_owner_.find(*m.mmsi);
    if (own == mmsi_owner_.end()) return false;
    const std::size_t i = index_of(own->second);
    if (i == static_cast<std::size_t>(-1) || states_[i].dead) {
        mmsi_owner_.erase(own);
        return false;
    }
    TrackState& s = states_[i];
    Track& t = public_[i];
    TrackFilter prior;
    if (!prior_at(s, p.t, prior)) {
        ++counters_.late_dropped;
        return true;
    }
    const Gaussian predicted = prior.combined();
    const InnovationScore in = innovation_score(predicted, p.obs);
    const int dof = obs_dim(p.obs.kind);
    auto update_with = [&](const Observation& obs, const Prepared& prep,
                           const InnovationScore& sc) {
        TrackFilter upd = prior;
        const double log_g =
            -0.5 * (sc.d2 + sc.log_det_S + obs_dim(obs.kind) * std::log(2 * std::numbers::pi));
        if (upd.update(obs, kind_)) {
            apply_update(i, m, prep, upd, log_g);
        } else {
            ++counters_.numeric_rejects;
        }
        return true;
    };
    if (in.ok && in.d2 <= gate_[static_cast<std::size_t>(dof)]) return update_with(p.obs, p, in);
    if (p.obs.kind == ObsKind::position_velocity) {
        // The report is where the track expects the vessel but its course or speed is not: the
        // ship turned or slowed between reports (a 20 deg course change in 6 s is far outside a
        // steady track's velocity gate). A manoeuvre, not a jump: update with the position and
        // let the next reports bring the velocity along.
        Prepared pos_only = position_only(p);
        pos_only.log_clutter = p.log_clutter - std::log(kVelocityClutterPerMps2);  // no velocity
        const InnovationScore ip = innovation_score(predicted, pos_only.obs);
        if (ip.ok && ip.d2 <= gate_[2]) return update_with(pos_only.obs, pos_only, ip);
    }
    const Eigen::Vector2d pred = predicted.x.head<2>();
    const double dist = (p.pos_en - pred).norm();
    // Outside its own track's gate, the report may still be right and the track wrong: a skiff
    // leaving from alongside an anchored reefer passed 15 m from it, the reefer's track took the
    // skiff's plots and ran off with it, and a radar track born on the reefer was "dark" beside
    // the reefer's own AIS reports (Sixaola, issue 14). The identity moves to the track the
    // report fits; the old track, unidentified, is what its plots make it (a duplicate the merge
    // pass fuses, or a target of its own).
    if (const std::size_t j = identity_moves_to(i, p); j != static_cast<std::size_t>(-1)) {
        TrackFilter prior_j;
        if (prior_at(states_[j], p.t, prior_j)) {
            const Prepared pos_only = position_only(p);
            const InnovationScore ij = innovation_score(prior_j.combined(), pos_only.obs);
            TrackFilter upd = prior_j;
            if (ij.ok && upd.update(pos_only.obs, kind_)) {
                ++counters_.identity_moves;
                s.mmsi.reset();
                t.identity.reset();
                mark_stale(i);
                mark(changed_ids_, s.changed, t.id);
                const double log_g =
                    -0.5 * (ij.d2 + ij.log_det_S + 2 * std::log(2 * std::numbers::pi));
                apply_update(j, m, pos_only, upd, log_g);  // binds the MMSI to track j
                return true;
            }
        }
    }
    const bool sensor_held =
        s.has_sensor_update && (p.t - s.last_sensor_update).seconds() <= cfg_.spoof_recency_s;
    if (sensor_held) {
        if (dist > cfg_.spoof_distance_m) {
            ++counters_.spoof_flags;
            if (!t.spoof_suspect) {
                t.spoof_suspect = true;
                mark_stale(i);
                mark(changed_ids_, s.changed, t.id);
                anomalies_.push_back(Anomaly{t.id, *m.mmsi,
                                             AnomalyReason::position_disagrees_with_track,
                                             frame_.to_latlon(p.pos_en), p.t, dist});
            }
        } else {
            ++counters_.gated_out;
        }
        return true;
    }
    // AIS-only track and the vessel "jumped": restart the estimate at the report, flag it.
    Gaussian g = initial_state(p, cfg_.init_speed_sigma_mps);
    if (!make_covariance_healthy(g.P)) return true;
    s.filter = TrackFilter(g, kind_);
    s.anchor = s.filter;
    if (p.t >= s.t) s.latency_allowance = batch_allowance_;
    s.anchor_t = s.t = std::max(s.t, p.t);
    s.hist.clear();
    refresh_summary(s);
    gate_index_.touch(static_cast<std::uint32_t>(i));
    note_ais_report(s, p);
    if (!t.ais_jump) {
        t.ais_jump = true;
        anomalies_.push_back(Anomaly{t.id, *m.mmsi, AnomalyReason::position_jump,
                                     frame_.to_latlon(p.pos_en), p.t, dist});
    }
    t.last_ais = p.t;
    mark_stale(i);
    mark(changed_ids_, s.changed, t.id);
    return true;
}

void Tracker::note_ais_report(TrackState& s, const Prepared& p) {
    if (!p.has_position || (s.has_ais_report && p.t < s.ais_t)) return;
    s.ais_pos = p.pos_en;
    s.ais_vel = p.has_start_velocity ? p.vel_en : Eigen::Vector2d::Zero();
    s.ais_t = p.t;
    s.has_ais_report = true;
    s.ais_track_xs = s.xs;
    s.ais_track_t = s.t;
    s.ais_track_pos_var = s.pos_var;
    s.ais_track_vel_var = s.vel_var;
}

Tracker::Reckoned Tracker::vessel_reckoned(const TrackState& o, Timestamp t) const {
    const double dt = std::max(0.0, (t - o.ais_track_t).seconds());
    const FilterSettings& fs = settings_for(o);
    // The larger of the steady and the manoeuvring mode's noise, as the pre-gate's: the vessel
    // may have turned or slowed since (white acceleration: q^2 dt^3 / 3 per axis).
    const double q = std::max(fs.noise.accel_sigma_mps2, fs.turn_noise.accel_sigma_mps2);
    return Reckoned{
        o.ais_track_xs.head<2>() + o.ais_track_xs.tail<2>() * dt,
        0.5 * (o.ais_track_pos_var + o.ais_track_vel_var * dt * dt) + q * q * dt * dt * dt / 3};
}

std::size_t Tracker::identity_moves_to(std::size_t owner, const Prepared& p) const {
    constexpr auto kNone = static_cast<std::size_t>(-1);
    const TrackState& o = states_[owner];
    // A track already suspected of a spoof keeps its identity: the reports are what is in doubt.
    if (public_[owner].spoof_suspect || !o.has_ais_report || !(p.t > o.ais_t)) return kNone;
    // Whose story broke: the vessel's reports or its track's plots? Dead-reckoned from its last
    // report, the vessel is where this report says (a spoof's first false report jumps away from
    // it, and the track, still on the vessel, stays near it: flagged below as before), while the
    // track went elsewhere. Bounded at the quietest reporting interval (3 min at anchor): older
    // than that, the last report says too little.
    const double dt = (p.t - o.ais_t).seconds();
    if (dt > kQuietestAisReportS) return kNone;
    const Eigen::Vector2d reckoned = o.ais_pos + o.ais_vel * dt;
    const Eigen::Vector2d track_now = o.xs.head<2>() + o.xs.tail<2>() * (p.t - o.t).seconds();
    const double report_off = (p.pos_en - reckoned).norm();
    if (!(report_off < (track_now - reckoned).norm())) return kNone;
    // A spoofer's reports continue their own story too, each where the last one's course and
    // speed put it, and can walk the identity onto a dark boat (a smuggler's cover). What it
    // cannot move is the radar's plots of the vessel. So the move needs the vessel's plots to
    // have left the old track for the new one:
    //  - the new track was born after the vessel's last report (a track older than that was
    //    another object when the vessel last reported: a dark boat tracked all along);
    //  - if plots held the old track since that report, where its state then, dead-reckoned,
    //    puts the vessel, the new track is and the old one is not (it took another target's
    //    plots). A move that leaves a plot-held track on the vessel's own path is a spoof
    //    (flagged below). A track only coasting since says nothing of it: a ferry that turned
    //    left its track coasting straight on, before its report's new course was fused, and a
    //    new track took its plots (Honduras).
    const Reckoned own = vessel_reckoned(o, p.t);
    const bool plots_since = o.has_sensor_update && o.last_sensor_update > o.ais_t;
    if (plots_since &&
        (track_now - own.pos).squaredNorm() <= gate_[2] * (own.var + 0.5 * o.pos_var))
        return kNone;
    // The one unidentified track a sensor holds now that the report's position gates. A linear
    // scan: it runs only for a report outside its own track's gate, which is rare.
    const Observation pos_obs = position_only(p).obs;
    std::size_t best = kNone;
    double best_d2 = gate_[2];
    for (std::size_t j = 0; j < states_.size(); ++j) {
        const TrackState& c = states_[j];
        if (j == owner || c.dead || c.mmsi || c.aircraft_address != 0) continue;
        if (public_[j].status == TrackStatus::tentative || !c.has_sensor_update ||
            (p.t - c.last_sensor_update).seconds() > cfg_.spoof_recency_s ||
            !(public_[j].born > o.ais_t))
            continue;
        TrackFilter prior;
        if (!prior_at(c, p.t, prior)) continue;
        const Gaussian g = prior.combined();
        const double var = own.var + 0.5 * g.P.topLeftCorner<2, 2>().trace();
        if (plots_since && (g.x.head<2>() - own.pos).squaredNorm() > gate_[2] * var) continue;
        const InnovationScore sc = innovation_score(g, pos_obs);
        if (sc.ok && sc.d2 <= best_d2) {
            best_d2 = sc.d2;
            best = j;
        }
    }
    return best;
}

void Tracker::bind_mmsi(std::size_t i, Mmsi mmsi) {
    TrackState& s = states_[i];
    Track& t = public_[i];
    if (!s.mmsi || *s.mmsi != mmsi) {
        if (s.mmsi) {
            auto it = mmsi_owner_.find(*s.mmsi);
            if (it != mmsi_owner_.end() && it->second == t.id) mmsi_owner_.erase(it);
        }
        s.mmsi = mmsi;
        mmsi_owner_[mmsi] = t.id;
    }
    auto id = identities_.find(mmsi);
    t.identity = id != identities_.end() ? id->second : Identity{mmsi};
    if (!s.class_locked && (t.target_class == TargetClass::unknown)) {
        t.target_class = class_from_ship_type(t.identity->ship_type);
        gate_index_.touch(static_cast<std::uint32_t>(i));  // the class sets the gate's noise
    }
}

void Tracker::update_identity(const Identity& id) {
    identities_[id.mmsi] = id;
    auto own = mmsi_owner_.find(id.mmsi);
    if (own == mmsi_owner_.end()) return;
    const std::size_t i = index_of(own->second);
    if (i == static_cast<std::size_t>(-1)) return;
    public_[i].identity = id;
    if (!states_[i].class_locked) {
        const TargetClass c = class_from_ship_type(id.ship_type);
        if (public_[i].target_class == TargetClass::unknown ||
            public_[i].target_class == TargetClass::vessel ||
            public_[i].target_class == TargetClass::fast_boat)
            public_[i].target_class = c;
        gate_index_.touch(static_cast<std::uint32_t>(i));
    }
    mark(changed_ids_, states_[i].changed, public_[i].id);
}

bool Tracker::set_standing(TrackId id, Standing st) {
    const std::size_t i = index_of(id);
    if (i == static_cast<std::size_t>(-1)) return false;
    public_[i].standing = st;
    mark(changed_ids_, states_[i].changed, id);
    return true;
}

bool Tracker::set_class(TrackId id, TargetClass c) {
    const std::size_t i = index_of(id);
    if (i == static_cast<std::size_t>(-1)) return false;
    public_[i].target_class = c;
    states_[i].class_locked = true;
    gate_index_.touch(static_cast<std::uint32_t>(i));
    mark(changed_ids_, states_[i].changed, id);
    return true;
}

bool Tracker::set_label(TrackId id, std::string label) {
    const std::size_t i = index_of(id);
    if (i == static_cast<std::size_t>(-1)) return false;
    public_[i].label = std::move(label);
    mark(changed_ids_, states_[i].changed, id);
    return true;
}

}  // namespace picket::filters
