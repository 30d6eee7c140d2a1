#pragma once
/// Streams CoT events to a TAK server over plain TCP (TAK Server's streaming input, default port
/// 8087; events are concatenated XML documents, one after another, no framing).
///
/// The fusion thread calls post_track()/post_alert(), which only enqueue. A worker thread owns
/// the socket: it connects, sends, and on any error closes and reconnects with exponential
/// backoff (0.25 s doubling to 8 s). The queue is bounded: when full, the oldest *track position*
/// is dropped (a newer position of the same picture will follow); alerts and removals (delete
/// tasks, which no later event repeats) are never dropped while any position can make room, and
/// if the queue holds nothing else the oldest of them is dropped and counted (alerts_dropped(),
/// removals_dropped()), so a loss is never silent.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace picket::outputs {

struct TakTcpConfig {
    std::string host{"127.0.0.1"};
    std::uint16_t port{8087};
    std::size_t queue_capacity{4096};  ///< events held while slow or disconnected
    int send_timeout_ms{2000};  ///< bounds connect and each send: a stuck server counts as broken
};

class TakTcpClient {
public:
    /// Starts the worker thread; connecting happens there (a server that is down is not an
    /// error, it is retried).
    explicit TakTcpClient(TakTcpConfig config);
    /// Stops the worker (interrupting any backoff wait) and closes the connection; events still
    /// queued are discarded.
    ~TakTcpClient();
    TakTcpClient(const TakTcpClient&) = delete;
    TakTcpClient& operator=(const TakTcpClient&) = delete;

    enum class Kind : std::uint8_t { position, alert, removal };
    void post_track(std::string cot_xml) { post(std::move(cot_xml), Kind::position); }
    void post_alert(std::string cot_xml) { post(std::move(cot_xml), Kind::alert); }
    void post_removal(std::string cot_xml) { post(std::move(cot_xml), Kind::removal); }

    [[nodiscard]] std::uint64_t sent() const { return sent_.load(); }
    [[nodiscard]] std::uint64_t tracks_dropped() const { return tracks_dropped_.load(); }
    [[nodiscard]] std::uint64_t alerts_dropped() const { return alerts_dropped_.load(); }
    [[nodiscard]] std::uint64_t removals_dropped() const { return removals_dropped_.load(); }
    [[nodiscard]] std::uint64_t connects() const { return connects_.load(); }
    [[nodiscard]] bool connected() const { return connected_.load(); }
    [[nodiscard]] std::size_t queued() const;

private:
    struct Item {
        std::uint64_t seq;
        Kind kind;
        std::string xml;
    };
    void post(std::string xml, Kind kind);
    void run();
    int connect_once();
    /// Waits `ms` or until stop; returns false on stop.
    bool sleep_unless_stopped(int ms);

    TakTcpConfig cfg_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Item> queue_;
    std::uint64_t next_seq_{0};
    bool stop_{false};
    std::atomic<std::uint64_t> sent_{0}, tracks_dropped_{0}, alerts_dropped_{0},
        removals_dropped_{0}, connects_{0};
    std::atomic<bool> connected_{false};
    std::thread worker_;
};

}  // namespace picket::outputs
