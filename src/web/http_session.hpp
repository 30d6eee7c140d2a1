#pragma once
/// Internal: one HTTP/1.1 connection (keep-alive), handing WebSocket upgrades to WsSession.
///
/// Each request goes through the same gate before any route sees it (docs/control-room.md,
/// "Security"): headers within `header_timeout` and `max_header_bytes` (else closed, or 431),
/// one Host that names this server (else 421), no foreign Origin (else 403), then the body within
/// `body_timeout` and `max_body_bytes` (else 413). Malformed or conflicting framing (both
/// Content-Length and chunked, two Content-Lengths) is answered 400. Every refusal is counted
/// and logged (rate-limited), and the connection is closed after the answer.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "src/web/http_routes.hpp"
#include "src/web/request_guard.hpp"
#include "src/web/server_state.hpp"

namespace picket::web::detail {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(boost::asio::ip::tcp::socket&& socket, ServerState& state);
    ~HttpSession();
    HttpSession(const HttpSession&) = delete;
    HttpSession& operator=(const HttpSession&) = delete;

    void run();
    /// The connection limit is reached: answer 503 without reading, then close.
    void refuse_over_capacity();

private:
    void do_read_header();
    void on_header(boost::beast::error_code ec);
    void on_continue_sent(boost::beast::error_code ec);
    void do_read_body();
    void on_read(boost::beast::error_code ec);
    void on_read_error(boost::beast::error_code ec);
    void refuse(const Verdict& verdict, std::string_view detail);
    void upgrade(Request request);
    void send(Response response, bool linger = false);
    void on_write(bool close, boost::beast::error_code ec);
    /// After a refusal: stop sending, read and drop what the client still sends (bounded in time
    /// and bytes) so that closing does not reset the connection before the answer is read.
    void drain_then_close();

    boost::beast::tcp_stream stream_;
    ServerState& state_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::shared_ptr<Response> response_;
    std::string peer_;
    bool peer_is_loopback_{false};
    bool linger_{false};
    std::uint64_t requests_answered_{0};
    std::size_t drained_bytes_{0};
    std::array<char, 4096> drain_buffer_{};
};

}  // namespace picket::web::detail
