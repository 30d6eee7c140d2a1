#include "src/web/web_server.hpp"

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "core/json_writer.hpp"
#include "core/log.hpp"
#include "core/stage_errors.hpp"
#include "core/thread_role.hpp"
#include "src/web/http_session.hpp"
#include "src/web/server_state.hpp"
#include "src/web/ws_session.hpp"

namespace picket::web {

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace detail {

SharedText make_envelope(std::string_view topic, std::string_view json) {
    std::string out;
    out.reserve(json.size() + topic.size() + 24);
    out += "{\"topic\":";
    append_json_string(out, topic);
    out += ",\"data\":";
    const auto data_at = out.size();
    out += json;
    // Messages share frames separated by '\n'. Outside strings a raw newline is whitespace and
    // inside strings it must be escaped, so turning it into a space never changes the JSON.
    std::replace(out.begin() + static_cast<std::ptrdiff_t>(data_at), out.end(), '\n', ' ');
    out += '}';
    return std::make_shared<const std::string>(std::move(out));
}

std::string web_metrics_text(const ServerState& s) {
    std::string t;
    auto metric = [&t](const char* name, const char* type, const char* help, std::uint64_t v) {
        t += "# HELP ";
        t += name;
        t += ' ';
        t += help;
        t += "\n# TYPE ";
        t += name;
        t += ' ';
        t += type;
        t += '\n';
        t += name;
        t += ' ';
        t += std::to_string(v);
        t += '\n';
    };
    metric("picket_web_clients", "gauge", "Connected WebSocket clients.", s.ws_clients.load());
    metric("picket_web_http_requests_total", "counter", "HTTP requests answered.",
           s.http_requests.load());
    metric("picket_web_ws_messages_sent_total", "counter", "WebSocket messages sent.",
           s.ws_messages_sent.load());
    metric("picket_web_backlogs_dropped_total", "counter",
           "Client backlogs replaced by a snapshot because the client fell behind.",
           s.backlogs_dropped.load());
    metric("picket_web_commands_accepted_total", "counter", "Authorised operator commands.",
           s.commands_accepted.load());
    metric("picket_web_commands_refused_total", "counter",
           "Operator commands refused for a missing or wrong token.", s.commands_refused.load());
    t += "# HELP picket_web_refused_total Requests and connections refused before handling, by "
         "reason.\n# TYPE picket_web_refused_total counter\n";
    for (std::size_t i = 0; i < kRefusalKinds; ++i) {
        t += "picket_web_refused_total{reason=\"";
        t += refusal_name(static_cast<Refusal>(i));
        t += "\"} ";
        t += std::to_string(s.refused[i].load());
        t += '\n';
    }
    return t;
}

void ServerState::refuse(Refusal reason, std::string_view peer, std::string_view detail) {
    refused[static_cast<std::size_t>(reason)].fetch_add(1);
    std::string line = "web: refused (";
    line += refusal_name(reason);
    line += ") from ";
    line += peer;
    if (!detail.empty()) {
        line += ": ";
        line += log::bounded(detail, 120);
    }
    refusal_log.write(line);
}

}  // namespace detail

struct WebServer::Impl {
    Impl(WebConfig c, Hooks h) : state(std::move(c), std::move(h)), acceptor(state.ioc) {}

    /// Broadcasts waiting for the I/O thread, in publishing order. One handler is posted per
    /// batch, not per message: at 20,000 track updates a second a post each woke the I/O thread
    /// 20,000 times (an eventfd write and an epoll re-arm each), CPU the fusion thread then
    /// lacked. The batch is taken whole when its handler runs, so a client registered (with its
    /// snapshot) in between gets every message published after its snapshot, as before.
    std::mutex broadcast_mutex;
    std::vector<SharedText> broadcasts;  ///< guarded by broadcast_mutex

    void deliver_broadcasts() {
        std::vector<SharedText> batch;
        {
            std::lock_guard lock(broadcast_mutex);
            batch.swap(broadcasts);
        }
        for (const SharedText& message : batch)
            for (auto* client : state.live_clients) client->enqueue_live(message);
    }

    void do_accept() {
        acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
            if (ec) {
                if (ec == net::error::operation_aborted) return;
                log::warn("web: accept failed: " + ec.message());
            } else {
                const bool full = state.connections >= state.config.max_connections;
                auto session = std::make_shared<detail::HttpSession>(std::move(socket), state);
                if (full) {
                    session->refuse_over_capacity();
                } else {
                    session->run();
                }
            }
            if (acceptor.is_open()) do_accept();
        });
    }

    detail::ServerState state;
    tcp::acceptor acceptor;
    std::thread thread;
    std::uint16_t port{0};
    bool running{false};
};

WebServer::WebServer(WebConfig config, Hooks hooks)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(hooks))) {}

WebServer::~WebServer() { stop(); }

void WebServer::start() {
    if (impl_->running) return;
    auto& cfg = impl_->state.config;
    boost::system::error_code ec;
    const auto address = net::ip::make_address(cfg.bind, ec);
    if (ec) throw std::runtime_error("web: bad bind address '" + cfg.bind + "'");
    const tcp::endpoint endpoint(address, cfg.port);
    auto& acceptor = impl_->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
        throw std::runtime_error("web: cannot listen on " + cfg.bind + ":" +
                                 std::to_string(cfg.port) + ": " + ec.message());
    }
    impl_->port = acceptor.local_endpoint().port();
    impl_->do_accept();
    impl_->running = true;
    impl_->thread = std::thread([this] {
        enter_thread_role(ThreadRole::web);
        // The catch site of the web thread: an exception out of a handler unwinds run(); count
        // it, log it and go back to serving (run() resumes with the handlers still queued).
        for (;;) {
            try {
                impl_->state.ioc.run();
                return;
            } catch (const std::exception& e) {
                report_stage_error("web", e.what());
            }
        }
    });
    log::info("web: control room on http://" + cfg.bind + ":" + std::to_string(impl_->port) + "/");
}

void WebServer::stop() {
    if (!impl_ || !impl_->running) return;
    net::post(impl_->state.ioc, [impl = impl_.get()] {
        boost::system::error_code ec;
        impl->acceptor.close(ec);
        for (auto* client : impl->state.all_clients) client->shutdown();
        impl->state.ioc.stop();
    });
    impl_->thread.join();
    impl_->running = false;
}

std::uint16_t WebServer::port() const { return impl_->port; }

void WebServer::broadcast(std::string_view topic, std::string json) {
    // One envelope shared by every client; only a pointer crosses to the I/O thread.
    auto message = detail::make_envelope(topic, json);
    bool first;
    {
        std::lock_guard lock(impl_->broadcast_mutex);
        first = impl_->broadcasts.empty();
        impl_->broadcasts.push_back(std::move(message));
    }
    // The batch's handler is posted by whoever starts it (it may already have run when this
    // post lands: it then finds the batch empty or delivers what came since).
    if (first) net::post(impl_->state.ioc, [impl = impl_.get()] { impl->deliver_broadcasts(); });
}

}  // namespace picket::web
