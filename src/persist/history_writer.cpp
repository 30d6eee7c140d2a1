#include "src/persist/history_writer.hpp"

#include "core/log.hpp"
#include "core/thread_role.hpp"

namespace picket::persist {
namespace {

constexpr std::int64_t kNsPerDay = 86'400 * kNsPerSecond;
constexpr auto kPruneEvery = std::chrono::hours(1);
/// Points written at once when the backlog is large (the transaction stays short).
constexpr std::size_t kMaxPerTransaction = 50'000;

}  // namespace

HistoryWriter::HistoryWriter(std::unique_ptr<outputs::HistoryStore> history, HistoryOptions options)
    : history_(std::move(history)), options_(options) {}

HistoryWriter::~HistoryWriter() { stop(); }

void HistoryWriter::start() {
    const std::lock_guard lock(mutex_);
    if (started_ || !history_) return;
    started_ = true;
    thread_ = std::thread([this] {
        enter_thread_role(ThreadRole::history);
        work();
    });
}

void HistoryWriter::stop() {
    {
        const std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    ready_.notify_one();
    if (thread_.joinable()) {
        thread_.join();
    } else if (history_) {
        std::vector<outputs::TrackPoint> rest;
        rest.swap(queue_);
        write(rest);
    }
}

std::size_t HistoryWriter::push(std::vector<outputs::TrackPoint>& points) {
    if (!history_ || points.empty()) return 0;
    std::size_t dropped = 0;
    {
        const std::lock_guard lock(mutex_);
        const std::size_t room =
            queue_.size() < options_.backlog ? options_.backlog - queue_.size() : 0;
        const std::size_t take = std::min(room, points.size());
        dropped = points.size() - take;
        queue_.insert(queue_.end(), std::make_move_iterator(points.begin()),
                      std::make_move_iterator(points.begin() + static_cast<std::ptrdiff_t>(take)));
        stats_.dropped += dropped;
        if (dropped && !warned_) {
            warned_ = true;
            log::warn("track history: the disk is behind; history is being thinned (" +
                      std::to_string(dropped) + " points dropped)");
        }
        if (!dropped) warned_ = false;  // a new episode is logged again
    }
    points.clear();
    return dropped;
}

HistoryWriter::Stats HistoryWriter::stats() const {
    const std::lock_guard lock(mutex_);
    Stats s = stats_;
    s.backlog = queue_.size();
    s.disk_bytes = disk_bytes_.load();
    return s;
}

void HistoryWriter::write(std::vector<outputs::TrackPoint>& points) {
    if (points.empty()) return;
    std::size_t saved = 0, failed = 0;
    for (std::size_t i = 0; i < points.size(); i += kMaxPerTransaction) {
        const std::size_t n = std::min(kMaxPerTransaction, points.size() - i);
        try {
            history_->save(std::span<const outputs::TrackPoint>(points.data() + i, n));
            saved += n;
        } catch (const std::exception& e) {
            failed += n;
            write_error_log_.write(std::string("track history: cannot write: ") + e.what());
        }
    }
    const Timestamp newest = points.back().time;
    points.clear();
    {
        const std::lock_guard lock(mutex_);
        stats_.saved += saved;
        stats_.dropped += failed;
        stats_.errors += failed ? 1 : 0;
    }
    prune(newest);
}

void HistoryWriter::prune(Timestamp newest) {
    const auto now = std::chrono::steady_clock::now();
    if (last_prune_ != std::chrono::steady_clock::time_point{} && now - last_prune_ < kPruneEvery)
        return;
    last_prune_ = now;
    disk_bytes_ = history_->disk_bytes();
    if (options_.retention_days <= 0) return;
    // Keep today (the day of the newest point) and `retention_days` whole days before it.
    const std::int64_t today = newest.ns / kNsPerDay;
    const Timestamp cutoff{(today - options_.retention_days) * kNsPerDay};
    try {
        const std::int64_t removed = history_->prune_before(cutoff);
        const std::lock_guard lock(mutex_);
        stats_.pruned += static_cast<std::uint64_t>(removed);
        if (removed > 0)
            log::info("track history: retention removed " + std::to_string(removed) +
                      " points before " + to_iso8601(cutoff));
    } catch (const std::exception& e) {
        prune_error_log_.write(std::string("track history: retention failed: ") + e.what());
    }
    disk_bytes_ = history_->disk_bytes();
}

void HistoryWriter::work() {
    std::vector<outputs::TrackPoint> batch;
    while (true) {
        bool finish = false;
        {
            std::unique_lock lock(mutex_);
            ready_.wait_for(lock, options_.commit, [&] { return stopping_; });
            batch.swap(queue_);
            finish = stopping_;
        }
        write(batch);
        if (finish) break;
    }
}

}  // namespace picket::persist
