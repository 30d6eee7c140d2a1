// Association `multi_scan` (filters/multi_scan.hpp): the looks in which confirmed tracks gated
// a common plot, kept with each track's state before the look and the plots it took since, and
// decided again a few looks later by the best exchange of those plot sequences.
#include <algorithm>

#include "filters/tracker.hpp"
#include "filters/tracker_internal.hpp"

namespace picket::filters {
using namespace detail;

namespace {
/// A track in more live conflicts than this opens no new one (a crowd that stays clustered look
/// after look; its earlier conflicts are still decided).
constexpr std::uint8_t kMaxConflictsPerTrack = 8;
}  // namespace

void Tracker::note_conflict(std::span<const GatedPair> pairs, std::span<const Measurement> batch,
                            const std::vector<Prepared>& prep) {
    Conflict c;
    c.feed = batch[0].feed;
    for (const GatedPair& p : pairs) {
        const Prepared& pp = prep[p.meas];
        const Measurement& m = batch[pp.index];
        // Identity decides for AIS and Mode S: their tracks and plots are never exchanged.
        if (m.sensor == SensorKind::ais || m.aircraft_address != 0) return;
        c.t = std::max(c.t, pp.t);
        const auto id = public_[p.track].id;
        if (!c.ids.empty() && c.ids.back() == id) continue;  // pairs come sorted by track
        const TrackState& s = states_[p.track];
        if (s.mmsi || s.aircraft_address != 0 || s.conflicts >= kMaxConflictsPerTrack) return;
        c.ids.push_back(id);
    }
    const auto n = static_cast<int>(c.ids.size());
    if (n < 2 || n > kMultiScanMaxTracks) return;
    c.last_look = c.t;
    for (const TrackId id : c.ids) {
        TrackState& s = states_[index_of(id)];
        c.heads.push_back(s.filter);
        c.head_t.push_back(s.t);
        ++s.conflicts;
    }
    c.tails.resize(c.ids.size());
    conflicts_.push_back(std::move(c));
}

void Tracker::extend_conflicts(std::size_t i, const Measurement& m, const Prepared& p) {
    const TrackState& s = states_[i];
    const TrackId id = public_[i].id;
    // A late plot would have to be re-filtered into the tails, and an AIS report's identity is
    // not the plots': either makes the conflict moot (GNN's decision stands).
    const bool moot = p.t < s.t || m.sensor == SensorKind::ais || m.aircraft_address != 0;
    for (Conflict& c : conflicts_) {
        const auto it = std::lower_bound(c.ids.begin(), c.ids.end(), id);
        if (it == c.ids.end() || *it != id) continue;
        if (moot)
            c.valid = false;
        else
            c.tails[static_cast<std::size_t>(it - c.ids.begin())].push_back(TailPlot{p.t, p.obs});
    }
}

void Tracker::decide_conflicts(FeedIndex feed, Timestamp t) {
    if (conflicts_.empty()) return;
    // A look is a batch at least half a look interval after the last one counted: a radar that
    // sends its sweep in sectors makes one look of them.
    const double period = feeds_.at(feed).period_s();
    const double same_look_s = std::max(kSameLookS, 0.5 * period);
    for (Conflict& c : conflicts_) {
        if (c.feed != feed || (t - c.last_look).seconds() < same_look_s) continue;
        ++c.looks;
        c.last_look = t;
    }
    const auto release = [&](const Conflict& c) {
        for (const TrackId id : c.ids) {
            const std::size_t i = index_of(id);
            if (i != static_cast<std::size_t>(-1) && states_[i].conflicts > 0)
                --states_[i].conflicts;
        }
    };
    // Oldest first: an exchange makes the later conflicts of its tracks moot (their heads were
    // states of the other hypothesis).
    std::size_t kept = 0;
    for (std::size_t k = 0; k < conflicts_.size(); ++k) {
        Conflict& c = conflicts_[k];
        const bool due = c.feed == feed && c.looks >= cfg_.multi_scan_looks;
        // A feed gone quiet: its conflicts would wait for ever.
        const bool stale = (t - c.t).seconds() > cfg_.max_coast_s;
        if (c.valid && due) decide_conflict(c);
        if (!c.valid || due || stale) {
            release(c);
            continue;
        }
        if (kept != k) conflicts_[kept] = std::move(c);
        ++kept;
    }
    conflicts_.resize(kept);
}

void Tracker::decide_conflict(Conflict& c) {
    const auto n = static_cast<int>(c.ids.size());
    std::vector<std::size_t> idx;
    for (const TrackId id : c.ids) {
        const std::size_t i = index_of(id);
        if (i == static_cast<std::size_t>(-1) || states_[i].dead) return;
        idx.push_back(i);
    }
    std::vector<double> score(static_cast<std::size_t>(n * n));
    double identity = 0;
    for (int h = 0; h < n; ++h) {
        const auto hh = static_cast<std::size_t>(h);
        const FilterSettings& fs = settings_for(states_[idx[hh]]);
        for (int k = 0; k < n; ++k) {
            const auto kk = static_cast<std::size_t>(k);
            score[hh * static_cast<std::size_t>(n) + kk] =
                tail_log_likelihood(c.heads[hh], c.head_t[hh], c.tails[kk], fs, kind_);
        }
        identity += score[hh * static_cast<std::size_t>(n) + hh];
    }
    std::vector<int> tail_of;
    const double best = best_exchange(n, score, tail_of);
    if (!(best > identity)) return;
    ++counters_.multi_scan_exchanges;
    for (int h = 0; h < n; ++h) {
        const auto hh = static_cast<std::size_t>(h);
        const auto tail = static_cast<std::size_t>(tail_of[hh]);
        if (tail == hh) continue;
        const std::size_t i = idx[hh];
        TrackState& s = states_[i];
        TrackFilter f;
        Timestamp t_end;
        tail_log_likelihood(c.heads[hh], c.head_t[hh], c.tails[tail], settings_for(s), kind_, &f,
                            &t_end);
        s.filter = f;
        s.t = t_end;
        // The re-processing buffer held the other hypothesis' updates: restart it here, as a
        // PDA update does.
        s.anchor = f;
        s.anchor_t = t_end;
        s.hist.clear();
        refresh_summary(s);
        gate_index_.touch(static_cast<std::uint32_t>(i));
        mark_stale(i);
        mark(changed_ids_, s.changed, public_[i].id);
    }
    // The later conflicts of these tracks started from states of the hypothesis just dropped.
    for (Conflict& o : conflicts_) {
        if (&o == &c || !o.valid) continue;
        for (const TrackId id : c.ids)
            if (std::binary_search(o.ids.begin(), o.ids.end(), id)) o.valid = false;
    }
}

}  // namespace picket::filters
