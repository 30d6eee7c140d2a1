#include "src/commands/sim_publisher.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "sim/simulator.hpp"

namespace picket::cli {
namespace {

using Clock = std::chrono::steady_clock;

/// truth.csv (one row per target per truth sample period, 1 s by default):
/// `time,truth_id,x,y` first (the `picket score --truth` columns; time in unix
/// seconds, x/y metres east/north in the scenario's local frame), then lat, lon, velocity,
/// class and name for people.
class TruthWriter {
public:
    TruthWriter(const std::string& dir, const sim::Simulator& sim, double period_s)
        : sim_(sim), period_(Duration::from_seconds(period_s)) {
        if (dir.empty()) return;
        std::filesystem::create_directories(dir);
        csv_.open(std::filesystem::path(dir) / "truth.csv");
        events_.open(std::filesystem::path(dir) / "events.jsonl");
        if (!csv_ || !events_) throw std::runtime_error(dir + ": cannot write truth files");
        csv_ << "time,truth_id,x,y,lat,lon,east_mps,north_mps,class,name\n";
        next_sample_ = sim.start();
        for (const sim::TruthEvent& e : sim.truth_events()) events_ << sim::to_json(e) << '\n';
        events_.flush();
    }
    /// Writes every per-second sample up to and including `until`.
    void advance(Timestamp until) {
        if (!csv_.is_open()) return;
        while (next_sample_ <= until && next_sample_ <= sim_.end()) {
            sim_.truth_at(next_sample_, samples_);
            char line[256];
            for (const sim::TruthSample& s : samples_) {
                const int n = std::snprintf(line, sizeof line, "%.3f,%u,%.2f,%.2f,%.7f,%.7f,%.3f,%.3f,",
                                            s.time.unix_seconds(), s.truth_id, s.east_m, s.north_m,
                                            s.where.lat_deg, s.where.lon_deg, s.east_mps, s.north_mps);
                csv_.write(line, n);
                csv_ << to_string(s.target_class) << ',' << s.name << '\n';
            }
            next_sample_ += period_;
        }
    }
    void finish() {
        if (!csv_.is_open()) return;
        advance(sim_.end());
        csv_.flush();
    }

private:
    const sim::Simulator& sim_;
    Duration period_;
    std::ofstream csv_;
    std::ofstream events_;
    Timestamp next_sample_;
    std::vector<sim::TruthSample> samples_;
};

std::string clock_text(Timestamp t) { return to_iso8601(t).substr(11, 8); }

}  // namespace

SimRunResult run_sim_publisher(const sim::Scenario& scenario, const SimRunOptions& options,
                               std::atomic<bool>& stop) {
    sim::SimOptions sim_options;
    sim_options.seed = options.seed;
    sim_options.start = options.start;
    sim_options.duration_s = options.duration_s;
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
    const auto wait_until = Clock::now() + std::chrono::duration<double>(options.slow_joiner_wait_s);
    while (Clock::now() < wait_until && !stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(20));

    const auto wall_start = Clock::now();
    auto last_progress = wall_start;
    sim::SimMessage m;
    while (!stop.load() && sim.next(m)) {
        truth.advance(m.time);
        if (!fast) {
            const double scenario_s = (m.time - sim.start()).seconds();
            const auto due = wall_start + std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(scenario_s / options.speed));
            while (!stop.load()) {
                const auto now = Clock::now();
                if (now >= due) break;
                std::this_thread::sleep_for(std::min<Clock::duration>(due - now, std::chrono::milliseconds(100)));
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
