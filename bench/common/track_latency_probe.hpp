#pragma once
/// The latency of a picket PUB stream's track messages, as the server benchmarks measure it
/// (bench/pipeline/latency_bench.cpp, bench/regional/regional_latency_bench.cpp): vessel v
/// reports with MMSI `base_mmsi + v`; the sender stores the send time of each vessel's latest
/// report in `last_sent[v]`, and a track message naming that MMSI is timed against it. So no
/// latency beyond one report interval can show: past that the figures are lower bounds.
#include <zmq.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace picket::bench {

inline std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

struct Percentiles {
    double p50, p90, p99, max;
    std::size_t n;
};

inline Percentiles percentiles(std::vector<double> v) {
    if (v.empty()) return {0, 0, 0, 0, 0};
    std::sort(v.begin(), v.end());
    const auto at = [&](double q) { return v[static_cast<std::size_t>(q * (v.size() - 1))]; };
    return {at(0.5), at(0.9), at(0.99), v.back(), v.size()};
}

class TrackLatencyProbe {
public:
    /// Subscribes at once (so that it is connected before the load starts); times nothing
    /// until start().
    TrackLatencyProbe(zmq::context_t& ctx, const std::string& endpoint, long base_mmsi,
                      const std::vector<std::atomic<std::int64_t>>& last_sent)
        : sub_(ctx, zmq::socket_type::sub), base_mmsi_(base_mmsi), last_sent_(last_sent) {
        sub_.set(zmq::sockopt::subscribe, "track");
        sub_.set(zmq::sockopt::rcvhwm, 0);
        sub_.set(zmq::sockopt::rcvtimeo, 200);
        sub_.connect(endpoint);
    }
    ~TrackLatencyProbe() {
        if (thread_.joinable()) stop();
    }
    TrackLatencyProbe(const TrackLatencyProbe&) = delete;
    TrackLatencyProbe& operator=(const TrackLatencyProbe&) = delete;

    /// Times track messages whose vessel's latest report was sent at or after `warmup_until`
    /// (the tracks being born before it are left out).
    void start(std::int64_t warmup_until) {
        warmup_until_ = warmup_until;
        thread_ = std::thread([this] { run(); });
    }
    void stop() {
        done_ = true;
        thread_.join();
    }
    [[nodiscard]] const std::vector<double>& latency_ms() const { return latency_ms_; }

private:
    void run() {
        const auto vessels = static_cast<long>(last_sent_.size());
        while (true) {
            zmq::message_t topic, body;
            if (!sub_.recv(topic)) {
                if (done_) break;
                continue;
            }
            (void)sub_.recv(body);
            const std::int64_t t = now_ns();
            const std::string_view json(static_cast<const char*>(body.data()), body.size());
            const auto at = json.find("\"mmsi\":");
            if (at == std::string_view::npos) continue;
            const long v = std::strtol(json.data() + at + 7, nullptr, 10) - base_mmsi_;
            if (v < 0 || v >= vessels) continue;
            const std::int64_t s = last_sent_[static_cast<std::size_t>(v)].load();
            if (s == 0 || s < warmup_until_) continue;
            latency_ms_.push_back(static_cast<double>(t - s) / 1e6);
        }
    }

    zmq::socket_t sub_;
    long base_mmsi_;
    const std::vector<std::atomic<std::int64_t>>& last_sent_;
    std::int64_t warmup_until_{0};
    std::atomic<bool> done_{false};
    std::vector<double> latency_ms_;
    std::thread thread_;
};

}  // namespace picket::bench
