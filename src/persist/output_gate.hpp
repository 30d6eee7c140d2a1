#pragma once
/// "Persisted before published" without blocking the fusion thread. Everything the server sends
/// (PUB and web messages, the track log, command and snapshot replies) goes out through this
/// gate, in the order it was emitted. While no alert waits for the store the gate is open and
/// a message goes out at once, with no copy and no allocation. When an alert is handed to the
/// persistence thread, hold_until(ticket) closes the gate: the alert and everything emitted
/// after it wait, in order, until release() learns that the ticket is committed. Sequence
/// numbers therefore stay in order on the wire (docs/protocol.md) and nothing a console sees
/// - an alert, an acknowledgement, a snapshot holding either - is missing from the store.
///
/// Held messages are bounded: past `max_held`, droppable ones (track updates) are dropped and
/// counted; a console sees the gap in `seq` and takes a new snapshot, as after any PUB drop.
/// Alerts and replies are never dropped. Fusion thread only.
///
/// With a hot standby (src/standby) there is a second condition: an alert or a command's reply
/// also waits until the standby acked the record that raised it (hold_until_acked), so nothing
/// a console saw is unknown to the server that takes over.
#include <cstdint>
#include <deque>
#include <functional>

namespace picket::persist {

class OutputGate {
public:
    explicit OutputGate(std::size_t max_held = 200'000) : max_held_(max_held) {}

    /// Everything emitted from now on waits until `ticket` is confirmed.
    void hold_until(std::uint64_t ticket) {
        if (ticket > barrier_) barrier_ = ticket;
    }
    /// ... and until the standby acked record `seq` (docs/deployment.md, "Hot standby").
    void hold_until_acked(std::uint64_t seq) {
        if (seq > ack_barrier_) ack_barrier_ = seq;
    }
    [[nodiscard]] bool open() const {
        return held_.empty() && barrier_ <= confirmed_ && ack_barrier_ <= acked_;
    }

    /// Keeps `send` until release() (call only when !open(); when open, send at once instead:
    /// no copy, no allocation). `droppable`: may be dropped when too much is held (a track
    /// update; never an alert or a reply).
    void hold(std::function<void()> send, bool droppable) {
        if (droppable && held_.size() >= max_held_) {
            ++dropped_;
            return;
        }
        held_.push_back({barrier_, ack_barrier_, std::move(send)});
        if (held_.size() > max_held_seen_) max_held_seen_ = held_.size();
    }

    /// Tickets up to `confirmed` are committed: sends what waited for them, in order.
    void release(std::uint64_t confirmed) {
        if (confirmed > confirmed_) confirmed_ = confirmed;
        send_due();
    }
    /// The standby acked records up to `seq`: sends what waited for them, in order.
    void release_acked(std::uint64_t seq) {
        if (seq > acked_) acked_ = seq;
        send_due();
    }
    /// The standby is gone: nothing waits for its acks any more (what waited goes out).
    void stop_waiting_for_acks() { release_acked(ack_barrier_); }

    [[nodiscard]] std::size_t held() const { return held_.size(); }
    [[nodiscard]] std::size_t max_held_seen() const { return max_held_seen_; }
    [[nodiscard]] std::uint64_t dropped() const { return dropped_; }

private:
    void send_due() {
        while (!held_.empty() && held_.front().barrier <= confirmed_ &&
               held_.front().ack_barrier <= acked_) {
            auto send = std::move(held_.front().send);
            held_.pop_front();
            send();
        }
    }

    struct Held {
        std::uint64_t barrier;
        std::uint64_t ack_barrier;
        std::function<void()> send;
    };
    std::size_t max_held_;
    std::uint64_t barrier_{0};
    std::uint64_t confirmed_{0};
    std::uint64_t ack_barrier_{0};
    std::uint64_t acked_{0};
    std::deque<Held> held_;
    std::size_t max_held_seen_{0};
    std::uint64_t dropped_{0};
};

}  // namespace picket::persist
