// Sensor -> regional output latency, over real ZeroMQ sockets: S sector servers (in this
// process, each its own `Server` with its own threads and sockets, as `picket demo --sectors`
// runs them) and a regional server reading their track streams (kind: tracks, with snapshots).
// V vessels send AIS position reports at RATE messages/s in total, counted at the sectors' feed
// sockets: a vessel in the band where two sectors overlap (OVERLAP of them) is heard by both,
// and each copy counts. A SUB socket on the regional server's PUB receives its track messages;
// a track message's latency is its receive time minus the send time of that vessel's latest
// report. The same is measured on sector 1's own PUB for comparison. p50 / p90 / p99 / max over
// the steady state (the first 3 s, while tracks are born, are left out).
//
//   picket_bench_regional [RATE=20000] [VESSELS=4000] [SECONDS=10] [SECTORS=3] [OVERLAP=0.2]
//                         [--port-base P]
#include <zmq.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/common/eastbound_report.hpp"
#include "bench/common/fusion_work_report.hpp"
#include "bench/common/track_latency_probe.hpp"
#include "geo/local_frame.hpp"
#include "src/server.hpp"

using namespace picket;
using Clock = std::chrono::steady_clock;

namespace {

constexpr Mmsi kBaseMmsi = 201000000;

using bench::now_ns;
using bench::Percentiles;
using bench::TrackLatencyProbe;

}  // namespace

