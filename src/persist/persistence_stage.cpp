#include "src/persist/persistence_stage.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "core/log.hpp"
#include "core/thread_role.hpp"

namespace picket::persist {
namespace {

using SteadyClock = std::chrono::steady_clock;

double ms_since(SteadyClock::time_point t0) {
    return std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count();
}

/// How long the thread waits before trying a failed commit again.
constexpr auto kRetryAfter = std::chrono::milliseconds(250);

}  // namespace

void PersistenceStage::Batch::clear() {
    ticket = 0;
    records.clear();
    flush_recording = false;
    alerts.clear();
    actions.clear();
    jobs.clear();
}

PersistenceStage::PersistenceStage(std::unique_ptr<outputs::Store> store,
                                   std::unique_ptr<record::Recorder> recorder,
                                   PersistenceOptions options)
    : options_(options), store_(std::move(store)), recorder_(std::move(recorder)) {
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd_ < 0)
        throw std::runtime_error(std::string("persistence: eventfd: ") + std::strerror(errno));
}

PersistenceStage::~PersistenceStage() {
    stop();
    ::close(wake_fd_);
}

void PersistenceStage::start() {
    const std::lock_guard lock(mutex_);
    if (started_) return;
    started_ = true;
    last_flush_ = SteadyClock::now();
    thread_ = std::thread([this] {
        enter_thread_role(ThreadRole::persistence);
        work();
    });
}

void PersistenceStage::stop() {
    {
        const std::lock_guard lock(mutex_);
        if (stopping_) return;
    }
    hand_over();  // the caller (the server, once the fusion thread has ended) owns batch_ now
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    work_ready_.notify_one();
    if (thread_.joinable()) {
        thread_.join();
    } else {
        work();  // never started (a server stopped before start()): write what there is here
    }
}

void PersistenceStage::save_alert(const Alert& alert) {
    if (store_) batch_.alerts.push_back(alert);
}

void PersistenceStage::record_action(Timestamp time, std::string user, std::string command_json,
                                     std::string result) {
    if (!store_) return;
    batch_.actions.push_back(
        {0, time, std::move(user), std::move(command_json), std::move(result)});
}

std::uint64_t PersistenceStage::hand_over() {
    if (batch_.empty()) return issued_;
    std::uint64_t dropped_records = 0;
    {
        const std::lock_guard lock(mutex_);
        // The recording gives way when the disk is far behind; alerts and actions never do.
        if (queued_record_bytes_ + batch_.records.size() > options_.recording_backlog_bytes) {
            dropped_records = batch_.records.records();
            batch_.records.clear();
        }
        queued_record_bytes_ += batch_.records.size();
        batch_.ticket = ++issued_;
        queue_.push_back(std::move(batch_));
        if (!free_.empty()) {
            batch_ = std::move(free_.back());
            free_.pop_back();
        } else {
            batch_ = Batch{};
        }
        batch_.clear();
    }
    work_ready_.notify_one();
    const std::lock_guard lock(stats_mutex_);
    if (dropped_records) {
        stats_.records_dropped += dropped_records;
        if (!warned_recording_) {
            warned_recording_ = true;
            log::warn("persistence: the disk is far behind; records are being dropped (" +
                      std::to_string(stats_.records_dropped) + " so far)");
        }
    } else if (warned_recording_ && !recording_failing_) {
        warned_recording_ = false;  // the episode is over: the next one is logged again
        log::info("persistence: the recording keeps up again");
    }
    return issued_;
}

void PersistenceStage::read_wake() const {
    std::uint64_t n = 0;
    while (::read(wake_fd_, &n, sizeof n) > 0) {
    }
}

PersistenceStats PersistenceStage::stats() const {
    PersistenceStats s;
    {
        const std::lock_guard lock(stats_mutex_);
        s = stats_;
    }
    const std::lock_guard lock(mutex_);
    s.handed_over = issued_;
    s.confirmed = confirmed_.load();
    s.recording_backlog_bytes = queued_record_bytes_;
    return s;
}

void PersistenceStage::confirm(std::uint64_t ticket) {
    if (ticket <= confirmed_.load()) return;
    confirmed_.store(ticket);
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_fd_, &one, sizeof one);
}

void PersistenceStage::write_recording(Batch& b) {
    if (!recorder_ || b.records.empty()) return;
    try {
        recorder_->append_encoded(b.records.bytes());
        recording_dirty_ = true;
        const std::lock_guard lock(stats_mutex_);
        stats_.records_written += b.records.records();
    } catch (const std::exception& e) {
        recording_failed(e, b.records.records());
    }
}

