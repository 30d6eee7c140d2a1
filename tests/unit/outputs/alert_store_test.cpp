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
