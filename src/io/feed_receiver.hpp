#pragma once
/// The feeds' I/O thread: one ZeroMQ socket per feed (SUB connect or PULL bind, message size
/// limited, optionally CURVE), stamps each message with the receive time and hands it to the
/// fusion thread over inproc. It only moves bytes: decoding happens on the fusion thread.
#include <zmq.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "src/io/virtual_clock.hpp"
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
    /// has bound a PULL socket to.
    FeedReceiver(zmq::context_t& ctx, const std::vector<FeedConfig>& feeds,
                 const VirtualClock& clock, const std::string& forward);
    ~FeedReceiver();
    FeedReceiver(const FeedReceiver&) = delete;
    FeedReceiver& operator=(const FeedReceiver&) = delete;

    void start();
    void stop();
    [[nodiscard]] std::uint64_t forwarded() const { return forwarded_; }

private:
    void run();
    std::vector<zmq::socket_t> sockets_;
    zmq::socket_t forward_;
    const VirtualClock& clock_;
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> forwarded_{0};
    std::thread thread_;
};

}  // namespace picket::server
