// The Initiator: which plots nobody took may start a track, and a new track's state.
#include "filters/tracker.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <numbers>

#include "filters/frame_geometry.hpp"
#include "filters/tracker_internal.hpp"

namespace picket::filters {
using namespace detail;

Gaussian Tracker::initial_state(const Prepared& p, double speed_sigma_mps) const {
    Gaussian g;
    g.x.setZero();
    g.x.head<2>() = p.pos_en;
    g.P.setZero();
    g.P.topLeftCorner<2, 2>() = p.pos_cov;
    if (p.has_start_velocity) {
        g.x.segment<2>(2) = p.vel_en;
        g.P.block<2, 2>(2, 2) = p.vel_cov;
    } else {
        g.P(2, 2) = g.P(3, 3) = speed_sigma_mps * speed_sigma_mps;
    }
    g.P(4, 4) = cfg_.init_turn_rate_sigma_radps * cfg_.init_turn_rate_sigma_radps;
    return g;
}

void Tracker::initiate(const Measurement& m, const Prepared& p) {
    // An air-watching radar's plot is an aircraft's: fast, and turning harder than a ship.
    const bool air = m.sensor != SensorKind::ais && feed_watches(m.feed) == Watches::air;
    TargetClass target_class = TargetClass::unknown;
    switch (m.sensor) {
        case SensorKind::ais:
            target_class = TargetClass::vessel;
            break;
        case SensorKind::ugs:
            target_class = TargetClass::person;
            break;
        default:
            target_class = air ? TargetClass::aircraft : TargetClass::unknown;
            break;
    }
    if (m.target_class != TargetClass::unknown && m.class_confidence >= cfg_.class_confidence_min)
        target_class = m.target_class;
    // A ground sensor's person starts with a person's velocity spread, not a boat's
    // (TrackerConfig).
    const auto c = static_cast<std::size_t>(target_class);
    const double class_sigma =
        m.sensor == SensorKind::ugs && c < cfg_.class_init_speed_sigma_mps.size()
            ? cfg_.class_init_speed_sigma_mps[c]
            : 0;
    const double speed_sigma = air               ? cfg_.air_init_speed_sigma_mps
                               : class_sigma > 0 ? class_sigma
                                                 : cfg_.init_speed_sigma_mps;
    Gaussian g = initial_state(p, speed_sigma);
    if (!make_covariance_healthy(g.P) || !g.x.allFinite()) {
        ++counters_.invalid;
        return;
    }
    TrackState s;
    s.filter = TrackFilter(g, kind_);
    s.anchor = s.filter;
    s.t = s.anchor_t = p.t;
    s.latency_allowance = batch_allowance_;
    s.init_feed = m.feed;
    s.init_kind = m.sensor;
    s.hit_batch = batch_serial_;
    Track t;
    t.id = next_id_++;
    t.born = t.updated = p.t;
    t.seen_by.add(m.sensor);
    t.target_class = target_class;
    if (m.sensor == SensorKind::ais) {
        t.last_ais = p.t;
        note_ais_report(s, p);
    } else {
        s.last_sensor_update = p.t;
        s.last_sensor_feed = m.feed;
        s.has_sensor_update = true;
        s.recent_hits[0] = {p.t, m.feed, true, m.source_object_id};
        s.recent_next = 1;
        s.source_object = m.source_object_id;
        s.source_feed = m.feed;
        s.source_t = p.t;
    }
    // The starting plot is the track's first look (a hit); its existence starts at the prior
    // of one unexplained plot.
    s.life.r = cfg_.life.new_track_probability;
    s.life.r_t = p.t;
    s.life.looks = s.life.hits = 1;
    s.life.look_bits = 1;
    s.life.hold(m.feed, p.t);
    const LifecycleSettings::MofN& mn =
        cfg_.life.confirm_m_of_n[static_cast<std::size_t>(m.sensor)];
    // A Mode S plot the radar's own tracker confirms names its aircraft (docs/radar.md, "Mode S
    // identity"): confirmed at once, as an AIS report is.
    const bool identified = m.aircraft_address != 0 && m.source_confirmed;
    if (mn.m == 1 || identified) {
        t.status = TrackStatus::confirmed;
        s.life.ever_confirmed = true;
        s.life.r = std::max(s.life.r, cfg_.life.confirm_probability);
        ++counters_.confirmed;
    }
    s.stale = true;
    s.changed = true;
    changed_ids_.push_back(t.id);
    stale_ids_.push_back(t.id);
    refresh_summary(s);
    states_.push_back(std::move(s));
    public_.push_back(std::move(t));
    ++counters_.initiated;
    if (m.sensor == SensorKind::ais && m.mmsi) {
        // Another (dead or unreachable) owner loses the MMSI: the newest report wins.
        bind_mmsi(states_.size() - 1, *m.mmsi);
    }
    if (m.aircraft_address != 0) note_aircraft_address(states_.size() - 1, m, p.t);
}

// ---------------------------------------------------------------------------------------------
// Initiate: plots nobody took start tracks, unless they may be a confirmed track's own.

void Tracker::initiate_unassigned(std::span<const Measurement> batch,
                                  const std::vector<Prepared>& prep) {
    const std::size_t M = prep.size();
    // A sensor returns one plot per target per look. A confirmed track that took a plot of this
    // look (in this batch or an earlier one) has had its return, so another plot in its wide
    // gate, resolved from it, is another object (a skiff lying 300 m off a ship, inside the ship
    // track's wide gate at 20 km range; a second walker 80 m behind the first) and may start a
    // track; near a track that took none, the plot may be its own, just outside the gate. Two plots
    // of one look closer than the sensor's own noise are one object's split return.
    auto resolved = [&](const Prepared& p, const TrackState& s) {
        if (!p.has_position) return false;
        const Eigen::Vector2d d = p.pos_en - s.xs.head<2>();
        return d.dot(p.pos_cov.ldlt().solve(d)) > resolved_d2_;
    };
    gated_by_confirmed_.assign(M, 0);
    for (const auto& [j, i] : wide_gated_) {
        const Measurement& m = batch[prep[j].index];
        const bool had_its_plot = took_plot_[i] || took_same_look(states_[i], m.feed, prep[j].t);
        if (!had_its_plot || !resolved(prep[j], states_[i])) gated_by_confirmed_[j] = 1;
    }
    for (std::uint32_t j = 0; j < M; ++j) {
        if (assigned_[j]) continue;
        const Prepared& p = prep[j];
        const Measurement& m = batch[p.index];
        if (gated_by_confirmed_[j] || !p.has_position ||
            !cfg_.can_initiate[static_cast<std::size_t>(m.sensor)]) {
            ++counters_.gated_out;
            continue;
        }
        // One aircraft, one track: a Mode S plot its address's track did not take goes to that
        // track (docs/radar.md, "Mode S identity"), not to a second track of the same aircraft.
        if (m.aircraft_address != 0 && take_by_address(m, p)) continue;
        initiate(m, p);
    }
}

}  // namespace picket::filters
