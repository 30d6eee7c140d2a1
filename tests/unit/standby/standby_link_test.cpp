#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "src/standby/standby_link.hpp"

using namespace picket;
using namespace picket::standby;
using namespace std::chrono_literals;

namespace {

struct Applied {
    record::RecordType type;
    FeedIndex feed;
    Timestamp time;
    std::string payload;
};

std::string endpoint(const char* name) { return std::string("inproc://standby-") + name; }

/// A loopback TCP endpoint nothing listens on now (a restarted primary binds it again: inproc
/// would not reconnect the standby).
std::string free_tcp_endpoint(zmq::context_t& ctx) {
    zmq::socket_t probe(ctx, zmq::socket_type::router);
    probe.bind("tcp://127.0.0.1:*");
    return probe.get(zmq::sockopt::last_endpoint);
}

/// A primary bound at `at`, retried for up to 2 s: ZeroMQ closes a socket in its I/O thread,
/// so a port just given up is free a moment later.
std::unique_ptr<PrimaryLink> primary_at(zmq::context_t& ctx, const std::string& at) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        try {
            return std::make_unique<PrimaryLink>(ctx, at, 1000ms);
        } catch (const std::runtime_error&) {
            std::this_thread::sleep_for(20ms);
        }
    }
    return nullptr;
}

/// Appends `n` message records numbered from `from` (payload "m<i>", time i s).
void append(PrimaryLink& p, int from, int n) {
    for (int i = from; i < from + n; ++i)
        p.tap().append(record::RecordType::message, 1, Timestamp{i * kNsPerSecond},
                       "m" + std::to_string(i));
}

/// Lets both sides talk until `done` or 2 s passed; the primary says its store committed the
/// effects of records up to `stored`.
template <class Done>
void pump(PrimaryLink& p, StandbyFollower& f, Done done, std::uint64_t stored = 0) {
    const auto until = std::chrono::steady_clock::now() + 2s;
    while (!done() && std::chrono::steady_clock::now() < until) {
        const auto now = std::chrono::steady_clock::now();
        p.read(now);
        p.flush(Timestamp{0}, now, stored);
        f.read(now);
        f.tick(now);
        std::this_thread::sleep_for(1ms);
    }
}

}  // namespace

SCENARIO("A standby applies the primary's records once each, in order, from the first",
         "[standby]") {
    zmq::context_t ctx;
    PrimaryLink primary(ctx, endpoint("order"), 2000ms);
    // Records recorded before the standby connected are kept and sent when it says hello.
    append(primary, 1, 5);
    primary.flush(Timestamp{5 * kNsPerSecond}, std::chrono::steady_clock::now());
    std::vector<Applied> applied;
    StandbyFollower follower(
        ctx, endpoint("order"), 2000ms,
        [&](record::RecordType t, FeedIndex f, Timestamp at, std::string_view payload) {
            applied.push_back({t, f, at, std::string(payload)});
        });
    pump(primary, follower, [&] { return applied.size() == 5; });
    append(primary, 6, 3);
    pump(primary, follower, [&] { return applied.size() == 8 && primary.acked() == 8; });
    REQUIRE(applied.size() == 8);
    for (int i = 0; i < 8; ++i) {
        CHECK(applied[i].payload == "m" + std::to_string(i + 1));
        CHECK(applied[i].time == Timestamp{(i + 1) * kNsPerSecond});
        CHECK(applied[i].feed == 1);
    }
    CHECK(follower.applied() == 8);
    CHECK(follower.in_sync());
    CHECK(primary.acked() == 8);  // what publishing waits for
    CHECK(primary.attached(std::chrono::steady_clock::now()));
    CHECK_FALSE(follower.primary_lost(std::chrono::steady_clock::now()));
}

SCENARIO("The primary tells the standby which records' effects its store committed", "[standby]") {
    zmq::context_t ctx;
    PrimaryLink primary(ctx, endpoint("stored"), 2000ms);
    int applied = 0;
    StandbyFollower follower(
        ctx, endpoint("stored"), 2000ms,
        [&](record::RecordType, FeedIndex, Timestamp, std::string_view) { ++applied; });
    append(primary, 1, 4);
    // With the records (a batch) and, when idle, with the heartbeat.
    pump(
        primary, follower, [&] { return applied == 4; }, 2);
    CHECK(follower.stored() == 2);
    pump(
        primary, follower, [&] { return follower.stored() == 4; }, 4);
    CHECK(follower.stored() == 4);
    // Never back: a batch sent again carries the figure of when it was sent.
    pump(
        primary, follower, [n = 0]() mutable { return ++n > 300; }, 3);
    CHECK(follower.stored() == 4);
}

