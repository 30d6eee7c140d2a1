// Regional accuracy (issue 16): the busy coast seen by three overlapping radars and one AIS
// network (config/scenarios/busy-coast-sectors.yaml), recorded offline by the simulator, run
// through (1) one engine that sees every sensor and (2) three sector engines (one radar each,
// the AIS each) whose track messages feed a regional engine (kind: tracks, track-to-track
// fusion) at the time they were published. Both pictures are scored against the simulator's
// truth with OSPA (eval/ospa) once a second after a warm-up; also counted: regional tracks
// within 100 m of another (duplicates where sectors overlap) against the same count for the
// single engine. Offline and deterministic (FusionEngine driven directly, no sockets): it
// measures the fusion, not the transport (bench/regional/regional_latency_bench.cpp does that).
//
//   picket sim config/scenarios/busy-coast-sectors.yaml --record REC --config
//       config/bench/busy-coast-sectors-server.yaml --truth TRUTH --duration 30min --quiet
//   picket_bench_ospa_regional REC TRUTH/truth.csv [--server CONFIG] [--c 100] [--p 1]
//                              [--warmup 300]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "eval/csv_io.hpp"
#include "eval/ospa.hpp"
#include "geo/local_frame.hpp"
#include "src/engine/fusion_engine.hpp"
#include "src/record/recording_reader.hpp"
#include "src/replay.hpp"
#include "src/server_config.hpp"

using namespace picket;

