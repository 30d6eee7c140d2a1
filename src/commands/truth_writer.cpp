#include "src/commands/truth_writer.hpp"

#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace picket::cli {

TruthWriter::TruthWriter(const std::string& dir, const sim::Simulator& sim, double period_s)
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
    // The run's span, for rates such as false incidents per hour (`picket score --alerts`).
    std::ofstream run(std::filesystem::path(dir) / "run.json");
    run << "{\"start\":\"" << to_iso8601(sim.start()) << "\",\"end\":\"" << to_iso8601(sim.end())
        << "\",\"seed\":" << sim.seed() << "}\n";
    if (!run) throw std::runtime_error(dir + ": cannot write run.json");
}

void TruthWriter::advance(Timestamp until) {
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

void TruthWriter::finish() {
    if (!csv_.is_open()) return;
    advance(sim_.end());
    csv_.flush();
}

}  // namespace picket::cli
