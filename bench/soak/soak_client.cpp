// The other side of a soak of `picket serve` (bench/soak/run_soak.sh): many AIS vessels pushed
// over ZeroMQ at a fixed rate, a console subscribed to tracks and alerts measuring how late
// tracks come out, and an operator acknowledging every new alert. Prints one JSON line of
// figures every --every seconds on stdout. `check` verifies, after the soak (and its kill -9),
// that every acknowledgement the server confirmed is in its store and in its recording.
//
//   picket_soak_client run --feed EP --publish EP --commands EP --rate R --vessels N
//                          --seconds S --acks FILE [--every 5] [--seed 1]
//                          [--box SOUTH,WEST,NORTH,EAST]
//   picket_soak_client check --db FILE --recording DIR --acks FILE
//
// The sender is cheap on purpose (one AIS encoding and one send per message, paced every
// millisecond): its CPU time is printed so that the soak can show it did not starve the server.
#include <sys/resource.h>
#include <zmq.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "geo/local_frame.hpp"
#include "sensors/ais/ais_encoder.hpp"
#include "src/outputs/alert_store.hpp"
#include "src/record/recording_reader.hpp"

using namespace picket;
using Json = nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr Mmsi kBaseMmsi = 301000000;

std::int64_t steady_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               SteadyClock::now().time_since_epoch())
        .count();
}

std::int64_t wall_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

struct Args {
    std::map<std::string, std::string> kv;
    std::string get(const std::string& k, const std::string& fallback = "") const {
        auto it = kv.find(k);
        return it == kv.end() ? fallback : it->second;
    }
    double num(const std::string& k, double fallback) const {
        auto it = kv.find(k);
        return it == kv.end() ? fallback : std::stod(it->second);
    }
};

/// One vessel: straight, or turning at a constant rate (a third of them), at 5-15 kn.
struct Vessel {
    LatLon position;
    double course_deg{0};
    double speed_mps{0};
    double turn_deg_s{0};
};

/// Latencies of one window, in milliseconds.
struct Window {
    std::vector<double> latency, age;
    void clear() {
        latency.clear();
        age.clear();
    }
};

double pct(std::vector<double>& v, double q) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

