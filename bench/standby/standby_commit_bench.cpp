/// What a hot standby costs the primary's alert commits on a shared PostgreSQL store (issue 16;
/// docs/deployment.md, "Hot standby on a shared PostgreSQL store"): the primary stores an alert
/// only once the standby acked the record that raised it, so each alert commit waits one link
/// round trip more. Measured on the server's own parts, in one run, blocks of alerts alternating:
///   - alone:   ServerPersistence on a PgStore, as a primary without a standby;
///   - standby: the same with store_after_standby, a PrimaryLink on loopback and a
///              StandbyFollower on a thread of its own acking every batch (it applies nothing:
///              a real standby's engine adds its own time per record before it acks).
/// Per alert: the alert handed over (record, alert(), end of the wake-up, as src/server.cpp does)
/// -> its publication released (what a console waits for: the store committed it and, with the
/// standby, the standby acked it before), and with the standby the part until its ack came back.
/// p50/p99/max in microseconds.
///
/// usage: picket_bench_standby [CONNINFO] [ALERTS]   (without CONNINFO: starts a throwaway
///                                                    cluster, fsync on, scripts/pg-cluster.sh)
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench/common/bench_pg_cluster.hpp"
#include "src/persist/server_persistence.hpp"
#include "src/standby/standby_link.hpp"
#include "src/store/pg_connection.hpp"
#include "src/store/pg_store.hpp"
#include "tests/unit/outputs/test_tracks.hpp"

using namespace picket;
using Clock = std::chrono::steady_clock;

namespace {

/// One primary: its persistence on its own site of the store, and (with a standby) its link.
class Primary {
public:
    Primary(zmq::context_t& ctx, const std::string& conninfo, int site, bool with_standby)
        : site_(site),
          persistence_(
              std::make_unique<store::PgStore>(conninfo, store::PgStore::Options{.site = site}),
              nullptr, nullptr, persist::PersistenceSettings{}) {
        persistence_.start();
        if (!with_standby) return;
        const std::string endpoint = "tcp://127.0.0.1:" + std::to_string(free_port());
        link_ = std::make_unique<standby::PrimaryLink>(ctx, endpoint, std::chrono::seconds(2));
        persistence_.tap_records(&link_->tap());
        persistence_.store_after_standby();
        follower_ = std::thread([this, &ctx, endpoint] { follow(ctx, endpoint); });
        // Attached: the follower asked for the records and acked.
        while (!link_->attached(Clock::now())) wait_once(std::chrono::milliseconds(20));
    }
    ~Primary() {
        stop_ = true;
        if (follower_.joinable()) follower_.join();
        persistence_.stop();
    }
    Primary(const Primary&) = delete;
    Primary& operator=(const Primary&) = delete;

    /// One alert raised by one record, as the server's fusion loop does it; returns the
    /// microseconds until its publication is released.
    double one_alert(std::uint64_t serial) {
        Alert a = outputs::testing::sample_alert(static_cast<AlertId>(
            (static_cast<std::uint64_t>(site_) << store::PgStore::kSiteShift) | serial));
        const auto t0 = Clock::now();
        persistence_.record(record::RecordType::message, 0, a.when, "!AIVDM,1,1,,A,bench,0*00");
        if (link_) {
            waiting_for_ = link_->last_seq();
            persistence_.hold_for_standby(waiting_for_);
        }
        persistence_.alert(a);
        bool published = false;
        persistence_.emit([&] { published = true; },
                          [&] { return std::function<void()>([&] { published = true; }); },
                          /*droppable=*/false);
        persistence_.end_of_wakeup();
        if (link_) {
            persistence_.records_handed_over_through(link_->last_seq());
            link_->flush(a.when, Clock::now(), persistence_.records_stored_through());
        }
        acked_at_.reset();
        while (!published) wait_once(std::chrono::milliseconds(100));
        if (acked_at_)
            ack_us.push_back(std::chrono::duration<double, std::micro>(*acked_at_ - t0).count());
        return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
    }

    /// With the standby: per alert, the microseconds until its record was acked (the wait the
    /// standby adds before the commit starts).
    std::vector<double> ack_us;

private:
    static int free_port() {
        zmq::context_t c;
        zmq::socket_t s(c, zmq::socket_type::rep);
        s.bind("tcp://127.0.0.1:*");
        const std::string at = s.get(zmq::sockopt::last_endpoint);
        return std::stoi(at.substr(at.rfind(':') + 1));
    }

