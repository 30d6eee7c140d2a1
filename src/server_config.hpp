#pragma once
/// The server's configuration: one YAML file (docs/configuration.md). Loading validates
/// everything up front; any error stops startup with file:line:key and what is wrong.
#include <cstdint>
#include <optional>
#include <string>

#include <vector>
#include "src/record/recording_format.hpp"

#include "core/geodetic.hpp"
#include "filters/tracker.hpp"
#include "fusion/track_fuser.hpp"
#include "sensors/feed_decoder.hpp"
#include "src/engine/feed_clock.hpp"
#include "src/partners/partner_rules.hpp"

namespace picket::server {

/// How a feed's socket is set up. SUB connects to a sensor gateway that publishes; PULL binds and
/// lets gateways push (no message lost to a slow-joining subscriber).
enum class SocketType { sub, pull };

/// CurveZMQ on a feed: the server's secret key and the client public keys it admits (ZAP).
struct CurveConfig {
    std::string server_secret_key;                 ///< Z85, 40 characters
    std::vector<std::string> allowed_client_keys;  ///< Z85 public keys
};

struct FeedConfig {
    sensors::FeedParams params;  ///< id, kind, format, site, noise
    FeedClockConfig clock;  ///< max_clock_skew, clock_tolerance, clock_offset, expected_latency
    std::string endpoint;
    /// The same sensor's second channel (A/B redundant radar networks): received on the same
    /// socket, so one decoder sees both copies and drops the second. Empty: none.
    std::string redundant_endpoint;
    SocketType socket{SocketType::sub};
    double expected_interval_s{0};  ///< 0 = no silence check
    std::int64_t max_message_bytes{1 << 20};
    std::optional<CurveConfig> curve;
    /// What a radar feed watches (`watches: surface | air`): how the tracks it starts begin.
    filters::Watches watches{filters::Watches::surface};
    /// A `tracks` feed in format picket: the source's snapshot service (ROUTER), asked for the
    /// whole picture on joining, after a gap in `seq` and after the source restarts. Empty: none.
    std::string snapshot_endpoint;
    /// A `tracks` feed shown beside the picture, never fused into it (a partner's tracks that
    /// are for display only): each of its tracks is a regional track of its own.
    bool display_only{false};
};

struct HttpConfig {
    bool enabled{true};
    std::string bind{"127.0.0.1"};
    std::uint16_t port{8080};
    std::string token;       ///< bearer token for commands; empty: generated at startup
    std::string static_dir;  ///< the control room's files; empty: <source>/web
    /// Host names the page may be reached by besides loopback names and IP addresses (the
    /// Host allow-list against DNS rebinding, docs/control-room.md).
    std::vector<std::string> allowed_hosts;
    std::string tiles_dir;  ///< the map's vector tiles; empty: <source>/data/basemap/tiles-v2
};

struct CotConfig {
    std::string udp;         ///< "host:port" (unicast or multicast); empty = off
    std::string tak_server;  ///< "host:port" TCP; empty = off
    double stale_s{60};      ///< track events
    bool all_tracks{false};  ///< `tracks: all`: tentative tracks too (default: confirmed only)
    double alert_stale_s{90};
    double alert_refresh_s{30};
    bool emergencies{true};
};

struct Cat062Config {
    std::string udp;  ///< "host:port"; empty = off
    int sac{0};
    int sic{1};
    double number_hold_off_s{600};  ///< a freed track number is not reused for this long
};

/// Track history in the store (docs/outputs.md, "Track history"): which updates are kept and
/// for how long.
struct HistoryConfig {
    double interval_s{60};    ///< a point per track at least this often; 0 = every update
    double position_m{100};   ///< a point when the track is this far off dead reckoning
    double course_deg{15};    ///< ... or turned this much
    double speed_mps{1.0};    ///< ... or changed speed this much
    int retention_days{365};  ///< whole days kept before today; 0 = forever
};

struct OutputsConfig {
    std::string publish{"tcp://127.0.0.1:5700"};   ///< PUB: tracks, alerts
    std::string snapshot{"tcp://127.0.0.1:5701"};  ///< ROUTER: snapshot requests (Clone pattern)
    /// ROUTER: operator commands; empty = no command socket (the control room's commands go
    /// through the web server). Needs `commands_curve`, or `insecure_local_commands`.
    std::string commands;
    std::optional<CurveConfig> commands_curve;  ///< operators' keys for commands
    /// Explicit opt-in to an unauthenticated command socket on loopback/ipc (tests, a lab):
    /// any local user can then ack, close and mute alerts. Warned about loudly at startup.
    bool insecure_local_commands{false};
    HttpConfig http;
    CotConfig cot;
    Cat062Config cat062;
    /// The store: an SQLite file (`database`), or a PostgreSQL URL/conninfo (`store`, the
    /// shared store: src/store/pg_store.hpp); empty = no persistence.
    std::string database;
    int store_site{0};  ///< `store_site`: this server's number on a shared PostgreSQL store
    /// Where `store` was set (file, line): a database unreachable at startup is reported as a
    /// configuration error there.
    std::string store_file;
    int store_line{0};
    HistoryConfig history;
    std::string recording;          ///< recording directory; empty = no recording
    double recording_flush_s{0.2};  ///< records reach the OS at least this often
    record::Compression recording_compression{record::Compression::zstd};
    std::string track_log;  ///< JSON lines of every published message; empty = off
    /// How much nicer than the fusion thread the persistence and history writers run (0..19;
    /// core/thread_role.hpp): they have bounded queues, the fusion thread a latency goal.
    int background_nice{5};
};

/// The server clock may run at most this many times faster than the wall clock.
inline constexpr double kMaxClockSpeed = 10000;

struct ClockConfig {
    double speed{1};    ///< virtual time runs this many times faster than the wall clock
    std::string start;  ///< ISO time the virtual clock starts at; empty = now
};

/// Partners (federation, docs/deployment.md): what each may receive, and the audit of it.
struct PartnersConfig {
    std::vector<partners::PartnerRules> share;
    std::string audit_log;  ///< append-only JSON lines, one per message sent; required with any
};

/// Hot standby (docs/deployment.md, "Hot standby"). The primary (`picket serve`) binds
/// `endpoint` and sends its records there; `picket serve --standby` on the same config connects
/// to it, follows, and takes over after `lease_s` without a word from the primary, writing its
/// own store, recording and track log (the paths below, so both can run on one host).
struct StandbyConfig {
    std::string endpoint;  ///< empty = no standby link
    double lease_s{2.0};
    std::string database;   ///< the standby's store; default: outputs.database + ".standby"
    std::string recording;  ///< the standby's recording; default: outputs.recording + ".standby"
    std::string track_log;  ///< the standby's track log; default: outputs.track_log + ".standby"
    /// The standby's store is the primary's PostgreSQL store (the default with outputs.store):
    /// the primary writes it alone while the standby follows (docs/deployment.md, "Hot standby
    /// on a shared PostgreSQL store"). Derived, not a key.
    bool shares_store{false};
};

struct ServerConfig {
    std::string file;  ///< where it was loaded from (for messages)
    std::string region_name;
    LatLon origin;
    std::vector<FeedConfig> feeds;
    filters::TrackerConfig tracker;
    /// Every feed is a `tracks` feed: the picture is the track-to-track fusion's (fusion/), not
    /// the tracker's.
    bool regional{false};
    fusion::FuserConfig fusion;
    std::string rules_file;  ///< absolute path; empty = no rules
    OutputsConfig outputs;
    PartnersConfig partners;
    StandbyConfig standby;
    ClockConfig clock;
    double tick_s{1.0};                           ///< rules / coasting cycle, in virtual seconds
    std::vector<std::string> patrol_assets_json;  ///< configured patrol assets, JSON objects
};

/// Loads and validates; throws config::ConfigError naming file, line and key.
ServerConfig load_server_config(const std::string& path);
/// Same from text (tests, embedded defaults). Relative paths resolve against base_dir.
ServerConfig parse_server_config(const std::string& text, const std::string& name,
                                 const std::string& base_dir);

}  // namespace picket::server
