#include "src/io/feed_receiver.hpp"

#include <cstring>
#include <stdexcept>

#include "src/io/zap_handler.hpp"

namespace picket::server {

FeedReceiver::FeedReceiver(zmq::context_t& ctx, const std::vector<FeedConfig>& feeds,
                           const VirtualClock& clock, const std::string& forward)
    : forward_(ctx, zmq::socket_type::push), clock_(clock) {
    forward_.set(zmq::sockopt::sndhwm, 0);  // inproc hand-over: never drop, fusion drains it
    forward_.connect(forward);
    for (const FeedConfig& f : feeds) {
        zmq::socket_t s(
            ctx, f.socket == SocketType::sub ? zmq::socket_type::sub : zmq::socket_type::pull);
        // A peer that sends a larger message is disconnected by libzmq before it is buffered.
        s.set(zmq::sockopt::maxmsgsize, f.max_message_bytes);
        s.set(zmq::sockopt::rcvhwm, 100000);
        if (f.curve) make_curve_server(s, f.curve->server_secret_key, "feed:" + f.params.id);
        try {
            if (f.socket == SocketType::sub) {
                s.set(zmq::sockopt::subscribe, "");
                s.connect(f.endpoint);
            } else {
                s.bind(f.endpoint);
            }
        } catch (const zmq::error_t& e) {
            throw std::runtime_error("feed " + f.params.id + ": cannot " +
                                     (f.socket == SocketType::sub ? "connect to " : "bind ") +
                                     f.endpoint + ": " + e.what());
        }
        sockets_.push_back(std::move(s));
    }
}

FeedReceiver::~FeedReceiver() { stop(); }

void FeedReceiver::start() {
    thread_ = std::thread([this] { run(); });
}

void FeedReceiver::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

void FeedReceiver::run() {
    std::vector<zmq::pollitem_t> items;
    for (auto& s : sockets_) items.push_back({s.handle(), 0, ZMQ_POLLIN, 0});
    while (!stop_) {
        try {
            zmq::poll(items, std::chrono::milliseconds(100));
        } catch (const zmq::error_t&) {
            break;
        }
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (!(items[i].revents & ZMQ_POLLIN)) continue;
            // Drain a bounded burst per socket so one busy feed cannot starve the others.
            for (int burst = 0; burst < 256; ++burst) {
                zmq::message_t msg;
                if (!sockets_[i].recv(msg, zmq::recv_flags::dontwait)) break;
                const ReceivedHeader h{static_cast<FeedIndex>(i), clock_.now().ns};
                forward_.send(zmq::buffer(&h, sizeof h), zmq::send_flags::sndmore);
                forward_.send(msg, zmq::send_flags::none);
                ++forwarded_;
            }
        }
    }
}

}  // namespace picket::server
