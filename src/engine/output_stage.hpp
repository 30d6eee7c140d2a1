#pragma once
/// The second half of the engine's work: rules, JSON encoding and the subscribers, run in the
/// order the tracking half produced it. Inline (the live server: lowest latency, one thread), or
/// on a worker thread of its own (replay: tracking and output overlap on two cores).
///
/// Either way every job runs once, in submission order, on one thread at a time, so the output
/// bytes are the same: the worker is a strict FIFO, not a pool. The submitting thread batches
/// jobs (one lock per batch, not per job) and blocks when the worker is `kMaxBatches` behind, so
/// memory stays bounded however fast the input is read.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace picket::server {

enum class OutputThreading : std::uint8_t {
    inline_,  ///< jobs run at once on the caller's thread
    worker,   ///< jobs run in order on a thread of their own
};

class OutputStage {
public:
    using Job = std::function<void()>;

    explicit OutputStage(OutputThreading threading);
    ~OutputStage();
    OutputStage(const OutputStage&) = delete;
    OutputStage& operator=(const OutputStage&) = delete;

    /// Runs `job` after every job submitted before it. Inline it is called at once, without
    /// being wrapped in a Job (no allocation on the live server's path).
    template <class F>
    void run(F&& job) {
        if (threaded_) {
            enqueue(Job(std::forward<F>(job)));
        } else {
            job();
        }
    }
    /// Returns once every submitted job has run; rethrows the first exception a job threw. After
    /// it returns, the caller may touch the output half's state directly until its next run().
    void drain();
    [[nodiscard]] bool threaded() const { return threaded_; }

private:
    static constexpr std::size_t kBatch = 256;
    static constexpr std::size_t kMaxBatches = 8;  // bounds memory: a tick job holds every track

    void enqueue(Job job);
    void hand_over();
    void work();

    bool threaded_;
    std::vector<Job> pending_;  ///< the submitting thread's batch, not yet handed over
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::vector<Job>> queue_;
    std::uint64_t handed_over_{0};
    std::uint64_t finished_{0};
    std::exception_ptr failure_;
    bool stopping_{false};
    std::thread worker_;
};

}  // namespace picket::server
