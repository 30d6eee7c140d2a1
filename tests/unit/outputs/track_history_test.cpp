#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <filesystem>

#include "src/outputs/alert_store.hpp"
#include "src/outputs/track_history.hpp"
#include "tests/unit/outputs/temp_dir.hpp"
#include "tests/unit/outputs/test_tracks.hpp"

using namespace picket;
using namespace picket::outputs;
using namespace picket::outputs::testing;

namespace {

constexpr std::int64_t kDay = 86'400;

TrackPoint at(TrackId id, Timestamp t) {
    TrackPoint p = track_point(sample_vessel(id));
    p.time = t;
    return p;
}

}  // namespace

SCENARIO("Track history goes to one file per UTC day and reads back across days", "[store]") {
    TempDir dir;
    const Timestamp midnight = *parse_iso8601("2026-11-26T00:00:00Z");
    {
        TrackHistory h(dir.file("history"));
        std::vector<TrackPoint> points;
        for (int s = -3; s <= 3; ++s) {
            points.push_back(at(1, midnight + Duration::from_seconds(s)));
            points.push_back(at(2, midnight + Duration::from_seconds(s)));
        }
        h.save(points);
        h.save(points);  // the same update times again: nothing new is stored
    }
    CHECK(std::filesystem::exists(dir.file("history/track-points-2026-11-25.db")));
    CHECK(std::filesystem::exists(dir.file("history/track-points-2026-11-26.db")));
    TrackHistory h(dir.file("history"), TrackHistory::Options{.read_only = true});
    REQUIRE(h.days().size() == 2);
    const auto all =
        h.between(midnight - Duration::from_seconds(10), midnight + Duration::from_seconds(10));
    REQUIRE(all.size() == 14);
    CHECK(all[0].track_id == 1);
    CHECK(all[0].time == midnight - Duration::from_seconds(3));
    CHECK(all[6].time == midnight + Duration::from_seconds(3));
    CHECK(all[7].track_id == 2);
    CHECK(all[0].name == "OCEAN STAR");
    CHECK(all[0].mmsi == Mmsi{538001234});
    CHECK(all[0].sigma_m == Approx(std::sqrt(72.0)));
    CHECK(h.between(midnight, midnight).size() == 2);  // inclusive bounds
    CHECK(h.disk_bytes() > 0);
}

SCENARIO("Retention deletes whole day files, then rows of the cutoff's day", "[store]") {
    TempDir dir;
    const Timestamp day0 = *parse_iso8601("2026-11-20T12:00:00Z");
    TrackHistory h(dir.file("history"));
    std::vector<TrackPoint> points;
    for (int d = 0; d < 5; ++d)
        for (int s = 0; s < 10; ++s)
            points.push_back(at(1, day0 + Duration::from_seconds(d * kDay + s * 3600)));
    h.save(points);
    REQUIRE(h.days().size() == 5);
    const Timestamp cutoff = *parse_iso8601("2026-11-23T00:00:00Z");
    const auto before = h.between(Timestamp{0}, cutoff - Duration::from_seconds(1)).size();
    CHECK(h.prune_before(cutoff) == static_cast<std::int64_t>(before));
    CHECK(h.between(Timestamp{0}, cutoff - Duration::from_seconds(1)).empty());
    CHECK_FALSE(std::filesystem::exists(dir.file("history/track-points-2026-11-20.db")));
    CHECK(std::filesystem::exists(dir.file("history/track-points-2026-11-23.db")));
    CHECK(h.between(cutoff, cutoff + Duration::from_seconds(10 * kDay)).size() ==
          points.size() - before);
}