void PersistenceStage::flush_recorder() {
    last_flush_ = SteadyClock::now();
    if (!recorder_ || !recording_dirty_) return;
    recording_dirty_ = false;
    try {
        recorder_->flush();
        if (recording_failing_) {
            const std::lock_guard lock(stats_mutex_);
            recording_failing_ = false;
        }
    } catch (const std::exception& e) {
        // What the failed write held is lost (the recorder opens a new segment): counted as
        // one record, the least it held.
        recording_failed(e, 1);
    }
}

void PersistenceStage::recording_failed(const std::exception& e, std::uint64_t records) {
    const std::lock_guard lock(stats_mutex_);
    stats_.records_dropped += records;
    ++stats_.recording_errors;
    if (!recording_failing_) {
        recording_failing_ = true;
        warned_recording_ = true;
        log::error(std::string("persistence: recording failed: ") + e.what());
    }
}

bool PersistenceStage::commit_alerts_and_actions(std::deque<Batch>& round) {
    for (Batch& b : round) {
        unsaved_alerts_.insert(unsaved_alerts_.end(), std::make_move_iterator(b.alerts.begin()),
                               std::make_move_iterator(b.alerts.end()));
        unsaved_actions_.insert(unsaved_actions_.end(), std::make_move_iterator(b.actions.begin()),
                                std::make_move_iterator(b.actions.end()));
        unsaved_jobs_.insert(unsaved_jobs_.end(), std::make_move_iterator(b.jobs.begin()),
                             std::make_move_iterator(b.jobs.end()));
    }
    if (unsaved_alerts_.empty() && unsaved_actions_.empty() && unsaved_jobs_.empty()) return true;
    const auto t0 = SteadyClock::now();
    try {
        // Jobs first: a takeover's is handed over before the new primary raises anything.
        while (!unsaved_jobs_.empty()) {
            unsaved_jobs_.front()(*store_);
            unsaved_jobs_.pop_front();
        }
        store_->save(unsaved_alerts_, unsaved_actions_);
    } catch (const std::exception& e) {
        // Kept and tried again: an alert is never dropped. Publishing waits behind it.
        const std::lock_guard lock(stats_mutex_);
        if (stats_.store_errors++ % 40 == 0)
            log::error(std::string("persistence: cannot commit alerts and actions (retrying): ") +
                       e.what());
        return false;
    }
    const double ms = ms_since(t0);
    const std::lock_guard lock(stats_mutex_);
    stats_.alerts_saved += unsaved_alerts_.size();
    stats_.actions_saved += unsaved_actions_.size();
    stats_.last_commit_ms = ms;
    if (ms > stats_.max_commit_ms) stats_.max_commit_ms = ms;
    unsaved_alerts_.clear();
    unsaved_actions_.clear();
    return true;
}

void PersistenceStage::work() {
    std::deque<Batch> round;
    bool retrying = false;
    std::uint64_t round_ticket = 0;
    while (true) {
        bool finish = false;
        {
            std::unique_lock lock(mutex_);
            const auto has_work = [&] { return !queue_.empty() || stopping_; };
            if (!has_work()) {
                if (retrying) {
                    work_ready_.wait_for(lock, kRetryAfter, has_work);
                } else if (recording_dirty_) {
                    work_ready_.wait_until(lock, last_flush_ + options_.recording_flush, has_work);
                } else {
                    work_ready_.wait(lock, has_work);
                }
            }
            round.swap(queue_);
            for (const Batch& b : round) queued_record_bytes_ -= b.records.size();
            finish = stopping_ && round.empty();
        }
        if (!round.empty()) round_ticket = round.back().ticket;

        // 1. The recording up to the last batch that asked for a flush, then the flush.
        std::size_t flushed_upto = 0;
        for (std::size_t i = 0; i < round.size(); ++i)
            if (round[i].flush_recording) flushed_upto = i + 1;
        for (std::size_t i = 0; i < flushed_upto; ++i) write_recording(round[i]);
        if (flushed_upto > 0) {
            recording_dirty_ = true;
            flush_recorder();
        }
        // 2. Alerts and actions, then the tickets.
        retrying = store_ && !commit_alerts_and_actions(round);
        if (!retrying) confirm(round_ticket);
        // 3. The rest of the recording; a flush when it is due.
        for (std::size_t i = flushed_upto; i < round.size(); ++i) write_recording(round[i]);
        if (!round.empty()) {
            const std::lock_guard lock(mutex_);
            for (Batch& b : round) {
                b.clear();
                if (free_.size() < 4) free_.push_back(std::move(b));
            }
        }
        round.clear();
        if (recording_dirty_ && SteadyClock::now() - last_flush_ >= options_.recording_flush)
            flush_recorder();
        if (finish && !retrying) break;
        if (finish && retrying) {
            // Stopping with a store that cannot commit: alerts would be lost by waiting forever;
            // say so loudly and end (nothing was published that the store does not hold).
            log::error("persistence: stopping with alerts the store could not commit");
            break;
        }
    }
    recording_dirty_ = true;
    flush_recorder();
}

}  // namespace picket::persist
