#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "src/outputs/alert_store.hpp"
#include "temp_dir.hpp"
#include "test_tracks.hpp"

using namespace picket;
using namespace picket::outputs;
using namespace picket::outputs::testing;

namespace {

void check_same_track(const Track& a, const Track& b) {
    CHECK(a.id == b.id);
    CHECK(a.status == b.status);
    CHECK(a.updated == b.updated);
    CHECK(a.born == b.born);
    CHECK(a.position == b.position);
    CHECK(a.east_mps == b.east_mps);
    CHECK(a.north_mps == b.north_mps);
    CHECK(a.cov == b.cov);
    CHECK(a.identity == b.identity);
    CHECK(a.last_ais == b.last_ais);
    CHECK(a.seen_by == b.seen_by);
    CHECK(a.target_class == b.target_class);
    CHECK(a.standing == b.standing);
    CHECK(a.label == b.label);
}

void check_same_alert(const Alert& a, const Alert& b) {
    CHECK(a.id == b.id);
    CHECK(a.kind == b.kind);
    CHECK(a.severity == b.severity);
    CHECK(a.rule == b.rule);
    CHECK(a.zone == b.zone);
    CHECK(a.track == b.track);
    CHECK(a.other_track == b.other_track);
    CHECK(a.where == b.where);
    CHECK(a.when == b.when);
    CHECK(a.message == b.message);
    CHECK(a.state == b.state);
    CHECK(a.escalated == b.escalated);
    CHECK(a.acknowledged_by == b.acknowledged_by);
    CHECK(a.acknowledged_at == b.acknowledged_at);
    CHECK(a.closed_at == b.closed_at);
    check_same_track(a.evidence, b.evidence);
}

}  // namespace

SCENARIO("Alerts survive closing and reopening the store, updated in place by id", "[store]") {
    TempDir dir;
    const std::string path = dir.file("picket.db");
    Alert a7 = sample_alert(7);
    a7.evidence = sample_vessel();  // with identity, so every evidence field is exercised
    a7.other_track = 99;
    Alert a8 = sample_alert(8);
    {
        Store store(path);
        store.save_alert(a7);
        store.save_alert(a8);
        a7.state = AlertState::acknowledged;
        a7.acknowledged_by = "op1";
        a7.acknowledged_at = sample_time() + Duration::from_seconds(30);
        a7.escalated = true;
        store.save_alert(a7);  // same id: update, not a second row
        a8.state = AlertState::closed;
        a8.closed_at = sample_time() + Duration::from_seconds(40);
        store.save_alert(a8);
        store.record_action(sample_time() + Duration::from_seconds(30), "op1",
                            R"({"cmd":"ack","alert_id":7,"by":"op1"})", R"({"ok":true})");
    }
    Store store(path);
    const Store::Restored r = store.restore();
    CHECK(r.next_alert_id == 9);
    REQUIRE(r.alerts_not_closed.size() == 1);  // 8 is closed: not re-announced
    check_same_alert(r.alerts_not_closed[0], a7);
    const auto found = store.find_alert(8);
    REQUIRE(found);
    check_same_alert(*found, a8);
    CHECK_FALSE(store.find_alert(9));
    const auto actions =
        store.actions_between(sample_time(), sample_time() + Duration::from_seconds(60));
    REQUIRE(actions.size() == 1);
    CHECK(actions[0].user == "op1");
    CHECK(actions[0].command_json == R"({"cmd":"ack","alert_id":7,"by":"op1"})");
    CHECK(actions[0].result == R"({"ok":true})");
}

SCENARIO("An empty store starts alert ids at 1", "[store]") {
    Store store(":memory:");
    const auto r = store.restore();
    CHECK(r.next_alert_id == 1);
    CHECK(r.alerts_not_closed.empty());
}

SCENARIO("The store runs in WAL mode", "[store]") {
    TempDir dir;
    const std::string path = dir.file("wal.db");
    {
        Store store(path);
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

SCENARIO("Track history stores one row per track update and answers time windows", "[store]") {
    Store store(":memory:");
    Track v = sample_vessel(1);
    Track d = sample_dark_boat(2);
    for (int i = 0; i < 10; ++i) {
        v.updated = sample_time() + Duration::from_seconds(i);
        v.position.lat_deg += 0.001;
        d.updated = sample_time() + Duration::from_seconds(2 * (i / 2));  // updates every 2 s
        d.position.lon_deg += 0.001;
        const Track cycle[] = {v, d};
        store.save_track_points(cycle);
    }
    Track gone = sample_vessel(3);
    gone.status = TrackStatus::deleted;
    store.save_track_points(std::span(&gone, 1));

    const auto all =
        store.track_points_between(sample_time(), sample_time() + Duration::from_seconds(100));
    REQUIRE(all.size() ==
            10 + 5);  // the boat's repeated `updated` times are skipped; deleted never stored
    CHECK(all[0].track_id == 1);
    CHECK(all[9].track_id == 1);
    CHECK(all[10].track_id == 2);
    for (std::size_t i = 1; i < 10; ++i) CHECK(all[i].time > all[i - 1].time);
    CHECK(all[0].mmsi == Mmsi{538001234});
    CHECK(all[0].name == "OCEAN STAR");
    CHECK(all[0].target_class == TargetClass::vessel);
    CHECK(all[0].sigma_m == Approx(std::sqrt(72.0)));
    CHECK_FALSE(all[10].mmsi);
    CHECK(all[10].position.lat_deg == -8.4);
    CHECK(all[10].position.lon_deg == Approx(125.201));  // first stored boat point (i = 0)

    const auto window = store.track_points_between(sample_time() + Duration::from_seconds(2),
                                                   sample_time() + Duration::from_seconds(4));
    CHECK(window.size() == 3 + 2);  // vessel at 2,3,4 s; boat at 2,4 s (inclusive bounds)

    CHECK(store.prune_track_points_before(sample_time() + Duration::from_seconds(5)) ==
          5 + 3);  // vessel 0..4 s, boat 0, 2, 4 s
    CHECK(store.track_points_between(sample_time(), sample_time() + Duration::from_seconds(100))
              .size() == 7);
}

SCENARIO("Alert windows select by raise time", "[store]") {
    Store store(":memory:");
    for (AlertId id = 1; id <= 5; ++id) {
        Alert a = sample_alert(id);
        a.when = sample_time() + Duration::from_seconds(static_cast<double>(id) * 10);
        store.save_alert(a);
    }
    const auto w = store.alerts_between(sample_time() + Duration::from_seconds(20),
                                        sample_time() + Duration::from_seconds(40));
    REQUIRE(w.size() == 3);
    CHECK(w[0].id == 2);
    CHECK(w[2].id == 4);
}

SCENARIO("Opening a database from a newer schema is refused with the path", "[store]") {
    TempDir dir;
    const std::string path = dir.file("future.db");
    { Store store(path); }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    CHECK_THROWS_WITH(Store(path), Catch::Contains("future.db") && Catch::Contains("99"));
}