int run(const Args& a) {
    const double rate = a.num("rate", 20000);
    const int vessels = static_cast<int>(a.num("vessels", 10000));
    const double seconds = a.num("seconds", 60);
    const double every = a.num("every", 5);
    double south = -9.6, west = 124.0, north = -8.0, east = 127.5;
    if (auto box = a.get("box"); !box.empty())
        std::sscanf(box.c_str(), "%lf,%lf,%lf,%lf", &south, &west, &north, &east);
    std::mt19937 rng(static_cast<unsigned>(a.num("seed", 1)));
    std::uniform_real_distribution<double> u01(0, 1);
    std::vector<Vessel> fleet(static_cast<std::size_t>(vessels));
    for (Vessel& v : fleet) {
        v.position = {south + (north - south) * u01(rng), west + (east - west) * u01(rng)};
        v.course_deg = 360 * u01(rng);
        v.speed_mps = (5 + 10 * u01(rng)) * 1852.0 / 3600.0;
        if (u01(rng) < 1.0 / 3) v.turn_deg_s = (u01(rng) < 0.5 ? -1 : 1) * (0.2 + 0.8 * u01(rng));
    }
    const double interval_s = vessels / rate;

    zmq::context_t ctx;
    std::vector<std::atomic<std::int64_t>> last_sent(fleet.size());
    for (auto& s : last_sent) s = 0;
    std::atomic<bool> done{false};
    std::mutex window_mutex;
    Window window;
    std::atomic<std::uint64_t> tracks{0}, alerts{0}, acks_ok{0}, acks_failed{0};

    // The operator: acknowledges each new alert once, over the commands socket, and writes down
    // every acknowledgement the server confirmed.
    std::mutex ack_mutex;
    std::vector<std::uint64_t> to_ack;
    std::set<std::uint64_t> seen_alerts;
    std::ofstream acks_file(a.get("acks", "/dev/null"), std::ios::app);
    std::thread operator_thread([&] {
        zmq::socket_t req(ctx, zmq::socket_type::req);
        req.set(zmq::sockopt::linger, 0);
        req.set(zmq::sockopt::rcvtimeo, 5000);
        req.connect(a.get("commands"));
        while (!done) {
            std::uint64_t id = 0;
            {
                const std::lock_guard lock(ack_mutex);
                if (!to_ack.empty()) {
                    id = to_ack.front();
                    to_ack.erase(to_ack.begin());
                }
            }
            if (!id) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                continue;
            }
            const Json cmd = {{"cmd", "ack"}, {"alert_id", id}, {"by", "soak"}};
            req.send(zmq::buffer(cmd.dump()), zmq::send_flags::none);
            zmq::message_t reply;
            if (!req.recv(reply)) {
                ++acks_failed;  // no reply (the server was killed): a REQ must be reopened
                req = zmq::socket_t(ctx, zmq::socket_type::req);
                req.set(zmq::sockopt::linger, 0);
                req.set(zmq::sockopt::rcvtimeo, 5000);
                req.connect(a.get("commands"));
                continue;
            }
            const Json r = Json::parse(reply.to_string(), nullptr, false);
            if (r.is_object() && r.value("ok", false)) {
                ++acks_ok;
                acks_file << id << "\n" << std::flush;  // confirmed: it must survive anything
            } else {
                ++acks_failed;
            }
        }
    });

    std::thread console([&] {
        zmq::socket_t sub(ctx, zmq::socket_type::sub);
        sub.set(zmq::sockopt::subscribe, "track");
        sub.set(zmq::sockopt::subscribe, "alert");
        sub.set(zmq::sockopt::rcvhwm, 0);
        sub.set(zmq::sockopt::rcvtimeo, 200);
        sub.connect(a.get("publish"));
        while (!done) {
            zmq::message_t topic, body;
            if (!sub.recv(topic)) continue;
            (void)sub.recv(body);
            const std::int64_t now_steady = steady_ns(), now_wall = wall_ns();
            const std::string_view t(static_cast<const char*>(topic.data()), topic.size());
            const std::string_view json(static_cast<const char*>(body.data()), body.size());
            if (t == "alert") {
                ++alerts;
                const Json j = Json::parse(json, nullptr, false);
                if (!j.is_object()) continue;
                const auto& p = j["properties"];
                const auto id = p.value("alert_id", std::uint64_t{0});
                if (p.value("state", "") == "open") {
                    const std::lock_guard lock(ack_mutex);
                    if (seen_alerts.insert(id).second) to_ack.push_back(id);
                }
                continue;
            }
            if (t != "track") continue;
            ++tracks;
            const auto at = json.find("\"mmsi\":");
            if (at == std::string_view::npos) continue;
            const long v = std::strtol(json.data() + at + 7, nullptr, 10) - kBaseMmsi;
            if (v < 0 || v >= vessels) continue;
            const std::int64_t sent = last_sent[static_cast<std::size_t>(v)].load();
            // The age of the track as the server stamped it (receive time, ms precision),
            // which stays right even when a track comes out later than the vessel's next report.
            double age_ms = -1;
            if (const auto tt = json.find("\"time\":\""); tt != std::string_view::npos) {
                if (auto ts = parse_iso8601(std::string(json.substr(tt + 8, 24))))
                    age_ms = static_cast<double>(now_wall - ts->ns) / 1e6;
            }
            const std::lock_guard lock(window_mutex);
            if (sent) window.latency.push_back(static_cast<double>(now_steady - sent) / 1e6);
            if (age_ms >= 0) window.age.push_back(age_ms);
        }
    });

    zmq::socket_t push(ctx, zmq::socket_type::push);
    push.set(zmq::sockopt::sndhwm, 0);
    push.set(zmq::sockopt::linger, 0);
    push.connect(a.get("feed"));
    const auto t0 = SteadyClock::now();
    std::uint64_t sent = 0;
    auto next_report = t0 + std::chrono::duration<double>(every);
    std::uint64_t sent_at_report = 0;
    while (true) {
        const double elapsed = std::chrono::duration<double>(SteadyClock::now() - t0).count();
        if (elapsed >= seconds) break;
        const auto due = static_cast<std::uint64_t>(elapsed * rate);
        for (; sent < due; ++sent) {
            const std::size_t i = sent % fleet.size();
            Vessel& v = fleet[i];
            if (sent >= fleet.size()) {  // one report interval later
                v.course_deg = std::fmod(v.course_deg + v.turn_deg_s * interval_s + 360, 360);
                v.position =
                    geo::geodesic_destination(v.position, v.course_deg, v.speed_mps * interval_s);
            }
            sensors::ais::PositionReportA r;
            r.mmsi = kBaseMmsi + static_cast<Mmsi>(i);
            r.sog_kn = v.speed_mps * 3600 / 1852;
            r.cog_deg = v.course_deg;
            r.heading_deg = static_cast<int>(v.course_deg) % 360;
            r.lat_deg = v.position.lat_deg;
            r.lon_deg = v.position.lon_deg;
            r.high_accuracy = true;
            const std::string s = sensors::ais::encode(r).front();
            last_sent[i] = steady_ns();
            push.send(zmq::buffer(s), zmq::send_flags::none);
        }
        if (SteadyClock::now() >= next_report) {
            Window w;
            {
                const std::lock_guard lock(window_mutex);
                std::swap(w, window);
            }
            Json line = {{"t", elapsed},
                         {"sent", sent},
                         {"sent_rate", static_cast<double>(sent - sent_at_report) / every},
                         {"tracks", tracks.load()},
                         {"alerts", alerts.load()},
                         {"acks_ok", acks_ok.load()},
                         {"acks_failed", acks_failed.load()},
                         {"timed", w.latency.size()},
                         {"lat_p50_ms", pct(w.latency, 0.5)},
                         {"lat_p90_ms", pct(w.latency, 0.9)},
                         {"lat_p99_ms", pct(w.latency, 0.99)},
                         {"lat_max_ms", w.latency.empty() ? 0.0 : w.latency.back()},
                         {"age_p99_ms", pct(w.age, 0.99)},
                         {"age_max_ms", w.age.empty() ? 0.0 : w.age.back()},
                         {"client_cpu_s", cpu_seconds()}};
            std::printf("%s\n", line.dump().c_str());
            std::fflush(stdout);
            sent_at_report = sent;
            next_report += std::chrono::duration<double>(every);
        }
        std::this_thread::sleep_until(SteadyClock::now() + std::chrono::milliseconds(1));
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));
    done = true;
    console.join();
    operator_thread.join();
    std::fprintf(stderr,
                 "soak client: sent %llu reports, %llu tracks and %llu alerts received, "
                 "%llu acks confirmed, CPU %.1f s\n",
                 static_cast<unsigned long long>(sent), static_cast<unsigned long long>(tracks),
                 static_cast<unsigned long long>(alerts),
                 static_cast<unsigned long long>(acks_ok.load()), cpu_seconds());
    return 0;
}

