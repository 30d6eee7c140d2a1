#pragma once
/// The recording, alerts and operator actions (the store) of `picket serve`, written off the
/// fusion thread (track history has a thread of its own: history_writer.hpp). The fusion
/// thread only appends to an
/// in-memory batch and hands it over (one lock per hand-over); the persistence thread writes in
/// batched transactions. Issue #18: a disk that is slow for a moment must never slow the fusion.
///
/// "Persisted before published" is kept with tickets: every hand-over gets the next ticket; the
/// persistence thread confirms a ticket once everything handed over with it (and before it) is
/// committed, and signals wake_fd(). The server's OutputGate holds every message published after
/// an alert until the alert's ticket is confirmed (src/persist/output_gate.hpp), so a console
/// never sees an alert, an acknowledgement or a snapshot holding them before the store has it,
/// and the fusion thread goes on tracking meanwhile.
///
/// Order of the persistence thread's work within one round (it takes every batch queued):
///   1. the recording up to the last batch that asked for a recording flush, then the flush (a
///      command's record reaches the OS before its effects are committed: replay sees every
///      acknowledgement the store holds);
///   2. alerts and actions of every batch, in one transaction; then the batches' tickets are
///      confirmed;
///   3. the rest of the recording; a flush when `recording_flush` has passed since the last one.
///
/// When the disk is slow, the backlog grows and the server degrades in this documented order
/// (docs/outputs.md): track history is thinned first (history_writer.hpp), then the recording
/// (bytes past `recording_backlog_bytes` are dropped and counted); alerts and actions are never
/// dropped: their queue is small and the publishing behind them waits. Every drop is counted
/// (stats(), /metrics) and logged once per episode.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/alert.hpp"
#include "core/time.hpp"
#include "src/outputs/alert_store.hpp"
#include "src/record/record_buffer.hpp"
#include "src/record/recorder.hpp"

namespace picket::persist {

struct PersistenceOptions {
    /// Records reach the OS at least this often (and at once before a command takes effect).
    std::chrono::milliseconds recording_flush{200};
    /// Recording bytes handed over but not yet written, past which new records are dropped.
    std::size_t recording_backlog_bytes{256u << 20};
};

/// Counters and gauges for /metrics and the health status. Read from any thread.
struct PersistenceStats {
    std::uint64_t handed_over{0};      ///< tickets issued
    std::uint64_t confirmed{0};        ///< tickets committed
    std::uint64_t alerts_saved{0};     ///< alert versions committed
    std::uint64_t actions_saved{0};    ///< operator actions committed
    std::uint64_t records_written{0};  ///< recording records handed to the recorder
    std::uint64_t records_dropped{0};  ///< records dropped: recording backlog full or failing
    std::uint64_t recording_backlog_bytes{0};
    std::uint64_t store_errors{0};      ///< failed commits (retried)
    std::uint64_t recording_errors{0};  ///< failed recording writes
    double last_commit_ms{0};           ///< duration of the last alert/action commit
    double max_commit_ms{0};            ///< longest alert/action commit so far
    [[nodiscard]] bool degraded() const {
        return records_dropped > 0 || store_errors > 0 || recording_errors > 0;
    }
};

class PersistenceStage {
public:
    /// Either may be null (no database, no recording). The store has been opened and restored
    /// on the calling thread; from start() on only the persistence thread uses it.
    PersistenceStage(std::unique_ptr<outputs::Store> store,
                     std::unique_ptr<record::Recorder> recorder, PersistenceOptions options);
    ~PersistenceStage();
    PersistenceStage(const PersistenceStage&) = delete;
    PersistenceStage& operator=(const PersistenceStage&) = delete;

    void start();
    /// Writes everything handed over, flushes the recording and joins the thread. Idempotent.
    void stop();

    // --- the fusion thread ----------------------------------------------------------------
    [[nodiscard]] bool recording() const { return recorder_ != nullptr; }
    [[nodiscard]] bool storing() const { return store_ != nullptr; }
    void record(record::RecordType type, FeedIndex feed, Timestamp time, std::string_view payload) {
        if (recorder_) batch_.records.append(type, feed, time, payload);
    }
    /// The records appended so far reach the OS before anything handed over later is committed.
    void flush_recording_before_next_commit() { batch_.flush_recording = true; }
    void save_alert(const Alert& alert);
    void record_action(Timestamp time, std::string user, std::string command_json,
                       std::string result);
    /// Work on the store itself, run by the persistence thread before the alerts and actions
    /// handed over with it or after it are committed; while it throws it is retried (counted as
    /// a store error), and nothing after it commits. The hot standby's takeover of a shared
    /// store: the site's lock, then what the old primary may not have committed.
    using StoreJob = std::function<void(outputs::Store&)>;
    void run_on_store(StoreJob job) {
        if (store_) batch_.jobs.push_back(std::move(job));
    }
    /// Hands the current batch to the persistence thread; returns its ticket (the last ticket
    /// when there was nothing to hand over).
    std::uint64_t hand_over();
    /// The ticket hand_over() would return now (the next one when something waits to go).
    [[nodiscard]] std::uint64_t next_ticket() const {
        return batch_.empty() ? issued_ : issued_ + 1;
    }
    /// Highest ticket whose batch and every batch before it are committed. Any thread.
    [[nodiscard]] std::uint64_t confirmed() const { return confirmed_.load(); }
    /// Readable (eventfd) when confirmed() may have advanced; read_wake() resets it.
    [[nodiscard]] int wake_fd() const { return wake_fd_; }
    void read_wake() const;

    [[nodiscard]] PersistenceStats stats() const;

private:
    struct Batch {
        std::uint64_t ticket{0};
        record::RecordBuffer records;
        bool flush_recording{false};
        std::vector<Alert> alerts;
        std::vector<outputs::ActionRecord> actions;
        std::vector<StoreJob> jobs;
        [[nodiscard]] bool empty() const {
            return records.empty() && !flush_recording && alerts.empty() && actions.empty() &&
                   jobs.empty();
        }
        void clear();
    };
    void work();
    void write_recording(Batch& b);
    void flush_recorder();
    void recording_failed(const std::exception& e, std::uint64_t records);
    bool commit_alerts_and_actions(std::deque<Batch>& round);
    void confirm(std::uint64_t ticket);

    PersistenceOptions options_;
    std::unique_ptr<outputs::Store> store_;
    std::unique_ptr<record::Recorder> recorder_;
    int wake_fd_{-1};

    // The fusion thread's side.
    Batch batch_;
    std::uint64_t issued_{0};

    // Shared, under mutex_.
    mutable std::mutex mutex_;
    std::condition_variable work_ready_;
    std::deque<Batch> queue_;
    std::vector<Batch> free_;  ///< emptied batches, recycled with their capacity
    std::size_t queued_record_bytes_{0};
    bool stopping_{false};
    bool started_{false};

    // The persistence thread's side.
    std::vector<Alert> unsaved_alerts_;  ///< handed over, not yet committed (kept on failure)
    std::vector<outputs::ActionRecord> unsaved_actions_;
    std::deque<StoreJob> unsaved_jobs_;  ///< run_on_store()'s, not yet done (kept on failure)
    std::chrono::steady_clock::time_point last_flush_{};
    bool recording_dirty_{false};
    bool warned_recording_{false};   ///< under stats_mutex_: this episode was logged
    bool recording_failing_{false};  ///< under stats_mutex_: the last write failed

    std::atomic<std::uint64_t> confirmed_{0};
    mutable std::mutex stats_mutex_;
    PersistenceStats stats_;
    std::thread thread_;
};

}  // namespace picket::persist
