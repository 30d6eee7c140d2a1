#pragma once
/// The tracker's counters, and the one table that lists them: the status JSON and the Prometheus
/// metrics are both generated from kTrackerCounters (src/engine/fusion_engine.cpp,
/// src/server_metrics.cpp), so a counter added here cannot be left out of either (it used to
/// be: 12 counters, 10 in the status, 2 in the metrics). A member without a row does not compile.
#include <array>
#include <cstdint>
#include <string_view>

namespace picket::filters {

struct TrackerCounters {
    std::uint64_t processed{0};        ///< measurements given to process()
    std::uint64_t associated{0};       ///< measurements fused into a track
    std::uint64_t initiated{0};        ///< tentative tracks started
    std::uint64_t confirmed{0};        ///< tracks confirmed
    std::uint64_t deleted{0};          ///< tracks deleted (coasted out, merged, failed M-of-N)
    std::uint64_t merged{0};           ///< duplicate tracks merged into another
    std::uint64_t late_used{0};        ///< out of sequence, within the window, fused
    std::uint64_t late_dropped{0};     ///< older than the window (or older than a track's buffer)
    std::uint64_t ahead_dropped{0};    ///< later than now + the window (a sensor clock ahead)
    std::uint64_t gated_out{0};        ///< not associated and not allowed to start a track
    std::uint64_t invalid{0};          ///< non-finite or degenerate measurements rejected
    std::uint64_t numeric_rejects{0};  ///< updates refused because the result was not SPD/finite
    std::uint64_t spoof_flags{0};      ///< AIS reports far from their radar-held track
    /// Identities moved to the track a vessel's AIS report fits, its old track having taken
    /// another target's plots (Tracker::identity_moves_to).
    std::uint64_t identity_moves{0};
    /// Mode S plots dropped: outside the gate of the track holding their aircraft address, which
    /// took a plot of that look (a reflection) or is newer than the plot.
    std::uint64_t address_conflicts{0};
    /// Tracks restarted at a Mode S plot of their address outside their gate (lost aircraft).
    std::uint64_t address_restarts{0};
    /// Association multi_scan: conflicts whose tracks' plot sequences were exchanged looks later
    /// (the GNN decision of a look was undone: filters/multi_scan.hpp).
    std::uint64_t multi_scan_exchanges{0};
};

struct TrackerCounterInfo {
    std::string_view name;  ///< status JSON key; metric picket_tracker_<name>_total
    std::string_view help;  ///< the metric's HELP text
    std::uint64_t TrackerCounters::*member;
};

inline constexpr std::array kTrackerCounters{
    TrackerCounterInfo{"processed", "Measurements given to the tracker",
                       &TrackerCounters::processed},
    TrackerCounterInfo{"associated", "Measurements fused into a track",
                       &TrackerCounters::associated},
    TrackerCounterInfo{"initiated", "Tentative tracks started", &TrackerCounters::initiated},
    TrackerCounterInfo{"confirmed", "Tracks confirmed", &TrackerCounters::confirmed},
    TrackerCounterInfo{"deleted", "Tracks deleted", &TrackerCounters::deleted},
    TrackerCounterInfo{"merged", "Duplicate tracks merged into another", &TrackerCounters::merged},
    TrackerCounterInfo{"late_used", "Out-of-sequence measurements re-processed",
                       &TrackerCounters::late_used},
    TrackerCounterInfo{"late_dropped",
                       "Measurements older than the latency window (or their track's buffer)",
                       &TrackerCounters::late_dropped},
    TrackerCounterInfo{"ahead_dropped", "Measurements later than now plus the latency window",
                       &TrackerCounters::ahead_dropped},
    TrackerCounterInfo{"gated_out", "Measurements not associated and not allowed to start a track",
                       &TrackerCounters::gated_out},
    TrackerCounterInfo{"invalid", "Non-finite or degenerate measurements rejected",
                       &TrackerCounters::invalid},
    TrackerCounterInfo{"numeric_rejects", "Updates refused because the result was not SPD/finite",
                       &TrackerCounters::numeric_rejects},
    TrackerCounterInfo{"spoof_flags", "AIS reports far from their radar-held track",
                       &TrackerCounters::spoof_flags},
    TrackerCounterInfo{"identity_moves",
                       "AIS identities moved to the track the report fits, off a track that took "
                       "another target's plots",
                       &TrackerCounters::identity_moves},
    TrackerCounterInfo{"address_conflicts",
                       "Mode S plots dropped: the track holding their address took another plot",
                       &TrackerCounters::address_conflicts},
    TrackerCounterInfo{"address_restarts",
                       "Tracks restarted at a Mode S plot of their address outside their gate",
                       &TrackerCounters::address_restarts},
    TrackerCounterInfo{"multi_scan_exchanges",
                       "Conflicts whose tracks' plots were exchanged looks later (multi_scan)",
                       &TrackerCounters::multi_scan_exchanges},
};

static_assert(sizeof(TrackerCounters) == kTrackerCounters.size() * sizeof(std::uint64_t),
              "every TrackerCounters member needs its row in kTrackerCounters");

}  // namespace picket::filters
