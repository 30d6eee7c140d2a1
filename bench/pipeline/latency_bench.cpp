// Message in -> track out latency over real ZeroMQ sockets, under load: N vessels send AIS
// position reports to the server at RATE messages/s in total (each report one ZeroMQ message on a
// PUSH socket); a SUB socket on the server's PUB receives the track messages. Each report of a
// vessel yields exactly one track update for its MMSI before the vessel's next report, so the
// latency of a track message is its receive time minus the send time of that vessel's latest
// report. Reports p50 / p99 / max over the steady state (the first 2 s, while tracks are born,
// are left out).
//   picket_bench_latency [RATE=20000] [VESSELS=10000] [SECONDS=10] [RULES_FILE]
#include <zmq.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "geo/local_frame.hpp"
#include "sensors/ais/ais_encoder.hpp"
#include "src/server.hpp"

using namespace picket;
using Clock = std::chrono::steady_clock;

namespace {

constexpr Mmsi kBaseMmsi = 201000000;

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
        .count();
}

int pick_port(int offset) { return 27000 + offset; }

}  // namespace

int main(int argc, char** argv) {
    const double rate = argc > 1 ? std::stod(argv[1]) : 20000;
    const int vessels = argc > 2 ? std::stoi(argv[2]) : 10000;
    const double seconds = argc > 3 ? std::stod(argv[3]) : 10;
    const std::string rules = argc > 4 ? argv[4] : "";
    const int reports = static_cast<int>(rate * seconds / vessels);
    const double interval_s = vessels / rate;

    std::string cfg =
        "region: {name: bench, origin: {lat: 0.2, lon: 0.5}}\n"
        "feeds:\n  - {id: ais, kind: ais, format: nmea-ais, socket: pull, endpoint: "
        "\"tcp://127.0.0.1:" +
        std::to_string(pick_port(1)) + "\"}\n" +
        "outputs:\n  publish: tcp://127.0.0.1:" + std::to_string(pick_port(2)) +
        "\n  snapshot: tcp://127.0.0.1:" + std::to_string(pick_port(3)) +
        "\n  commands: tcp://127.0.0.1:" + std::to_string(pick_port(4)) +
        "\n  http: {enabled: false}\n";
    if (!rules.empty()) cfg += "rules: " + rules + "\n";
    server::ServeOptions opt;
    opt.quiet = true;
    server::Server srv(server::parse_server_config(cfg, "bench", "."), opt);

    // Pre-encode every report so the sender measures the server, not the encoder.
    std::printf("encoding %d reports for %d vessels (one every %.2f s each)...\n",
                reports * vessels, vessels, interval_s);
    std::vector<std::string> messages(static_cast<std::size_t>(reports) * vessels);
    const double v_mps = 10 * 1852.0 / 3600.0;
    for (int v = 0; v < vessels; ++v) {
        const LatLon start{(v / 100) * 0.004, (v % 100) * 0.01};
        for (int k = 0; k < reports; ++k) {
            const LatLon p = geo::geodesic_destination(start, 90.0, v_mps * interval_s * k);
            sensors::ais::PositionReportA r;
            r.mmsi = kBaseMmsi + static_cast<Mmsi>(v);
            r.sog_kn = 10;
            r.cog_deg = 90;
            r.lat_deg = p.lat_deg;
            r.lon_deg = p.lon_deg;
            r.high_accuracy = true;
            messages[static_cast<std::size_t>(k) * vessels + v] = sensors::ais::encode(r).front();
        }
    }
    std::vector<std::int64_t> sent_ns(messages.size(), 0);
    std::vector<std::atomic<int>> last_k(static_cast<std::size_t>(vessels));
    for (auto& k : last_k) k = -1;

    zmq::context_t ctx;
    zmq::socket_t sub(ctx, zmq::socket_type::sub);
    sub.set(zmq::sockopt::subscribe, "track");
    sub.set(zmq::sockopt::rcvhwm, 0);
    sub.connect("tcp://127.0.0.1:" + std::to_string(pick_port(2)));
    srv.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));

    std::atomic<bool> done{false};
    std::vector<double> latency_ms;
    latency_ms.reserve(messages.size());
    std::int64_t t_start = 0;
    std::thread receiver([&] {
        sub.set(zmq::sockopt::rcvtimeo, 200);
        while (true) {
            zmq::message_t topic, body;
            if (!sub.recv(topic)) {
                if (done) break;
                continue;
            }
            (void)sub.recv(body);
            const std::int64_t t = now_ns();
            const std::string_view json(static_cast<const char*>(body.data()), body.size());
            const auto at = json.find("\"mmsi\":");
            if (at == std::string_view::npos) continue;
            const long mmsi = std::strtol(json.data() + at + 7, nullptr, 10);
            const long v = mmsi - kBaseMmsi;
            if (v < 0 || v >= vessels) continue;
            const int k = last_k[static_cast<std::size_t>(v)].load();
            if (k < 0) continue;
            const std::int64_t s = sent_ns[static_cast<std::size_t>(k) * vessels + v];
            if (s - t_start < 2'000'000'000LL) continue;  // warm-up: tracks being born
            latency_ms.push_back(static_cast<double>(t - s) / 1e6);
        }
    });

    zmq::socket_t push(ctx, zmq::socket_type::push);
    push.set(zmq::sockopt::sndhwm, 0);
    push.connect("tcp://127.0.0.1:" + std::to_string(pick_port(1)));
    t_start = now_ns();
    const auto wall0 = Clock::now();
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const auto due = wall0 + std::chrono::duration<double>(static_cast<double>(i) / rate);
        if (Clock::now() < due) std::this_thread::sleep_until(due);
        sent_ns[i] = now_ns();
        last_k[i % static_cast<std::size_t>(vessels)] =
            static_cast<int>(i / static_cast<std::size_t>(vessels));
        push.send(zmq::buffer(messages[i]), zmq::send_flags::none);
    }
    const double send_s = std::chrono::duration<double>(Clock::now() - wall0).count();
    std::this_thread::sleep_for(std::chrono::seconds(1));
    done = true;
    receiver.join();
    const std::string status = srv.status();
    srv.stop();

    std::sort(latency_ms.begin(), latency_ms.end());
    auto pct = [&](double q) {
        return latency_ms.empty()
                   ? 0.0
                   : latency_ms[static_cast<std::size_t>(q * (latency_ms.size() - 1))];
    };
    std::printf("sent %zu AIS reports in %.2f s (%.0f msg/s offered), %zu track messages timed\n",
                messages.size(), send_s, messages.size() / send_s, latency_ms.size());
    std::printf(
        "latency report in -> track out: p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms\n",
        pct(0.5), pct(0.9), pct(0.99), latency_ms.empty() ? 0.0 : latency_ms.back());
    std::printf("server status: %s\n", status.substr(0, 400).c_str());
    return 0;
}
