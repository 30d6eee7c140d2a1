#pragma once
/// `picket sim SCENARIO --record DIR --config SERVER.yaml`: runs the scenario as fast as the
/// simulator goes, without sockets, straight into a recording that `picket replay DIR` runs
/// through the whole pipeline exactly as if `picket serve` had received the feeds live.
#include <string>

#include "src/commands/sim_publisher.hpp"
#include "src/server_config.hpp"

namespace picket::cli {

struct SimRecordingResult {
    SimRunResult run;
    std::uint64_t unmatched{0};  ///< messages for endpoints that no feed of the config reads
};

/// Throws std::runtime_error when the recording or truth files cannot be written.
SimRecordingResult run_sim_to_recording(const sim::Scenario& scenario, const SimRunOptions& options,
                                        const server::ServerConfig& config,
                                        const std::string& directory);

}  // namespace picket::cli
