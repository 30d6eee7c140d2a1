#include "src/web/ws_session.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "core/log.hpp"

namespace picket::web::detail {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

namespace {
constexpr std::size_t kBatchBytes = 256 * 1024;  ///< most bytes coalesced into one frame
/// The page only sends tiny control messages ({"op":"pause"}); Beast closes on anything larger.
constexpr std::size_t kMaxClientMessageBytes = 64 * 1024;
}  // namespace

WsSession::WsSession(net::ip::tcp::socket&& socket, ServerState& state, Mode mode,
                     ReplayRequest replay_request)
    : ws_(std::move(socket)),
      state_(state),
      mode_(mode),
      replay_request_(std::move(replay_request)),
      queue_(state.config.queue_max_messages, state.config.queue_max_bytes) {
    ++state_.connections;
}

WsSession::~WsSession() {
    --state_.connections;
    state_.all_clients.erase(this);
    if (registered_) {
        state_.live_clients.erase(this);
    }
    if (replay_) replay_->stop();
    state_.ws_clients.fetch_sub(1);
}

void WsSession::run(beast::http::request<beast::http::string_body> request) {
    state_.ws_clients.fetch_add(1);
    state_.all_clients.insert(this);
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(beast::http::field::server, "picket"); }));
    ws_.read_message_max(kMaxClientMessageBytes);
    ws_.async_accept(request,
                     [self = shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
}

void WsSession::on_accept(beast::error_code ec) {
    if (ec) return;
    ws_.text(true);
    if (mode_ == Mode::live) {
        // Register and queue the snapshot in the same handler: every broadcast handled after
        // this one lands behind the snapshot, so the client never sees an update before it.
        if (!state_.hooks.snapshot) {
            send_error_and_close("no snapshot hook");
            return;
        }
        state_.live_clients.insert(this);
        registered_ = true;
        send(snapshot_message());
    } else {
        start_replay();
    }
    do_read();
}

void WsSession::start_replay() {
    if (!state_.hooks.replay) {
        send_error_and_close("replay is not available on this server");
        return;
    }
    std::weak_ptr<WsSession> weak = weak_from_this();
    auto executor = ws_.get_executor();
    ReplaySink sink = [weak, executor](std::string_view topic, std::string json) {
        auto message = make_envelope(topic, json);
        net::post(executor, [weak, message = std::move(message)]() mutable {
            if (auto self = weak.lock()) self->enqueue_replay(std::move(message));
        });
    };
    try {
        replay_ = state_.hooks.replay(replay_request_, std::move(sink));
    } catch (const std::exception& e) {
        send_error_and_close(e.what());
        return;
    }
    if (!replay_) send_error_and_close("replay refused");
}

void WsSession::do_read() {
    ws_.async_read(read_buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_read(ec);
    });
}

void WsSession::on_read(beast::error_code ec) {
    if (ec == websocket::error::message_too_big) {
        beast::error_code ignored;
        const auto peer = beast::get_lowest_layer(ws_).socket().remote_endpoint(ignored);
        state_.refuse(
            Refusal::body_too_large, peer.address().to_string(),
            "WebSocket message over " + std::to_string(kMaxClientMessageBytes) + " bytes");
    }
    if (ec) {
        // Closed or failed: drop out of the broadcast set now rather than when the last
        // pending write lets go of us.
        closing_ = true;
        if (registered_) {
            state_.live_clients.erase(this);
            registered_ = false;
        }
        if (replay_) {
            replay_->stop();
            replay_.reset();
        }
        return;
    }
    handle_control(beast::buffers_to_string(read_buffer_.data()));
    read_buffer_.consume(read_buffer_.size());
    do_read();
}