/// Every acknowledgement the server confirmed is in its store and its recording. In the store an
/// acknowledgement is an `acknowledged` row of the incident's audit trail: the incident itself may
/// be open again, re-opened by worse evidence after the ack (issue #14), which loses nothing.
int check(const Args& a) {
    std::vector<std::uint64_t> acked;
    {
        std::ifstream in(a.get("acks"));
        std::uint64_t id = 0;
        while (in >> id) acked.push_back(id);
    }
    outputs::SqliteStore store(a.get("db"), outputs::SqliteStore::Options{.read_only = true});
    std::size_t missing_db = 0;
    for (std::uint64_t id : acked) {
        const auto trail = store.audit_trail(static_cast<AlertId>(id));
        const bool in_trail = std::any_of(trail.begin(), trail.end(), [](const auto& e) {
            return e.change == "acknowledged" && !e.user.empty();
        });
        if (!in_trail) {
            ++missing_db;
            std::fprintf(stderr, "alert %llu: acknowledgement confirmed but not in the store\n",
                         static_cast<unsigned long long>(id));
        }
    }
    std::set<std::uint64_t> recorded;
    std::uint64_t corrupt = 0;
    {
        record::RecordingReader reader(a.get("recording"));
        while (auto r = reader.next()) {
            if (r->type != record::RecordType::command) continue;
            const std::string payload(r->payload);
            const Json c = Json::parse(payload.substr(payload.find('\n') + 1), nullptr, false);
            if (c.is_object() && c.value("cmd", "") == "ack")
                recorded.insert(c.value("alert_id", std::uint64_t{0}));
        }
        corrupt = reader.corrupt();
    }
    std::size_t missing_rec = 0;
    for (std::uint64_t id : acked) missing_rec += recorded.contains(id) ? 0 : 1;
    std::printf(
        "{\"acks_confirmed\":%zu,\"missing_in_store\":%zu,\"missing_in_recording\":%zu,"
        "\"recording_torn_segments\":%llu}\n",
        acked.size(), missing_db, missing_rec, static_cast<unsigned long long>(corrupt));
    return missing_db == 0 && missing_rec == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: picket_soak_client run|check --key value ...\n");
        return 2;
    }
    Args a;
    for (int i = 2; i + 1 < argc; i += 2) {
        std::string k = argv[i];
        if (k.rfind("--", 0) == 0) k = k.substr(2);
        a.kv[k] = argv[i + 1];
    }
    const std::string mode = argv[1];
    if (mode == "run") return run(a);
    if (mode == "check") return check(a);
    std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
    return 2;
}
