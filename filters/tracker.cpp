// The tracker: construction, batches, feeds, changes and views. The roles are in the other
// tracker_*.cpp files: prepare, association (gate, associate, update), initiation, lifecycle
// (looks, deletion), merge, identity; the per-track state and its updates in tracker_update.cpp.
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
#include "geo/ground_range.hpp"

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
    : cfg_(std::move(cfg)),
      frame_(cfg_.origin),
      kind_(filter_kind_from_string(cfg_.filter)),
      associator_(make_associator(cfg_.association)),
      gate_index_(cfg_.grid_cell_m),
      multi_scan_(cfg_.association == "multi_scan") {
    for (int d = 1; d <= 4; ++d) {
        gate_[static_cast<std::size_t>(d)] = chi_square_quantile(cfg_.gate_probability, d);
        init_gate_[static_cast<std::size_t>(d)] =
            std::max(gate_[static_cast<std::size_t>(d)], chi_square_quantile(1 - 1e-6, d));
    }
    resolved_d2_ = chi_square_quantile(0.99, 2);
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

std::size_t Tracker::index_of(TrackId id) const {
    auto it = std::lower_bound(public_.begin(), public_.end(), id,
                               [](const Track& t, TrackId v) { return t.id < v; });
    if (it == public_.end() || it->id != id) return static_cast<std::size_t>(-1);
    return static_cast<std::size_t>(it - public_.begin());
}

double Tracker::log_clutter_of(const Prepared& p, const FeedLooks& feed) const {
    double per_m2 = cfg_.clutter_density_per_m2;
    if (!(per_m2 > 0)) {
        const double look = feed.period_s() > 0 ? feed.period_s() : 1.0;
        per_m2 = p.has_position ? feed.clutter_per_m2_at(p.pos_en, p.t, look)
                                : feed.clutter_per_m2(p.t, look);
    }
    switch (p.obs.kind) {
        case ObsKind::position:
            return std::log(per_m2);
        case ObsKind::position_velocity:
            return std::log(per_m2 * kVelocityClutterPerMps2);
        case ObsKind::polar:
            // dx dy = r dr dtheta: per metre of range and radian of bearing.
            return std::log(per_m2 * std::max(p.obs.z(0), 1.0));
        case ObsKind::bearing:
            return std::log(kBearingClutterPerRad);
        case ObsKind::bearing_depression: {
            // dx dy = r |dr/de| d(bearing) d(depression).
            const double r = std::max((p.pos_en - p.obs.site_en).norm(), 1.0);
            const double slope = std::abs(geo::depression_slope_rad_per_m(p.obs.lens_height_m, r));
            return std::log(per_m2 * r / std::max(slope, 1e-12));
        }
    }
    return std::log(per_m2);
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
    const FeedIndex feed = batch[0].feed;
    FeedLooks& looks = feed_looks(feed, batch[0].sensor);
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
        if (!tmax) looks.saw_batch(m.observed);
        tmax = tmax ? std::max(*tmax, m.observed) : m.observed;
        p.log_clutter = log_clutter_of(p, looks);
        if (m.sensor == SensorKind::ais && m.mmsi && p.has_position && handle_bound_ais(m, p))
            continue;
        prep_.push_back(p);
    }
    if (tmax) {
        looks.saw_batch(*tmax);
        const Footprint fp = footprint_of(batch, prep_);
        associate_and_update(batch, prep_);
        account_looks(feed, fp, *tmax);
        recheck_budget();
    }
    // A whole scan (batch mode, a radar's full rotation) gets its life-cycle pass at once; a
    // sector of a scan does not, or a radar sending 20 sectors per turn pays O(N log N) 20 times.
    finish_batch(batch.size() >= std::max<std::size_t>(8, states_.size() / 4));
    return {counters_.late_dropped - late_before, counters_.ahead_dropped - ahead_before};
}

void Tracker::set_scan_period(FeedIndex feed, double period_s) {
    if (!std::isfinite(period_s) || !(period_s > 0)) return;
    // Only radars state an antenna period; the feed's kind is confirmed by its first batch.
    feed_looks(feed, SensorKind::radar).set_stated_period(period_s);
}

void Tracker::set_feed_watches(FeedIndex feed, Watches w) {
    if (watches_.size() <= feed) watches_.resize(std::size_t{feed} + 1, Watches::surface);
    watches_[feed] = w;
}

Watches Tracker::feed_watches(FeedIndex feed) const {
    return feed < watches_.size() ? watches_[feed] : Watches::surface;
}

void Tracker::set_feed_range(FeedIndex feed, double range_m) {
    if (feed_range_m_.size() <= feed) feed_range_m_.resize(std::size_t{feed} + 1, 0.0);
    feed_range_m_[feed] = std::isfinite(range_m) && range_m > 0 ? range_m : 0.0;
}

double Tracker::feed_range_m(FeedIndex feed) const {
    return feed < feed_range_m_.size() ? feed_range_m_[feed] : 0.0;
}

std::optional<double> Tracker::scan_period(FeedIndex feed) const {
    auto it = feeds_.find(feed);
    if (it == feeds_.end()) return std::nullopt;
    return it->second.stated_period();
}

FeedLooks& Tracker::feed_looks(FeedIndex feed, SensorKind kind) {
    auto it = feeds_.find(feed);
    if (it == feeds_.end()) {
        it = feeds_.emplace(feed, FeedLooks(kind, cfg_.detection_probability)).first;
        it->second.set_clutter_cell(cfg_.clutter_cell_m);
    }
    return it->second;
}

const FeedLooks* Tracker::looks_of(FeedIndex feed) const {
    const auto it = feeds_.find(feed);
    return it == feeds_.end() ? nullptr : &it->second;
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
