// The tracker: construction, measurement preparation, per-track state, updates, batches.
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

FilterKind filter_kind_from_string(const std::string& s) {
    if (s == "kf") return FilterKind::kf;
    if (s == "ekf") return FilterKind::ekf;
    if (s == "ukf") return FilterKind::ukf;
    if (s == "imm") return FilterKind::imm;
    throw std::invalid_argument("unknown filter '" + s + "' (kf, ekf, ukf or imm)");
}

Tracker::Tracker(TrackerConfig cfg)
    : cfg_(std::move(cfg)), frame_(cfg_.origin), kind_(filter_kind_from_string(cfg_.filter)) {
    if (cfg_.association == "gnn") {
        jpda_ = false;
    } else if (cfg_.association == "jpda") {
        jpda_ = true;
    } else {
        throw std::invalid_argument("unknown association '" + cfg_.association + "' (gnn or jpda)");
    }
    for (int d = 1; d <= 4; ++d) {
        gate_[static_cast<std::size_t>(d)] = chi_square_quantile(cfg_.gate_probability, d);
        init_gate_[static_cast<std::size_t>(d)] =
            std::max(gate_[static_cast<std::size_t>(d)], chi_square_quantile(1 - 1e-6, d));
    }
    resolved_d2_ = chi_square_quantile(0.99, 2);
    apart_d2_ = chi_square_quantile(0.9, 2);
    for (int c = 0; c < kTargetClassCount; ++c) {
        FilterSettings& s = settings_[static_cast<std::size_t>(c)];
        s.kind = kind_;
        s.noise = cfg_.class_noise[static_cast<std::size_t>(c)];
        s.turn_noise = cfg_.imm_turn_noise;
        if (kind_ == FilterKind::imm) {
            s.turn_noise.accel_sigma_mps2 =
                std::max(s.turn_noise.accel_sigma_mps2, s.noise.accel_sigma_mps2);
            s.noise.accel_sigma_mps2 *= cfg_.imm_cv_noise_scale;
        }
        s.cv_sojourn_s = cfg_.imm_cv_sojourn_s;
        s.ct_sojourn_s = cfg_.imm_ct_sojourn_s;
    }
}

const FilterSettings& Tracker::settings_for(const TrackState& s) const {
    const auto i = static_cast<std::size_t>(
        public_[static_cast<std::size_t>(&s - states_.data())].target_class);
    return settings_[i];
}

// ---------------------------------------------------------------------------------------------
// Measurement preparation

