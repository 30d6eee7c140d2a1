#include "src/web/http_session.hpp"

#include <chrono>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "src/web/page_token.hpp"
#include "src/web/ws_session.hpp"

namespace picket::web::detail {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {
constexpr std::uint64_t kBodyLimitBytes = 256 * 1024;  // commands are tiny
constexpr auto kIdleTimeout = std::chrono::seconds(60);
}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket&& socket, ServerState& state)
    : stream_(std::move(socket)), state_(state) {
    beast::error_code ec;
    const auto remote = stream_.socket().remote_endpoint(ec);
    if (!ec) {
        peer_ = remote.address().to_string();
        peer_is_loopback_ = remote.address().is_loopback();
    }
}

void HttpSession::run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
}

void HttpSession::do_read() {
    parser_.emplace();
    parser_->body_limit(kBodyLimitBytes);
    stream_.expires_after(kIdleTimeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void HttpSession::on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream) {
        stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
        return;
    }
    if (ec) return;  // timeout, reset, or a malformed request: drop the connection
    if (beast::websocket::is_upgrade(parser_->get())) {
        upgrade(parser_->release());
        return;
    }
    send(route_request(state_, parser_->get(), peer_is_loopback_, peer_));
}

void HttpSession::upgrade(Request request) {
    const auto target = to_std(request.target());
    const auto path = target.substr(0, target.find('?'));
    WsSession::Mode mode;
    ReplayRequest replay;
    if (path == "/ws") {
        mode = WsSession::Mode::live;
    } else if (path == "/ws/replay") {
        mode = WsSession::Mode::replay;
        std::string error;
        replay = parse_replay_query(target, error);
        if (!error.empty()) {
            Response res{http::status::bad_request, request.version()};
            res.set(http::field::content_type, "text/plain");
            res.body() = error;
            res.prepare_payload();
            res.keep_alive(false);
            send(std::move(res));
            return;
        }
    } else {
        Response res{http::status::not_found, request.version()};
        res.keep_alive(false);
        res.prepare_payload();
        send(std::move(res));
        return;
    }
    if (!origin_allowed(to_std(request[http::field::origin]), to_std(request[http::field::host]))) {
        Response res{http::status::forbidden, request.version()};
        res.set(http::field::content_type, "text/plain");
        res.body() = "cross-origin WebSocket refused";
        res.prepare_payload();
        res.keep_alive(false);
        send(std::move(res));
        return;
    }
    stream_.expires_never();  // the WebSocket sets its own timeouts
    std::make_shared<WsSession>(stream_.release_socket(), state_, mode, std::move(replay))
        ->run(std::move(request));
}

void HttpSession::send(Response response) {
    response_ = std::make_shared<Response>(std::move(response));
    const bool close = response_->need_eof();
    http::async_write(stream_, *response_,
                      [self = shared_from_this(), close](beast::error_code ec, std::size_t) {
                          self->on_write(close, ec);
                      });
}

void HttpSession::on_write(bool close, beast::error_code ec) {
    response_.reset();
    if (ec) return;
    if (close) {
        stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
        return;
    }
    do_read();
}

}  // namespace picket::web::detail