SCENARIO("A store written before day files keeps its history readable", "[store]") {
    TempDir dir;
    const std::string path = dir.file("old.db");
    {
        SqliteStore store(path);  // creates the current schema; add the old table by hand
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db,
                             "CREATE TABLE track_points(track_id INTEGER NOT NULL, time_ns "
                             "INTEGER NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL, east_mps "
                             "REAL NOT NULL, north_mps REAL NOT NULL, sigma_m REAL NOT NULL, "
                             "status TEXT NOT NULL, class TEXT NOT NULL, standing TEXT NOT NULL, "
                             "mmsi INTEGER, name TEXT NOT NULL, label TEXT NOT NULL, PRIMARY "
                             "KEY(track_id, time_ns)) WITHOUT ROWID;"
                             "INSERT INTO track_points VALUES(5, 1000, -8.5, 125.5, 1, 2, 3, "
                             "'confirmed', 'vessel', 'unknown', 538001234, 'OLD', '');",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    SqliteStore store(path);
    const TrackPoint fresh = at(1, Timestamp{2000});
    store.save_track_points(std::span(&fresh, 1));
    const auto all = store.track_points_between(Timestamp{0}, Timestamp{5000});
    REQUIRE(all.size() == 2);
    CHECK(all[0].track_id == 1);
    CHECK(all[1].track_id == 5);
    CHECK(all[1].name == "OLD");
    CHECK(store.prune_track_points_before(Timestamp{1500}) == 1);
    CHECK(store.track_points_between(Timestamp{0}, Timestamp{5000}).size() == 1);
    CHECK(SqliteStore::history_directory(path) == dir.file("old-history"));
}

namespace {

std::string query_text(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK);
    std::string out;
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); ++c) {
            const auto* p = sqlite3_column_text(st, c);
            out += (c ? "|" : "") + std::string(p ? reinterpret_cast<const char*>(p) : "NULL");
        }
        out += "\n";
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

}  // namespace

SCENARIO("A day file stores status, class and standing as codes, and names them in a view",
         "[store]") {
    TempDir dir;
    const Timestamp t = *parse_iso8601("2026-11-26T12:00:00Z");
    TrackPoint p = at(7, t);
    p.status = TrackStatus::coasting;
    p.target_class = TargetClass::fast_boat;
    p.standing = Standing::hostile;
    {
        TrackHistory h(dir.file("history"));
        h.save(std::vector<TrackPoint>{p});
    }
    const std::string file = dir.file("history/track-points-2026-11-26.db");
    CHECK(query_text(file,
                     "SELECT typeof(status), typeof(class), typeof(standing) FROM "
                     "track_points") == "integer|integer|integer\n");
    CHECK(query_text(file, "SELECT status, class, standing, name FROM track_points_named") ==
          "coasting|fast_boat|hostile|OCEAN STAR\n");
    CHECK(query_text(file, "PRAGMA user_version") == "2\n");
    TrackHistory h(dir.file("history"), TrackHistory::Options{.read_only = true});
    const auto back = h.between(t, t);
    REQUIRE(back.size() == 1);
    CHECK(back[0].status == TrackStatus::coasting);
    CHECK(back[0].target_class == TargetClass::fast_boat);
    CHECK(back[0].standing == Standing::hostile);
}

SCENARIO("A day file of schema 1 (names as text) is read and continued as it is", "[store]") {
    TempDir dir;
    std::filesystem::create_directories(dir.file("history"));
    const std::string file = dir.file("history/track-points-2026-11-26.db");
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, R"sql(
CREATE TABLE track_points(
  track_id INTEGER NOT NULL, time_ns INTEGER NOT NULL,
  lat REAL NOT NULL, lon REAL NOT NULL, east_mps REAL NOT NULL, north_mps REAL NOT NULL,
  sigma_m REAL NOT NULL, status TEXT NOT NULL, class TEXT NOT NULL, standing TEXT NOT NULL,
  mmsi INTEGER, name TEXT NOT NULL, label TEXT NOT NULL);
PRAGMA user_version=1;
INSERT INTO track_points VALUES(3, 1795694400000000000, -8.5, 125.5, 1, 2, 10,
  'coasting', 'person', 'suspect', NULL, '', 'walker');
)sql",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    const Timestamp t0{1'795'694'400LL * kNsPerSecond};  // 2026-11-26T12:00:00Z, the old row
    TrackPoint p = at(4, t0 + Duration::from_seconds(1));
    p.standing = Standing::friendly;
    {
        TrackHistory h(dir.file("history"));
        h.save(std::vector<TrackPoint>{p});  // appended with names: the file keeps its schema
    }
    CHECK(query_text(file,
                     "SELECT typeof(status), standing FROM track_points WHERE "
                     "track_id = 4") == "text|friendly\n");
    TrackHistory h(dir.file("history"), TrackHistory::Options{.read_only = true});
    const auto back = h.between(t0, t0 + Duration::from_seconds(1));
    REQUIRE(back.size() == 2);
    CHECK(back[0].track_id == 3);
    CHECK(back[0].status == TrackStatus::coasting);
    CHECK(back[0].target_class == TargetClass::person);
    CHECK(back[0].standing == Standing::suspect);
    CHECK(back[0].label == "walker");
    CHECK(back[1].track_id == 4);
    CHECK(back[1].standing == Standing::friendly);
    CHECK(back[1].target_class == TargetClass::vessel);
}
