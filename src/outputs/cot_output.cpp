#include "src/outputs/cot_output.hpp"

#include <charconv>
#include <stdexcept>

#include "src/outputs/cot.hpp"

namespace picket::outputs {

std::optional<std::pair<std::string, std::uint16_t>> parse_host_port(std::string_view text) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    const std::string_view port_text = text.substr(colon + 1);
    unsigned port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
        return std::nullopt;
    }
    std::string_view host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    return std::pair{std::string(host), static_cast<std::uint16_t>(port)};
}

CotOutput::CotOutput(const CotOutputConfig& config) : cfg_(config) {
    if (!cfg_.udp.empty()) {
        const auto hp = parse_host_port(cfg_.udp);
        if (!hp) throw std::invalid_argument("cot udp: expected host:port, got '" + cfg_.udp + "'");
        udp_ = std::make_unique<UdpSender>(UdpTarget{hp->first, hp->second});
    }
    if (!cfg_.tak_server.empty()) {
        const auto hp = parse_host_port(cfg_.tak_server);
        if (!hp)
            throw std::invalid_argument("cot tak_server: expected host:port, got '" +
                                        cfg_.tak_server + "'");
        TakTcpConfig tak;
        tak.host = hp->first;
        tak.port = hp->second;
        tak_ = std::make_unique<TakTcpClient>(tak);
    }
}

void CotOutput::send(std::string xml, Kind kind) {
    if (udp_) udp_->send(xml);
    if (tak_) {
        switch (kind) {
            case Kind::track:
                tak_->post_track(std::move(xml));
                break;
            case Kind::alert:
                tak_->post_alert(std::move(xml));
                break;
            case Kind::removal:
                tak_->post_removal(std::move(xml));
                break;
        }
    }
}

void CotOutput::publish_tracks(std::span<const Track> tracks, Timestamp now) {
    if (!udp_ && !tak_) return;
    for (const Track& t : tracks) {
        if (t.status == TrackStatus::deleted) {
            remove_track(t.id, now);
            continue;
        }
        auto it = live_.find(t.id);
        if (it == live_.end() && t.status == TrackStatus::tentative &&
            cfg_.tracks == CotTracks::confirmed) {
            ++counters_.tracks_withheld;
            continue;
        }
        const bool fresh = it == live_.end();
        const bool due = fresh || now - it->second.at >= cfg_.min_track_interval ||
                         it->second.status != t.status || it->second.standing != t.standing;
        if (!due) continue;
        send(cot_event_for_track(t, now, cfg_.track_stale), Kind::track);
        ++counters_.track_events;
        live_[t.id] = SentTrack{now, t.status, t.standing, cot_type_for_track(t), t.position};
        if (!fresh) continue;
        // Alerts raised while this track was not on the picture went out unlinked: link them now
        // (a critical breach becomes the emergency it is once ATAK can point at the track).
        for (auto& [id, a] : alerts_)
            if (!a.restored && !a.linked && a.alert.track == t.id) send_alert(a, now);
    }
}

void CotOutput::remove_track(TrackId id, Timestamp now) {
    auto it = live_.find(id);
    if (it == live_.end()) return;  // never on the picture (not confirmed): nothing to remove
    const LatLon where = it->second.where;
    live_.erase(it);
    send(cot_delete_event(cot_uid_for_track(id), where, now), Kind::removal);
    ++counters_.removals;
    // An open alert must not keep pointing at a marker TAK no longer has.
    for (auto& [alert_id, a] : alerts_)
        if (a.linked == id) send_alert(a, now);
}

void CotOutput::tracks_deleted(std::span<const TrackId> ids, Timestamp now) {
    if (!udp_ && !tak_) return;
    for (TrackId id : ids) remove_track(id, now);
}

void CotOutput::send_alert(SentAlert& s, Timestamp now) {
    const Alert& a = s.alert;
    std::optional<CotLink> link;
    s.linked.reset();
    if (!s.restored && a.track != 0) {
        if (auto t = live_.find(a.track); t != live_.end()) {
            link = CotLink{cot_uid_for_track(a.track), t->second.type};
            s.linked = a.track;
        }
    }
    const bool emergency = cfg_.emergencies && cot_alert_is_emergency(a, link.has_value());
    if (s.emergency && !emergency) {
        // The same uid changes from an emergency to a marker: ATAK keeps an emergency's item
        // until it is cancelled, so cancel it first.
        send(cot_emergency_cancel(a, now, cfg_.alert_stale), Kind::removal);
        ++counters_.removals;
    }
    send(cot_event_for_alert(a, now, cfg_.alert_stale, link ? &*link : nullptr, cfg_.emergencies),
         Kind::alert);
    ++counters_.alert_events;
    if (!link) ++counters_.alerts_unlinked;
    s.emergency = emergency;
    s.at = now;
}

void CotOutput::publish_alert(const Alert& alert, Timestamp now, bool restored) {
    if (!udp_ && !tak_) return;
    auto it = alerts_.find(alert.id);
    if (alert.state == AlertState::closed) {
        if (it == alerts_.end()) return;  // never on the picture
        if (it->second.emergency) {
            send(cot_emergency_cancel(alert, now, cfg_.alert_stale), Kind::removal);
        } else {
            send(cot_delete_event(cot_uid_for_alert(alert.id), alert.where, now), Kind::removal);
        }
        ++counters_.removals;
        alerts_.erase(it);
        return;
    }
    if (it == alerts_.end()) it = alerts_.emplace(alert.id, SentAlert{}).first;
    it->second.alert = alert;
    it->second.restored = it->second.restored || restored;
    send_alert(it->second, now);
}

void CotOutput::refresh(Timestamp now) {
    if (!udp_ && !tak_) return;
    for (auto& [id, a] : alerts_)
        if (now - a.at >= cfg_.alert_refresh) send_alert(a, now);
}

}  // namespace picket::outputs
