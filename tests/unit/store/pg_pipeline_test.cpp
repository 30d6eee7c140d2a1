// The PostgreSQL store's pipelined commits (PgStore::Options::pipeline, libpq pipeline mode)
// against the plain one-statement-at-a-time reference: the same rows in every table for the same
// writes, the same refusal of a bad batch (nothing of it kept), and a connection that takes the
// next batch after a failure.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "src/store/pg_connection.hpp"
#include "src/store/pg_store.hpp"
#include "tests/unit/outputs/test_tracks.hpp"
#include "tests/unit/store/pg_cluster.hpp"

using namespace picket;
using namespace picket::store;
using namespace picket::outputs::testing;

namespace {

constexpr int kSite = 5;
const AlertId kFirst = (AlertId{kSite} << PgStore::kSiteShift) + 1;

Alert raised(AlertId id, int evidence) {
    Alert a = sample_alert(id);
    a.change = IncidentChange::raised;
    a.track = static_cast<TrackId>(id % 1000);
    a.where.lat_deg += static_cast<double>(id % 97) * 1e-3;
    for (int i = 0; i < evidence; ++i) {
        Evidence e;
        e.seq = static_cast<std::uint32_t>(i + 1);
        e.rule = "rule-" + std::to_string(i);
        e.track = a.track;
        e.where = a.where;
        e.first = a.when + Duration::from_seconds(i);
        e.last = e.first + Duration::from_seconds(1);
        e.count = static_cast<std::uint32_t>(i + 1);
        e.message = "evidence " + std::to_string(i);
        a.timeline.push_back(e);
    }
    return a;
}

Alert changed(Alert a, IncidentChange change, const std::string& by) {
    a.change = change;
    a.changed_by = by;
    a.updated = a.when + Duration::from_seconds(30);
    ++a.revision;
    switch (change) {
        case IncidentChange::acknowledged:
            a.state = AlertState::acknowledged;
            a.acknowledged_by = by;
            a.acknowledged_at = a.updated;
            break;
        case IncidentChange::noted:
            a.notes.push_back(Note{a.updated, by, "seen from the patrol boat, tab\there"});
            break;
        case IncidentChange::repeated:
            a.timeline.back().count += 3;
            a.timeline.back().last = a.updated;
            break;
        case IncidentChange::closed:
            a.state = AlertState::closed;
            a.closed_at = a.updated;
            a.closed_by = by;
            a.disposition = Disposition::false_alarm;
            break;
        default:
            break;
    }
    return a;
}

outputs::ActionRecord action(const Alert& a, const std::string& what) {
    return outputs::ActionRecord{
        0, a.updated, a.changed_by,
        R"({"cmd":")" + what + R"(","alert_id":)" + std::to_string(a.id) + "}", R"({"ok":true})"};
}

/// The writes a busy persistence thread makes: batches of raised alerts, single saves, acks,
/// notes, repeats and closes with their actions, and one batch large enough to cross the
/// pipeline's flush window many times.
void write_the_day(outputs::Store& store) {
    std::vector<Alert> alerts;
    for (int i = 0; i < 40; ++i)
        alerts.push_back(raised(kFirst + static_cast<AlertId>(i), 1 + i % 3));
    store.save(alerts, {});
    store.save_alert(changed(alerts[0], IncidentChange::acknowledged, "op1"));
    std::vector<Alert> batch;
    std::vector<outputs::ActionRecord> actions;
    const IncidentChange changes[] = {IncidentChange::acknowledged, IncidentChange::noted,
                                      IncidentChange::repeated, IncidentChange::closed};
    for (int i = 1; i < 40; ++i) {
        batch.push_back(changed(alerts[static_cast<std::size_t>(i)], changes[i % 4],
                                "op" + std::to_string(i % 3)));
        actions.push_back(action(batch.back(), std::string(to_string(changes[i % 4]))));
    }
    store.save(batch, actions);
    store.record_action(sample_time(), "op2", R"({"cmd":"mute"})", R"({"ok":true})");
    // 600 raised alerts of 1-3 evidence rows and their acks: ~3,000 statements in one batch.
    batch.clear();
    actions.clear();
    for (int i = 0; i < 600; ++i) {
        const Alert a = raised(kFirst + 100 + static_cast<AlertId>(i), 1 + i % 3);
        batch.push_back(a);
        batch.push_back(changed(a, IncidentChange::acknowledged, "op9"));
        actions.push_back(action(batch.back(), "ack"));
    }
    store.save(batch, actions);
}

/// Every row of every table the alert store writes, in a stable order, as PostgreSQL prints it.
std::vector<std::string> rows(const std::string& conninfo) {
    pg::Connection c(conninfo);
    std::vector<std::string> out;
    for (const char* q :
         {"SELECT t::text FROM alerts t ORDER BY id", "SELECT t::text FROM actions t ORDER BY seq",
          "SELECT t::text FROM incident_state t ORDER BY incident_id",
          "SELECT t::text FROM incident_evidence t ORDER BY incident_id, seq",
          "SELECT t::text FROM incident_notes t ORDER BY seq",
          "SELECT t::text FROM incident_audit t ORDER BY seq"}) {
        const pg::Result r = c.exec(q);
        out.push_back(std::string(q) + ": " + std::to_string(r.rows()) + " rows");
        for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
    }
    return out;
}

}  // namespace