SCENARIO("A standby whose engine started from another alert id than the primary's never takes over",
         "[standby]") {
    for (const std::uint64_t standby_start : {std::uint64_t{41}, std::uint64_t{57}}) {
        INFO("the primary started from alert id 41, the standby from " << standby_start);
        zmq::context_t ctx;
        const std::string at = endpoint(standby_start == 41 ? "start-same" : "start-other");
        PrimaryLink primary(ctx, at, 2000ms);
        primary.set_start_alert_id(41);
        int applied = 0;
        StandbyFollower follower(
            ctx, at, 2000ms,
            [&](record::RecordType, FeedIndex, Timestamp, std::string_view) { ++applied; });
        // The standby restored a store the primary wrote to after its start (16 more alerts).
        follower.expect_start_alert_id(standby_start);
        append(primary, 1, 3);
        pump(primary, follower, [n = 0]() mutable { return ++n > 300; });
        CHECK(follower.in_sync() == (standby_start == 41));
        CHECK(applied == (standby_start == 41 ? 3 : 0));
    }
}

SCENARIO("A standby further behind than the primary keeps is out of sync and never takes over",
         "[standby]") {
    zmq::context_t ctx;
    // Keeps ~one batch: the first ones are forgotten before the standby connects.
    PrimaryLink primary(ctx, endpoint("late"), 2000ms, /*max_kept_bytes=*/64);
    for (int b = 0; b < 4; ++b) {
        append(primary, 1 + 3 * b, 3);
        primary.flush(Timestamp{0}, std::chrono::steady_clock::now());
    }
    int applied = 0;
    StandbyFollower follower(
        ctx, endpoint("late"), 2000ms,
        [&](record::RecordType, FeedIndex, Timestamp, std::string_view) { ++applied; });
    pump(primary, follower, [&] { return !follower.in_sync(); });
    CHECK_FALSE(follower.in_sync());
    CHECK(applied == 0);  // never a picture with a hole in it
}

SCENARIO("A standby that hears a restarted primary (a new epoch) is out of sync and goes silent",
         "[standby]") {
    zmq::context_t ctx;
    const std::string at = free_tcp_endpoint(ctx);
    int applied = 0;
    auto first = primary_at(ctx, at);
    REQUIRE(first);
    StandbyFollower follower(
        ctx, at, 1000ms,
        [&](record::RecordType, FeedIndex, Timestamp, std::string_view) { ++applied; });
    append(*first, 1, 3);
    pump(*first, follower, [&] { return applied == 3; });
    REQUIRE(applied == 3);
    first.reset();  // killed and started again at once, on its own store
    auto restarted = primary_at(ctx, at);
    REQUIRE(restarted);
    PrimaryLink& second = *restarted;
    append(second, 1, 2);  // its records 1 and 2 are not ours
    pump(second, follower, [&] { return !follower.in_sync(); });
    CHECK_FALSE(follower.in_sync());
    CHECK(applied == 3);
    // Silent from now on: the new primary does not wait for it.
    const auto t = std::chrono::steady_clock::now();
    pump(second, follower, [&] { return std::chrono::steady_clock::now() > t + 1500ms; });
    CHECK_FALSE(second.attached(std::chrono::steady_clock::now()));
}

SCENARIO("The lease: a primary that stops sending is lost after the lease, not before",
         "[standby]") {
    zmq::context_t ctx;
    PrimaryLink primary(ctx, endpoint("lease"), 1000ms);
    StandbyFollower follower(ctx, endpoint("lease"), 1000ms,
                             [](record::RecordType, FeedIndex, Timestamp, std::string_view) {});
    append(primary, 1, 1);
    pump(primary, follower, [&] { return follower.applied() == 1; });
    REQUIRE(follower.applied() == 1);
    // Heartbeats keep it alive with nothing to send.
    pump(primary, follower, [] { return false; });  // 2 s of heartbeats only: 2 leases
    CHECK_FALSE(follower.primary_lost(std::chrono::steady_clock::now()));
    // The primary falls silent (killed): lost once the lease is over.
    const auto silent = std::chrono::steady_clock::now();
    follower.read(silent);
    CHECK_FALSE(follower.primary_lost(silent));  // a heartbeat came within the last ~200 ms
    CHECK(follower.primary_lost(silent + 1000ms));
    CHECK(follower.primary_clock(silent, 1.0).has_value());
}
