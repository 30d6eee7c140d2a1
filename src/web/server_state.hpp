#pragma once
/// Internal: what every session of one WebServer shares. Only the I/O thread touches the
/// non-atomic members, which is why there is no lock here.
#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

#include <boost/asio/io_context.hpp>

#include "core/log_limit.hpp"
#include "src/web/client_queue.hpp"
#include "src/web/request_guard.hpp"
#include "src/web/web_server.hpp"

namespace picket::web::detail {

class WsSession;

struct ServerState {
    ServerState(WebConfig c, Hooks h)
        : config(std::move(c)), hooks(std::move(h)), hosts(config.allowed_hosts) {}

    /// Counts a refusal and logs it (rate-limited; `detail` is bounded here, it may be input).
    void refuse(Refusal reason, std::string_view peer, std::string_view detail);

    WebConfig config;
    Hooks hooks;
    HostPolicy hosts;
    std::size_t connections = 0;                  ///< open HTTP + WebSocket; I/O thread only
    std::unordered_set<WsSession*> live_clients;  ///< I/O thread only
    std::unordered_set<WsSession*> all_clients;   ///< live and replay; I/O thread only
    std::size_t last_snapshot_bytes = 0;          ///< I/O thread only; sizes the backlog limit

    std::atomic<std::uint64_t> http_requests{0};
    std::atomic<std::uint64_t> ws_messages_sent{0};
    std::atomic<std::uint64_t> backlogs_dropped{0};
    std::atomic<std::uint64_t> commands_accepted{0};
    std::atomic<std::uint64_t> commands_refused{0};
    std::atomic<std::uint64_t> ws_clients{0};
    std::array<std::atomic<std::uint64_t>, kRefusalKinds> refused{};
    log::RateLimited refusal_log{log::Level::warn};
    log::RateLimited command_log{log::Level::info, 60};

    /// Declared last so that it is destroyed first: handlers it still holds destroy sessions,
    /// whose destructors touch the members above.
    boost::asio::io_context ioc{1};
};

/// {"topic":TOPIC,"data":JSON} — the one envelope every WebSocket message uses.
SharedText make_envelope(std::string_view topic, std::string_view json);

/// The server's own Prometheus lines, appended after the application's.
std::string web_metrics_text(const ServerState& state);

}  // namespace picket::web::detail