TEST_CASE("pg store: pipelined commits leave the same rows as one statement at a time",
          "[store][pg]") {
    const std::string fast_db = testing::fresh_schema();
    const std::string plain_db = testing::fresh_schema();
    {
        PgStore fast(fast_db, PgStore::Options{.site = kSite, .pipeline = true});
        PgStore plain(plain_db, PgStore::Options{.site = kSite, .pipeline = false});
        write_the_day(fast);
        write_the_day(plain);
        // What a restart reads back is the same too.
        const auto a = fast.restore();
        const auto b = plain.restore();
        CHECK(a.next_alert_id == b.next_alert_id);
        CHECK(a.alerts_not_closed.size() == b.alerts_not_closed.size());
    }
    const auto fast_rows = rows(fast_db);
    const auto plain_rows = rows(plain_db);
    CHECK(fast_rows.size() > 4000);  // the day was written, not two empty databases compared
    REQUIRE(fast_rows.size() == plain_rows.size());
    for (std::size_t i = 0; i < fast_rows.size(); ++i) {
        INFO("row " << i);
        CHECK(fast_rows[i] == plain_rows[i]);
    }
}

TEST_CASE(
    "pg store: a batch with a bad statement is refused whole, pipelined or not; the next "
    "batch commits",
    "[store][pg]") {
    for (const bool pipeline : {true, false}) {
        INFO((pipeline ? "pipelined" : "one statement at a time"));
        const std::string db = testing::fresh_schema();
        PgStore store(db, PgStore::Options{.site = kSite, .pipeline = pipeline});
        std::vector<Alert> batch;
        for (int i = 0; i < 300; ++i) batch.push_back(raised(kFirst + static_cast<AlertId>(i), 2));
        // Not UTF-8: PostgreSQL refuses the statement (the database is UTF-8), mid-batch, after
        // ~600 statements were queued and some already answered.
        batch[150].message = "bad \xff byte";
        const std::vector<outputs::ActionRecord> actions{action(batch[0], "ack")};
        CHECK_THROWS_WITH(store.save(batch, actions),
                          Catch::Contains("upsert_alert") && Catch::Contains("UTF8"));
        CHECK_FALSE(store.find_alert(batch[0].id));  // nothing of the batch was committed
        CHECK(store.actions_between(Timestamp{0}, Timestamp{INT64_MAX}).empty());
        CHECK(store.restore().next_alert_id == kFirst);

        batch[150].message = "fine";
        store.save(batch, actions);
        CHECK(store.find_alert(batch[299].id));
        CHECK(store.actions_between(Timestamp{0}, Timestamp{INT64_MAX}).size() == 1);
        // A single save after a failed one too.
        Alert bad = raised(kFirst + 1000, 1);
        bad.rule = "\xc3";
        CHECK_THROWS(store.save_alert(bad));
        store.save_alert(raised(kFirst + 1001, 1));
        CHECK(store.restore().next_alert_id == kFirst + 1002);
    }
}