bool Tracker::prepare(const Measurement& m, std::uint32_t index, Prepared& p) const {
    p.index = index;
    p.t = m.observed;
    p.has_position = false;
    p.has_velocity = false;
    if (const auto* pz = std::get_if<PositionZ>(&m.z)) {
        p.pos_en = frame_.to_en(pz->where);
        const Eigen::Matrix2d rot =
            true_to_grid_rotation(grid_convergence_rad(cfg_.origin, pz->where));
        p.pos_cov = rot * pz->cov_en_m2 * rot.transpose();
        p.pos_cov = (0.5 * (p.pos_cov + p.pos_cov.transpose())).eval();
        if (!p.pos_en.allFinite() || !p.pos_cov.allFinite() || p.pos_cov(0, 0) <= 0 ||
            p.pos_cov.determinant() <= 0)
            return false;
        p.has_position = true;
        if (m.velocity && m.velocity->cov_m2ps2.allFinite() &&
            m.velocity->cov_m2ps2.determinant() > 0 && std::isfinite(m.velocity->east_mps) &&
            std::isfinite(m.velocity->north_mps)) {
            const Eigen::Vector2d v =
                rot * Eigen::Vector2d(m.velocity->east_mps, m.velocity->north_mps);
            const Eigen::Matrix2d vc = rot * m.velocity->cov_m2ps2 * rot.transpose();
            p.obs.kind = ObsKind::position_velocity;
            p.obs.z.resize(4);
            p.obs.z << p.pos_en, v;
            p.obs.R = ObsMat::Zero(4, 4);
            p.obs.R.topLeftCorner(2, 2) = p.pos_cov;
            p.obs.R.bottomRightCorner(2, 2) = 0.5 * (vc + vc.transpose());
            p.has_velocity = true;
        } else {
            p.obs.kind = ObsKind::position;
            p.obs.z = p.pos_en;
            p.obs.R = p.pos_cov;
        }
        p.sigma_m = std::sqrt(p.pos_cov.trace());
        return true;
    }
    if (const auto* pz = std::get_if<PolarZ>(&m.z)) {
        if (!std::isfinite(pz->range_m) || !std::isfinite(pz->bearing_rad) || pz->range_m < 0 ||
            !(pz->sigma_range_m > 0) || !(pz->sigma_bearing_rad > 0) ||
            !std::isfinite(pz->sigma_range_m) || !std::isfinite(pz->sigma_bearing_rad))
            return false;
        const Eigen::Vector2d site = frame_.to_en(pz->site.position);
        const double beta =
            wrap_pi(pz->bearing_rad + grid_convergence_rad(cfg_.origin, pz->site.position));
        const double r = pz->range_m;
        const double sb = std::sin(beta);
        const double cb = std::cos(beta);
        p.pos_en = site + r * Eigen::Vector2d(sb, cb);
        Eigen::Matrix2d J;
        J << sb, r * cb, cb, -r * sb;
        const Eigen::Matrix2d Rp = Eigen::Vector2d(pz->sigma_range_m * pz->sigma_range_m,
                                                   pz->sigma_bearing_rad * pz->sigma_bearing_rad)
                                       .asDiagonal();
        p.pos_cov = J * Rp * J.transpose();
        p.pos_cov = (0.5 * (p.pos_cov + p.pos_cov.transpose())).eval();
        if (p.pos_cov.determinant() <= 0) p.pos_cov += Eigen::Matrix2d::Identity() * 1e-6;
        p.has_position = true;
        p.sigma_m = std::max(pz->sigma_range_m, r * pz->sigma_bearing_rad);
        if (kind_ == FilterKind::kf) {
            // "kf": the classical converted-measurement Kalman filter.
            p.obs.kind = ObsKind::position;
            p.obs.z = p.pos_en;
            p.obs.R = p.pos_cov;
        } else {
            p.obs.kind = ObsKind::polar;
            p.obs.z.resize(2);
            p.obs.z << r, beta;
            p.obs.R = Rp;
            p.obs.site_en = site;
        }
        return p.pos_en.allFinite();
    }
    const auto& bz = std::get<BearingZ>(m.z);
    if (!std::isfinite(bz.bearing_rad) || !(bz.sigma_bearing_rad > 0) ||
        !std::isfinite(bz.sigma_bearing_rad))
        return false;
    p.obs.kind = ObsKind::bearing;
    p.obs.site_en = frame_.to_en(bz.site.position);
    p.obs.z.resize(1);
    p.obs.z << wrap_pi(bz.bearing_rad + grid_convergence_rad(cfg_.origin, bz.site.position));
    p.obs.R.resize(1, 1);
    p.obs.R << bz.sigma_bearing_rad * bz.sigma_bearing_rad;
    p.sigma_m = 0;
    return p.obs.site_en.allFinite();
}

// ---------------------------------------------------------------------------------------------
// Per-track state helpers

void Tracker::refresh_summary(TrackState& s) {
    const Gaussian g = s.filter.combined();
    s.xs = g.x.head<4>();
    s.pos_var = g.P(0, 0) + g.P(1, 1);
    s.vel_var = g.P(2, 2) + g.P(3, 3);
}

void Tracker::refresh_public(std::size_t i) {
    TrackState& s = states_[i];
    Track& t = public_[i];
    const Gaussian g = s.filter.combined();
    t.position = frame_.to_latlon(g.x.head<2>());
    // Velocity and covariance leave the grid axes for true east/north at the track.
    const Eigen::Matrix2d rot =
        true_to_grid_rotation(grid_convergence_rad(cfg_.origin, t.position));
    const Eigen::Matrix2d back = rot.transpose();
    const Eigen::Vector2d v = back * g.x.segment<2>(2);
    t.east_mps = v(0);
    t.north_mps = v(1);
    Eigen::Matrix4d R4 = Eigen::Matrix4d::Zero();
    R4.topLeftCorner<2, 2>() = back;
    R4.bottomRightCorner<2, 2>() = back;
    t.cov = R4 * g.P.topLeftCorner<4, 4>() * R4.transpose();
    t.cov = (0.5 * (t.cov + t.cov.transpose())).eval();
    t.updated = s.t;
}

