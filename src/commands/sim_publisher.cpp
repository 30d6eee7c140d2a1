#include "src/commands/sim_publisher.hpp"

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "sim/simulator.hpp"
#include "src/commands/truth_writer.hpp"

namespace picket::cli {
namespace {

using Clock = std::chrono::steady_clock;

std::string clock_text(Timestamp t) { return to_iso8601(t).substr(11, 8); }

}  // namespace

SimRunResult run_sim_publisher(const sim::Scenario& scenario, const SimRunOptions& options,
                               std::atomic<bool>& stop) {
    sim::SimOptions sim_options;
    sim_options.seed = options.seed;
    sim_options.start = options.start;
    sim_options.duration_s = options.duration_s;
    sim_options.rules_file = options.rules_file;
    sim::Simulator sim(scenario, sim_options);
    const bool fast = options.fast || options.speed <= 0;

    zmq::context_t context(1);
    std::map<std::string, zmq::socket_t> sockets;
    auto bind = [&](const std::string& endpoint) {
        if (endpoint.empty() || sockets.count(endpoint)) return;
        zmq::socket_t s(context, zmq::socket_type::pub);
        s.set(zmq::sockopt::linger, 1000);
        if (fast) {
            s.set(zmq::sockopt::xpub_nodrop, 1);  // back-pressure instead of silent loss
            s.set(zmq::sockopt::sndtimeo, 200);
        }
        try {
            s.bind(endpoint);
        } catch (const zmq::error_t& e) {
            throw std::runtime_error("cannot bind " + endpoint + ": " + e.what());
        }
        sockets.emplace(endpoint, std::move(s));
    };
    for (const auto& r : scenario.radars) bind(r.feed.endpoint);
    for (const auto& a : scenario.ais_receivers) bind(a.feed.endpoint);
    for (const auto& c : scenario.cameras) bind(c.feed.endpoint);
    for (const auto& u : scenario.ugs) bind(u.feed.endpoint);

    TruthWriter truth(options.truth_dir, sim, scenario.truth.sample_period_s);
    SimRunResult result;
    result.truth_events = sim.truth_events().size();

    // Slow joiner: subscribers connecting after bind need a moment, or the first messages vanish.
    const auto wait_until =
        Clock::now() + std::chrono::duration<double>(options.slow_joiner_wait_s);
    while (Clock::now() < wait_until && !stop.load())
        std::this_thread::sleep_for(std::chrono::milliseconds(20));

    const auto wall_start = Clock::now();
    auto last_progress = wall_start;
    sim::SimMessage m;
    while (!stop.load() && sim.next(m)) {
        truth.advance(m.time);
        if (!fast) {
            if (options.clock) {
                // Due when the caller's scenario clock reaches the message's time.
                while (!stop.load()) {
                    const double ahead_s = (m.time - options.clock()).seconds();
                    if (ahead_s <= 0) break;
                    std::this_thread::sleep_for(
                        std::chrono::duration<double>(std::min(ahead_s / options.speed, 0.1)));
                }
            } else {
                const double scenario_s = (m.time - sim.start()).seconds();
                const auto due =
                    wall_start + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(scenario_s / options.speed));
                while (!stop.load()) {
                    const auto now = Clock::now();
                    if (now >= due) break;
                    std::this_thread::sleep_for(
                        std::min<Clock::duration>(due - now, std::chrono::milliseconds(100)));
                }
            }
            if (stop.load()) break;
        }
        auto it = sockets.find(m.endpoint);
        if (it != sockets.end()) {
            const zmq::const_buffer buf(m.bytes.data(), m.bytes.size());
            // With nodrop a full queue makes send time out: retry until taken or stopped.
            while (!it->second.send(buf, zmq::send_flags::none) && !stop.load()) {
            }
        }
        ++result.messages;
        result.bytes += m.bytes.size();
        if (options.progress && Clock::now() - last_progress > std::chrono::seconds(5)) {
            last_progress = Clock::now();
            options.progress("sim: " + clock_text(m.time) + " scenario time, " +
                             std::to_string(result.messages) + " messages");
        }
    }
    result.stopped = stop.load();
    if (!result.stopped) truth.finish();
    result.wall_s = std::chrono::duration<double>(Clock::now() - wall_start).count();
    return result;
}

}  // namespace picket::cli
