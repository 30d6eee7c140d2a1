#pragma once
/// The I/O side of a `tracks` feed in format picket: the Clone pattern's snapshot requests
/// (docs/protocol.md). A DEALER on the source's snapshot service asks for the whole picture
/// when the feed starts, after a gap in the stream's `seq` and after the source restarts (a new
/// instance id, src/io/stream_instance.hpp, or without one a lower `seq`); the reply is handed to
/// the fusion thread as a message of the same feed, so it is recorded and replayed like the stream
/// (sensors/tracks/track_stream_decoder.hpp applies it). I/O thread only.
#include <zmq.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace picket::server {

class TrackStreamSync {
public:
    using Clock = std::chrono::steady_clock;
    TrackStreamSync(zmq::context_t& ctx, const std::string& endpoint, std::string feed_id);

    [[nodiscard]] zmq::socket_t& socket() { return dealer_; }
    /// A frame of the stream (the topic frames are skipped): notes its `seq`.
    void on_stream_frame(std::string_view frame);
    /// Sends a request when one is needed and none is on its way (or the last went
    /// unanswered for `kRetry`: the source may have been down).
    void poll(Clock::time_point now);
    /// The body of a reply waiting on the socket, if any.
    std::optional<zmq::message_t> take_reply();
    [[nodiscard]] std::uint64_t requests() const { return requests_; }

    static constexpr auto kRetry = std::chrono::seconds(2);

private:
    zmq::socket_t dealer_;
    std::string feed_id_;
    std::uint64_t last_seq_{0};
    std::string instance_;  ///< the source's instance id, once a frame carried one
    bool needed_{true};
    bool outstanding_{false};
    Clock::time_point requested_{};
    std::uint64_t requests_{0};
};

/// The `seq` at the start of a picket message (`{"seq":N,...`), if it is one.
std::optional<std::uint64_t> leading_seq(std::string_view message);

}  // namespace picket::server
