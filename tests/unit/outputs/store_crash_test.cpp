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
#include "tests/unit/outputs/crash_child.hpp"
#include "tests/unit/outputs/temp_dir.hpp"

using namespace picket;
using namespace picket::outputs;

using namespace picket::outputs::testing;

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
        const ChildReport r = run_and_kill(PICKET_STORE_CRASH_CHILD, db, lines(rng), extra_us(rng));
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
