#include "src/standby/standby_link.hpp"

#include <algorithm>
#include <cstring>
#include <random>
#include <stdexcept>

#include "core/log.hpp"
#include "src/io/multipart.hpp"

namespace picket::standby {
namespace {

constexpr std::string_view kRecords = "records";
constexpr std::string_view kHeartbeatKind = "heartbeat";
constexpr std::string_view kTooLate = "too-late";
constexpr std::string_view kAck = "ack";
constexpr std::string_view kResend = "resend";

template <class T>
T read_number(const zmq::message_t& m) {
    T v{};
    if (m.size() == sizeof v) std::memcpy(&v, m.data(), sizeof v);
    return v;
}

template <class T>
zmq::const_buffer number(const T& v) {
    return zmq::buffer(&v, sizeof v);
}

}  // namespace

// --- PrimaryLink -------------------------------------------------------------------------------

PrimaryLink::PrimaryLink(zmq::context_t& ctx, const std::string& endpoint,
                         std::chrono::milliseconds lease, std::size_t max_kept_bytes)
    : socket_(ctx, zmq::socket_type::router),
      lease_(lease),
      max_kept_bytes_(max_kept_bytes),
      epoch_((std::uint64_t{std::random_device{}()} << 32) | std::random_device{}()) {
    // A standby that went away makes send() fail at once instead of queueing for no one.
    socket_.set(zmq::sockopt::router_mandatory, 1);
    socket_.set(zmq::sockopt::sndhwm, 0);
    socket_.set(zmq::sockopt::linger, 0);
    try {
        socket_.bind(endpoint);
    } catch (const zmq::error_t& e) {
        throw std::runtime_error("cannot bind the standby socket to " + endpoint + ": " + e.what());
    }
}

void PrimaryLink::flush(Timestamp primary_now, SteadyTime now, std::uint64_t stored_seq) {
    last_now_ = primary_now;
    stored_seq_ = stored_seq;
    if (!pending_.empty()) {
        Batch b{sent_seq_ + 1, pending_.records(), pending_.bytes()};
        sent_seq_ += b.count;
        pending_.clear();
        send_batch(b, primary_now);
        kept_bytes_ += b.bytes.size();
        kept_.push_back(std::move(b));
        // Bounded: a standby further behind than this cannot catch up (it is told "too-late").
        while (kept_bytes_ > max_kept_bytes_ && kept_.size() > 1) {
            kept_bytes_ -= kept_.front().bytes.size();
            kept_.pop_front();
        }
        last_sent_ = now;
    } else if (now - last_sent_ >= kHeartbeat) {
        send_heartbeat(primary_now);
        last_sent_ = now;
    }
}

void PrimaryLink::send_batch(const Batch& b, Timestamp primary_now) {
    if (peer_.empty()) return;  // kept until a standby asks
    try {
        if (!socket_.send(zmq::buffer(peer_), zmq::send_flags::sndmore | zmq::send_flags::dontwait))
            return;
        socket_.send(zmq::buffer(kRecords), zmq::send_flags::sndmore);
        socket_.send(number(epoch_), zmq::send_flags::sndmore);
        socket_.send(number(b.first_seq), zmq::send_flags::sndmore);
        socket_.send(number(primary_now.ns), zmq::send_flags::sndmore);
        socket_.send(zmq::buffer(b.bytes), zmq::send_flags::sndmore);
        socket_.send(number(stored_seq_), zmq::send_flags::sndmore);
        socket_.send(number(start_alert_id_), zmq::send_flags::none);
        ++batches_sent_;
    } catch (const zmq::error_t&) {
        // EHOSTUNREACH: the standby is gone; it asks again from what it applied when it is back.
    }
}

void PrimaryLink::send_heartbeat(Timestamp primary_now) {
    if (peer_.empty()) return;
    try {
        if (!socket_.send(zmq::buffer(peer_), zmq::send_flags::sndmore | zmq::send_flags::dontwait))
            return;
        socket_.send(zmq::buffer(kHeartbeatKind), zmq::send_flags::sndmore);
        socket_.send(number(epoch_), zmq::send_flags::sndmore);
        socket_.send(number(sent_seq_), zmq::send_flags::sndmore);
        socket_.send(number(primary_now.ns), zmq::send_flags::sndmore);
        socket_.send(number(stored_seq_), zmq::send_flags::sndmore);
        socket_.send(number(start_alert_id_), zmq::send_flags::none);
    } catch (const zmq::error_t&) {
    }
}

void PrimaryLink::resend_from(std::uint64_t applied, Timestamp primary_now) {
    if (applied >= sent_seq_) return;
    if (kept_.empty() || kept_.front().first_seq > applied + 1) {
        const std::uint64_t oldest = kept_.empty() ? sent_seq_ + 1 : kept_.front().first_seq;
        log::error("standby: asked for records after " + std::to_string(applied) +
                   ", the oldest kept is " + std::to_string(oldest) +
                   ": it cannot follow this primary");
        try {
            socket_.send(zmq::buffer(peer_), zmq::send_flags::sndmore);
            socket_.send(zmq::buffer(kTooLate), zmq::send_flags::sndmore);
            socket_.send(number(epoch_), zmq::send_flags::sndmore);
            socket_.send(number(oldest), zmq::send_flags::none);
        } catch (const zmq::error_t&) {
        }
        return;
    }
    for (const Batch& b : kept_)
        if (b.first_seq + b.count - 1 > applied) send_batch(b, primary_now);
}

void PrimaryLink::forget_acked() {
    while (!kept_.empty() && kept_.front().first_seq + kept_.front().count - 1 <= acked_) {
        kept_bytes_ -= kept_.front().bytes.size();
        kept_.pop_front();
    }
}

void PrimaryLink::read(SteadyTime now) {
    for (int i = 0; i < 1024; ++i) {
        auto frames = io::receive_multipart(socket_);
        if (frames.empty()) return;
        if (frames.size() < 3) continue;
        const std::string peer = frames[0].to_string();
        const std::string_view kind(static_cast<const char*>(frames[1].data()), frames[1].size());
        const auto applied = read_number<std::uint64_t>(frames[2]);
        if (peer != peer_) {
            log::info("standby: a standby connected (it applied " + std::to_string(applied) +
                      " of " + std::to_string(sent_seq_) + " records)");
            peer_ = peer;
            acked_ = applied;  // a new standby: what it says it has, no more
        }
        heard_ = now;
        if (applied > acked_) acked_ = applied;
        forget_acked();
        if (kind == kResend) resend_from(applied, last_now_);
    }
}

bool PrimaryLink::attached(SteadyTime now) const { return heard_ && now - *heard_ < lease_; }

// --- StandbyFollower ---------------------------------------------------------------------------

StandbyFollower::StandbyFollower(zmq::context_t& ctx, const std::string& endpoint,
                                 std::chrono::milliseconds lease, Apply apply)
    : socket_(ctx, zmq::socket_type::dealer), lease_(lease), apply_(std::move(apply)) {
    socket_.set(zmq::sockopt::linger, 0);
    socket_.set(zmq::sockopt::rcvhwm, 0);
    socket_.connect(endpoint);
    // The hello: "send me everything after 0" (queued until the primary is there).
    socket_.send(zmq::buffer(kResend), zmq::send_flags::sndmore);
    socket_.send(number(applied_), zmq::send_flags::none);
    last_ack_ = std::chrono::steady_clock::now();
}

void StandbyFollower::ack(SteadyTime now) {
    socket_.send(zmq::buffer(kAck), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
    socket_.send(number(applied_), zmq::send_flags::dontwait);
    last_ack_ = now;
}

void StandbyFollower::read(SteadyTime now) {
    bool applied_any = false;
    for (int i = 0; i < 256; ++i) {
        auto frames = io::receive_multipart(socket_);
        if (frames.empty()) break;
        if (frames.size() < 3) continue;
        const std::string_view kind(static_cast<const char*>(frames[0].data()), frames[0].size());
        const auto epoch = read_number<std::uint64_t>(frames[1]);
        const auto seq = read_number<std::uint64_t>(frames[2]);
        if (!epoch_) epoch_ = epoch;
        if (epoch != *epoch_) {
            if (in_sync_)
                log::error(
                    "standby: the primary restarted (a new epoch): this standby holds the old "
                    "primary's picture, is out of sync and will not take over; restart it");
            in_sync_ = false;
            continue;
        }
        heard_ = now;
        if (frames.size() >= 4) primary_now_ = Timestamp{read_number<std::int64_t>(frames[3])};
        if (kind == kTooLate) {
            if (in_sync_)
                log::error("standby: the primary no longer keeps record " +
                           std::to_string(applied_ + 1) +
                           ": this standby is out of sync and will not take over");
            in_sync_ = false;
            continue;
        }
        if (!in_sync_) continue;
        const std::size_t start_at = kind == kRecords ? 6 : 5;
        if (start_alert_id_ != 0 && frames.size() > start_at) {
            const auto primary_start = read_number<std::uint64_t>(frames[start_at]);
            if (primary_start != 0 && primary_start != start_alert_id_) {
                log::error("standby: the primary's engine started from alert id " +
                           std::to_string(primary_start) + ", this one from " +
                           std::to_string(start_alert_id_) +
                           " (the store changed between their starts: start the standby with "
                           "the primary): out of sync, it will not take over");
                in_sync_ = false;
                continue;
            }
        }
        // Only ever grows: a resent batch carries the figure of when it was resent.
        const std::size_t stored_at = kind == kRecords ? 5 : 4;
        if (frames.size() > stored_at)
            stored_ = std::max(stored_, read_number<std::uint64_t>(frames[stored_at]));
        if (kind == kHeartbeatKind) {
            // Nothing is in flight behind a heartbeat: a newer last record means one was lost.
            if (seq > applied_ && now - last_resend_ >= kHeartbeat) ask_again(now);
            continue;
        }
        if (kind != kRecords || frames.size() < 5) continue;
        std::uint64_t at = seq;
        bool gap = false;
        record::for_each_handed_over(
            std::string_view(static_cast<const char*>(frames[4].data()), frames[4].size()),
            [&](record::RecordType type, FeedIndex feed, Timestamp t, std::string_view payload) {
                if (gap) return;
                if (at == applied_ + 1) {
                    apply_(type, feed, t, payload);
                    ++applied_;
                    applied_any = true;
                } else if (at > applied_ + 1) {
                    gap = true;
                }
                ++at;
            });
        if (gap && now - last_resend_ >= kHeartbeat) ask_again(now);
    }
    if (applied_any && in_sync_) ack(now);
}

void StandbyFollower::ask_again(SteadyTime now) {
    socket_.send(zmq::buffer(kResend), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
    socket_.send(number(applied_), zmq::send_flags::dontwait);
    last_resend_ = now;
    last_ack_ = now;
}

void StandbyFollower::tick(SteadyTime now) {
    // Out of sync: silent, so the primary soon stops waiting for us (its lease).
    if (in_sync_ && now - last_ack_ >= kHeartbeat) ack(now);
}

bool StandbyFollower::primary_lost(SteadyTime now) const {
    return heard_ && now - *heard_ >= lease_;
}

std::optional<Timestamp> StandbyFollower::primary_clock(SteadyTime now, double speed) const {
    if (!heard_) return std::nullopt;
    const double wall_s = std::chrono::duration<double>(now - *heard_).count();
    return primary_now_ + Duration::from_seconds(wall_s * speed);
}

}  // namespace picket::standby
