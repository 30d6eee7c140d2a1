// The regional engine's own cost (issue 16): how many sector track messages a second one
// regional fusion thread can take, with its fast paths (the fast track message decoder, the
// association index, the merge pass' cheap checks first) and with the plain references
// (FeedParams::reference_decoder, FuserConfig::indexed_association, fast_merge_pass), on the
// same messages; and its ticks, where the once-a-second pass runs (a
// message arriving then waits for it). Offline and deterministic: S sector
// engines (FusionEngine driven directly, as ospa_regional does) track V vessels reporting AIS at
// RATE messages/s in total for SECONDS of data (the layout of regional_latency_bench.cpp: a strip
// split into sectors, OVERLAP of it heard by two); their track messages, with the time each was
// published, are then run through a regional engine, timed (thread CPU time and wall time).
// Both runs must publish the same bytes (checked: the fast path and the reference agree).
// First the decode of the sector track messages alone, fast decoder against the plain JSON
// parser (sensors/tracks/fast_track_message.hpp), on the same messages.
// What the latency benchmark cannot separate on a loaded machine (every server and the load
// share two cores) this measures alone: whether the regional stage can keep up at RATE.
//
//   picket_bench_regional_cpu [RATE=20000] [VESSELS=4000] [SECONDS=20] [SECTORS=3]
//                             [OVERLAP=0.2]
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bench/common/eastbound_report.hpp"
#include "geo/local_frame.hpp"
#include "sensors/feed_decoder.hpp"
#include "src/engine/fusion_engine.hpp"
#include "src/server_config.hpp"

using namespace picket;

