#pragma once
/// The server's Prometheus metrics (docs/outputs.md, whose table a test checks against a real
/// server's /metrics): per-feed messages and rejects by reason, hand-over queue depth, processing
/// latency, live tracks, alerts by state, and what the CoT and CAT062 outputs sent and dropped.
/// Counters live in the engine (deterministic, fusion thread); this class mirrors them into the
/// registry when the metrics endpoint is scraped, and owns the latency histogram the fusion loop
/// feeds directly.
#include <map>
#include <string>

#include "src/engine/fusion_engine.hpp"
#include "src/outputs/cat062_output.hpp"
#include "src/outputs/cot_output.hpp"
#include "src/outputs/metrics.hpp"
#include "src/persist/server_persistence.hpp"

namespace picket::server {

class ServerMetrics {
public:
    ServerMetrics();
    /// Message in (receive time) -> its tracks/alerts out, seconds. Any thread.
    void observe_latency(double seconds) { latency_.observe(seconds); }
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
    std::map<const outputs::Counter*, std::uint64_t> seen_;
};

}  // namespace picket::server
