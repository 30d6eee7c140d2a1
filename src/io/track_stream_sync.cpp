#include "src/io/track_stream_sync.hpp"

#include "core/log.hpp"
#include "src/io/stream_instance.hpp"

namespace picket::server {

std::optional<std::uint64_t> leading_seq(std::string_view m) {
    constexpr std::string_view kPrefix = R"({"seq":)";
    if (m.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
    std::uint64_t v = 0;
    std::size_t i = kPrefix.size(), digits = 0;
    for (; i < m.size() && m[i] >= '0' && m[i] <= '9' && digits < 19; ++i, ++digits)
        v = v * 10 + static_cast<std::uint64_t>(m[i] - '0');
    if (digits == 0) return std::nullopt;
    return v;
}

TrackStreamSync::TrackStreamSync(zmq::context_t& ctx, const std::string& endpoint,
                                 std::string feed_id)
    : dealer_(ctx, zmq::socket_type::dealer), feed_id_(std::move(feed_id)) {
    dealer_.set(zmq::sockopt::linger, 0);
    // No request queued for a source that is not there: it is sent again once it is.
    dealer_.set(zmq::sockopt::immediate, 1);
    dealer_.set(zmq::sockopt::maxmsgsize, std::int64_t{256} << 20);
    dealer_.connect(endpoint);
}

void TrackStreamSync::on_stream_frame(std::string_view frame) {
    const auto seq = leading_seq(frame);
    if (!seq) return;
    // A new instance is a restarted source whatever its seq says (a late reconnect sees a jump).
    const auto instance = leading_instance(frame);
    if (instance && *instance != instance_) {
        if (!instance_.empty()) {
            log::info("feed " + feed_id_ + ": the source restarted (instance " + instance_ +
                      " -> " + std::string(*instance) + "): asking for a snapshot");
            needed_ = true;
        }
        instance_ = std::string(*instance);
    } else if (last_seq_ != 0 && (*seq > last_seq_ + 1 || *seq < last_seq_)) {
        if (!needed_)
            log::info("feed " + feed_id_ + ": " +
                      (*seq < last_seq_ ? "the source restarted" : "a gap in the track stream") +
                      " (seq " + std::to_string(last_seq_) + " -> " + std::to_string(*seq) +
                      "): asking for a snapshot");
        needed_ = true;
    }
    last_seq_ = *seq;
}

void TrackStreamSync::poll(Clock::time_point now) {
    if (outstanding_ && now - requested_ < kRetry) return;
    if (!needed_ && !outstanding_) return;
    const std::string_view empty, body = "snapshot";
    // DEALER to ROUTER: an empty delimiter frame, as a REQ would send.
    if (!dealer_.send(zmq::buffer(empty), zmq::send_flags::sndmore | zmq::send_flags::dontwait))
        return;  // not connected yet
    (void)dealer_.send(zmq::buffer(body), zmq::send_flags::none);
    outstanding_ = true;
    needed_ = false;
    requested_ = now;
    ++requests_;
}

std::optional<zmq::message_t> TrackStreamSync::take_reply() {
    zmq::message_t frame;
    std::optional<zmq::message_t> body;
    while (dealer_.recv(frame, zmq::recv_flags::dontwait)) {
        const bool more = frame.more();
        if (frame.size() > 0) body = std::move(frame);
        frame = zmq::message_t();
        if (!more) {
            outstanding_ = false;
            return body;
        }
    }
    return std::nullopt;
}

}  // namespace picket::server
