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

void CotOutput::send(std::string xml, bool alert) {
    if (udp_) udp_->send(xml);
    if (tak_) {
        if (alert)
            tak_->post_alert(std::move(xml));
        else
            tak_->post_track(std::move(xml));
    }
}

void CotOutput::publish_tracks(std::span<const Track> tracks, Timestamp now) {
    if (!udp_ && !tak_) return;
    for (const Track& t : tracks) {
        if (t.status == TrackStatus::deleted) {
            if (last_sent_.erase(t.id) > 0) send(cot_event_for_track(t, now, Duration{0}), false);
            continue;
        }
        auto it = last_sent_.find(t.id);
        const bool due = it == last_sent_.end() || now - it->second.at >= cfg_.min_track_interval ||
                         it->second.status != t.status || it->second.standing != t.standing;
        if (!due) continue;
        send(cot_event_for_track(t, now, cfg_.track_stale), false);
        last_sent_[t.id] = Sent{now, t.status, t.standing};
    }
}

void CotOutput::publish_alert(const Alert& alert, Timestamp now) {
    if (!udp_ && !tak_) return;
    send(cot_event_for_alert(alert, now, cfg_.alert_stale), true);
}

}  // namespace picket::outputs
