// Message in -> track out latency of the server as deployed, over real ZeroMQ sockets, under
// load: N vessels send AIS position reports to the server at RATE messages/s in total (each report
// one ZeroMQ message on a PUSH socket); a SUB socket on the server's PUB receives the track
// messages, and a WebSocket client reads the control room's live stream (/ws) as a browser would.
// By default the server writes what a user's `picket serve` writes: the SQLite store
// (outputs.database) and the recording (outputs.recording); `--no-persist` turns both off (the
// figure this benchmark gave before issue #18). The first lines printed say which outputs were on.
//
// Each report of a vessel yields exactly one track update for its MMSI before the vessel's next
// report, so the latency of a track message is its receive time minus the send time of that
// vessel's latest report. Reports p50 / p90 / p99 / max over the steady state (the first 2 s,
// while tracks are born, are left out), the late drops the tracker counted, and the disk used.
//
//   picket_bench_latency [RATE=20000] [VESSELS=10000] [SECONDS=10] [RULES_FILE]
//                        [--no-persist] [--no-web] [--dir DIR] [--port-base P]
#include <zmq.hpp>

#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "bench/common/eastbound_report.hpp"
#include "bench/common/fusion_work_report.hpp"
#include "bench/common/track_latency_probe.hpp"
#include "geo/local_frame.hpp"
#include "src/server.hpp"

using namespace picket;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

constexpr Mmsi kBaseMmsi = 201000000;

using bench::now_ns;

struct Options {
    double rate{20000};
    int vessels{10000};
    double seconds{10};
    std::string rules;
    bool persist{true};
    bool web{true};
    std::string dir;  ///< database and recording; empty: a fresh directory under /tmp, removed
    int port_base{27000};
};

Options parse(int argc, char** argv) {
    Options o;
    int positional = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--no-persist") {
            o.persist = false;
        } else if (a == "--no-web") {
            o.web = false;
        } else if (a == "--dir" && i + 1 < argc) {
            o.dir = argv[++i];
        } else if (a == "--port-base" && i + 1 < argc) {
            o.port_base = std::stoi(argv[++i]);
        } else if (!a.empty() && a[0] == '-') {
            std::fprintf(stderr,
                         "usage: picket_bench_latency [RATE] [VESSELS] [SECONDS] [RULES_FILE] "
                         "[--no-persist] [--no-web] [--dir DIR] [--port-base P]\n");
            std::exit(2);
        } else {
            switch (positional++) {
                case 0:
                    o.rate = std::stod(a);
                    break;
                case 1:
                    o.vessels = std::stoi(a);
                    break;
                case 2:
                    o.seconds = std::stod(a);
                    break;
                default:
                    o.rules = a;
                    break;
            }
        }
    }
    return o;
}

std::uint64_t disk_bytes(const fs::path& p) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return fs::file_size(p, ec);
    std::uint64_t total = 0;
    if (fs::is_directory(p, ec))
        for (const auto& e : fs::recursive_directory_iterator(p, ec))
            if (e.is_regular_file(ec)) total += e.file_size(ec);
    return total;
}

