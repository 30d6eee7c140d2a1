#pragma once
/// A tiny Prometheus metrics registry: counters, gauges and fixed-bucket histograms with labels,
/// rendered in the text exposition format 0.0.4
/// (https://prometheus.io/docs/instrumenting/exposition_formats/).
///
/// Threading: registering (counter(), gauge(), histogram()) takes a mutex; the returned reference
/// stays valid for the registry's lifetime and its updates are lock-free atomics, so the I/O and
/// fusion threads look a series up once and keep the reference. render_prometheus() may run on
/// any thread concurrently with updates (each value is read atomically; a scrape is not a
/// global snapshot, which Prometheus does not require).
///
/// The names the server exports are listed in docs/outputs.md (a test compares that table with a
/// real server's /metrics, both ways); the feed and tracker counters are generated from one table
/// each (src/server_metrics.cpp).
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace picket::outputs {

/// Label pairs of one series, in the order given (rendered in that order).
using Labels = std::vector<std::pair<std::string, std::string>>;

/// Monotonic count of events.
class Counter {
public:
    void inc(std::uint64_t n = 1) { v_.fetch_add(n, std::memory_order_relaxed); }
    [[nodiscard]] std::uint64_t value() const { return v_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> v_{0};
};

/// A value that goes up and down (queue depth, live tracks).
class Gauge {
public:
    void set(double v) { v_.store(v, std::memory_order_relaxed); }
    void add(double d) { v_.fetch_add(d, std::memory_order_relaxed); }
    [[nodiscard]] double value() const { return v_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> v_{0.0};
};

/// Distribution over fixed upper bounds (le); the +Inf bucket is implicit.
class Histogram {
public:
    /// `upper_bounds` must be finite and strictly increasing (throws std::invalid_argument).
    explicit Histogram(std::vector<double> upper_bounds);
    void observe(double v);
    [[nodiscard]] const std::vector<double>& upper_bounds() const { return bounds_; }
    /// Cumulative count of observations <= upper_bounds()[i]; i == size() gives the total count.
    [[nodiscard]] std::uint64_t cumulative_count(std::size_t i) const;
    [[nodiscard]] std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
    [[nodiscard]] double sum() const { return sum_.load(std::memory_order_relaxed); }

private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> per_bucket_;  ///< non-cumulative, size+1
    std::atomic<std::uint64_t> count_{0};
    std::atomic<double> sum_{0.0};
};

/// Default latency buckets (seconds): 100 µs to 10 s, roughly x2.5 per step.
std::vector<double> default_latency_buckets_s();

class Registry {
public:
    /// Returns the series `name{labels}`, creating the family and series on first use.
    /// Throws std::invalid_argument for an invalid metric or label name, and std::logic_error
    /// when `name` was registered before as another type (programmer errors).
    Counter& counter(std::string_view name, std::string_view help, const Labels& labels = {});
    Gauge& gauge(std::string_view name, std::string_view help, const Labels& labels = {});
    /// All series of one histogram family share the bounds given at first registration.
    Histogram& histogram(std::string_view name, std::string_view help,
                         const std::vector<double>& upper_bounds, const Labels& labels = {});
    /// Registers a family with no series yet: its HELP and TYPE lines are rendered from now on,
    /// so a labelled metric whose first series comes later (a reject reason) is exported, and
    /// documented, from the start. Same checks as counter()/gauge().
    void declare_counter(std::string_view name, std::string_view help);
    void declare_gauge(std::string_view name, std::string_view help);

    /// Text exposition format 0.0.4: one HELP and TYPE line per family, families and series in
    /// registration order. Content-Type: text/plain; version=0.0.4; charset=utf-8
    [[nodiscard]] std::string render_prometheus() const;

private:
    enum class Type { counter, gauge, histogram };
    struct Series {
        Labels labels;
        std::unique_ptr<Counter> counter;
        std::unique_ptr<Gauge> gauge;
        std::unique_ptr<Histogram> histogram;
    };
    struct Family {
        std::string name, help;
        Type type;
        std::vector<double> bounds;
        std::vector<std::unique_ptr<Series>> series;
    };
    Family& family_for(std::string_view name, std::string_view help, Type type,
                       const std::vector<double>* bounds);  ///< with mu_ held
    Series& series_for(std::string_view name, std::string_view help, Type type,
                       const Labels& labels, const std::vector<double>* bounds);

    mutable std::mutex mu_;
    std::vector<std::unique_ptr<Family>> families_;
    std::map<std::string, Family*, std::less<>> by_name_;
};

/// Content-Type header value for render_prometheus() output.
inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

}  // namespace picket::outputs
