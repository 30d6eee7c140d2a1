#pragma once
/// `picket serve`: the live server. Threads:
///   - the feeds' I/O thread (FeedReceiver): sockets -> receive time -> inproc hand-over;
///   - the fusion thread (this class's loop): owns the FusionEngine and every mutable piece of
///     state, records each input event, publishes on PUB, answers snapshot and command requests;
///   - the persistence thread (src/persist): writes the recording, the store and track history,
///     so that a slow disk never slows the fusion;
///   - the web server's threads (src/web), which reach the fusion thread only through call().
/// ZeroMQ sockets are not thread-safe: each lives on exactly one of these threads.
#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "src/server_config.hpp"

namespace picket::server {

struct ServeOptions {
    std::optional<Timestamp> clock_start;  ///< overrides config clock.start
    std::optional<double> clock_speed;     ///< overrides config clock.speed
    std::optional<std::uint16_t> http_port;
    bool quiet{false};
    /// `picket serve --standby`: follow the primary named by the config's `standby.endpoint`,
    /// muted, and take over when it is gone (docs/deployment.md, "Hot standby").
    bool standby{false};
    /// How long call() waits for the fusion thread before answering "server busy" (and then
    /// never running the task).
    std::chrono::milliseconds call_timeout{10'000};
};

class Server {
public:
    Server(ServerConfig config, ServeOptions options);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Binds every socket (throws with a clear message on failure) and starts the threads.
    void start();
    /// Stops the threads, flushes the recording and the database. Idempotent.
    void stop();
    /// Runs `fn` on the fusion thread and returns its result (for the web server's hooks). When
    /// the fusion thread has not started it within ServeOptions::call_timeout, returns
    /// {"ok":false,"error":"server busy"} and `fn` is never run.
    std::string call(std::function<std::string()> fn);
    /// The same, but the result is returned only once everything published before it has gone
    /// out, i.e. once the store holds every alert it may show (snapshots, command replies).
    std::string call_in_order(std::function<std::string()> fn);

    /// An operator command (docs/protocol.md) from `user`, recorded and executed on the fusion
    /// thread; returns the JSON reply. The web server's command hook.
    std::string command(const std::string& json, const std::string& user);
    /// Feed health and counters (FusionEngine::status_json), fetched on the fusion thread.
    std::string status();
    /// The Prometheus text of /metrics (docs/outputs.md), rendered on the fusion thread.
    std::string metrics_text();

    /// The server clock (virtual when clock speed != 1): what a sensor simulator should stamp.
    [[nodiscard]] Timestamp now() const;
    [[nodiscard]] std::uint16_t http_port() const;
    [[nodiscard]] const std::string& http_token() const { return http_token_; }
    [[nodiscard]] const ServerConfig& config() const { return config_; }

    struct Impl;

private:
    void start_web();
    void take_over_outputs();  ///< a standby that took over: the web server
    std::string run_on_fusion(std::function<std::string()> fn, bool in_order);
    std::string assets_json() const;  ///< on the fusion thread

    ServerConfig config_;
    ServeOptions options_;
    std::string http_token_;
    std::unique_ptr<Impl> impl_;
};

/// Runs a server until SIGINT/SIGTERM. Returns the process exit code.
int run_server_until_signal(Server& server);

}  // namespace picket::server
