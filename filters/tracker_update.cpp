// The Updater: per-track state, its out-of-sequence buffer, the prior at any time within it, and
// the booking of one fused measurement.
#include "filters/tracker.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <numbers>

#include "filters/frame_geometry.hpp"
#include "filters/tracker_internal.hpp"

namespace picket::filters {
using namespace detail;

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

namespace {
/// The number of buffered items at or before t (std::upper_bound's position: the buffer is in
/// time order, and an item at t goes after those at t).
template <typename Buffer>
std::size_t items_up_to(const Buffer& hist, Timestamp t) {
    std::size_t lo = 0;
    std::size_t hi = hist.size();
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (t < hist[mid].t)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}
}  // namespace

void Tracker::push_history(TrackState& s, Timestamp t, const Observation& obs,
                           const TrackFilter& post) {
    const Duration window = Duration::from_seconds(cfg_.latency_window_s);
    // The items older than the window from the newest, out of the buffer (the last of them the
    // anchor); the newest is `newest`.
    auto trim = [&](Timestamp newest) {
        std::size_t drop = 0;
        while (drop < s.hist.size() && s.hist[drop].t < newest - window) ++drop;
        if (drop > 0) {
            s.anchor = s.hist[drop - 1].post;
            s.anchor_t = s.hist[drop - 1].t;
            s.hist.drop_front(drop);
        }
    };
    const std::size_t pos = items_up_to(s.hist, t);
    // In sequence (the new item goes last and is the newest): the items it pushes out of the
    // window leave before it comes in, as they would after, so a steady track's buffer needs no
    // slot for an item about to leave. It still goes last.
    const bool in_sequence = pos == s.hist.size();
    if (in_sequence) trim(t);
    // HistItem{...}, not (t, obs, post): clang 14 (preset fuzz) has no C++20 parenthesised
    // aggregate initialisation.
    const std::size_t k = s.hist.emplace(in_sequence ? s.hist.size() : pos, HistItem{t, obs, post});
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
    trim(s.hist.back().t);
}

bool Tracker::has_prior_at(const TrackState& s, Timestamp t) {
    // Out of sequence for this track, the state at t is rebuilt from its buffer, which reaches
    // back to its anchor (never before the track was born: the anchor starts at its birth).
    return t >= s.t || t >= s.anchor_t;
}

bool Tracker::prior_at(const TrackState& s, Timestamp t, TrackFilter& out) const {
    if (t >= s.t) {
        out = s.filter;
        out.predict((t - s.t).seconds(), settings_for(s));
        return true;
    }
    if (t < s.anchor_t) return false;
    Timestamp t0;
    out = replay(s, t, t0);
    out.predict((t - t0).seconds(), settings_for(s));
    return true;
}

TrackFilter Tracker::replay(const TrackState& s, Timestamp upto, Timestamp& t_out) const {
    // The state after the last buffered update at or before `upto` is stored with it.
    const std::size_t k = items_up_to(s.hist, upto);
    if (k == 0) {
        t_out = s.anchor_t;
        return s.anchor;
    }
    t_out = s.hist[k - 1].t;
    return s.hist[k - 1].post;
}

TrackFilter Tracker::replay_prefix(const TrackState& s, std::size_t k, Timestamp& t_out) const {
    if (k == 0) {
        t_out = s.anchor_t;
        return s.anchor;
    }
    t_out = s.hist[k - 1].t;
    return s.hist[k - 1].post;
}

// Records a successful update of track i by measurement m (filter already updated for
// in-sequence data; for late data the history is re-processed here).
// Kept in one place so that every path (GNN, JPDA, bound AIS, late data) books alike.
void Tracker::apply_update(std::size_t i, const Measurement& m, const Prepared& p,
                           const TrackFilter& updated, double log_g, HitClutter clutter) {
    TrackState& s = states_[i];
    Track& t = public_[i];
    // Identity and class first: the class selects the process noise used when the buffer is
    // re-filtered below, exactly as an in-order tracker would have used it.
    if (m.sensor == SensorKind::ais && m.mmsi) bind_mmsi(i, *m.mmsi);
    if (m.sensor == SensorKind::camera && !s.class_locked &&
        m.target_class != TargetClass::unknown && m.class_confidence >= cfg_.class_confidence_min &&
        !(s.held_at_sea && land_class(m.target_class))) {
        t.target_class = m.target_class;
    }
    if (m.sensor == SensorKind::radar && s.life.ever_confirmed &&
        feed_watches(m.feed) == Watches::sea)
        s.held_at_sea = true;
    if (s.conflicts > 0) extend_conflicts(i, m, p);
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
    gate_index_.touch(static_cast<std::uint32_t>(i));
    ++counters_.associated;
    t.seen_by.add(m.sensor);
    if (m.sensor == SensorKind::ais) {
        if (!t.last_ais || *t.last_ais < p.t) t.last_ais = p.t;
        note_ais_report(s, p);
    } else {
        if (!s.has_sensor_update || s.last_sensor_update < p.t) {
            s.last_sensor_update = p.t;
            s.last_sensor_feed = m.feed;
        }
        s.has_sensor_update = true;
        s.recent_hits[s.recent_next] = {p.t, m.feed, true, m.source_object_id};
        s.recent_next = static_cast<std::uint8_t>((s.recent_next + 1) % TrackState::kRecentHits);
        if (m.source_object_id != 0 && (s.source_object == 0 || !(p.t < s.source_t))) {
            s.source_object = m.source_object_id;
            s.source_feed = m.feed;
            s.source_t = p.t;
        }
    }
    // The look's evidence: the plot's likelihood against clutter (an AIS report or a bearing
    // has a fixed clutter density in its own space; see Prepared::log_clutter).
    const double g_over_lambda = std::isnan(log_g) ? 0.0 : std::exp(log_g - p.log_clutter);
    book_look(i, m.feed, p.t, true, std::isnan(log_g) ? -1.0 : g_over_lambda, clutter);
    if (m.aircraft_address != 0) note_aircraft_address(i, m, p.t);
    s.hit_batch = batch_serial_;
    mark_stale(i);
    mark(changed_ids_, s.changed, t.id);
}

}  // namespace picket::filters