void Tracker::push_history(TrackState& s, Timestamp t, const Observation& obs,
                           const TrackFilter& post) {
    auto pos = std::upper_bound(s.hist.begin(), s.hist.end(), t,
                                [](Timestamp a, const HistItem& h) { return a < h.t; });
    const std::size_t k =
        s.hist.emplace(static_cast<std::size_t>(pos - s.hist.begin()), t, obs, post);
    if (k + 1 < s.hist.size()) {
        // Inserted before later items: their stored posteriors are stale; re-filter from here.
        Timestamp tt;
        TrackFilter f = replay_prefix(s, k, tt);
        const FilterSettings& fs = settings_for(s);
        for (std::size_t j = k; j < s.hist.size(); ++j) {
            f.predict((s.hist[j].t - tt).seconds(), fs);
            f.update(s.hist[j].obs, kind_);
            s.hist[j].post = f;
            tt = s.hist[j].t;
        }
    }
    const Timestamp newest = s.hist.back().t;
    const Duration window = Duration::from_seconds(cfg_.latency_window_s);
    std::size_t drop = 0;
    while (drop < s.hist.size() && s.hist[drop].t < newest - window) ++drop;
    if (drop > 0) {
        s.anchor = s.hist[drop - 1].post;
        s.anchor_t = s.hist[drop - 1].t;
        s.hist.drop_front(drop);
    }
}

TrackFilter Tracker::replay(const TrackState& s, Timestamp upto, Timestamp& t_out) const {
    // The state after the last buffered update at or before `upto` is stored with it.
    auto it = std::upper_bound(s.hist.begin(), s.hist.end(), upto,
                               [](Timestamp a, const HistItem& h) { return a < h.t; });
    if (it == s.hist.begin()) {
        t_out = s.anchor_t;
        return s.anchor;
    }
    --it;
    t_out = it->t;
    return it->post;
}

TrackFilter Tracker::replay_prefix(const TrackState& s, std::size_t k, Timestamp& t_out) const {
    if (k == 0) {
        t_out = s.anchor_t;
        return s.anchor;
    }
    t_out = s.hist[k - 1].t;
    return s.hist[k - 1].post;
}

std::size_t Tracker::index_of(TrackId id) const {
    auto it = std::lower_bound(public_.begin(), public_.end(), id,
                               [](const Track& t, TrackId v) { return t.id < v; });
    if (it == public_.end() || it->id != id) return static_cast<std::size_t>(-1);
    return static_cast<std::size_t>(it - public_.begin());
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
    }
}

// ---------------------------------------------------------------------------------------------
// Commit one fused measurement

