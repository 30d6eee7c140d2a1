/// The shared store's commit figures (issue 16 item 3 goal: >= 2,000 alert/ack commits/s,
/// durable). Every commit counted here has returned from PostgreSQL with synchronous_commit=on
/// and fsync=on: its WAL is on disk.
///
///   1. serial: one connection, one transaction per alert or ack (save_alert), back to back;
///   2. servers: K connections (K servers, or K consoles' servers) committing at once:
///      PostgreSQL flushes their commits together (group commit);
///   3. batched, as the server commits: acks offered at a fixed rate by one thread, the
///      persistence thread commits whatever waits in one transaction (src/persist,
///      Store::save); latency = offered -> commit returned, what an operator waits for.
/// Each PostgreSQL figure twice in one run: "plain" sends a transaction's statements one at a
/// time (a round trip each), "pipelined" in libpq's pipeline mode (one round trip per commit;
/// PgStore::Options::pipeline, the default).
/// SQLite's figures for the same serial acks (FULL: durable on power loss too) are printed for
/// comparison.
///
/// usage: picket_bench_store [CONNINFO]   (without: starts a throwaway cluster, fsync on,
///                                         via scripts/pg-cluster.sh, and stops it)
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/common/bench_pg_cluster.hpp"
#include "src/outputs/alert_store.hpp"
#include "src/store/pg_connection.hpp"
#include "src/store/pg_store.hpp"
#include "tests/unit/outputs/test_tracks.hpp"

using namespace picket;
using Clock = std::chrono::steady_clock;

namespace {

double us_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}

struct Figures {
    double per_s{0};
    double p50_us{0}, p99_us{0}, max_us{0};
};

Figures summarise(std::vector<double> lat, double seconds, std::size_t commits) {
    std::sort(lat.begin(), lat.end());
    Figures f;
    f.per_s = static_cast<double>(commits) / seconds;
    if (!lat.empty()) {
        f.p50_us = lat[lat.size() / 2];
        f.p99_us = lat[lat.size() * 99 / 100];
        f.max_us = lat.back();
    }
    return f;
}

void print(const char* what, const Figures& f, const char* unit = "commits") {
    std::printf("%-58s %8.0f %s/s   p50 %7.0f us  p99 %7.0f us  max %7.0f us\n", what, f.per_s,
                unit, f.p50_us, f.p99_us, f.max_us);
}

Alert raised(AlertId id) {
    Alert a = outputs::testing::sample_alert(id);
    a.change = IncidentChange::raised;
    a.timeline = {Evidence{}};
    a.timeline[0].seq = 1;
    a.timeline[0].where = a.where;
    return a;
}

Alert acked(Alert a) {
    a.state = AlertState::acknowledged;
    a.acknowledged_by = "op1";
    a.acknowledged_at = a.when + Duration::from_seconds(5);
    a.change = IncidentChange::acknowledged;
    a.changed_by = "op1";
    ++a.revision;
    return a;
}

/// Alerts then acks, one transaction each, on `store`: `n` of each.
Figures serial(outputs::Store& store, AlertId first, int n) {
    std::vector<double> lat;
    lat.reserve(2 * static_cast<std::size_t>(n));
    const auto start = Clock::now();
    for (int i = 0; i < n; ++i) {
        const Alert a = raised(first + static_cast<AlertId>(i));
        auto t0 = Clock::now();
        store.save_alert(a);
        lat.push_back(us_since(t0));
        t0 = Clock::now();
        store.save_alert(acked(a));
        lat.push_back(us_since(t0));
    }
    return summarise(std::move(lat), us_since(start) / 1e6, 2 * static_cast<std::size_t>(n));
}

Figures servers(const std::string& conninfo, int k, int n_each, bool pipeline) {
    std::vector<std::vector<double>> lat(static_cast<std::size_t>(k));
    std::vector<std::thread> threads;
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    Clock::time_point start;
    for (int s = 0; s < k; ++s) {
        threads.emplace_back([&, s] {
            store::PgStore st(conninfo,
                              store::PgStore::Options{.site = 100 + s, .pipeline = pipeline});
            const AlertId first = st.restore().next_alert_id;
            ++ready;
            while (!go) std::this_thread::yield();
            auto& mine = lat[static_cast<std::size_t>(s)];
            for (int i = 0; i < n_each; ++i) {
                const Alert a = raised(first + static_cast<AlertId>(i));
                auto t0 = Clock::now();
                st.save_alert(a);
                mine.push_back(us_since(t0));
                t0 = Clock::now();
                st.save_alert(acked(a));
                mine.push_back(us_since(t0));
            }
        });
    }
    while (ready < k) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    start = Clock::now();
    go = true;
    for (auto& t : threads) t.join();
    const double seconds = us_since(start) / 1e6;
    std::vector<double> all;
    for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
    return summarise(std::move(all), seconds, all.size());
}

