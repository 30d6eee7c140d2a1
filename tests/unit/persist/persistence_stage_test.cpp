#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/log.hpp"
#include "src/persist/history_writer.hpp"
#include "src/persist/persistence_stage.hpp"
#include "src/record/recording_reader.hpp"
#include "tests/unit/outputs/temp_dir.hpp"
#include "tests/unit/outputs/test_tracks.hpp"

using namespace picket;
using namespace picket::persist;
using namespace std::chrono_literals;
using outputs::testing::TempDir;

namespace {

/// Waits (at most 10 s) until the stage has confirmed `ticket`.
bool wait_confirmed(const PersistenceStage& stage, std::uint64_t ticket) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (stage.confirmed() < ticket) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(1ms);
    }
    return true;
}

outputs::TrackPoint point(TrackId id, int second) {
    outputs::TrackPoint p = outputs::track_point(outputs::testing::sample_vessel(id));
    p.time = outputs::testing::sample_time() + Duration::from_seconds(second);
    return p;
}

}  // namespace

SCENARIO("The persistence thread commits alerts, actions and the recording", "[persist]") {
    TempDir dir;
    const std::string db = dir.file("picket.db");
    PersistenceStage stage(std::make_unique<outputs::SqliteStore>(db),
                           std::make_unique<record::Recorder>(dir.file("rec")),
                           PersistenceOptions{});
    stage.start();
    const Timestamp t0 = outputs::testing::sample_time();
    for (int i = 0; i < 100; ++i)
        stage.record(record::RecordType::message, 0, t0 + Duration::from_millis(i), "!AIVDM");
    stage.record(record::RecordType::command, 0, t0 + Duration::from_millis(100),
                 "op\n{\"cmd\":\"ack\"}");
    stage.flush_recording_before_next_commit();
    Alert a = outputs::testing::sample_alert(7);
    stage.save_alert(a);
    stage.record_action(t0, "op", R"({"cmd":"ack"})", R"({"ok":true})");
    const std::uint64_t ticket = stage.hand_over();
    CHECK(ticket == 1);
    REQUIRE(wait_confirmed(stage, ticket));

    // Confirmed: the store has the alert and the action; the recording has the command.
    {
        outputs::SqliteStore reader(db, outputs::SqliteStore::Options{.read_only = true});
        CHECK(reader.find_alert(7));
        CHECK(reader.actions_between(Timestamp{0}, t0 + Duration::from_seconds(1)).size() == 1);
    }
    {
        record::RecordingReader rec(dir.file("rec"));
        int records = 0;
        bool command = false;
        while (auto r = rec.next()) {
            ++records;
            command = command || r->type == record::RecordType::command;
        }
        CHECK(records == 101);
        CHECK(command);
    }
    stage.stop();
    const PersistenceStats s = stage.stats();
    CHECK(s.alerts_saved == 1);
    CHECK(s.actions_saved == 1);
    CHECK(s.records_written == 101);
    CHECK_FALSE(s.degraded());
}

SCENARIO("A store that cannot commit for a while blocks neither the hand-over nor loses alerts",
         "[persist]") {
    TempDir dir;
    const std::string db = dir.file("picket.db");
    PersistenceStage stage(std::make_unique<outputs::SqliteStore>(db), nullptr,
                           PersistenceOptions{});
    stage.start();

    // Another connection holds the write lock: the disk is "slow" until it lets go.
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);

    // 200 hand-overs while the store is stuck: each returns a ticket at once (were one to wait
    // for the store, this loop would never end while the lock is held).
    std::uint64_t last = 0;
    for (int i = 1; i <= 200; ++i) {
        stage.save_alert(outputs::testing::sample_alert(static_cast<AlertId>(i)));
        last = stage.hand_over();
    }
    CHECK(last == 200);
    std::this_thread::sleep_for(300ms);
    CHECK(stage.confirmed() < last);  // nothing can be confirmed while the lock is held
    CHECK(stage.stats().alerts_saved == 0);

    REQUIRE(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(other);
    REQUIRE(wait_confirmed(stage, last));
    stage.stop();

    outputs::SqliteStore reader(db, outputs::SqliteStore::Options{.read_only = true});
    for (AlertId id = 1; id <= 200; ++id) CHECK(reader.find_alert(id));  // never dropped
    CHECK(stage.stats().alerts_saved == 200);
}