namespace {

/// Collects a sector engine's track messages for the regional engine.
class Capture final : public server::EngineOutput {
public:
    void publish(std::string_view topic, const std::string& json) override {
        if (topic == "track" || topic == "track.deleted") out.push_back(json);
    }
    std::vector<std::string> out;
};

class Discard final : public server::EngineOutput {
public:
    void publish(std::string_view, const std::string&) override {}
};

struct Score {
    double ospa_sum{0};
    double gospa_missed{0}, gospa_false{0};
    std::uint64_t steps{0};
    std::uint64_t close_pairs{0};  ///< tracks within 100 m of another, summed over steps
    std::uint64_t tracks{0};
};

std::vector<Eigen::Vector2d> positions(const std::vector<Track>& tracks, Timestamp t,
                                       const geo::LocalFrame& frame) {
    std::vector<Eigen::Vector2d> out;
    for (const Track& tr : tracks) {
        if (tr.status == TrackStatus::tentative) continue;
        const double dt = (t - tr.updated).seconds();
        out.push_back(frame.to_en(tr.position) + dt * Eigen::Vector2d(tr.east_mps, tr.north_mps));
    }
    return out;
}

void score(Score& s, const std::vector<Eigen::Vector2d>& truth,
           const std::vector<Eigen::Vector2d>& est, double c, double p) {
    s.ospa_sum += eval::ospa(truth, est, c, p);
    const auto g = eval::gospa(truth, est, c, p);
    s.gospa_missed += g.missed_count;
    s.gospa_false += g.false_count;
    ++s.steps;
    s.tracks += est.size();
    for (std::size_t i = 0; i < est.size(); ++i)
        for (std::size_t j = i + 1; j < est.size(); ++j)
            if ((est[i] - est[j]).norm() < 100) ++s.close_pairs;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr,
                     "usage: picket_bench_ospa_regional RECORDING TRUTH.csv [--server CONFIG] "
                     "[--c 100] [--p 1] [--warmup 300]\n");
        return 2;
    }
    std::string server_path = "config/bench/busy-coast-sectors-server.yaml";
    double c = 100, p = 1, warmup_s = 300;
    for (int i = 3; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--server") server_path = argv[i + 1];
        if (a == "--c") c = std::stod(argv[i + 1]);
        if (a == "--p") p = std::stod(argv[i + 1]);
        if (a == "--warmup") warmup_s = std::stod(argv[i + 1]);
    }
    server::ServerConfig central = server::load_server_config(server_path);
    central.rules_file.clear();

    // Sectors: one radar each, and every non-radar feed (the AIS network) in all of them.
    std::vector<server::ServerConfig> sectors;
    std::map<FeedIndex, std::vector<std::pair<std::size_t, FeedIndex>>> routes;
    std::vector<const server::FeedConfig*> shared;
    for (const auto& f : central.feeds)
        if (f.params.kind != SensorKind::radar) shared.push_back(&f);
    for (const auto& f : central.feeds) {
        if (f.params.kind != SensorKind::radar) continue;
        server::ServerConfig s = central;
        s.feeds.clear();
        for (const auto* g : std::vector<const server::FeedConfig*>{&f}) s.feeds.push_back(*g);
        for (const auto* g : shared) s.feeds.push_back(*g);
        for (std::size_t k = 0; k < s.feeds.size(); ++k) {
            s.feeds[k].params.index = static_cast<FeedIndex>(k);
            const FeedIndex orig =
                s.feeds[k].params.id == f.params.id
                    ? f.params.index
                    : std::find_if(central.feeds.begin(), central.feeds.end(), [&](const auto& x) {
                          return x.params.id == s.feeds[k].params.id;
                      })->params.index;
            routes[orig].emplace_back(sectors.size(), static_cast<FeedIndex>(k));
        }
        sectors.push_back(std::move(s));
    }
    server::ServerConfig regional = central;
    regional.feeds.clear();
    for (std::size_t i = 0; i < sectors.size(); ++i) {
        server::FeedConfig f;
        f.params.index = static_cast<FeedIndex>(i);
        f.params.id = "sector-" + std::to_string(i + 1);
        f.params.tracks = true;
        f.params.format = "picket";
        f.endpoint = "inproc://sector-" + std::to_string(i + 1);
        regional.feeds.push_back(f);
    }
    regional.regional = true;
    regional.fusion.origin = central.origin;

    Discard discard;
    server::FusionEngine whole(central, discard);
    std::vector<Capture> captures(sectors.size());
    std::vector<std::unique_ptr<server::FusionEngine>> sector_engines;
    for (std::size_t i = 0; i < sectors.size(); ++i)
        sector_engines.push_back(std::make_unique<server::FusionEngine>(sectors[i], captures[i]));
    server::FusionEngine fused(regional, discard);

    std::map<std::int64_t, std::vector<Eigen::Vector2d>> truth;  // ms -> positions
    for (const auto& t : eval::read_truths_file(argv[2]))
        truth[std::llround(t.t_s * 1000)].emplace_back(t.x_m, t.y_m);
    const geo::LocalFrame frame(LatLon{0.0, 0.0});  // the scenario's origin (truth.csv's frame)

    const auto forward = [&](Timestamp t) {
        for (std::size_t i = 0; i < captures.size(); ++i) {
            for (const std::string& m : captures[i].out)
                fused.on_message(static_cast<FeedIndex>(i), t, m);
            captures[i].out.clear();
        }
    };
    Score s_whole, s_regional;
    std::optional<Timestamp> first;
    record::RecordingReader reader(argv[1]);
    std::uint64_t messages = 0;
    while (auto r = reader.next()) {
        if (!first) first = r->time;
        if (r->type == record::RecordType::message) {
            ++messages;
            whole.on_message(r->feed, r->time, r->payload);
            for (const auto& [sector, feed] : routes[r->feed])
                sector_engines[sector]->on_message(feed, r->time, r->payload);
            forward(r->time);
        } else if (r->type == record::RecordType::tick) {
            // A live server's recording: a part of a rules cycle is not a tick of the clock.
            if (!server::apply_tick(whole, r->time, r->payload)) continue;
            for (auto& e : sector_engines) e->on_tick(r->time);
            forward(r->time);
            fused.on_tick(r->time);
            if ((r->time - *first).seconds() < warmup_s) continue;
            const auto it = truth.find(std::llround(r->time.unix_seconds() * 1000));
            if (it == truth.end()) continue;
            score(s_whole, it->second, positions(whole.picture(), r->time, frame), c, p);
            score(s_regional, it->second, positions(fused.picture(), r->time, frame), c, p);
        }
    }
    const auto line = [&](const char* name, const Score& s) {
        const double n = s.steps ? static_cast<double>(s.steps) : 1;
        std::printf(
            "%-28s OSPA %7.3f m  missed %6.2f  false %6.2f  tracks %7.1f  pairs<100m %6.2f\n", name,
            s.ospa_sum / n, s.gospa_missed / n, s.gospa_false / n, s.tracks / n, s.close_pairs / n);
    };
    std::printf("%llu messages, %llu scored steps (c = %g m, p = %g, after %g s warm-up)\n",
                static_cast<unsigned long long>(messages),
                static_cast<unsigned long long>(s_whole.steps), c, p, warmup_s);
    line("one server, every sensor", s_whole);
    line("3 sectors + regional", s_regional);
    const double ratio = s_regional.ospa_sum / std::max(s_whole.ospa_sum, 1e-9);
    std::printf("regional / one server OSPA: %.4f (goal <= 1.05)\n", ratio);
    if (const auto* f = fused.fuser()) {
        const auto& k = f->counters();
        std::printf(
            "fusion: created %llu associated %llu merged %llu detached %llu redundant %llu\n",
            static_cast<unsigned long long>(k.created),
            static_cast<unsigned long long>(k.associated),
            static_cast<unsigned long long>(k.merged), static_cast<unsigned long long>(k.detached),
            static_cast<unsigned long long>(k.redundant));
    }
    return 0;
}
