#pragma once
/// Track history's own thread: points (already decimated on the fusion thread) are written to
/// the day files (outputs::TrackHistory) or the PostgreSQL table (outputs::HistoryStore) about once
/// a second in one transaction, and days older than the retention are deleted once an hour. A
/// thread of its own because SQLite checkpoints the history's WAL with an fsync now and then: on a
/// busy disk that may take long, and it must delay neither the alerts' commits nor the recording.
///
/// Bounded: past `backlog` points waiting, new points are dropped and counted (track history is
/// the first thing thinned when the disk falls behind; docs/outputs.md).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/log_limit.hpp"
#include "src/outputs/track_history.hpp"

namespace picket::persist {

struct HistoryOptions {
    std::size_t backlog{1'000'000};          ///< points waiting, past which new ones are dropped
    std::chrono::milliseconds commit{1000};  ///< one transaction about this often
    int retention_days{0};                   ///< whole UTC days kept before today; 0 = forever
};

class HistoryWriter {
public:
    HistoryWriter(std::unique_ptr<outputs::HistoryStore> history, HistoryOptions options);
    ~HistoryWriter();
    HistoryWriter(const HistoryWriter&) = delete;
    HistoryWriter& operator=(const HistoryWriter&) = delete;

    [[nodiscard]] bool enabled() const { return history_ != nullptr; }
    void start();
    /// Writes what waits and joins. Idempotent.
    void stop();
    /// Queues points (any thread); returns how many were dropped because the backlog was full.
    std::size_t push(std::vector<outputs::TrackPoint>& points);

    struct Stats {
        std::uint64_t saved{0}, dropped{0}, errors{0}, pruned{0};
        std::uint64_t backlog{0};
        std::uint64_t disk_bytes{0};
    };
    [[nodiscard]] Stats stats() const;

private:
    void work();
    void write(std::vector<outputs::TrackPoint>& points);
    void prune(Timestamp newest);

    std::unique_ptr<outputs::HistoryStore> history_;
    // A full or broken disk fails every transaction (about one a second): a few lines a minute,
    // with the count of those left out; the errors metric counts each one.
    log::RateLimited write_error_log_{log::Level::error};
    log::RateLimited prune_error_log_{log::Level::error};
    HistoryOptions options_;
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::vector<outputs::TrackPoint> queue_;
    bool stopping_{false};
    bool started_{false};
    Stats stats_;
    std::chrono::steady_clock::time_point last_prune_{};
    bool warned_{false};
    std::atomic<std::uint64_t> disk_bytes_{0};
    std::thread thread_;
};

}  // namespace picket::persist