namespace {

constexpr Mmsi kBaseMmsi = 201000000;

double thread_cpu_s() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

/// Collects an engine's published messages (a sector's for the regional; the regional's to
/// compare the two runs).
class Capture final : public server::EngineOutput {
public:
    explicit Capture(bool tracks_only) : tracks_only_(tracks_only) {}
    void publish(std::string_view topic, const std::string& json) override {
        if (tracks_only_ && topic != "track" && topic != "track.deleted") return;
        out.emplace_back(std::string(topic) + " " + json);
        if (tracks_only_) out.back() = json;
    }
    std::vector<std::string> out;

private:
    bool tracks_only_;
};

/// Counts what a decoder makes of the messages (and nothing else), so the decode is timed alone.
struct CountingSink final : sensors::DecodeSink {
    std::uint64_t tracks{0}, ended{0}, rejected_count{0};
    void measurement(Measurement) override {}
    void identity(const Identity&, Timestamp) override {}
    void anomaly(std::string_view, std::optional<Mmsi>, LatLon, Timestamp) override {}
    void source_track(SourceTrack) override { ++tracks; }
    void source_track_ended(std::uint64_t, Timestamp) override { ++ended; }
    void rejected(const DecodeError&) override { ++rejected_count; }
};

struct Input {
    FeedIndex feed;
    Timestamp time;
    std::string bytes;
};

struct Run {
    double cpu_s{0}, wall_s{0};
    double tick_cpu_s{0}, tick_max_s{0};  ///< ticks: the fuser's once-a-second pass
    int ticks{0};
    std::vector<std::string> published;
    std::uint64_t created{0}, associated{0};
};

Run run_regional(const server::ServerConfig& config, const std::vector<Input>& inputs,
                 double tick_s) {
    Capture out(/*tracks_only=*/false);
    server::FusionEngine engine(config, out);
    Run r;
    const double cpu0 = thread_cpu_s();
    const auto wall0 = std::chrono::steady_clock::now();
    Timestamp next_tick = inputs.empty() ? Timestamp{} : inputs.front().time;
    for (const Input& in : inputs) {
        while (in.time >= next_tick) {
            const double t0 = thread_cpu_s();
            engine.on_tick(next_tick);
            const double dt = thread_cpu_s() - t0;
            r.tick_cpu_s += dt;
            r.tick_max_s = std::max(r.tick_max_s, dt);
            ++r.ticks;
            next_tick = next_tick + Duration::from_seconds(tick_s);
        }
        engine.on_message(in.feed, in.time, in.bytes);
    }
    r.cpu_s = thread_cpu_s() - cpu0;
    r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    r.published = std::move(out.out);
    if (const auto* f = engine.fuser()) {
        r.created = f->counters().created;
        r.associated = f->counters().associated;
    }
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    double rate = 20000, seconds = 20, overlap = 0.2;
    int vessels = 4000, sectors = 3;
    if (argc > 1) rate = std::stod(argv[1]);
    if (argc > 2) vessels = std::stoi(argv[2]);
    if (argc > 3) seconds = std::stod(argv[3]);
    if (argc > 4) sectors = std::stoi(argv[4]);
    if (argc > 5) overlap = std::stod(argv[5]);

    std::vector<std::vector<int>> heard_by(static_cast<std::size_t>(vessels));
    std::size_t copies = 0;
    for (int v = 0; v < vessels; ++v) {
        const double x = (v + 0.5) / vessels * sectors;
        for (int s = 0; s < sectors; ++s)
            if (x >= s - overlap / 2 && x < s + 1 + overlap / 2) {
                heard_by[static_cast<std::size_t>(v)].push_back(s);
                ++copies;
            }
    }
    const double per_vessel_rate = rate / static_cast<double>(copies);
    const int reports = static_cast<int>(seconds * per_vessel_rate);
    const double message_rate = per_vessel_rate * vessels;

    const std::string sector_yaml =
        "region: {name: sector, origin: {lat: 0.2, lon: 0.5}}\n"
        "feeds:\n  - {id: ais-coast, kind: ais, format: nmea-ais, socket: pull, endpoint: "
        "\"inproc://ais\"}\noutputs:\n  http: {enabled: false}\n";
    std::string regional_yaml = "region: {name: regional, origin: {lat: 0.2, lon: 0.5}}\nfeeds:\n";
    for (int s = 0; s < sectors; ++s)
        regional_yaml += "  - {id: sector-" + std::to_string(s + 1) +
                         ", kind: tracks, format: picket, endpoint: \"inproc://s" +
                         std::to_string(s + 1) + "\"}\n";
    regional_yaml += "outputs:\n  http: {enabled: false}\n";
    const server::ServerConfig sector_config =
        server::parse_server_config(sector_yaml, "sector", ".");
    server::ServerConfig regional_config =
        server::parse_server_config(regional_yaml, "regional", ".");

    // The sectors, offline: each report at its due time to every sector that hears it.
    std::vector<Capture> captures(static_cast<std::size_t>(sectors), Capture(true));
    std::vector<std::unique_ptr<server::FusionEngine>> engines;
    for (int s = 0; s < sectors; ++s)
        engines.push_back(std::make_unique<server::FusionEngine>(
            sector_config, captures[static_cast<std::size_t>(s)]));
    const Timestamp t0 = Timestamp{} + Duration::from_seconds(1'800'000'000);
    const double v_mps = bench::kEastboundSpeedMps;
    std::vector<Input> inputs;
    Timestamp next_tick = t0;
    const double tick_s = sector_config.tick_s;
    for (int k = 0; k < reports; ++k)
        for (int v = 0; v < vessels; ++v) {
            const std::size_t i = static_cast<std::size_t>(k) * vessels + v;
            const Timestamp t = t0 + Duration::from_seconds(static_cast<double>(i) / message_rate);
            while (t >= next_tick) {
                for (std::size_t s = 0; s < engines.size(); ++s) {
                    engines[s]->on_tick(next_tick);
                    for (auto& m : captures[s].out)
                        inputs.push_back({static_cast<FeedIndex>(s), next_tick, std::move(m)});
                    captures[s].out.clear();
                }
                next_tick = next_tick + Duration::from_seconds(tick_s);
            }
            const LatLon start{(v % 40) * 0.01, (v / 40) * 0.01};
            const LatLon p = geo::geodesic_destination(start, 90.0, v_mps * k / per_vessel_rate);
            const std::string sentence =
                bench::eastbound_report(kBaseMmsi + static_cast<Mmsi>(v), p);
            for (const int s : heard_by[static_cast<std::size_t>(v)]) {
                const auto si = static_cast<std::size_t>(s);
                engines[si]->on_message(0, t, sentence);
                for (auto& m : captures[si].out)
                    inputs.push_back({static_cast<FeedIndex>(s), t, std::move(m)});
                captures[si].out.clear();
            }
        }
    std::printf(
        "%d sectors, %d vessels, %zu feed copies (overlap %.2f), %.0f reports/s for %.0f s of "
        "data: %zu sector track messages (%.0f/s) for the regional engine\n",
        sectors, vessels, copies, overlap, rate, seconds, inputs.size(),
        static_cast<double>(inputs.size()) / seconds);

    // The decode alone: each sector's messages through its own decoder, as the regional engine
    // has one per feed; the plain parser first, then the fast decoder.
    double decode_cpu[2] = {0, 0};
    for (const bool fast : {false, true}) {
        std::vector<std::unique_ptr<sensors::FeedDecoder>> decoders;
        for (auto f : regional_config.feeds) {
            f.params.reference_decoder = !fast;
            decoders.push_back(sensors::make_feed_decoder(f.params));
        }
        CountingSink sink;
        const double cpu0 = thread_cpu_s();
        for (const Input& in : inputs) decoders[in.feed]->decode(in.bytes, in.time, sink);
        decode_cpu[fast] = thread_cpu_s() - cpu0;
        std::printf(
            "decode alone, %-10s %6.3f s CPU: %5.2f us/message (%llu tracks, %llu ended, "
            "%llu rejected)\n",
            fast ? "fast:" : "reference:", decode_cpu[fast],
            1e6 * decode_cpu[fast] / static_cast<double>(inputs.size()),
            static_cast<unsigned long long>(sink.tracks),
            static_cast<unsigned long long>(sink.ended),
            static_cast<unsigned long long>(sink.rejected_count));
    }
    std::printf("decode alone: the fast decoder takes %.3f x the reference's CPU (%.1f x faster)\n",
                decode_cpu[1] / decode_cpu[0], decode_cpu[0] / decode_cpu[1]);

    std::vector<Run> runs;
    for (const bool indexed : {false, true}) {
        regional_config.fusion.indexed_association = indexed;
        regional_config.fusion.fast_merge_pass = indexed;
        for (auto& f : regional_config.feeds) f.params.reference_decoder = !indexed;
        runs.push_back(run_regional(regional_config, inputs, tick_s));
        const Run& r = runs.back();
        std::printf(
            "%-24s CPU %6.2f s (wall %6.2f s) for %.0f s of data: %5.1f us/message, capacity "
            "%7.0f messages/s (%.2f x the offered load); created %llu associated %llu\n",
            indexed ? "regional, fast paths" : "regional, reference", r.cpu_s, r.wall_s, seconds,
            1e6 * r.cpu_s / static_cast<double>(inputs.size()),
            static_cast<double>(inputs.size()) / r.cpu_s,
            static_cast<double>(inputs.size()) / r.cpu_s /
                (static_cast<double>(inputs.size()) / seconds),
            static_cast<unsigned long long>(r.created),
            static_cast<unsigned long long>(r.associated));
        std::printf("%-24s ticks (the fuser's once-a-second pass): mean %.2f ms, max %.2f ms CPU\n",
                    "", r.ticks ? 1e3 * r.tick_cpu_s / r.ticks : 0.0, 1e3 * r.tick_max_s);
    }
    const bool same = runs[0].published == runs[1].published;
    std::printf("published messages: %zu and %zu, %s\n", runs[0].published.size(),
                runs[1].published.size(), same ? "the same bytes" : "DIFFERENT");
    return same ? 0 : 1;
}
