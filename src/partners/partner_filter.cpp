#include "src/partners/partner_filter.hpp"

#include <algorithm>

#include "src/engine/message_format.hpp"

namespace picket::partners {

bool inside_area(std::span<const LatLon> area, LatLon p) {
    bool in = false;
    for (std::size_t i = 0, j = area.size() - 1; i < area.size(); j = i++) {
        const LatLon& a = area[i];
        const LatLon& b = area[j];
        if ((a.lat_deg > p.lat_deg) != (b.lat_deg > p.lat_deg) &&
            p.lon_deg <
                (b.lon_deg - a.lon_deg) * (p.lat_deg - a.lat_deg) / (b.lat_deg - a.lat_deg) +
                    a.lon_deg)
            in = !in;
    }
    return in;
}

PartnerFilter::PartnerFilter(PartnerRules rules)
    : rules_(std::move(rules)), tokens_(std::max(1.0, rules_.max_rate_per_s)) {}

bool PartnerFilter::allowed(const Track& t) {
    if (!rules_.area.empty() && !inside_area(rules_.area, t.position)) {
        ++counters_.outside_area;
        return false;
    }
    if (!rules_.classes.empty() && std::find(rules_.classes.begin(), rules_.classes.end(),
                                             t.target_class) == rules_.classes.end()) {
        ++counters_.class_withheld;
        return false;
    }
    return true;
}

void PartnerFilter::end(TrackId id, Timestamp now) {
    if (!shared_.erase(id)) return;
    Pending p{now, true, {}};
    p.track.id = id;
    queue_.push_back(std::move(p));
}

void PartnerFilter::on_tracks(std::span<const Track> tracks, Timestamp now) {
    for (const Track& t : tracks) {
        if (t.status == TrackStatus::deleted || !allowed(t)) {
            end(t.id, now);
            continue;
        }
        Track copy = t;
        if (rules_.redact_identity) {
            copy.identity.reset();
            copy.label.clear();
        }
        shared_.insert(t.id);
        queue_.push_back({now, false, std::move(copy)});
    }
}

void PartnerFilter::on_deleted(std::span<const TrackId> ids, Timestamp now) {
    for (const TrackId id : ids) end(id, now);
}

std::vector<PartnerMessage> PartnerFilter::due(Timestamp now) {
    if (rules_.max_rate_per_s > 0) {
        // A token bucket one second deep: bursts up to the per-second cap, never above it.
        const double dt = std::max(0.0, (now - refilled_).seconds());
        tokens_ = std::min(rules_.max_rate_per_s, tokens_ + dt * rules_.max_rate_per_s);
        refilled_ = now;
    }
    std::vector<PartnerMessage> out;
    const Timestamp ripe = now - Duration::from_seconds(rules_.min_delay_s);
    while (!queue_.empty() && queue_.front().made <= ripe) {
        Pending p = std::move(queue_.front());
        queue_.pop_front();
        if (p.end) {
            out.push_back({"track.deleted", p.track.id, p.made,
                           server::track_deleted_message(p.track.id, p.made, ++seq_)});
            ++counters_.ended;
            continue;
        }
        if (rules_.max_rate_per_s > 0) {
            if (tokens_ < 1) {
                ++counters_.rate_capped;
                continue;
            }
            tokens_ -= 1;
        }
        out.push_back({"track", p.track.id, p.made, server::track_message(p.track, ++seq_)});
        ++counters_.shared;
    }
    return out;
}

}  // namespace picket::partners