    /// One wait of the fusion loop: the store's wake-up, the standby's acks.
    void wait_once(std::chrono::milliseconds timeout) {
        std::vector<zmq::pollitem_t> items{{nullptr, persistence_.wake_fd(), ZMQ_POLLIN, 0}};
        if (link_) items.push_back({link_->socket().handle(), 0, ZMQ_POLLIN, 0});
        zmq::poll(items, timeout);
        if (items[0].revents & ZMQ_POLLIN) persistence_.on_wake();
        if (link_ && (items[1].revents & ZMQ_POLLIN)) {
            link_->read(Clock::now());
            if (!acked_at_ && link_->acked() >= waiting_for_) acked_at_ = Clock::now();
            persistence_.standby_acked(link_->acked());
        }
        persistence_.end_of_wakeup();
    }

    /// The standby's side: reads the batches and acks them (StandbyFollower acks each batch).
    void follow(zmq::context_t& ctx, const std::string& endpoint) {
        standby::StandbyFollower f(
            ctx, endpoint, std::chrono::seconds(2),
            [](record::RecordType, FeedIndex, Timestamp, std::string_view) {});
        while (!stop_) {
            zmq::pollitem_t item{f.socket().handle(), 0, ZMQ_POLLIN, 0};
            zmq::poll(&item, 1, std::chrono::milliseconds(50));
            if (item.revents & ZMQ_POLLIN) f.read(Clock::now());
            f.tick(Clock::now());
        }
    }

    int site_;
    persist::ServerPersistence persistence_;
    std::unique_ptr<standby::PrimaryLink> link_;
    std::thread follower_;
    std::atomic<bool> stop_{false};
    std::uint64_t waiting_for_{0};
    std::optional<Clock::time_point> acked_at_;
};

struct Figures {
    double p50{0}, p99{0}, max{0};
};

Figures summarise(std::vector<double> us) {
    std::sort(us.begin(), us.end());
    if (us.empty()) return {};
    return {us[us.size() / 2], us[us.size() * 99 / 100], us.back()};
}

}  // namespace

int main(int argc, char** argv) {
    const bench::BenchCluster cluster(argc > 1 ? argv[1] : "", "standbybench");
    if (cluster.conninfo().empty()) return 1;
    const std::string& conninfo = cluster.conninfo();
    const int alerts = argc > 2 ? std::max(100, std::atoi(argv[2])) : 2000;
    int rc = 0;
    try {
        {
            store::pg::Connection c(conninfo);
            c.exec("CREATE EXTENSION IF NOT EXISTS postgis");
            std::printf("PostgreSQL %s, fsync=%s; %d alerts each, blocks of 50 alternating\n",
                        c.exec("SHOW server_version").text(0, 0).c_str(),
                        c.exec("SHOW fsync").text(0, 0).c_str(), alerts);
        }
        zmq::context_t ctx;
        Primary alone(ctx, conninfo, 1, false);
        Primary paired(ctx, conninfo, 2, true);
        std::vector<double> lat_alone;
        std::vector<double> lat_paired;
        std::uint64_t serial = 1;
        for (int done = 0; done < alerts; done += 50, serial += 50)
            for (auto [p, lat] : {std::pair{&alone, &lat_alone}, std::pair{&paired, &lat_paired}})
                for (int k = 0; k < 50; ++k) lat->push_back(p->one_alert(serial + k));
        for (auto [name, lat] : {std::pair{"alone (no standby)", &lat_alone},
                                 std::pair{"with a standby (ack before commit)", &lat_paired}}) {
            const Figures f = summarise(*lat);
            std::printf("%-36s p50 %7.0f us  p99 %7.0f us  max %7.0f us  (%zu alerts)\n", name,
                        f.p50, f.p99, f.max, lat->size());
        }
        const Figures ack = summarise(paired.ack_us);
        std::printf("%-36s p50 %7.0f us  p99 %7.0f us  max %7.0f us\n",
                    "  of which the standby's ack", ack.p50, ack.p99, ack.max);
        const Figures a = summarise(lat_alone);
        const Figures s = summarise(lat_paired);
        std::printf("the standby adds: p50 %+.0f us, p99 %+.0f us\n", s.p50 - a.p50, s.p99 - a.p99);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        rc = 1;
    }
    return rc;
}
