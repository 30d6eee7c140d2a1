#include "src/io/feed_receiver.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <stdexcept>

#include "core/stage_errors.hpp"
#include "core/thread_role.hpp"
#include "src/io/zap_handler.hpp"

namespace picket::server {

namespace {

constexpr int kMonitoredEvents = ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
                                 ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                                 ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;

}  // namespace

std::int64_t FeedReceiver::hard_limit(std::int64_t max_message_bytes) {
    return max_message_bytes + std::max<std::int64_t>(max_message_bytes, 64 * 1024);
}

FeedReceiver::FeedReceiver(zmq::context_t& ctx, const std::vector<FeedConfig>& feeds,
                           const VirtualClock& clock, const std::string& forward,
                           outputs::Registry& metrics)
    : forward_(ctx, zmq::socket_type::push), clock_(clock) {
    forward_.set(zmq::sockopt::sndhwm, 0);  // inproc hand-over: never drop, fusion drains it
    forward_.connect(forward);
    for (const FeedConfig& f : feeds) {
        zmq::socket_t s(
            ctx, f.socket == SocketType::sub ? zmq::socket_type::sub : zmq::socket_type::pull);
        // Up to the hard limit the message is received and counted here; beyond it libzmq drops
        // the peer before buffering it (a gateway announcing a 4 GB frame must cost nothing).
        s.set(zmq::sockopt::maxmsgsize, hard_limit(f.max_message_bytes));
        s.set(zmq::sockopt::rcvhwm, 100000);
        if (f.curve) make_curve_server(s, f.curve->server_secret_key, "feed:" + f.params.id);
        const std::string monitor_endpoint =
            "inproc://picket-feed-monitor-" + std::to_string(sockets_.size());
        if (zmq_socket_monitor(s.handle(), monitor_endpoint.c_str(), kMonitoredEvents) != 0)
            throw std::runtime_error("feed " + f.params.id + ": cannot monitor its socket");
        zmq::socket_t monitor(ctx, zmq::socket_type::pair);
        monitor.connect(monitor_endpoint);
        // Another picket's stream: its tracks ("track", "track.deleted"), not its incidents.
        const bool track_stream = f.params.tracks && f.params.format == "picket";
        if (f.socket == SocketType::sub)
            s.set(zmq::sockopt::subscribe, track_stream ? "track" : "");
        syncs_.push_back(
            track_stream && !f.snapshot_endpoint.empty()
                ? std::make_unique<TrackStreamSync>(ctx, f.snapshot_endpoint, f.params.id)
                : nullptr);
        // Both channels of a redundant pair on one socket: one decoder sees both copies.
        for (const std::string& endpoint : {f.endpoint, f.redundant_endpoint}) {
            if (endpoint.empty()) continue;
            try {
                if (f.socket == SocketType::sub)
                    s.connect(endpoint);
                else
                    s.bind(endpoint);
            } catch (const zmq::error_t& e) {
                throw std::runtime_error("feed " + f.params.id + ": cannot " +
                                         (f.socket == SocketType::sub ? "connect to " : "bind ") +
                                         endpoint + ": " + e.what());
            }
        }
        const outputs::Labels feed{{"feed", f.params.id}};
        watched_.push_back(Watched{
            f.params.id, f.max_message_bytes,
            &metrics.counter("picket_feed_oversized_total",
                             "Messages dropped for exceeding the feed's max_message_bytes", feed),
            &metrics.counter("picket_feed_disconnects_total",
                             "Feed connections that ended (peer gone, or dropped by libzmq for a "
                             "message over twice max_message_bytes)",
                             feed),
            &metrics.counter("picket_feed_handshake_failures_total",
                             "Feed connections refused during the handshake (CURVE key not "
                             "allowed, wrong protocol)",
                             feed)});
        sockets_.push_back(std::move(s));
        monitors_.push_back(std::move(monitor));
    }
}

FeedReceiver::~FeedReceiver() {
    stop();
    // Stop the monitors before their sockets close, or libzmq reports into a closed PAIR.
    for (auto& s : sockets_) zmq_socket_monitor(s.handle(), nullptr, 0);
}

void FeedReceiver::start() {
    thread_ = std::thread([this] {
        enter_thread_role(ThreadRole::feeds);
        run();
    });
}

void FeedReceiver::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

void FeedReceiver::run() {
    std::vector<zmq::pollitem_t> items;
    for (auto& s : sockets_) items.push_back({s.handle(), 0, ZMQ_POLLIN, 0});
    for (auto& m : monitors_) items.push_back({m.handle(), 0, ZMQ_POLLIN, 0});
    const std::size_t n = sockets_.size();
    std::vector<std::size_t> synced;  // feed index of each snapshot socket polled after 2n
    for (std::size_t i = 0; i < n; ++i)
        if (syncs_[i]) {
            items.push_back({syncs_[i]->socket().handle(), 0, ZMQ_POLLIN, 0});
            synced.push_back(i);
        }
    while (!stop_) {
        // The catch site of this thread: whatever goes wrong with one message or socket is
        // counted and logged, and the feeds keep being read.
        try {
            zmq::poll(items, std::chrono::milliseconds(synced.empty() ? 100 : 20));
            for (std::size_t i = 0; i < n; ++i) {
                if (items[i].revents & ZMQ_POLLIN) receive_burst(i);
                if (items[n + i].revents & ZMQ_POLLIN) read_monitor(i);
            }
            for (std::size_t k = 0; k < synced.size(); ++k) {
                TrackStreamSync& sync = *syncs_[synced[k]];
                if (items[2 * n + k].revents & ZMQ_POLLIN)
                    while (auto reply = sync.take_reply()) forward(synced[k], *reply);
                sync.poll(TrackStreamSync::Clock::now());
            }
        } catch (const zmq::error_t& e) {
            if (e.num() == ETERM) break;  // context terminated: shutting down
            report_stage_error("feed_receiver", e.what());
        } catch (const std::exception& e) {
            report_stage_error("feed_receiver", e.what());
        }
    }
}

void FeedReceiver::receive_burst(std::size_t i) {
    // Drain a bounded burst per socket so one busy feed cannot starve the others.
    for (int burst = 0; burst < 256; ++burst) {
        zmq::message_t msg;
        if (!sockets_[i].recv(msg, zmq::recv_flags::dontwait)) break;
        const Watched& w = watched_[i];
        if (static_cast<std::int64_t>(msg.size()) > w.max_bytes) {
            w.oversized->inc();
            refusal_log_.write("feed " + w.id + ": dropped a " + std::to_string(msg.size()) +
                               "-byte message (max_message_bytes " + std::to_string(w.max_bytes) +
                               ")");
            continue;
        }
        if (syncs_[i]) syncs_[i]->on_stream_frame(msg.to_string_view());
        forward(i, msg);
    }
}

void FeedReceiver::forward(std::size_t i, zmq::message_t& msg) {
    const ReceivedHeader h{static_cast<FeedIndex>(i), clock_.now().ns};
    forward_.send(zmq::buffer(&h, sizeof h), zmq::send_flags::sndmore);
    forward_.send(msg, zmq::send_flags::none);
    ++forwarded_;
}

void FeedReceiver::read_monitor(std::size_t i) {
    for (;;) {
        // A monitor event is two frames: 16-bit event id + 32-bit value, then the peer address.
        zmq::message_t event, address;
        if (!monitors_[i].recv(event, zmq::recv_flags::dontwait)) return;
        if (event.more()) (void)monitors_[i].recv(address, zmq::recv_flags::none);
        if (event.size() < sizeof(std::uint16_t)) continue;
        std::uint16_t id = 0;
        std::memcpy(&id, event.data(), sizeof id);
        const Watched& w = watched_[i];
        const std::string endpoint = log::bounded(address.to_string_view(), 80);
        if (id == ZMQ_EVENT_DISCONNECTED) {
            w.disconnects->inc();
            disconnect_log_.write("feed " + w.id + ": connection " + endpoint +
                                  " ended (the peer went away, or sent a message over " +
                                  std::to_string(hard_limit(w.max_bytes)) + " bytes)");
        } else {
            w.handshake_failures->inc();
            refusal_log_.write("feed " + w.id + ": handshake with " + endpoint +
                               (id == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH
                                    ? " refused (CURVE client key not allowed)"
                                    : " failed (not a ZeroMQ peer of the same security)"));
        }
    }
}

}  // namespace picket::server