void WsSession::handle_control(const std::string& text) {
    if (!replay_) return;  // live clients have nothing to control; ignore
    const auto msg = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!msg.is_object() || !msg.contains("op") || !msg["op"].is_string()) return;
    const auto op = msg["op"].get<std::string>();
    if (op == "pause") {
        paused_by_operator_ = true;
        replay_->pause();
    } else if (op == "resume") {
        paused_by_operator_ = false;
        if (!paused_by_backlog_) replay_->resume();
    } else if (op == "speed" && msg.contains("speed") && msg["speed"].is_number()) {
        const double speed = msg["speed"].get<double>();
        if (speed > 0.0 && speed <= 10000.0) replay_->set_speed(speed);
    }
}

SharedText WsSession::snapshot_message() {
    auto message = make_envelope("snapshot", state_.hooks.snapshot());
    state_.last_snapshot_bytes = message->size();
    return message;
}

void WsSession::enqueue_live(const SharedText& message) {
    if (closing_) return;
    queue_.set_max_bytes(std::max(state_.config.queue_max_bytes, 2 * state_.last_snapshot_bytes));
    if (queue_.push(message)) {
        do_write();
        return;
    }
    // Too far behind: the backlog is worth less than a fresh picture. The snapshot carries the
    // seq it is valid at, so the page drops any queued update it already contains.
    state_.backlogs_dropped.fetch_add(1);
    queue_.clear();
    queue_.force_push(snapshot_message());
    queue_.force_push(message);
    do_write();
}

void WsSession::enqueue_replay(SharedText message) {
    if (closing_) return;
    queue_.force_push(std::move(message));
    // Replay must not lose messages, so apply back-pressure to the reader instead.
    const bool high = queue_.size() >= state_.config.queue_max_messages ||
                      queue_.bytes() >= state_.config.queue_max_bytes;
    if (high && !paused_by_backlog_ && replay_) {
        paused_by_backlog_ = true;
        replay_->pause();
    }
    do_write();
}

void WsSession::send(SharedText message) {
    queue_.force_push(std::move(message));
    do_write();
}

void WsSession::do_write() {
    if (writing_) return;
    if (queue_.empty()) {
        if (close_when_drained_) {
            close_when_drained_ = false;
            writing_ = true;  // a close frame is a write: nothing may overlap it
            ws_.async_close(websocket::close_code::policy_error,
                            [self = shared_from_this()](beast::error_code) {});
        }
        return;
    }
    writing_ = true;
    in_flight_ = queue_.pop();
    in_flight_count_ = 1;
    // Coalesce what has queued up into one frame, messages separated by '\n' (compact JSON has
    // no raw newline). One browser event per frame instead of per message: at 5,000 track
    // updates a second the per-event cost, not JSON parsing, is what a page cannot afford.
    if (!queue_.empty() && in_flight_->size() + 1 + queue_.front().size() <= kBatchBytes) {
        auto batch = std::make_shared<std::string>();
        batch->reserve(kBatchBytes);
        batch->append(*in_flight_);
        while (!queue_.empty() && batch->size() + 1 + queue_.front().size() <= kBatchBytes) {
            batch->push_back('\n');
            batch->append(*queue_.pop());
            ++in_flight_count_;
        }
        in_flight_ = std::move(batch);
    }
    ws_.async_write(
        net::buffer(*in_flight_),
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
}

void WsSession::on_write(beast::error_code ec) {
    writing_ = false;
    in_flight_.reset();
    if (ec) {
        closing_ = true;
        queue_.clear();
        return;
    }
    state_.ws_messages_sent.fetch_add(in_flight_count_);
    if (paused_by_backlog_ && queue_.below_low_water() && replay_) {
        paused_by_backlog_ = false;
        if (!paused_by_operator_) replay_->resume();
    }
    do_write();
}

void WsSession::send_error_and_close(const std::string& message) {
    std::string json;
    json += "{\"error\":";
    json += nlohmann::json(message).dump();
    json += '}';
    queue_.force_push(make_envelope("error", json));
    closing_ = true;
    close_when_drained_ = true;  // close once the error has gone out
    do_write();
}

void WsSession::shutdown() {
    closing_ = true;
    // Stop a replay now, while the I/O context still runs: its thread posts into it.
    if (replay_) {
        replay_->stop();
        replay_.reset();
    }
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
}

}  // namespace picket::web::detail
