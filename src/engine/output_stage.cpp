#include "src/engine/output_stage.hpp"

#include <utility>

#include "core/stage_errors.hpp"

namespace picket::server {

OutputStage::OutputStage(OutputThreading threading)
    : threaded_(threading == OutputThreading::worker) {
    if (!threaded_) return;
    pending_.reserve(kBatch);
    worker_ = std::thread([this] { work(); });
}

OutputStage::~OutputStage() {
    if (!threaded_) return;
    hand_over();
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    worker_.join();
}

void OutputStage::enqueue(Job job) {
    pending_.push_back(std::move(job));
    if (pending_.size() >= kBatch) hand_over();
}

void OutputStage::hand_over() {
    if (pending_.empty()) return;
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return queue_.size() < kMaxBatches; });
    queue_.push_back(std::move(pending_));
    ++handed_over_;
    lock.unlock();
    changed_.notify_all();
    pending_ = {};
    pending_.reserve(kBatch);
}

void OutputStage::drain() {
    if (!threaded_) return;
    hand_over();
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return finished_ == handed_over_; });
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

void OutputStage::work() {
    for (;;) {
        std::vector<Job> batch;
        {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and nothing left
            batch = std::move(queue_.front());
            queue_.pop_front();
        }
        changed_.notify_all();  // room in the queue for a blocked submitter
        for (Job& job : batch) {
            try {
                job();
            } catch (...) {
                // The catch site of the worker thread. Kept for drain(): a job that throws must
                // not take the process down from a thread nobody joins on, nor silently lose
                // the error; counted and logged here as it happens.
                try {
                    throw;
                } catch (const std::exception& e) {
                    report_stage_error("output_worker", e.what());
                } catch (...) {
                    report_stage_error("output_worker", "unknown exception");
                }
                std::lock_guard lock(mutex_);
                if (!failure_) failure_ = std::current_exception();
            }
        }
        {
            std::lock_guard lock(mutex_);
            ++finished_;
        }
        changed_.notify_all();
    }
}

}  // namespace picket::server