// Records a successful update of track i by measurement m (filter already updated for
// in-sequence data; for late data the history is re-processed here).
// Kept in one place so that every path (GNN, JPDA, bound AIS, late data) books alike.
void Tracker::apply_update(std::size_t i, const Measurement& m, const Prepared& p,
                           const TrackFilter& updated) {
    TrackState& s = states_[i];
    Track& t = public_[i];
    // Identity and class first: the class selects the process noise used when the buffer is
    // re-filtered below, exactly as an in-order tracker would have used it.
    if (m.sensor == SensorKind::ais && m.mmsi) bind_mmsi(i, *m.mmsi);
    if (m.sensor == SensorKind::camera && !s.class_locked &&
        m.target_class != TargetClass::unknown && m.class_confidence >= cfg_.class_confidence_min) {
        t.target_class = m.target_class;
    }
    if (p.t < s.t) {
        // Out of sequence: `updated` is the state at p.t; the buffer re-filters what follows.
        push_history(s, p.t, p.obs, updated);
        s.filter = s.hist.back().post;
        s.t = std::max(s.t, s.hist.back().t);
        ++counters_.late_used;
    } else {
        s.filter = updated;
        s.t = p.t;
        s.latency_allowance = batch_allowance_;
        push_history(s, p.t, p.obs, updated);
    }
    refresh_summary(s);
    ++counters_.associated;
    t.seen_by.add(m.sensor);
    if (m.sensor == SensorKind::ais) {
        if (!t.last_ais || *t.last_ais < p.t) t.last_ais = p.t;
    } else {
        if (!s.has_sensor_update || s.last_sensor_update < p.t) {
            s.last_sensor_update = p.t;
            s.last_sensor_feed = m.feed;
        }
        s.has_sensor_update = true;
        if (m.source_object_id != 0 && (s.source_object == 0 || !(p.t < s.source_t))) {
            s.source_object = m.source_object_id;
            s.source_feed = m.feed;
            s.source_t = p.t;
        }
    }
    if (t.status == TrackStatus::tentative) {
        ++s.hits;
        if (s.hits >= cfg_.confirm[static_cast<std::size_t>(s.init_kind)].m) {
            t.status = TrackStatus::confirmed;
            ++counters_.confirmed;
        }
    } else if (t.status == TrackStatus::coasting) {
        t.status = TrackStatus::confirmed;
    }
    s.hit_batch = batch_serial_;
    mark_stale(i);
    mark(changed_ids_, s.changed, t.id);
}

Gaussian Tracker::initial_state(const Prepared& p) const {
    Gaussian g;
    g.x.setZero();
    g.x.head<2>() = p.pos_en;
    g.P.setZero();
    g.P.topLeftCorner<2, 2>() = p.pos_cov;
    if (p.has_velocity) {
        g.x.segment<2>(2) = p.obs.z.segment(2, 2);
        g.P.block<2, 2>(2, 2) = p.obs.R.bottomRightCorner(2, 2);
    } else {
        g.P(2, 2) = g.P(3, 3) = cfg_.init_speed_sigma_mps * cfg_.init_speed_sigma_mps;
    }
    g.P(4, 4) = cfg_.init_turn_rate_sigma_radps * cfg_.init_turn_rate_sigma_radps;
    return g;
}

