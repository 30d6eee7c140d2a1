#include <catch2/catch.hpp>

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "src/outputs/alert_store.hpp"
#include "temp_dir.hpp"

using namespace picket;
using namespace picket::outputs;

namespace {

struct ChildReport {
    std::set<AlertId> saved, acked, actions;
};

/// Runs the writer child on `db`, lets it report `lines_before_kill` lines, waits a further
/// `extra_us`, then SIGKILLs it. Returns what it reported before it died.
ChildReport run_and_kill(const std::string& db, int lines_before_kill, int extra_us) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(fds[1], STDOUT_FILENO);
        ::close(fds[0]);
        ::close(fds[1]);
        ::execl(PICKET_STORE_CRASH_CHILD, PICKET_STORE_CRASH_CHILD, db.c_str(), nullptr);
        _exit(127);
    }
    ::close(fds[1]);
    std::string text;
    int lines = 0;
    char buf[4096];
    while (lines < lines_before_kill) {
        const ssize_t n = ::read(fds[0], buf, sizeof buf);
        if (n <= 0) break;
        for (ssize_t i = 0; i < n; ++i) lines += buf[i] == '\n';
        text.append(buf, static_cast<std::size_t>(n));
    }
    std::this_thread::sleep_for(std::chrono::microseconds(extra_us));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);
    // What the child wrote before it died is still in the pipe.
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
        text.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);

    ChildReport r;
    std::istringstream in(text);
    std::string what;
    AlertId id = 0;
    while (in >> what >> id) {
        if (what == "saved")
            r.saved.insert(id);
        else if (what == "acked")
            r.acked.insert(id);
        else if (what == "action")
            r.actions.insert(id);
    }
    return r;
}

}  // namespace

SCENARIO("After kill -9 no reported alert or acknowledgement is lost and no id repeats",
         "[store][crash]") {
    picket::outputs::testing::TempDir dir;
    const std::string db = dir.file("crash.db");
    const auto seed = std::random_device{}();
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> lines(3, 900), extra_us(0, 3000);

    AlertId max_seen = 0;
    std::size_t actions_reported = 0;
    for (int round = 0; round < 4; ++round) {
        INFO("round " << round);
        const ChildReport r = run_and_kill(db, lines(rng), extra_us(rng));
        REQUIRE_FALSE(r.saved.empty());
        // Ids continue after the previous run's: none repeats.
        CHECK(*r.saved.begin() > max_seen);
        max_seen = std::max(max_seen, *r.saved.rbegin());
        actions_reported += r.actions.size();

        SqliteStore store(db);
        for (AlertId id : r.saved) {
            const auto a = store.find_alert(id);
            REQUIRE(a);
        }
        for (AlertId id : r.acked) {
            const auto a = store.find_alert(id);
            REQUIRE(a);
            CHECK(a->state == AlertState::acknowledged);
            CHECK(a->acknowledged_by == "op1");
            CHECK(a->acknowledged_at.has_value());
        }
        const auto restored = store.restore();
        CHECK(restored.next_alert_id > max_seen);
        // Nothing was closed, so every alert is re-announced.
        CHECK(restored.alerts_not_closed.size() >= max_seen);
        const auto actions = store.actions_between(Timestamp{0}, Timestamp{INT64_MAX});
        CHECK(actions.size() >= actions_reported);
    }

    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &raw) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) == "ok");
    sqlite3_finalize(st);
    sqlite3_close(raw);
}