int main(int argc, char** argv) {
    double rate = 20000, seconds = 10, overlap = 0.2;
    int vessels = 4000, sectors = 3, port_base = 27400, positional = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--port-base" && i + 1 < argc) {
            port_base = std::stoi(argv[++i]);
            continue;
        }
        switch (positional++) {
            case 0:
                rate = std::stod(a);
                break;
            case 1:
                vessels = std::stoi(a);
                break;
            case 2:
                seconds = std::stod(a);
                break;
            case 3:
                sectors = std::stoi(a);
                break;
            case 4:
                overlap = std::stod(a);
                break;
            default:
                std::fprintf(stderr,
                             "usage: picket_bench_regional [RATE] [VESSELS] [SECONDS] "
                             "[SECTORS] [OVERLAP] [--port-base P]\n");
                return 2;
        }
    }
    const auto port = [&](int k) { return "tcp://127.0.0.1:" + std::to_string(port_base + k); };

    // Vessels on a strip of sea, west to east; sector s covers [s, s+1) of it, widened by
    // overlap/2 on each side, so the vessels near a boundary are heard by both sectors.
    std::vector<std::vector<int>> heard_by(static_cast<std::size_t>(vessels));
    for (int v = 0; v < vessels; ++v) {
        const double x = (v + 0.5) / vessels * sectors;
        for (int s = 0; s < sectors; ++s)
            if (x >= s - overlap / 2 && x < s + 1 + overlap / 2)
                heard_by[static_cast<std::size_t>(v)].push_back(s);
    }
    std::size_t copies = 0;
    for (const auto& h : heard_by) copies += h.size();
    const double per_vessel_rate = rate / static_cast<double>(copies);  // reports/s per vessel
    const int reports = static_cast<int>(seconds * per_vessel_rate);

    std::vector<std::unique_ptr<server::Server>> servers;
    server::ServeOptions opt;
    opt.quiet = true;
    for (int s = 0; s < sectors; ++s) {
        const std::string cfg =
            "region: {name: sector, origin: {lat: 0.2, lon: 0.5}}\n"
            "feeds:\n  - {id: ais-coast, kind: ais, format: nmea-ais, socket: pull, endpoint: \"" +
            port(10 * s + 1) + "\"}\noutputs:\n  publish: \"" + port(10 * s + 2) +
            "\"\n  snapshot: \"" + port(10 * s + 3) + "\"\n  http: {enabled: false}\n";
        servers.push_back(
            std::make_unique<server::Server>(server::parse_server_config(cfg, "sector", "."), opt));
    }
    std::string rcfg = "region: {name: regional, origin: {lat: 0.2, lon: 0.5}}\nfeeds:\n";
    for (int s = 0; s < sectors; ++s)
        rcfg += "  - {id: sector-" + std::to_string(s + 1) +
                ", kind: tracks, format: picket, endpoint: \"" + port(10 * s + 2) +
                "\", snapshot: \"" + port(10 * s + 3) + "\"}\n";
    rcfg += "outputs:\n  publish: \"" + port(90) + "\"\n  snapshot: \"" + port(91) +
            "\"\n  http: {enabled: false}\n";
    server::Server regional(server::parse_server_config(rcfg, "regional", "."), opt);

    std::printf(
        "%d sectors, 1 regional; %d vessels, %zu feed copies (overlap %.2f): %.0f "
        "reports/s at the sectors' feeds, %.2f per vessel copy, %.0f s\n",
        sectors, vessels, copies, overlap, rate, per_vessel_rate, seconds);
    std::vector<std::string> messages(static_cast<std::size_t>(reports) * vessels);
    const double v_mps = bench::kEastboundSpeedMps;
    for (int v = 0; v < vessels; ++v) {
        const LatLon start{(v % 40) * 0.01, (v / 40) * 0.01};
        for (int k = 0; k < reports; ++k) {
            const LatLon p = geo::geodesic_destination(start, 90.0, v_mps * k / per_vessel_rate);
            messages[static_cast<std::size_t>(k) * vessels + v] =
                bench::eastbound_report(kBaseMmsi + static_cast<Mmsi>(v), p);
        }
    }
    std::vector<std::atomic<std::int64_t>> last_sent(static_cast<std::size_t>(vessels));
    for (auto& t : last_sent) t = 0;

    for (auto& s : servers) s->start();
    regional.start();
    zmq::context_t ctx;
    std::vector<zmq::socket_t> push;
    for (int s = 0; s < sectors; ++s) {
        push.emplace_back(ctx, zmq::socket_type::push);
        push.back().set(zmq::sockopt::sndhwm, 0);
        push.back().connect(port(10 * s + 1));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    const std::int64_t t_start = now_ns();
    const std::int64_t warmup_until = t_start + 3'000'000'000LL;
    TrackLatencyProbe regional_probe(ctx, port(90), kBaseMmsi, last_sent);
    std::vector<std::unique_ptr<TrackLatencyProbe>> sector_probes;
    for (int s = 0; s < sectors; ++s)
        sector_probes.push_back(
            std::make_unique<TrackLatencyProbe>(ctx, port(10 * s + 2), kBaseMmsi, last_sent));
    regional_probe.start(warmup_until);
    for (auto& p : sector_probes) p->start(warmup_until);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));

    const auto wall0 = Clock::now();
    const double message_rate = per_vessel_rate * vessels;  // distinct reports per second
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const auto due =
            wall0 + std::chrono::duration<double>(static_cast<double>(i) / message_rate);
        if (Clock::now() < due) std::this_thread::sleep_until(due);
        const std::size_t v = i % static_cast<std::size_t>(vessels);
        last_sent[v] = now_ns();
        for (const int s : heard_by[v])
            push[static_cast<std::size_t>(s)].send(zmq::buffer(messages[i]), zmq::send_flags::none);
    }
    const double send_s = std::chrono::duration<double>(Clock::now() - wall0).count();
    std::this_thread::sleep_for(std::chrono::seconds(1));
    regional_probe.stop();
    for (auto& p : sector_probes) p->stop();
    const std::string status = regional.status();
    const std::string metrics = regional.metrics_text();
    regional.stop();
    for (auto& s : servers) s->stop();

    std::printf(
        "sent %zu reports (%zu feed copies) in %.2f s: %.0f feed messages/s\n", messages.size(),
        messages.size() * copies / static_cast<std::size_t>(vessels), send_s,
        static_cast<double>(messages.size()) * static_cast<double>(copies) / vessels / send_s);
    std::vector<std::pair<std::string, const TrackLatencyProbe*>> probes;
    for (int s = 0; s < sectors; ++s)
        probes.emplace_back("sector " + std::to_string(s + 1), sector_probes[s].get());
    probes.emplace_back("regional", &regional_probe);
    for (const auto& [name, probe] : probes) {
        const Percentiles p = bench::percentiles(probe->latency_ms());
        std::printf(
            "%-9s track messages %7zu  latency ms p50 %6.2f  p90 %6.2f  p99 %6.2f  max %7.2f\n",
            name.c_str(), p.n, p.p50, p.p90, p.p99, p.max);
    }
    const auto f = status.find("\"fusion\":");
    if (f != std::string::npos)
        std::printf("regional %s\n", status.substr(f, status.find(']', f) - f + 2).c_str());
    std::printf("regional server, ");
    bench::print_fusion_work(metrics);
    return 0;
}
