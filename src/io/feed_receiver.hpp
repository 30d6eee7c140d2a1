#pragma once
/// The feeds' I/O thread: one ZeroMQ socket per feed (SUB connect or PULL bind, message size
/// limited, optionally CURVE), stamps each message with the receive time and hands it to the
/// fusion thread over inproc. It only moves bytes: decoding happens on the fusion thread.
///
/// What it refuses is counted and logged (rate-limited), never silent:
///   - a message over the feed's `max_message_bytes` is dropped here
///     (picket_feed_oversized_total{feed}); libzmq itself disconnects a peer whose message is
///     over twice that (so an absurd size is never buffered), which shows as a disconnect;
///   - connections that end, and handshakes that fail (a CURVE key the ZAP handler refused, a
///     peer speaking another protocol), are watched with a socket monitor
///     (picket_feed_disconnects_total{feed}, picket_feed_handshake_failures_total{feed}).
#include <zmq.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/log_limit.hpp"
#include "src/io/track_stream_sync.hpp"
#include "src/io/virtual_clock.hpp"
#include "src/outputs/metrics.hpp"
#include "src/server_config.hpp"

namespace picket::server {

/// The frame the receiver puts in front of each payload on the inproc hand-over.
struct ReceivedHeader {
    FeedIndex feed;
    std::int64_t received_ns;
};

class FeedReceiver {
public:
    /// Creates and binds/connects every feed socket now, so configuration errors (a port in use,
    /// a bad endpoint) surface at startup. `forward` is the inproc endpoint the fusion thread
    /// has bound a PULL socket to. Refusal counters are registered in `metrics`.
    FeedReceiver(zmq::context_t& ctx, const std::vector<FeedConfig>& feeds,
                 const VirtualClock& clock, const std::string& forward, outputs::Registry& metrics);
    ~FeedReceiver();
    FeedReceiver(const FeedReceiver&) = delete;
    FeedReceiver& operator=(const FeedReceiver&) = delete;

    void start();
    void stop();
    [[nodiscard]] std::uint64_t forwarded() const { return forwarded_; }

    /// libzmq's own limit for a feed: messages between `max_message_bytes` and this are received
    /// and counted as oversized; larger ones make libzmq drop the peer before buffering them.
    static std::int64_t hard_limit(std::int64_t max_message_bytes);

private:
    struct Watched {
        std::string id;
        std::int64_t max_bytes;
        outputs::Counter* oversized;
        outputs::Counter* disconnects;
        outputs::Counter* handshake_failures;
    };
    void run();
    void receive_burst(std::size_t i);
    /// Hands one message of feed `i` to the fusion thread, stamped with its receive time.
    void forward(std::size_t i, zmq::message_t& msg);
    void read_monitor(std::size_t i);

    std::vector<zmq::socket_t> sockets_;
    std::vector<zmq::socket_t> monitors_;  ///< PAIR, one per feed socket, same index
    /// A `tracks` feed's snapshot requests (nullptr for other feeds), same index.
    std::vector<std::unique_ptr<TrackStreamSync>> syncs_;
    std::vector<Watched> watched_;
    zmq::socket_t forward_;
    const VirtualClock& clock_;
    log::RateLimited refusal_log_{log::Level::warn};
    log::RateLimited disconnect_log_{log::Level::info};
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> forwarded_{0};
    std::thread thread_;
};

}  // namespace picket::server
