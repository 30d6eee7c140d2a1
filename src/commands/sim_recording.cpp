#include "src/commands/sim_recording.hpp"

#include <chrono>

#include "sim/simulator.hpp"
#include "src/commands/truth_writer.hpp"
#include "src/record/offline_recording.hpp"

namespace picket::cli {

SimRecordingResult run_sim_to_recording(const sim::Scenario& scenario, const SimRunOptions& options,
                                        const server::ServerConfig& config,
                                        const std::string& directory) {
    sim::SimOptions sim_options;
    sim_options.seed = options.seed;
    sim_options.start = options.start;
    sim_options.duration_s = options.duration_s;
    sim_options.rules_file = options.rules_file;
    sim::Simulator sim(scenario, sim_options);
    TruthWriter truth(options.truth_dir, sim, scenario.truth.sample_period_s);
    record::OfflineRecording recording(config, directory, sim.start());

    SimRecordingResult result;
    result.run.truth_events = sim.truth_events().size();
    const auto wall_start = std::chrono::steady_clock::now();
    sim::SimMessage m;
    while (sim.next(m)) {
        truth.advance(m.time);
        recording.add(m.endpoint, m.time, m.bytes);
        ++result.run.messages;
        result.run.bytes += m.bytes.size();
    }
    recording.finish(sim.end());
    truth.finish();
    result.unmatched = recording.unmatched();
    result.run.wall_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    return result;
}

}  // namespace picket::cli
