#pragma once
/// Runs a scenario and publishes its messages on ZeroMQ: one PUB socket bound per endpoint (the
/// server's feeds are SUB sockets that connect), paced by message time / speed, or as fast as
/// the subscribers take them. Writes ground truth (truth.csv, events.jsonl) when asked.
/// `picket sim` is a thin wrapper; `picket demo` calls run_sim_publisher on a thread.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/time.hpp"
#include "sim/scenario.hpp"

namespace picket::cli {

struct SimRunOptions {
    /// Scenario seconds per wall second. 0 (or `fast`) = as fast as subscribers consume:
    /// sends block (ZMQ_XPUB_NODROP) instead of dropping at the high-water mark.
    double speed{1.0};
    bool fast{false};
    std::string truth_dir;   ///< empty: no truth files
    std::string rules_file;  ///< truth events per these rules (empty: the scenario's truth.rules)
    std::optional<double> duration_s;   ///< override the scenario's
    std::optional<std::uint64_t> seed;  ///< override the scenario's
    Timestamp start;                    ///< scenario start (the caller resolves "now")
    double slow_joiner_wait_s{1.0};     ///< after binding, before the first message
    /// The scenario clock to pace against (not with `fast`). Empty: the publisher's own, started
    /// when the first message is due. `picket demo` passes the server's virtual clock: building
    /// the simulator (truth events over the whole run) takes wall time while the server's clock
    /// already runs `speed` times faster, so a clock of the publisher's own would start seconds
    /// of scenario time behind the server and every report would arrive late.
    std::function<Timestamp()> clock;
    /// Progress lines ("sim: 12:03 scenario time, 4521 messages"), every ~5 s of wall time.
    std::function<void(const std::string&)> progress;
};

struct SimRunResult {
    std::uint64_t messages{0};
    std::uint64_t bytes{0};
    std::uint64_t truth_events{0};
    double wall_s{0};
    bool stopped{false};  ///< ended by `stop` before the scenario's end
};

/// Runs until the scenario ends or `stop` becomes true. Throws std::runtime_error when an
/// endpoint cannot be bound or a truth file cannot be written.
SimRunResult run_sim_publisher(const sim::Scenario& scenario, const SimRunOptions& options,
                               std::atomic<bool>& stop);

}  // namespace picket::cli
