#pragma once
/// The CoT output as the server uses it: config strings in, tracks and alerts from the fusion
/// thread out to UDP (unicast or multicast) and/or a TAK server, with per-track rate limiting.
///
/// It keeps the picture TAK clients were given, so that what they hold stays true:
///  - tracks: only confirmed ones (or coasting after confirmation) by default; a deleted track
///    that was sent is removed with a CoT delete task, and forgotten;
///  - alerts: open and acknowledged alerts are re-sent every `alert_refresh` with a fresh stale
///    time, linked to their track only while that track's marker is on the picture; a closed
///    alert is removed (an emergency cancelled, a marker deleted).
///
/// Never blocks the caller: UDP is non-blocking and the TAK client has its own thread.
#include <cstdint>
#include <map>
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

/// Which tracks go to TAK.
enum class CotTracks : std::uint8_t {
    confirmed,  ///< confirmed and coasting tracks (a tentative track is not yet a contact)
    all,        ///< tentative ones too (debugging a tracker; clutters every TAK screen)
};

struct CotOutputConfig {
    std::string udp;  ///< "host:port", unicast or multicast (e.g. 239.2.3.1:6969); empty = off
    std::string tak_server;  ///< "host:port" of a TAK server's streaming TCP input; empty = off
    CotTracks tracks{CotTracks::confirmed};
    Duration track_stale{Duration::from_seconds(60)};  ///< stale time of track events
    /// Stale time of alert events, and how often an alert still open is sent again: three
    /// refreshes per stale period, so one lost datagram never lets an open alert go stale.
    Duration alert_stale{Duration::from_seconds(90)};
    Duration alert_refresh{Duration::from_seconds(30)};
    /// A track's event is re-sent at most this often unless its status or standing changes.
    Duration min_track_interval{Duration::from_seconds(1)};
    bool emergencies{true};  ///< false: critical breaches are markers too (no ATAK alarm)
};

/// What was sent, for the metrics and tests.
struct CotCounters {
    std::uint64_t track_events{0};
    std::uint64_t alert_events{0};
    std::uint64_t removals{0};         ///< delete tasks and emergency cancels
    std::uint64_t tracks_withheld{0};  ///< track events not sent: the track is not confirmed
    std::uint64_t alerts_unlinked{0};  ///< alert events about a track TAK does not have
};

class CotOutput {
public:
    /// Throws std::invalid_argument naming the bad "host:port", or std::runtime_error from the
    /// UDP socket setup (config errors: fail at startup).
    explicit CotOutput(const CotOutputConfig& config);

    /// Sends the tracks that changed: each one due (its last event older than
    /// min_track_interval, or its status/standing changed), unless it is not confirmed and
    /// `tracks` is `confirmed`. A track with status deleted is treated as tracks_deleted().
    void publish_tracks(std::span<const Track> tracks, Timestamp now);
    /// Removes deleted tracks from TAK (a delete task for each one that was sent) and re-sends
    /// the open alerts linked to them, without the link.
    void tracks_deleted(std::span<const TrackId> ids, Timestamp now);
    /// Sends an alert event (call on raise and on every change). `restored`: an alert from a
    /// previous run (track ids start again after a restart, so it is never linked to a track).
    void publish_alert(const Alert& alert, Timestamp now, bool restored = false);
    /// Re-sends every open alert whose last event is `alert_refresh` old. Call every tick.
    void refresh(Timestamp now);

    [[nodiscard]] std::uint64_t events_sent_udp() const { return udp_ ? udp_->sent() : 0; }
    [[nodiscard]] std::uint64_t events_dropped_udp() const { return udp_ ? udp_->dropped() : 0; }
    /// The TAK client (for its counters), or nullptr when not configured.
    [[nodiscard]] const TakTcpClient* tak() const { return tak_.get(); }
    [[nodiscard]] const CotCounters& counters() const { return counters_; }
    /// Tracks and alerts currently on the TAK picture (bounded by the live picture).
    [[nodiscard]] std::size_t tracks_on_picture() const { return live_.size(); }
    [[nodiscard]] std::size_t alerts_on_picture() const { return alerts_.size(); }

private:
    struct SentTrack {
        Timestamp at;
        TrackStatus status;
        Standing standing;
        std::string type;  ///< CoT type last sent: an alert's link names it
        LatLon where;      ///< last position sent: where the delete task points
    };
    struct SentAlert {
        Alert alert;
        Timestamp at;
        bool restored{false};
        bool emergency{false};  ///< the last event sent was an emergency (to cancel it)
        std::optional<TrackId> linked;
    };
    enum class Kind : std::uint8_t { track, alert, removal };
    void send(std::string xml, Kind kind);
    void send_alert(SentAlert& s, Timestamp now);
    void remove_track(TrackId id, Timestamp now);

    CotOutputConfig cfg_;
    std::unique_ptr<UdpSender> udp_;
    std::unique_ptr<TakTcpClient> tak_;
    std::unordered_map<TrackId, SentTrack> live_;  ///< tracks on the TAK picture
    std::map<AlertId, SentAlert> alerts_;          ///< alerts on the TAK picture (not closed)
    CotCounters counters_;
};

}  // namespace picket::outputs