/// Acks offered at `rate`/s for `seconds`; one committer thread saves whatever waits in one
/// transaction (as PersistenceStage does). Returns acks/s committed and offer->commit latency.
Figures batched(const std::string& conninfo, int site, bool pipeline, double rate, double seconds,
                double* mean_batch) {
    store::PgStore st(conninfo, store::PgStore::Options{.site = site, .pipeline = pipeline});
    const AlertId first = st.restore().next_alert_id;
    const int total = static_cast<int>(rate * seconds);
    std::vector<Alert> alerts;
    alerts.reserve(static_cast<std::size_t>(total));
    for (int i = 0; i < total; ++i) {
        alerts.push_back(raised(first + static_cast<AlertId>(i)));
    }
    // Raised beforehand, pipelined whatever the mode measured: the figure is the acks'.
    store::PgStore(conninfo, store::PgStore::Options{.site = site}).save(alerts, {});
    std::mutex m;
    std::condition_variable cv;
    std::vector<std::pair<Alert, Clock::time_point>> pending;
    bool done = false;
    std::vector<double> lat;
    lat.reserve(static_cast<std::size_t>(total));
    std::size_t batches = 0;
    std::thread committer([&] {
        std::vector<std::pair<Alert, Clock::time_point>> batch;
        std::vector<Alert> alerts_only;
        std::vector<outputs::ActionRecord> actions;
        for (;;) {
            {
                std::unique_lock lock(m);
                cv.wait(lock, [&] { return done || !pending.empty(); });
                if (pending.empty() && done) return;
                batch.swap(pending);
            }
            alerts_only.clear();
            actions.clear();
            for (auto& [a, t] : batch) {
                alerts_only.push_back(a);
                actions.push_back(outputs::ActionRecord{
                    0, a.when, "op1", R"({"cmd":"ack","alert_id":)" + std::to_string(a.id) + "}",
                    R"({"ok":true})"});
            }
            st.save(alerts_only, actions);
            const auto now = Clock::now();
            for (auto& [a, t] : batch)
                lat.push_back(std::chrono::duration<double, std::micro>(now - t).count());
            ++batches;
            batch.clear();
        }
    });
    const auto start = Clock::now();
    for (int i = 0; i < total; ++i) {
        const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(i / rate));
        std::this_thread::sleep_until(due);
        {
            std::lock_guard lock(m);
            pending.emplace_back(acked(alerts[static_cast<std::size_t>(i)]), Clock::now());
        }
        cv.notify_one();
    }
    {
        std::lock_guard lock(m);
        done = true;
    }
    cv.notify_one();
    committer.join();
    const double elapsed = us_since(start) / 1e6;
    *mean_batch = batches ? static_cast<double>(total) / static_cast<double>(batches) : 0;
    return summarise(std::move(lat), elapsed, static_cast<std::size_t>(total));
}

}  // namespace

int main(int argc, char** argv) {
    const bench::BenchCluster cluster(argc > 1 ? argv[1] : "", "pgbench");
    if (cluster.conninfo().empty()) return 1;
    const std::string& conninfo = cluster.conninfo();
    int rc = 0;
    try {
        {
            store::pg::Connection c(conninfo);
            c.exec("CREATE EXTENSION IF NOT EXISTS postgis");
            std::printf("PostgreSQL %s, fsync=%s, synchronous_commit (store's session)=on\n",
                        c.exec("SHOW server_version").text(0, 0).c_str(),
                        c.exec("SHOW fsync").text(0, 0).c_str());
        }
        constexpr int kSerial = 1000;
        const auto mode = [](bool pipeline) { return pipeline ? "pipelined" : "plain"; };
        int site = 1;
        for (bool pipeline : {false, true}) {
            store::PgStore st(conninfo,
                              store::PgStore::Options{.site = site++, .pipeline = pipeline});
            const std::string what =
                std::string("PostgreSQL serial: alert, ack (1 txn each), ") + mode(pipeline);
            print(what.c_str(), serial(st, st.restore().next_alert_id, kSerial));
        }
        for (int k : {4, 16}) {
            for (bool pipeline : {false, true}) {
                const std::string what = "PostgreSQL " + std::to_string(k) +
                                         " servers at once (1 txn each), " + mode(pipeline);
                print(what.c_str(), servers(conninfo, k, 4000 / k, pipeline));
            }
        }
        site = 50;
        for (double rate : {2000.0, 5000.0, 10000.0}) {
            for (bool pipeline : {false, true}) {
                double mean_batch = 0;
                const Figures f = batched(conninfo, site++, pipeline, rate, 4.0, &mean_batch);
                char what[128];
                std::snprintf(what, sizeof what,
                              "PostgreSQL acks at %.0f/s, batched (%.1f/txn), %s", rate, mean_batch,
                              mode(pipeline));
                print(what, f, "acks");
            }
        }
        for (bool full : {false, true}) {
            const std::string db = (std::filesystem::temp_directory_path() /
                                    ("picket-storebench-" + std::to_string(::getpid()) + ".db"))
                                       .string();
            {
                outputs::SqliteStore st(db,
                                        outputs::SqliteStore::Options{.fsync_every_commit = full});
                print(full ? "SQLite serial, synchronous=FULL (durable on power loss)"
                           : "SQLite serial, synchronous=NORMAL (durable on kill -9)",
                      serial(st, 1, kSerial));
            }
            for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(db + s);
            std::filesystem::remove_all(outputs::SqliteStore::history_directory(db));
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        rc = 1;
    }
    return rc;
}
