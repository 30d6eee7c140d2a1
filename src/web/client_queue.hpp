#pragma once
/// The outgoing backlog of one WebSocket client, bounded by message count and bytes. Kept apart
/// from the socket code so that the overflow policy can be tested without a network.
#include <cstddef>
#include <deque>
#include <memory>
#include <string>

namespace picket::web {

using SharedText = std::shared_ptr<const std::string>;

class ClientQueue {
public:
    ClientQueue(std::size_t max_messages, std::size_t max_bytes)
        : max_messages_(max_messages), max_bytes_(max_bytes) {}

    /// Appends; returns false (and appends nothing) when the message would take the backlog over
    /// a limit. The caller decides what to do then (resync with a snapshot, or pause a replay).
    bool push(SharedText message) {
        const std::size_t size = message->size();
        if (!queue_.empty() && (queue_.size() + 1 > max_messages_ || bytes_ + size > max_bytes_)) {
            return false;
        }
        bytes_ += size;
        queue_.push_back(std::move(message));
        return true;
    }
    /// Appends regardless of the limits (the snapshot that replaces a dropped backlog).
    void force_push(SharedText message) {
        bytes_ += message->size();
        queue_.push_back(std::move(message));
    }
    const std::string& front() const { return *queue_.front(); }
    SharedText pop() {
        SharedText front = std::move(queue_.front());
        queue_.pop_front();
        bytes_ -= front->size();
        return front;
    }
    void clear() {
        queue_.clear();
        bytes_ = 0;
    }
    void set_max_bytes(std::size_t max_bytes) { max_bytes_ = max_bytes; }
    bool empty() const { return queue_.empty(); }
    std::size_t size() const { return queue_.size(); }
    std::size_t bytes() const { return bytes_; }
    /// True when the backlog is at or under half of both limits (replay resumes there).
    bool below_low_water() const {
        return queue_.size() <= max_messages_ / 2 && bytes_ <= max_bytes_ / 2;
    }

private:
    std::deque<SharedText> queue_;
    std::size_t bytes_{0};
    std::size_t max_messages_;
    std::size_t max_bytes_;
};

}  // namespace picket::web
