// Mode S identity: a radar plot's 24-bit aircraft address (ASTERIX I048/220) names its aircraft
// as an MMSI names a vessel. One address, one track; a tentative track the identity vouches for
// is confirmed (docs/radar.md, "Mode S identity").
#include <algorithm>
#include <cmath>
#include <limits>

#include "filters/frame_geometry.hpp"
#include "filters/tracker.hpp"
#include "filters/tracker_internal.hpp"

namespace picket::filters {
using namespace detail;

std::size_t Tracker::address_holder(AircraftAddress a) const {
    const auto own = address_owner_.find(a);
    if (own == address_owner_.end()) return static_cast<std::size_t>(-1);
    const std::size_t i = index_of(own->second);
    if (i == static_cast<std::size_t>(-1) || states_[i].dead || states_[i].aircraft_address != a)
        return static_cast<std::size_t>(-1);
    return i;
}

bool Tracker::address_allows(std::size_t i, AircraftAddress a) const {
    const AircraftAddress held = states_[i].aircraft_address;
    if (held != 0) return held == a;  // two transponders, two aircraft
    // A track without an address (started by primary-only plots) may take it, unless another
    // track is that aircraft's.
    return address_holder(a) == static_cast<std::size_t>(-1);
}

bool Tracker::take_by_address(const Measurement& m, const Prepared& p) {
    const std::size_t h = address_holder(m.aircraft_address);
    if (h == static_cast<std::size_t>(-1)) return false;
    TrackState& s = states_[h];
    // A reply with this address came already in this look, and this one lies elsewhere: a
    // reflection off a building or a hangar (a Mode S radar's classic false target), or a late
    // plot older than the track's state.
    if (took_plot_[h] || took_same_look(s, m.feed, p.t) || p.t < s.t) {
        ++counters_.address_conflicts;
        return true;
    }
    // The address says the plot is this track's aircraft: the estimate lost it. Restart it at
    // the plot, as an AIS-only track restarts at a report that jumped (tracker_identity.cpp).
    const bool air = feed_watches(m.feed) == Watches::air;
    Gaussian g = initial_state(p, air ? cfg_.air_init_speed_sigma_mps : cfg_.init_speed_sigma_mps);
    if (!make_covariance_healthy(g.P) || !g.x.allFinite()) {
        ++counters_.invalid;
        return true;
    }
    const TrackFilter restarted(g, kind_);
    s.anchor = restarted;
    s.anchor_t = p.t;
    s.hist.clear();
    ++counters_.address_restarts;
    apply_update(h, m, p, restarted, std::numeric_limits<double>::quiet_NaN());
    return true;
}

void Tracker::note_aircraft_address(std::size_t i, const Measurement& m, Timestamp t) {
    TrackState& s = states_[i];
    if (s.dead) return;
    const AircraftAddress a = m.aircraft_address;
    if (s.aircraft_address == 0) {
        // The gate let the plot here only if no other live track holds the address.
        s.aircraft_address = a;
        s.address_since = t;
        address_owner_[a] = public_[i].id;
    } else if (s.aircraft_address != a) {
        return;
    }
    if (s.life.ever_confirmed) return;
    // What the radar shows its controller: a Mode S target whose track the radar's own tracker
    // confirms (I048/170 CNF; it has already weeded out reflections and garbled replies), or,
    // from a radar that sends no track status, the same address on a second look (the reply's
    // parity is checked against the address: a random false plot does not repeat an address).
    const bool second_look = std::abs((t - s.address_since).seconds()) >= kSameLookS;
    if (m.source_confirmed || second_look) confirm_by_identity(i);
}

void Tracker::confirm_by_identity(std::size_t i) {
    TrackState& s = states_[i];
    Track& t = public_[i];
    if (s.dead || s.life.ever_confirmed) return;
    note_first_confirmation(s);
    if (t.status == TrackStatus::tentative) t.status = TrackStatus::confirmed;
    mark_stale(i);
    mark(changed_ids_, s.changed, t.id);
}

}  // namespace picket::filters
