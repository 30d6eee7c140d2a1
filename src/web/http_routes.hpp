#pragma once
/// Internal: the answer to one plain HTTP request (everything but the WebSocket upgrades).
#include <string>
#include <string_view>

#include <boost/beast/core/string.hpp>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "src/web/server_state.hpp"

namespace picket::web::detail {

/// Beast 1.74 uses boost::string_view; our helpers take std::string_view.
inline std::string_view to_std(boost::beast::string_view s) { return {s.data(), s.size()}; }

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

/// Routes GET /api/snapshot|layers|assets|recordings, GET /metrics, POST /api/command and
/// static files. `peer_is_loopback` and `peer` come from the TCP connection, not from headers.
Response route_request(ServerState& state, const Request& request, bool peer_is_loopback,
                       const std::string& peer);

/// Parsed /ws/replay query; nullopt-like failure is reported through `error` (non-empty).
ReplayRequest parse_replay_query(std::string_view target, std::string& error);

}  // namespace picket::web::detail
