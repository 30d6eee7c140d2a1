#pragma once
/// Internal: one HTTP/1.1 connection (keep-alive), handing WebSocket upgrades to WsSession.
#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "src/web/http_routes.hpp"
#include "src/web/server_state.hpp"

namespace picket::web::detail {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(boost::asio::ip::tcp::socket&& socket, ServerState& state);
    void run();

private:
    void do_read();
    void on_read(boost::beast::error_code ec);
    void upgrade(Request request);
    void send(Response response);
    void on_write(bool close, boost::beast::error_code ec);

    boost::beast::tcp_stream stream_;
    ServerState& state_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::shared_ptr<Response> response_;
    std::string peer_;
    bool peer_is_loopback_{false};
};

}  // namespace picket::web::detail
