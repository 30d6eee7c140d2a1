// `picket export` from a shared PostgreSQL store (the real binary, PICKET_BINARY): every
// server's alerts and actions, the chosen server's track history (--site), read-only (the
// export never writes, and a store opened read-only refuses writes), and a database no picket
// server wrote to is refused with the reason.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "src/store/open_store.hpp"
#include "src/store/pg_store.hpp"
#include "tests/unit/outputs/run_command.hpp"
#include "tests/unit/outputs/temp_dir.hpp"
#include "tests/unit/outputs/test_tracks.hpp"
#include "tests/unit/store/pg_cluster.hpp"

using namespace picket;
using namespace picket::store;
using namespace picket::outputs::testing;

namespace {

/// Two servers on one database: site 2 with two tracks over 10 s and three alerts (one acked
/// by an operator), site 3 with one track and one alert.
void fill(const std::string& conninfo) {
    PgStore two(conninfo, PgStore::Options{.site = 2});
    PgStore three(conninfo, PgStore::Options{.site = 3});
    Track v = sample_vessel(1);
    Track d = sample_dark_boat(2);
    Track other = sample_vessel(1);  // site 3's track 1: another server's, not site 2's
    for (int i = 0; i < 10; ++i) {
        v.updated = d.updated = other.updated = sample_time() + Duration::from_seconds(i);
        v.position.lat_deg = -8.55 + 0.001 * i;
        d.position.lon_deg = 125.2 + 0.002 * i;
        other.position.lon_deg = 124.0 + 0.002 * i;
        const Track cycle[] = {v, d};
        two.save_track_points(cycle);
        three.save_track_points(std::span(&other, 1));
    }
    AlertId id = two.restore().next_alert_id;
    for (int i = 0; i < 3; ++i, ++id) {
        Alert a = sample_alert(id);
        a.change = IncidentChange::raised;
        a.when = sample_time() + Duration::from_seconds(3 * (i + 1));
        if (i == 1) {
            a.state = AlertState::acknowledged;
            a.acknowledged_by = "op1";
            a.acknowledged_at = a.when + Duration::from_seconds(5);
        }
        two.save_alert(a);
    }
    Alert a = sample_alert(three.restore().next_alert_id);
    a.change = IncidentChange::raised;
    three.save_alert(a);
    two.record_action(sample_time() + Duration::from_seconds(11), "op1",
                      R"({"cmd":"ack","alert_id":2,"by":"op1"})", R"({"ok":true})");
    three.record_action(sample_time() + Duration::from_seconds(12), "op7", R"({"cmd":"mute"})",
                        R"({"ok":true})");
}

CommandResult export_from(const std::string& conninfo, const std::string& out,
                          const std::string& more = "") {
    const char* binary = std::getenv("PICKET_BINARY");
    REQUIRE(binary);
    // The conninfo has spaces and single quotes (options='-csearch_path=...'), no double quote.
    return run_command(std::string(binary) + " export --db \"" + conninfo + "\" --gpkg " + out +
                       " " + more + " 2>&1");
}

}  // namespace

TEST_CASE(
    "picket export reads a shared PostgreSQL store: every server's alerts, one site's "
    "tracks",
    "[store][pg][export]") {
    const std::string conninfo = testing::fresh_schema();
    fill(conninfo);
    TempDir dir;
    const std::string out = dir.file("out.gpkg");

    const auto site2 = export_from(conninfo, out, "--site 2");
    INFO(site2.out);
    REQUIRE(site2.exit_code == 0);
    CHECK(
        site2.out.find("2 tracks (0 single-point tracks skipped), 4 alerts, 2 operator actions") !=
        std::string::npos);
    CHECK(std::filesystem::file_size(out) > 0);
    if (have_program("ogrinfo")) {
        const auto info = run_command("ogrinfo -ro -al -q " + out + " alerts 2>&1");
        CHECK(info.out.find("acknowledged_by (String) = op1") != std::string::npos);
    }

    const auto site3 = export_from(conninfo, out, "--site 3");
    INFO(site3.out);
    REQUIRE(site3.exit_code == 0);
    CHECK(
        site3.out.find("1 tracks (0 single-point tracks skipped), 4 alerts, 2 operator actions") !=
        std::string::npos);

    // A window: the alerts raised in the first 7 s (two of site 2's, site 3's at sample_time()).
    const auto window = export_from(conninfo, out,
                                    "--site 2 --from 2026-11-25T00:00:00Z --to " +
                                        to_iso8601(sample_time() + Duration::from_seconds(7)));
    INFO(window.out);
    REQUIRE(window.exit_code == 0);
    CHECK(window.out.find(", 3 alerts, ") != std::string::npos);

    CHECK(export_from(conninfo, out, "--site 5000").exit_code == 2);
}

TEST_CASE("pg store: a read-only store creates nothing and refuses writes", "[store][pg][export]") {
    const std::string empty = testing::fresh_schema();
    CHECK_THROWS_WITH(open_store(empty, {.read_only = true}), Catch::Contains("no picket tables"));
    TempDir dir;
    const auto refused = export_from(empty, dir.file("out.gpkg"));
    CHECK(refused.exit_code == 1);
    CHECK(refused.out.find("no picket tables") != std::string::npos);
    // Still none: the reader did not create them.
    CHECK_THROWS_WITH(open_store(empty, {.read_only = true}), Catch::Contains("no picket tables"));

    const std::string conninfo = testing::fresh_schema();
    fill(conninfo);
    const auto reader = open_store(conninfo, {.site = 2, .read_only = true});
    CHECK(reader->alerts_between(Timestamp{0}, Timestamp{INT64_MAX}).size() == 4);
    CHECK_THROWS_WITH(reader->save_alert(sample_alert((AlertId{2} << 40) + 9)),
                      Catch::Contains("read-only"));
    CHECK(reader->alerts_between(Timestamp{0}, Timestamp{INT64_MAX}).size() == 4);
}