SCENARIO("Track history gives way first: a full backlog drops points and counts them",
         "[persist]") {
    TempDir dir;
    HistoryOptions options;
    options.backlog = 50;
    options.commit = std::chrono::milliseconds(50);
    auto history = std::make_unique<outputs::TrackHistory>(dir.file("history"));
    // Another connection holds today's day file: the history thread cannot write.
    const Timestamp t0 = outputs::testing::sample_time();
    {
        outputs::TrackHistory create(dir.file("history"));
        std::vector<outputs::TrackPoint> first{point(999, 0)};
        create.save(first);
    }
    const std::string day_file =
        dir.file("history") + "/" +
        outputs::TrackHistory::day_file_name(t0.ns / (86400 * kNsPerSecond));
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(day_file.c_str(), &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);

    HistoryWriter writer(std::move(history), options);
    writer.start();
    std::size_t dropped = 0;
    for (int i = 1; i <= 200; ++i) {
        std::vector<outputs::TrackPoint> p{point(static_cast<TrackId>(i), i)};
        dropped += writer.push(p);
        std::this_thread::sleep_for(1ms);
    }
    CHECK(dropped > 0);
    REQUIRE(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(other);
    writer.stop();
    const HistoryWriter::Stats s = writer.stats();
    CHECK(s.dropped == dropped);
    CHECK(s.saved + s.dropped == 200);
    outputs::TrackHistory reader(dir.file("history"));
    CHECK(reader.between(t0, t0 + Duration::from_seconds(300)).size() == s.saved + 1);
}

SCENARIO("A history that cannot be written logs a few lines a minute, and counts every failure",
         "[persist]") {
    TempDir dir;
    HistoryOptions options;
    options.commit = std::chrono::milliseconds(5);
    auto history = std::make_unique<outputs::TrackHistory>(dir.file("history"));
    // The history folder is gone and a file stands in its place: no day file can be opened.
    std::filesystem::remove_all(dir.file("history"));
    std::ofstream(dir.file("history")) << "not a folder";
    std::vector<std::string> lines;
    std::mutex lines_mutex;
    log::set_sink([&](log::Level, std::string_view m) {
        const std::lock_guard lock(lines_mutex);
        lines.emplace_back(m);
    });
    {
        HistoryWriter writer(std::move(history), options);
        writer.start();
        for (int i = 1; i <= 100; ++i) {
            std::vector<outputs::TrackPoint> p{point(static_cast<TrackId>(i), i)};
            writer.push(p);
            std::this_thread::sleep_for(10ms);  // about one transaction per point
        }
        writer.stop();
        CHECK(writer.stats().errors >= 20);
        CHECK(writer.stats().saved == 0);
    }
    log::set_sink(nullptr);
    std::size_t write_lines = 0;
    for (const auto& l : lines) write_lines += l.find("track history: cannot write") != l.npos;
    CHECK(write_lines >= 1);
    CHECK(write_lines <= 6);
}

SCENARIO("Work on the store runs before what is handed over after it, and is retried until done",
         "[persist][standby]") {
    TempDir dir;
    PersistenceStage stage(std::make_unique<outputs::SqliteStore>(dir.file("picket.db")), nullptr,
                           PersistenceOptions{});
    stage.start();
    std::atomic<bool> may_succeed{false};
    std::atomic<int> attempts{0};
    std::atomic<bool> alert_there_when_done{true};
    // A takeover's job: fails while another server holds the site, then finds the store as the
    // old primary left it.
    stage.run_on_store([&](outputs::Store& s) {
        ++attempts;
        if (!may_succeed) throw std::runtime_error("site held by another session");
        alert_there_when_done = s.find_alert(9).has_value();
    });
    const std::uint64_t job = stage.hand_over();
    stage.save_alert(outputs::testing::sample_alert(9));
    const std::uint64_t alert = stage.hand_over();

    std::this_thread::sleep_for(600ms);
    CHECK(attempts >= 2);  // retried
    CHECK(stage.confirmed() < job);
    CHECK(stage.stats().alerts_saved == 0);  // nothing after the job commits before it
    CHECK(stage.stats().store_errors >= 2);
    may_succeed = true;
    REQUIRE(wait_confirmed(stage, alert));
    CHECK_FALSE(alert_there_when_done);  // the job ran first
    CHECK(stage.stats().alerts_saved == 1);
    const int done_after = attempts;
    stage.stop();
    CHECK(attempts == done_after);  // once done, never again
}
