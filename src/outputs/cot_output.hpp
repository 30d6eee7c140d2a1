#pragma once
/// The CoT output as the server uses it: config strings in, tracks and alerts from the fusion
/// thread out to UDP (unicast or multicast) and/or a TAK server, with per-track rate limiting.
///
/// Never blocks the caller: UDP is non-blocking and the TAK client has its own thread.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/alert.hpp"
#include "core/time.hpp"
#include "core/track.hpp"
#include "src/outputs/tak_tcp_client.hpp"
#include "src/outputs/udp_sender.hpp"

namespace picket::outputs {

/// "host:port" -> (host, port); nullopt when the port is missing, not a number or out of range.
std::optional<std::pair<std::string, std::uint16_t>> parse_host_port(std::string_view text);

struct CotOutputConfig {
    std::string udp;  ///< "host:port", unicast or multicast (e.g. 239.2.3.1:6969); empty = off
    std::string tak_server;  ///< "host:port" of a TAK server's streaming TCP input; empty = off
    Duration track_stale{Duration::from_seconds(60)};    ///< stale time of track events
    Duration alert_stale{Duration::from_seconds(3600)};  ///< stale time of alert events
    /// A track's event is re-sent at most this often unless its status or standing changes.
    Duration min_track_interval{Duration::from_seconds(1)};
};

class CotOutput {
public:
    /// Throws std::invalid_argument naming the bad "host:port", or std::runtime_error from the
    /// UDP socket setup (config errors: fail at startup).
    explicit CotOutput(const CotOutputConfig& config);

    /// Sends the picture: each track whose last event is older than min_track_interval (or whose
    /// status/standing changed). Deleted tracks get a final event that is already stale, so TAK
    /// clients drop the marker, and are forgotten.
    void publish_tracks(std::span<const Track> tracks, Timestamp now);
    /// Sends an alert event (call on raise and on every change).
    void publish_alert(const Alert& alert, Timestamp now);

    [[nodiscard]] std::uint64_t events_sent_udp() const { return udp_ ? udp_->sent() : 0; }
    [[nodiscard]] std::uint64_t events_dropped_udp() const { return udp_ ? udp_->dropped() : 0; }
    /// The TAK client (for its counters), or nullptr when not configured.
    [[nodiscard]] const TakTcpClient* tak() const { return tak_.get(); }

private:
    struct Sent {
        Timestamp at;
        TrackStatus status;
        Standing standing;
    };
    void send(std::string xml, bool alert);

    CotOutputConfig cfg_;
    std::unique_ptr<UdpSender> udp_;
    std::unique_ptr<TakTcpClient> tak_;
    std::unordered_map<TrackId, Sent> last_sent_;
};

}  // namespace picket::outputs
