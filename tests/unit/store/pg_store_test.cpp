// What only the PostgreSQL store does: PostGIS tables QGIS opens, track history partitioned by
// day with retention, several servers on one database, config errors. The contract shared with
// SQLite runs in this binary too (store_contract_test.cpp).
#include <catch2/catch.hpp>

#include <thread>

#include "src/store/open_store.hpp"
#include "src/store/pg_connection.hpp"
#include "src/store/pg_history.hpp"
#include "src/store/pg_schema.hpp"
#include "src/store/pg_store.hpp"
#include "tests/unit/outputs/test_tracks.hpp"
#include "tests/unit/store/pg_cluster.hpp"

using namespace picket;
using namespace picket::store;
using namespace picket::outputs::testing;

namespace {

outputs::TrackPoint point_at(TrackId id, Timestamp t) {
    outputs::TrackPoint p = outputs::track_point(sample_vessel(id));
    p.time = t;
    return p;
}

}  // namespace

TEST_CASE("pg store: alerts, evidence and history are PostGIS points with spatial indexes",
          "[store][pg]") {
    const std::string conninfo = testing::fresh_schema();
    PgStore store(conninfo);
    Alert a = sample_alert(7);
    a.where = {-8.55, 125.57};
    a.timeline = {Evidence{}};
    a.timeline[0].seq = 1;
    a.timeline[0].where = {-8.56, 125.58};
    a.change = IncidentChange::raised;
    store.save_alert(a);
    const Timestamp t = sample_time();
    const outputs::TrackPoint p = point_at(1, t);
    store.save_track_points(std::span(&p, 1));

    pg::Connection sql(conninfo);
    const auto alert = sql.exec("SELECT ST_AsText(geom), ST_SRID(geom), time FROM alerts");
    REQUIRE(alert.rows() == 1);
    CHECK(alert.text(0, 0) == "POINT(125.57 -8.55)");  // x = lon, y = lat
    CHECK(alert.i64(0, 1) == 4326);
    CHECK_FALSE(alert.text(0, 2).empty());
    CHECK(sql.exec("SELECT ST_AsText(geom) FROM incident_evidence").text(0, 0) ==
          "POINT(125.58 -8.56)");
    // QGIS lists a table as a layer from geometry_columns (type and SRID from the typmod).
    const auto layers = sql.exec(
        "SELECT f_table_name, type, srid FROM geometry_columns "
        "WHERE f_table_schema = current_schema() ORDER BY f_table_name COLLATE \"C\"");
    std::vector<std::string> names;
    for (int i = 0; i < layers.rows(); ++i) {
        names.push_back(layers.text(i, 0));
        CHECK(layers.text(i, 1) == "POINT");
        CHECK(layers.i64(i, 2) == 4326);
    }
    CHECK(std::find(names.begin(), names.end(), "alerts") != names.end());
    CHECK(std::find(names.begin(), names.end(), "incident_evidence") != names.end());
    CHECK(std::find(names.begin(), names.end(), "track_points") != names.end());
    const auto gist = sql.exec(
        "SELECT tablename FROM pg_indexes WHERE schemaname = current_schema() AND "
        "indexdef LIKE '%USING gist (geom)%' ORDER BY tablename COLLATE \"C\"");
    std::vector<std::string> indexed;
    for (int i = 0; i < gist.rows(); ++i) indexed.push_back(gist.text(i, 0));
    CHECK(std::find(indexed.begin(), indexed.end(), "alerts") != indexed.end());
    CHECK(std::find(indexed.begin(), indexed.end(), "incident_evidence") != indexed.end());
    CHECK(std::find(indexed.begin(), indexed.end(), "track_points") != indexed.end());
    // A spatial query uses the point as written.
    CHECK(sql.exec("SELECT count(*) FROM track_points WHERE ST_DWithin(geom::geography, "
                   "ST_SetSRID(ST_MakePoint(" +
                   pg::double_text(p.position.lon_deg) + ", " +
                   pg::double_text(p.position.lat_deg) + "), 4326)::geography, 1)")
              .i64(0, 0) == 1);
}

TEST_CASE("pg store: track history goes to one partition per UTC day; retention drops days",
          "[store][pg]") {
    const std::string conninfo = testing::fresh_schema();
    const Timestamp midnight = *parse_iso8601("2026-11-26T00:00:00Z");
    PgHistory h(conninfo, {});
    std::vector<outputs::TrackPoint> points;
    for (int s = -3; s <= 3; ++s) {
        points.push_back(point_at(1, midnight + Duration::from_seconds(s)));
        points.push_back(point_at(2, midnight + Duration::from_seconds(s)));
    }
    h.save(points);
    h.save(points);  // the same update times again: nothing new is stored
    const std::int64_t day = midnight.ns / kNsPerDay;
    CHECK(h.days() == std::vector<std::int64_t>{day - 1, day});
    CHECK(PgHistory::partition_name(day) == "track_points_2026_11_26");
    pg::Connection sql(conninfo);
    CHECK(sql.exec("SELECT count(*) FROM track_points_2026_11_25").i64(0, 0) == 6);
    CHECK(sql.exec("SELECT count(*) FROM track_points_2026_11_26").i64(0, 0) == 8);
    const auto all =
        h.between(midnight - Duration::from_seconds(10), midnight + Duration::from_seconds(10));
    REQUIRE(all.size() == 14);
    CHECK(all[0].track_id == 1);
    CHECK(all[7].track_id == 2);
    CHECK(all[0].name == "OCEAN STAR");
    CHECK(h.disk_bytes() > 0);

    // The cutoff 2 s after midnight: yesterday's partition dropped whole, 2 s of today deleted.
    CHECK(h.prune_before(midnight + Duration::from_seconds(2)) == 6 + 4);
    CHECK(h.days() == std::vector<std::int64_t>{day});
    CHECK(sql.exec("SELECT to_regclass('track_points_2026_11_25')").is_null(0, 0));
    CHECK(h.between(midnight - Duration::from_seconds(10), midnight + Duration::from_seconds(10))
              .size() == 4);
}

