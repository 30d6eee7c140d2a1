#pragma once
/// Per-feed health: what came in, what was decoded, what was rejected and why, and whether the
/// feed has gone silent. Updated only on the fusion thread (deterministic: driven by the same
/// received times that are recorded), read by metrics and the snapshot.
#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "src/engine/feed_clock.hpp"

namespace picket::server {

/// At most one log line per interval of engine time for one kind of event: a feed that sends
/// thousands of bad records a second gets one line a minute, saying how many. Driven by the
/// engine's clock, like everything else in the engine.
struct LogLimiter {
    Duration interval{Duration::from_seconds(60)};
    std::optional<Timestamp> last_line;
    std::uint64_t pending{0};

    /// Counts `n` events at `now`; returns how many to report when a line may be written now
    /// (those held back since the last line included), else 0.
    std::uint64_t note(Timestamp now, std::uint64_t n = 1);
    /// At a tick: the events held back, once the interval since the last line has passed.
    std::uint64_t flush(Timestamp now);
};

struct FeedHealth {
    std::string id;
    double expected_interval_s{0};
    std::uint64_t messages{0};
    std::uint64_t bytes{0};
    std::uint64_t measurements{0};
    std::uint64_t identities{0};
    std::map<std::string, std::uint64_t, std::less<>> rejected;   ///< by reason code
    std::map<std::string, std::uint64_t, std::less<>> anomalies;  ///< by reason code
    std::map<std::string, std::uint64_t, std::less<>> quirks;     ///< accepted vendor quirks
    std::optional<Timestamp> last_message;
    std::optional<Timestamp> watch_start;  ///< first silence check (the engine's first tick)
    double rate_per_s{0};                  ///< message rate, smoothed over one-second windows
    std::optional<Timestamp> window_start;
    std::uint64_t window_messages{0};
    bool silent{false};
    /// The feed's clock against the server's: offset, flag, and the judge of every time.
    FeedClock clock;
    std::uint64_t clock_clamped{0};  ///< measurements stamped ahead, fused at their receive time
    LogLimiter late_log;             ///< measurements dropped as late
    LogLimiter clock_reject_log;     ///< records rejected as clock_ahead / clock_behind
    LogLimiter clock_status_log;     ///< the clock flag changed

    [[nodiscard]] std::uint64_t rejected_total() const;
    void on_message(Timestamp received, std::size_t size);
    void on_rejected(std::string_view reason, std::uint64_t n = 1);
    void on_anomaly(std::string_view reason);
    void on_quirk(std::string_view kind);
    /// Returns true when the silent flag changed (so the change can be announced once).
    bool check_silence(Timestamp now);
};

struct FeedCounterInfo {
    std::string_view name;  ///< status JSON key; metric picket_feed_<name>_total{feed}
    std::string_view help;  ///< the metric's HELP text
    std::uint64_t FeedHealth::*member;
};

/// Every per-feed count: the status JSON and the Prometheus metrics are generated from this table
/// (src/engine/fusion_engine.cpp, src/server_metrics.cpp), as for the tracker's
/// (filters/tracker_counters.hpp). The counts by reason (rejected, anomalies) are maps, written
/// whole by both.
inline constexpr std::array kFeedCounters{
    FeedCounterInfo{"messages", "Messages received per feed", &FeedHealth::messages},
    FeedCounterInfo{"bytes", "Bytes received per feed", &FeedHealth::bytes},
    FeedCounterInfo{"measurements", "Measurements decoded and accepted per feed",
                    &FeedHealth::measurements},
    FeedCounterInfo{"identities", "Identity reports (AIS static data) per feed",
                    &FeedHealth::identities},
    FeedCounterInfo{"clock_clamped",
                    "Measurements stamped ahead of their receive time, fused at it",
                    &FeedHealth::clock_clamped},
};

}  // namespace picket::server
