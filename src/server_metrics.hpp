#pragma once
/// The server's Prometheus metrics (docs/outputs.md, whose table a test checks against a real
/// server's /metrics): per-feed messages and rejects by reason, hand-over queue depth, processing
/// latency, live tracks, alerts by state, and what the CoT and CAT062 outputs sent and dropped.
/// Counters live in the engine (deterministic, fusion thread); this class mirrors them into the
/// registry when the metrics endpoint is scraped, and owns the latency histogram the fusion loop
/// feeds directly.
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "src/engine/fusion_engine.hpp"
#include "src/outputs/cat062_output.hpp"
#include "src/outputs/cot_output.hpp"
#include "src/outputs/metrics.hpp"
#include "src/persist/server_persistence.hpp"

namespace picket::server {

/// What the fusion thread does, one piece at a time. A message waits for whatever piece runs
/// when it arrives, so the longest pieces set the latency tail (docs/benchmarks.md).
enum class FusionWork : std::uint8_t {
    message,       ///< one feed message: decode, track, publish
    tick,          ///< the tracker's advance, track changes, the rules' copy of the picture
    tick_outputs,  ///< CoT refresh, persistence tick, CAT062 picture, partner flush
    rules_part,    ///< one part of a rules cycle
    snapshot,      ///< one snapshot request answered
    command,       ///< one operator command
    persistence,   ///< the persistence stage's wake-up (confirmed writes released)
    tasks,         ///< work posted by other threads (status, metrics, web requests)
};
inline constexpr std::array<const char*, 8> kFusionWorkNames{
    "message", "tick", "tick_outputs", "rules_part", "snapshot", "command", "persistence", "tasks"};

class ServerMetrics {
public:
    ServerMetrics();
    /// Message in (receive time) -> its tracks/alerts out, seconds. Any thread.
    void observe_latency(double seconds) { latency_.observe(seconds); }
    /// One piece of the fusion thread's work took `seconds` (wall clock); fusion thread only.
    void observe_work(FusionWork w, double seconds);
    /// Times `f` as one piece of work `w`.
    template <class F>
    void timed(FusionWork w, F&& f) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        observe_work(w,
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    /// Mirrors the engine's counters; call on the fusion thread.
    void update(const FusionEngine& engine, std::uint64_t forwarded, std::uint64_t processed);
    /// Mirrors the CoT and CAT062 outputs' counters (either may be null: not configured, and
    /// then its metrics are not exported); call on the fusion thread.
    void update_outputs(const outputs::CotOutput* cot, const outputs::Cat062Output* cat062);
    /// Mirrors the persistence stage's counters and the gate's backlog (docs/outputs.md).
    void update_persistence(const persist::PersistenceReport& r);
    [[nodiscard]] std::string render() const { return registry_.render_prometheus(); }

private:
    void advance(outputs::Counter& c, std::uint64_t total);

    outputs::Registry registry_;
    outputs::Histogram& latency_;
    struct WorkSeries {
        outputs::Histogram* seconds;
        outputs::Gauge* max;
    };
    std::array<WorkSeries, kFusionWorkNames.size()> work_{};
    std::map<const outputs::Counter*, std::uint64_t> seen_;
};

}  // namespace picket::server