/// A control-room browser's live stream: reads /ws until told to stop, counting what arrives.
class WebClient {
public:
    explicit WebClient(std::uint16_t port) : ws_(ioc_) {
        namespace net = boost::asio;
        ws_.next_layer().connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
        ws_.handshake("127.0.0.1:" + std::to_string(port), "/ws");
        thread_ = std::thread([this] {
            boost::beast::flat_buffer buffer;
            boost::beast::error_code ec;
            while (!stop_) {
                ws_.read(buffer, ec);
                if (ec) break;
                bytes_ += buffer.size();
                ++frames_;
                buffer.consume(buffer.size());
            }
        });
    }
    ~WebClient() {
        stop_ = true;
        boost::beast::error_code ec;
        ws_.next_layer().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
        thread_.join();
    }
    [[nodiscard]] std::uint64_t frames() const { return frames_; }
    [[nodiscard]] std::uint64_t bytes() const { return bytes_; }

private:
    boost::asio::io_context ioc_;
    boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> frames_{0}, bytes_{0};
    std::thread thread_;
};

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    const int reports = static_cast<int>(o.rate * o.seconds / o.vessels);
    const double interval_s = o.vessels / o.rate;
    const auto port = [&](int k) { return std::to_string(o.port_base + k); };

    fs::path dir = o.dir;
    const bool own_dir = o.persist && dir.empty();
    if (own_dir) {
        std::string tmpl = (fs::temp_directory_path() / "picket-latency-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) {
            std::perror("mkdtemp");
            return 1;
        }
        dir = tmpl;
    }
    std::string cfg =
        "region: {name: bench, origin: {lat: 0.2, lon: 0.5}}\n"
        "feeds:\n  - {id: ais, kind: ais, format: nmea-ais, socket: pull, endpoint: "
        "\"tcp://127.0.0.1:" +
        port(1) + "\"}\n" + "outputs:\n  publish: tcp://127.0.0.1:" + port(2) +
        "\n  snapshot: tcp://127.0.0.1:" + port(3) +
        "\n  http: {enabled: " + (o.web ? "true" : "false") + ", port: " + port(5) + "}\n";
    if (o.persist) {
        cfg += "  database: " + (dir / "picket.db").string() + "\n";
        cfg += "  recording: " + (dir / "recording").string() + "\n";
    }
    if (!o.rules.empty()) cfg += "rules: " + o.rules + "\n";
    server::ServeOptions opt;
    opt.quiet = true;
    server::Server srv(server::parse_server_config(cfg, "bench", "."), opt);

    std::printf("outputs on: PUB (one SUB connected)%s%s\n",
                o.web ? ", web (one /ws client connected)" : "",
                o.persist ? (", database " + (dir / "picket.db").string() + ", recording " +
                             (dir / "recording").string())
                                .c_str()
                          : ", no database, no recording (--no-persist)");
    std::printf("rules: %s\n", o.rules.empty() ? "none" : o.rules.c_str());

    // Pre-encode every report so the sender measures the server, not the encoder.
    std::printf("encoding %d reports for %d vessels (one every %.2f s each)...\n",
                reports * o.vessels, o.vessels, interval_s);
    std::vector<std::string> messages(static_cast<std::size_t>(reports) * o.vessels);
    const double v_mps = bench::kEastboundSpeedMps;
    for (int v = 0; v < o.vessels; ++v) {
        const LatLon start{(v / 100) * 0.004, (v % 100) * 0.01};
        for (int k = 0; k < reports; ++k) {
            const LatLon p = geo::geodesic_destination(start, 90.0, v_mps * interval_s * k);
            messages[static_cast<std::size_t>(k) * o.vessels + v] =
                bench::eastbound_report(kBaseMmsi + static_cast<Mmsi>(v), p);
        }
    }
    // Send time of each vessel's latest report (TrackLatencyProbe times track messages by it).
    std::vector<std::atomic<std::int64_t>> last_sent(static_cast<std::size_t>(o.vessels));
    for (auto& t : last_sent) t = 0;

    zmq::context_t ctx;
    bench::TrackLatencyProbe probe(ctx, "tcp://127.0.0.1:" + port(2), kBaseMmsi, last_sent);
    srv.start();
    std::unique_ptr<WebClient> web;
    if (o.web) web = std::make_unique<WebClient>(srv.http_port());
    std::this_thread::sleep_for(std::chrono::milliseconds(500));

    zmq::socket_t push(ctx, zmq::socket_type::push);
    push.set(zmq::sockopt::sndhwm, 0);
    push.connect("tcp://127.0.0.1:" + port(1));
    probe.start(now_ns() + 2'000'000'000LL);  // the first 2 s, while tracks are born, left out
    const auto wall0 = Clock::now();
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const auto due = wall0 + std::chrono::duration<double>(static_cast<double>(i) / o.rate);
        if (Clock::now() < due) std::this_thread::sleep_until(due);
        last_sent[i % static_cast<std::size_t>(o.vessels)] = now_ns();
        push.send(zmq::buffer(messages[i]), zmq::send_flags::none);
    }
    const double send_s = std::chrono::duration<double>(Clock::now() - wall0).count();
    std::this_thread::sleep_for(std::chrono::seconds(1));
    probe.stop();
    const std::string status = srv.status();
    const std::string metrics = srv.metrics_text();
    srv.stop();
    const std::uint64_t web_frames = web ? web->frames() : 0;
    const std::uint64_t web_bytes = web ? web->bytes() : 0;
    web.reset();

    const bench::Percentiles lat = bench::percentiles(probe.latency_ms());
    std::printf("sent %zu AIS reports in %.2f s (%.0f msg/s offered), %zu track messages timed\n",
                messages.size(), send_s, messages.size() / send_s, lat.n);
    std::printf(
        "latency report in -> track out: p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms\n",
        lat.p50, lat.p90, lat.p99, lat.max);
    // A track message is timed against its vessel's latest report, so no latency beyond one
    // report interval can show: past that the server is saturated and the figures understate.
    if (lat.p99 > 0.8 * interval_s * 1000)
        std::printf(
            "SATURATED: p99 near the report interval (%.0f ms): the server fell behind; "
            "latencies above %.0f ms cannot be measured here, the figures are lower "
            "bounds\n",
            interval_s * 1000, interval_s * 1000);
    const auto s = nlohmann::json::parse(status, nullptr, false);
    if (s.is_object() && s.contains("tracker"))
        std::printf("tracker: %llu tracks, %llu late measurements dropped\n",
                    s["tracker"].value("tracks", 0ull), s["tracker"].value("late_dropped", 0ull));
    bench::print_fusion_work(metrics);
    if (o.web)
        std::printf("web client: %llu frames, %.1f MB\n",
                    static_cast<unsigned long long>(web_frames), web_bytes / 1e6);
    if (o.persist) {
        const auto db = disk_bytes(dir / "picket.db") + disk_bytes(dir / "picket.db-wal");
        const auto history = disk_bytes(dir / "picket-history");
        const auto rec = disk_bytes(dir / "recording");
        std::printf(
            "disk: database %.1f MB, track history %.1f MB, recording %.1f MB (%.0f s of load)\n",
            db / 1e6, history / 1e6, rec / 1e6, send_s);
    }
    if (own_dir) fs::remove_all(dir);
    return 0;
}