void Tracker::initiate(const Measurement& m, const Prepared& p) {
    Gaussian g = initial_state(p);
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
    switch (m.sensor) {
        case SensorKind::ais:
            t.target_class = TargetClass::vessel;
            break;
        case SensorKind::ugs:
            t.target_class = TargetClass::person;
            break;
        default:
            t.target_class = TargetClass::unknown;
            break;
    }
    if (m.target_class != TargetClass::unknown && m.class_confidence >= cfg_.class_confidence_min)
        t.target_class = m.target_class;
    if (m.sensor == SensorKind::ais) {
        t.last_ais = p.t;
    } else {
        s.last_sensor_update = p.t;
        s.has_sensor_update = true;
        s.source_object = m.source_object_id;
        s.source_feed = m.feed;
        s.source_t = p.t;
    }
    const ConfirmLogic& cl = cfg_.confirm[static_cast<std::size_t>(m.sensor)];
    if (cl.m <= 1) {
        t.status = TrackStatus::confirmed;
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
}

Tracker::BatchOutcome Tracker::process(std::span<const Measurement> batch) {
    if (batch.empty()) return {};
    Timestamp newest = batch[0].observed;
    for (const Measurement& m : batch) newest = std::max(newest, m.observed);
    return process(batch, newest);
}

Tracker::BatchOutcome Tracker::process(std::span<const Measurement> batch, Timestamp now,
                                       Duration latency_allowance) {
    // The caller's clock, never a measurement's: one sensor stamping a day ahead must not make
    // every other sensor's current data "late" (issue 12).
    if (!started_ || now > now_) now_ = now;
    started_ = true;
    if (batch.empty()) return {};
    const std::uint64_t late_before = counters_.late_dropped;
    const std::uint64_t ahead_before = counters_.ahead_dropped;
    ++batch_serial_;
    batch_allowance_ = latency_allowance;
    counters_.processed += batch.size();
    const Duration window = Duration::from_seconds(cfg_.latency_window_s);
    prep_.clear();
    std::optional<Timestamp> tmax;
    for (std::uint32_t k = 0; k < batch.size(); ++k) {
        const Measurement& m = batch[k];
        if (m.observed < now_ - window - latency_allowance) {
            ++counters_.late_dropped;
            continue;
        }
        if (m.observed > now_ + window) {
            // Stamped ahead of the clock by more than the window: a sensor clock running fast.
            // Fused, it would date its track in the future (the caller should have caught it).
            ++counters_.ahead_dropped;
            continue;
        }
        Prepared p;
        if (!prepare(m, k, p)) {
            ++counters_.invalid;
            continue;
        }
        tmax = tmax ? std::max(*tmax, m.observed) : m.observed;
        if (m.sensor == SensorKind::ais && m.mmsi && p.has_position && handle_bound_ais(m, p))
            continue;
        prep_.push_back(p);
    }
    associate_and_update(batch, prep_);
    if (tmax) end_of_batch_misses(batch[0].feed, *tmax);
    // A whole scan (batch mode, a radar's full rotation) gets its life-cycle pass at once; a
    // sector of a scan does not, or a radar sending 20 sectors per turn pays O(N log N) 20 times.
    finish_batch(batch.size() >= std::max<std::size_t>(8, states_.size() / 4));
    return {counters_.late_dropped - late_before, counters_.ahead_dropped - ahead_before};
}

void Tracker::set_scan_period(FeedIndex feed, double period_s) {
    if (!std::isfinite(period_s) || !(period_s > 0)) return;
    stated_period_s_[feed] = period_s;
}

std::optional<double> Tracker::scan_period(FeedIndex feed) const {
    auto it = stated_period_s_.find(feed);
    if (it == stated_period_s_.end()) return std::nullopt;
    return it->second;
}

void Tracker::advance(Timestamp now) {
    if (!started_ || now > now_) now_ = now;
    started_ = true;
    finish_batch(true);
}

Tracker::Changes Tracker::take_changes() {
    Changes c;
    std::sort(changed_ids_.begin(), changed_ids_.end());
    changed_ids_.erase(std::unique(changed_ids_.begin(), changed_ids_.end()), changed_ids_.end());
    for (TrackId id : changed_ids_) {
        const std::size_t i = index_of(id);
        if (i == static_cast<std::size_t>(-1)) continue;
        states_[i].changed = false;
        c.updated.push_back(id);
    }
    std::sort(deleted_ids_.begin(), deleted_ids_.end());
    c.deleted = std::move(deleted_ids_);
    changed_ids_.clear();
    deleted_ids_.clear();
    return c;
}

std::vector<Tracker::Anomaly> Tracker::take_anomalies() {
    std::vector<Anomaly> out = std::move(anomalies_);
    anomalies_.clear();
    return out;
}

std::vector<LocalTrack> Tracker::local_tracks(Timestamp at) const {
    std::vector<LocalTrack> out;
    out.reserve(states_.size());
    for (std::size_t i = 0; i < states_.size(); ++i) {
        const TrackState& s = states_[i];
        LocalTrack lt;
        lt.id = public_[i].id;
        lt.status = public_[i].status;
        const double dt = (at - s.t).seconds();
        lt.x = s.xs;
        lt.x.head<2>() += s.xs.tail<2>() * dt;
        lt.position_cov = s.filter.combined().P.topLeftCorner<2, 2>();
        out.push_back(lt);
    }
    return out;
}

std::size_t Tracker::bytes_per_track_estimate() const {
    if (states_.empty()) return sizeof(TrackState) + sizeof(Track);
    std::size_t total = 0;
    for (std::size_t i = 0; i < states_.size(); ++i) {
        total += sizeof(TrackState) + sizeof(Track) + states_[i].hist.capacity() * sizeof(HistItem);
        if (public_[i].identity)
            total +=
                public_[i].identity->name.capacity() + public_[i].identity->callsign.capacity();
    }
    // The id and pre-gate scratch (grid entries, prediction slot) per track.
    total +=
        states_.size() * (sizeof(std::pair<std::int64_t, std::uint32_t>) + sizeof(std::int32_t));
    return total / states_.size();
}

}  // namespace picket::filters