TEST_CASE("pg store: two servers on one database see each other's acknowledgements",
          "[store][pg]") {
    const std::string conninfo = testing::fresh_schema();
    // Two servers, each with its own connection, as two picket processes would have.
    PgStore north(conninfo, PgStore::Options{.site = 1});
    PgStore south(conninfo, PgStore::Options{.site = 2});
    const AlertId north_first = north.restore().next_alert_id;
    const AlertId south_first = south.restore().next_alert_id;
    CHECK(north_first == (AlertId{1} << 40) + 1);
    CHECK(south_first == (AlertId{2} << 40) + 1);  // never the same ids

    Alert n = sample_alert(north_first);
    n.change = IncidentChange::raised;
    north.save_alert(n);
    Alert s = sample_alert(south_first);
    s.change = IncidentChange::raised;
    south.save_alert(s);

    // An operator on the south console acknowledges the north's alert...
    auto seen = south.find_alert(n.id);
    REQUIRE(seen);
    CHECK(seen->state == AlertState::open);
    seen->state = AlertState::acknowledged;
    seen->acknowledged_by = "op-south";
    seen->acknowledged_at = sample_time() + Duration::from_seconds(5);
    seen->change = IncidentChange::acknowledged;
    seen->changed_by = "op-south";
    south.save(std::span(&*seen, 1), {});
    // ...and the north server reads it back, with the audit trail saying who did it.
    const auto back = north.find_alert(n.id);
    REQUIRE(back);
    CHECK(back->state == AlertState::acknowledged);
    CHECK(back->acknowledged_by == "op-south");
    const auto audit = north.audit_trail(n.id);
    REQUIRE(audit.size() == 2);
    CHECK(audit[1].change == "acknowledged");
    CHECK(audit[1].user == "op-south");

    // Each restarts with its own alerts and its own next id.
    const auto north_again = north.restore();
    CHECK(north_again.next_alert_id == north_first + 1);
    REQUIRE(north_again.alerts_not_closed.size() == 1);
    CHECK(north_again.alerts_not_closed[0].id == n.id);
    CHECK(north_again.alerts_not_closed[0].state == AlertState::acknowledged);
    CHECK(south.restore().alerts_not_closed.size() == 1);
    // Both see every alert in a window.
    CHECK(north.alerts_between(Timestamp{0}, Timestamp{INT64_MAX}).size() == 2);
}

TEST_CASE("pg store: servers committing at once on one database lose nothing", "[store][pg]") {
    const std::string conninfo = testing::fresh_schema();
    constexpr int kPerServer = 200;
    auto writer = [&](int site) {
        PgStore store(conninfo, PgStore::Options{.site = site});
        AlertId id = store.restore().next_alert_id;
        for (int i = 0; i < kPerServer; ++i, ++id) {
            Alert a = sample_alert(id);
            a.change = IncidentChange::raised;
            store.save_alert(a);
            store.record_action(sample_time(), "op" + std::to_string(site), "{}", "{}");
        }
    };
    std::thread a(writer, 3), b(writer, 4);
    a.join();
    b.join();
    PgStore reader(conninfo);
    CHECK(reader.alerts_between(Timestamp{0}, Timestamp{INT64_MAX}).size() == 2 * kPerServer);
    CHECK(reader.actions_between(Timestamp{0}, Timestamp{INT64_MAX}).size() == 2 * kPerServer);
}

TEST_CASE("pg store: a bad location or an unreachable server is refused with the reason",
          "[store][pg]") {
    CHECK(is_postgresql("postgresql://db.example/picket"));
    CHECK(is_postgresql("postgres://u@db/picket"));
    CHECK(is_postgresql("host=db dbname=picket"));
    CHECK_FALSE(is_postgresql("data/picket.db"));
    CHECK_FALSE(is_postgresql("/var/lib/picket/a=b.db"));
    CHECK(postgresql_syntax_error("postgresql://db/picket?sslmode=require") == std::nullopt);
    CHECK(postgresql_syntax_error("host=db dbname='picket") != std::nullopt);
    CHECK(postgresql_syntax_error("postgresql://db/picket?nonsense=1") != std::nullopt);
    CHECK_THROWS_WITH(open_store("host=db dbname='picket"),
                      Catch::Contains("not a PostgreSQL URL or conninfo"));
    // Nobody listens on this socket: the error says so, without the password.
    CHECK_THROWS_WITH(
        open_store("host=/nonexistent-picket port=1 dbname=x password=secret connect_timeout=2"),
        Catch::Contains("cannot connect") && !Catch::Contains("secret"));
    CHECK_THROWS_WITH(PgStore(testing::cluster_conninfo(), PgStore::Options{.site = 5000}),
                      Catch::Contains("site"));
}
