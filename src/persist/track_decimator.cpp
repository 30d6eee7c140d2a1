#include "src/persist/track_decimator.hpp"

#include <cmath>
#include <numbers>

namespace picket::persist {
namespace {

constexpr double kEarthRadiusM = 6'371'008.8;
constexpr double kDegToRad = std::numbers::pi / 180.0;

/// Where `p` lies from `origin`, east and north in metres. Equirectangular: exact enough over
/// the few kilometres a track moves between two kept points (the error is far below
/// `position_m`).
void offset_m(const LatLon& origin, const LatLon& p, double& east, double& north) {
    double dlon = p.lon_deg - origin.lon_deg;
    if (dlon > 180) dlon -= 360;
    if (dlon < -180) dlon += 360;
    north = (p.lat_deg - origin.lat_deg) * kDegToRad * kEarthRadiusM;
    east = dlon * kDegToRad * kEarthRadiusM * std::cos(origin.lat_deg * kDegToRad);
}

bool same_identity(const outputs::TrackPoint& p, const Track& t) {
    if (p.status != t.status || p.target_class != t.target_class || p.standing != t.standing ||
        p.label != t.label)
        return false;
    if (!t.identity) return !p.mmsi && p.name.empty();
    return p.mmsi && *p.mmsi == t.identity->mmsi && p.name == t.identity->name;
}

}  // namespace

bool TrackDecimator::worth_keeping(const State& s, const Track& t) const {
    const outputs::TrackPoint& k = s.kept;
    if (!same_identity(k, t)) return true;
    const Duration since = t.updated - k.time;
    if (since >= config_.interval) return true;
    // Dead reckoning from the last kept point.
    const double dt = since.seconds();
    double east = 0, north = 0;
    offset_m(k.position, t.position, east, north);
    const double off_e = east - k.east_mps * dt;
    const double off_n = north - k.north_mps * dt;
    if (off_e * off_e + off_n * off_n > config_.position_m * config_.position_m) return true;
    const double speed_kept = std::hypot(k.east_mps, k.north_mps);
    const double speed_now = std::hypot(t.east_mps, t.north_mps);
    if (std::abs(speed_now - speed_kept) > config_.speed_mps) return true;
    if (speed_kept > kMinCourseSpeed && speed_now > kMinCourseSpeed) {
        // The angle between the two velocities, from their dot product.
        const double cos_turn =
            (k.east_mps * t.east_mps + k.north_mps * t.north_mps) / (speed_kept * speed_now);
        if (cos_turn < std::cos(config_.course_deg * kDegToRad)) return true;
    }
    return false;
}

void TrackDecimator::update(const Track& t, std::vector<outputs::TrackPoint>& out) {
    if (t.status == TrackStatus::deleted) return;
    ++updates_;
    auto [it, fresh] = slot_of_.try_emplace(t.id, static_cast<std::uint32_t>(states_.size()));
    if (fresh) {
        states_.push_back(State{.id = t.id});
        due_ns_.push_back(0);
    }
    const std::size_t slot = it->second;
    State& s = states_[slot];
    if (!fresh && t.updated <= s.kept.time && same_identity(s.kept, t)) return;  // nothing new
    if (fresh || config_.interval.ns <= 0 || worth_keeping(s, t)) {
        outputs::fill_track_point(s.kept, t);
        s.pending = false;
        out.push_back(s.kept);
        ++kept_;
    } else {
        outputs::fill_track_point(s.latest, t);
        s.pending = true;
    }
    due_ns_[slot] = due(s).ns;
}

Timestamp TrackDecimator::due(const State& s) const {
    return s.pending ? s.latest.time + config_.quiet
                     : s.kept.time + config_.quiet + config_.interval;
}

bool TrackDecimator::sweep(std::size_t slot, Timestamp now, std::vector<outputs::TrackPoint>& out) {
    // A track with nothing pending is forgotten once it has been quiet for an interval more:
    // it was deleted, or it comes back as new (and is kept at once, as a new track would be).
    State& s = states_[slot];
    if (s.pending && now - s.latest.time >= config_.quiet) {
        std::swap(s.kept, s.latest);
        s.pending = false;
        out.push_back(s.kept);
        ++kept_;
    }
    if (!s.pending && now - s.kept.time >= config_.quiet + config_.interval) {
        remove(slot);
        return false;
    }
    due_ns_[slot] = due(s).ns;
    return true;
}

void TrackDecimator::remove(std::size_t slot) {
    slot_of_.erase(states_[slot].id);
    if (slot + 1 != states_.size()) {
        states_[slot] = std::move(states_.back());
        due_ns_[slot] = due_ns_.back();
        slot_of_[states_[slot].id] = static_cast<std::uint32_t>(slot);
    }
    states_.pop_back();
    due_ns_.pop_back();
}

void TrackDecimator::on_tick(Timestamp now, std::vector<outputs::TrackPoint>& out) {
    for (std::size_t slot = 0; slot < states_.size();) {
        if (due_ns_[slot] > now.ns || sweep(slot, now, out)) ++slot;  // removed: the last moved in
    }
}

void TrackDecimator::on_tick_reference(Timestamp now, std::vector<outputs::TrackPoint>& out) {
    for (std::size_t slot = 0; slot < states_.size();) {
        if (sweep(slot, now, out)) ++slot;
    }
}

}  // namespace picket::persist
