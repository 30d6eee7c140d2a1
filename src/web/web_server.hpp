#pragma once
/// The control-room server: HTTP (the page, the JSON API, Prometheus metrics, operator commands)
/// and WebSocket (live picture and replay) on one port, built on Boost.Beast + Asio.
///
/// Threading: the server runs one I/O thread of its own. Every hook is called on that thread,
/// one at a time; the application makes the hooks safe against its fusion thread. `broadcast`
/// may be called from any thread and never blocks on a client.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace picket::web {

/// Where and how to listen.
struct WebConfig {
    /// Address to bind; loopback by default so a fresh install is not exposed to the network.
    std::string bind = "127.0.0.1";
    /// TCP port; 0 picks an ephemeral port (tests), read it back with WebServer::port().
    std::uint16_t port = 8080;
    /// Folder served under "/" (index.html, src/*.js, style.css). Empty = no static files.
    std::string static_dir;
    /// Folder served under "/tiles/": the map's vector tiles ({z}/{x}/{y}.pbf, metadata.json),
    /// made at setup by scripts/derive-basemap.sh. Empty = no tiles (the map draws without).
    std::string tiles_dir;
    /// Bearer token required by POST /api/command; empty = every command is refused (403).
    std::string token;
    /// Per-WebSocket-client backlog limits. A live client over either limit has its backlog
    /// dropped and replaced by a fresh snapshot; a replay client pauses its replay instead.
    /// The byte limit grows to twice the last snapshot's size: below that, catching up on the
    /// backlog is cheaper than a resync (5,000 tracks at 1 Hz is ~3.5 MB/s of updates).
    std::size_t queue_max_messages = 65536;
    std::size_t queue_max_bytes = 16u << 20;

    // Who may connect and how much they may send (docs/control-room.md, "Security").
    /// Host names a request may carry besides loopback names and IP address literals.
    std::vector<std::string> allowed_hosts;
    /// Request line + headers; more is refused with 431.
    std::size_t max_header_bytes = 16 * 1024;
    /// Request body; more is refused with 413 (a command is a few hundred bytes).
    std::size_t max_body_bytes = 64 * 1024;
    /// A request's headers must be complete this long after the connection is ready for it
    /// (this is also how long an idle keep-alive connection stays open).
    std::chrono::milliseconds header_timeout{10'000};
    /// The body must be complete this long after the headers; a response must be taken by the
    /// client this long after it is ready.
    std::chrono::milliseconds body_timeout{30'000};
    /// Open connections (HTTP and WebSocket) at most; more are answered 503 and closed.
    std::size_t max_connections = 256;
};

/// Handle on a running replay, returned by Hooks::replay. Called on the web thread.
class ReplayControl {
public:
    virtual ~ReplayControl() = default;
    virtual void pause() = 0;
    virtual void resume() = 0;
    /// Replay rate as a multiple of recorded time (1 = real time); > 0.
    virtual void set_speed(double speed) = 0;
    /// Stops delivery; after it returns the sink is not called again.
    virtual void stop() = 0;
};

/// What the page asked to replay: /ws/replay?name=NAME&from=ISO8601&speed=N.
struct ReplayRequest {
    std::string name;
    std::string from_iso;  ///< ISO 8601 UTC as typed by the page; empty = start of recording
    double speed = 1.0;
};

/// Receives replayed messages (topic "snapshot" first, then "track" | "track.deleted" | "alert",
/// same JSON as live). May be called from any thread.
using ReplaySink = std::function<void(std::string_view topic, std::string json)>;

/// The application side. A missing hook makes its endpoint answer 503.
struct Hooks {
    std::function<std::string()> snapshot;  ///< snapshot JSON (docs/protocol.md)
    /// Runs an operator command (JSON object, already authorised); returns the reply JSON.
    /// `user` names who sent it: "web@" + the peer address.
    std::function<std::string(const std::string& command_json, const std::string& user)> command;
    std::function<std::string()> layers;      ///< GeoJSON FeatureCollection, properties.kind/name
    std::function<std::string()> metrics;     ///< Prometheus text exposition
    std::function<std::string()> assets;      ///< JSON array of patrol assets
    std::function<std::string()> recordings;  ///< JSON array [{"name","from","to"}]
    /// Starts a replay; throw std::exception (message sent to the page) or return nullptr to
    /// refuse. The returned control is stopped and destroyed when the client goes away.
    std::function<std::unique_ptr<ReplayControl>(const ReplayRequest&, ReplaySink)> replay;
};

class WebServer {
public:
    WebServer(WebConfig config, Hooks hooks);
    ~WebServer();  ///< stops the server if running
    WebServer(const WebServer&) = delete;
    WebServer& operator=(const WebServer&) = delete;

    /// Binds and starts the I/O thread; throws std::runtime_error if the address cannot be bound.
    void start();
    /// Closes every connection and joins the I/O thread. Idempotent.
    void stop();
    /// The bound port (the ephemeral one when WebConfig::port was 0); 0 before start().
    std::uint16_t port() const;

    /// Sends {"topic":TOPIC,"data":JSON} to every live WebSocket client (`json` must be compact:
    /// several messages may share one WebSocket frame, separated by '\n'). Thread-safe, never
    /// blocks the caller (the fusion thread): each client has its own queue; a client that
    /// falls too far behind is sent a fresh snapshot instead of the backlog.
    void broadcast(std::string_view topic, std::string json);

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace picket::web
