// What only the SQLite store does (WAL, schema version); what every backend does is in
// store_contract_test.cpp.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "src/outputs/alert_store.hpp"
#include "temp_dir.hpp"
#include "test_tracks.hpp"

using namespace picket;
using namespace picket::outputs;
using namespace picket::outputs::testing;

SCENARIO("The store runs in WAL mode", "[store]") {
    TempDir dir;
    const std::string path = dir.file("wal.db");
    {
        SqliteStore store(path);
        store.save_alert(sample_alert(1));
    }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) == "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

SCENARIO("Opening a database from a newer schema is refused with the path", "[store]") {
    TempDir dir;
    const std::string path = dir.file("future.db");
    { SqliteStore store(path); }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    CHECK_THROWS_WITH(SqliteStore(path), Catch::Contains("future.db") && Catch::Contains("99"));
}

SCENARIO("A store written before groups gains the targets column and keeps its incidents",
         "[store]") {
    TempDir dir;
    const std::string path = dir.file("before-groups.db");
    { SqliteStore store(path); }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    // The table as picket before alert protocol version 3 made it.
    REQUIRE(sqlite3_exec(db, "ALTER TABLE incident_evidence DROP COLUMN targets_json", nullptr,
                         nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    Alert a = sample_alert(1);
    a.timeline = {Evidence{}};
    a.timeline[0].seq = 1;
    a.timeline[0].targets = {{12, a.when, a.where}, {13, a.when, a.where}};
    {
        SqliteStore store(path);
        store.save_alert(a);
    }
    SqliteStore store(path);
    const auto restored = store.restore();
    REQUIRE(restored.alerts_not_closed.size() == 1);
    REQUIRE(restored.alerts_not_closed[0].timeline.size() == 1);
    CHECK(restored.alerts_not_closed[0].timeline[0].targets.size() == 2);
}
