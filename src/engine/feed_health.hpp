#pragma once
/// Per-feed health: what came in, what was decoded, what was rejected and why, and whether the
/// feed has gone silent. Updated only on the fusion thread (deterministic: driven by the same
/// received times that are recorded), read by metrics and the snapshot.
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"

namespace picket::server {

struct FeedHealth {
    std::string id;
    double expected_interval_s{0};
    std::uint64_t messages{0};
    std::uint64_t bytes{0};
    std::uint64_t measurements{0};
    std::uint64_t identities{0};
    std::uint64_t rejected_total{0};
    std::map<std::string, std::uint64_t, std::less<>> rejected;   ///< by reason code
    std::map<std::string, std::uint64_t, std::less<>> anomalies;  ///< by reason code
    std::map<std::string, std::uint64_t, std::less<>> quirks;     ///< accepted vendor quirks
    std::optional<Timestamp> last_message;
    std::optional<Timestamp> watch_start;  ///< first silence check (the engine's first tick)
    double rate_per_s{0};                  ///< message rate, smoothed over one-second windows
    std::optional<Timestamp> window_start;
    std::uint64_t window_messages{0};
    bool silent{false};

    void on_message(Timestamp received, std::size_t size);
    void on_rejected(std::string_view reason);
    void on_anomaly(std::string_view reason);
    void on_quirk(std::string_view kind);
    /// Returns true when the silent flag changed (so the change can be announced once).
    bool check_silence(Timestamp now);
};

}  // namespace picket::server
