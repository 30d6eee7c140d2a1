#include "src/web/http_session.hpp"

#include <chrono>
#include <utility>
#include <vector>

#include <boost/asio/buffer.hpp>
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

/// What a refused client may still send before we close on it.
constexpr std::size_t kDrainMaxBytes = 1 << 20;
constexpr auto kDrainTimeout = std::chrono::seconds(2);

bool is_http_parse_error(const beast::error_code& ec) {
    return ec.category() == http::make_error_code(http::error::bad_method).category();
}

std::string seconds_text(std::chrono::milliseconds ms) {
    return std::to_string(ms.count() / 1000.0).substr(0, 4) + " s";
}

}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket&& socket, ServerState& state)
    : stream_(std::move(socket)), state_(state) {
    ++state_.connections;
    beast::error_code ec;
    const auto remote = stream_.socket().remote_endpoint(ec);
    if (!ec) {
        peer_ = remote.address().to_string();
        peer_is_loopback_ = remote.address().is_loopback();
    }
}

HttpSession::~HttpSession() { --state_.connections; }

void HttpSession::run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read_header(); });
}

void HttpSession::refuse_over_capacity() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
        self->refuse(Verdict{Refusal::too_many_connections, http::status::service_unavailable,
                             "too many connections"},
                     "limit of " + std::to_string(self->state_.config.max_connections));
    });
}

void HttpSession::do_read_header() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(state_.config.max_header_bytes));
    parser_->body_limit(state_.config.max_body_bytes);
    stream_.expires_after(state_.config.header_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

void HttpSession::on_header(beast::error_code ec) {
    if (ec) {
        on_read_error(ec);
        return;
    }
    const auto& req = parser_->get();
    std::vector<std::string_view> hosts, origins;
    for (auto [it, end] = req.equal_range(http::field::host); it != end; ++it)
        hosts.push_back(to_std(it->value()));
    for (auto [it, end] = req.equal_range(http::field::origin); it != end; ++it)
        origins.push_back(to_std(it->value()));
    if (auto verdict = check_host_and_origin(state_.hosts, hosts, origins)) {
        std::string detail;
        if (verdict->reason == Refusal::host && !hosts.empty())
            detail = "Host " + std::string(hosts[0]);
        if (verdict->reason == Refusal::origin) detail = "Origin " + std::string(origins[0]);
        refuse(*verdict, detail);
        return;
    }
    if (parser_->is_done()) {
        on_read({});
        return;
    }
    // curl and some libraries wait (a second, by default) for a go-ahead before sending a body.
    if (beast::iequals(req[http::field::expect], "100-continue")) {
        static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        stream_.expires_after(state_.config.body_timeout);
        net::async_write(stream_, net::buffer(kContinue),
                         [self = shared_from_this()](beast::error_code e, std::size_t) {
                             self->on_continue_sent(e);
                         });
        return;
    }
    do_read_body();
}

void HttpSession::on_continue_sent(beast::error_code ec) {
    if (ec) return;
    do_read_body();
}

void HttpSession::do_read_body() {
    stream_.expires_after(state_.config.body_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void HttpSession::on_read_error(beast::error_code ec) {
    if (ec == http::error::end_of_stream) {
        stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
        return;
    }
    if (ec == beast::error::timeout) {
        // The stream is already closed. An idle keep-alive connection timing out is normal; a
        // request left half-sent, or a connection that never sent one, is a slow client.
        if (parser_->got_some() || requests_answered_ == 0) {
            state_.refuse(
                Refusal::timeout, peer_,
                "request not complete within " + seconds_text(parser_->is_header_done()
                                                                  ? state_.config.body_timeout
                                                                  : state_.config.header_timeout));
        }
        return;
    }
    if (ec == http::error::header_limit) {
        refuse(Verdict{Refusal::header_too_large, http::status::request_header_fields_too_large,
                       "request headers too large"},
               "over " + std::to_string(state_.config.max_header_bytes) + " bytes");
        return;
    }
    if (ec == http::error::body_limit) {
        refuse(Verdict{Refusal::body_too_large, http::status::payload_too_large,
                       "request body too large"},
               "over " + std::to_string(state_.config.max_body_bytes) + " bytes");
        return;
    }
    if (is_http_parse_error(ec)) {
        refuse(Verdict{Refusal::bad_request, http::status::bad_request, "malformed request"},
               ec.message());
        return;
    }
    // Reset by the peer, or the server is stopping: nothing to answer.
}

void HttpSession::on_read(beast::error_code ec) {
    if (ec) {
        on_read_error(ec);
        return;
    }
    if (beast::websocket::is_upgrade(parser_->get())) {
        upgrade(parser_->release());
        return;
    }
    send(route_request(state_, parser_->get(), peer_is_loopback_, peer_));
}

void HttpSession::refuse(const Verdict& verdict, std::string_view detail) {
    state_.refuse(verdict.reason, peer_, detail);
    Response res{verdict.status, 11};
    res.set(http::field::server, "picket");
    res.set(http::field::content_type, "text/plain");
    res.set(http::field::cache_control, "no-store");
    res.body() = verdict.message + "\n";
    res.keep_alive(false);
    res.prepare_payload();
    send(std::move(res), /*linger=*/true);
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
    stream_.expires_never();  // the WebSocket sets its own timeouts
    std::make_shared<WsSession>(stream_.release_socket(), state_, mode, std::move(replay))
        ->run(std::move(request));
}

void HttpSession::send(Response response, bool linger) {
    linger_ = linger;
    response_ = std::make_shared<Response>(std::move(response));
    const bool close = linger || response_->need_eof();
    // A client that never reads its answer must not hold the connection for ever.
    stream_.expires_after(state_.config.body_timeout);
    http::async_write(stream_, *response_,
                      [self = shared_from_this(), close](beast::error_code ec, std::size_t) {
                          self->on_write(close, ec);
                      });
}

void HttpSession::on_write(bool close, beast::error_code ec) {
    response_.reset();
    if (ec) return;
    ++requests_answered_;
    if (close) {
        stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
        if (linger_) drain_then_close();
        return;
    }
    do_read_header();
}

void HttpSession::drain_then_close() {
    if (drained_bytes_ == 0) stream_.expires_after(kDrainTimeout);
    stream_.async_read_some(net::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                self->drained_bytes_ += n;
                                if (ec || self->drained_bytes_ >= kDrainMaxBytes) return;
                                self->drain_then_close();
                            });
}

}  // namespace picket::web::detail
