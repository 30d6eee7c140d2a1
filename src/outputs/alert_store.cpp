#include "src/outputs/alert_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "src/outputs/evidence_json.hpp"
#include "src/outputs/sqlite_statement.hpp"

namespace picket::outputs {
namespace {

using sqlite::Statement;
using Json = nlohmann::json;

/// Bumped when the schema changes incompatibly; checked on open (PRAGMA user_version).
constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS alerts(
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL, severity TEXT NOT NULL, rule TEXT NOT NULL, zone TEXT NOT NULL,
  track_id INTEGER NOT NULL, other_track_id INTEGER,
  lat REAL NOT NULL, lon REAL NOT NULL, time_ns INTEGER NOT NULL,
  message TEXT NOT NULL, state TEXT NOT NULL, escalated INTEGER NOT NULL,
  acknowledged_by TEXT NOT NULL, acknowledged_at_ns INTEGER, closed_at_ns INTEGER,
  evidence_json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS alerts_time ON alerts(time_ns);
CREATE INDEX IF NOT EXISTS alerts_state ON alerts(state);
CREATE TABLE IF NOT EXISTS actions(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  time_ns INTEGER NOT NULL, user TEXT NOT NULL, command_json TEXT NOT NULL, result TEXT NOT NULL);
)sql";
// Track history lives in day files beside the database (track_history.hpp). A store written
// before issue #18 has it in a table `track_points` here: still read and pruned, never written.

constexpr const char* kAlertColumns =
    "id, kind, severity, rule, zone, track_id, other_track_id, lat, lon, time_ns, message, state, "
    "escalated, acknowledged_by, acknowledged_at_ns, closed_at_ns, evidence_json";

Alert alert_from_row(const Statement& s) {
    Alert a;
    a.id = static_cast<AlertId>(s.i64(0));
    a.kind = alert_kind_from_string(s.text(1)).value_or(AlertKind::zone_entry);
    a.severity = severity_from_string(s.text(2)).value_or(Severity::medium);
    a.rule = s.text(3);
    a.zone = s.text(4);
    a.track = static_cast<TrackId>(s.i64(5));
    if (!s.is_null(6)) a.other_track = static_cast<TrackId>(s.i64(6));
    a.where = {s.f64(7), s.f64(8)};
    a.when.ns = s.i64(9);
    a.message = s.text(10);
    a.state = alert_state_from(s.text(11)).value_or(AlertState::open);
    a.escalated = s.i64(12) != 0;
    a.acknowledged_by = s.text(13);
    if (!s.is_null(14)) a.acknowledged_at = Timestamp{s.i64(14)};
    if (!s.is_null(15)) a.closed_at = Timestamp{s.i64(15)};
    // A row this store wrote always parses; a hand-edited one must not crash a restart.
    Json ev = Json::parse(s.text(16), nullptr, /*allow_exceptions=*/false);
    if (ev.is_object()) a.evidence = track_from_json(ev);
    return a;
}

std::string select_alerts(const char* where_order) {
    return std::string("SELECT ") + kAlertColumns + " FROM alerts " + where_order;
}

}  // namespace

struct SqliteStore::Statements {
    explicit Statements(sqlite3* db)
        : upsert_alert(
              db,
              "INSERT INTO alerts(id, kind, severity, rule, zone, track_id, other_track_id, "
              "lat, lon, time_ns, message, state, escalated, acknowledged_by, "
              "acknowledged_at_ns, closed_at_ns, evidence_json) "
              "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17) "
              "ON CONFLICT(id) DO UPDATE SET kind=?2, severity=?3, rule=?4, zone=?5, "
              "track_id=?6, other_track_id=?7, lat=?8, lon=?9, time_ns=?10, message=?11, "
              "state=?12, escalated=?13, acknowledged_by=?14, acknowledged_at_ns=?15, "
              "closed_at_ns=?16, evidence_json=?17"),
          insert_action(db,
                        "INSERT INTO actions(time_ns, user, command_json, result) VALUES(?,?,?,?)"),
          begin(db, "BEGIN"),
          commit(db, "COMMIT"),
          max_alert_id(db, "SELECT COALESCE(MAX(id), 0) FROM alerts"),
          not_closed(db, select_alerts("WHERE state != 'closed' ORDER BY id").c_str()),
          alerts_between(db, select_alerts("WHERE time_ns BETWEEN ? AND ? ORDER BY id").c_str()),
          alert_by_id(db, select_alerts("WHERE id = ?").c_str()),
          actions_between(db,
                          "SELECT seq, time_ns, user, command_json, result FROM actions "
                          "WHERE time_ns BETWEEN ? AND ? ORDER BY seq") {}

    Statement upsert_alert, insert_action, begin, commit, max_alert_id, not_closed, alerts_between,
        alert_by_id, actions_between;
};

SqliteStore::SqliteStore(const std::string& path) : SqliteStore(path, Options{}) {}

std::string SqliteStore::history_directory(const std::string& path) {
    if (path == ":memory:") return path;
    std::filesystem::path p(path);
    return (p.parent_path() / (p.stem().string() + "-history")).string();
}

SqliteStore::SqliteStore(const std::string& path, Options options)
    : history_dir_(history_directory(path)), read_only_(options.read_only) {
    const int flags =
        options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw std::runtime_error("store: cannot open '" + path + "': " + msg);
    }
    try {
        // Another process (export during serve) may hold a lock briefly.
        sqlite3_busy_timeout(db_, 5000);
        if (!options.read_only) {
            sqlite::exec(db_, "PRAGMA journal_mode=WAL");
            sqlite::exec(db_, options.fsync_every_commit ? "PRAGMA synchronous=FULL"
                                                         : "PRAGMA synchronous=NORMAL");
        }
        Statement version(db_, "PRAGMA user_version");
        version.step();
        const auto v = version.i64(0);
        version.reset();
        if (v != 0 && v != kSchemaVersion) {
            throw std::runtime_error("store: '" + path + "' has schema version " +
                                     std::to_string(v) + ", expected " +
                                     std::to_string(kSchemaVersion));
        }
        if (!options.read_only) {
            sqlite::exec(db_, kSchema);
            sqlite::exec(db_, ("PRAGMA user_version=" + std::to_string(kSchemaVersion)).c_str());
        }
        st_ = std::make_unique<Statements>(db_);
        Statement legacy(db_,
                         "SELECT count(*) FROM sqlite_master WHERE type='table' AND "
                         "name='track_points'");
        legacy.step();
        legacy_points_ = legacy.i64(0) > 0;
        incidents_ = std::make_unique<IncidentTables>(db_, options.read_only);
    } catch (...) {
        incidents_.reset();
        st_.reset();
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw;
    }
}

SqliteStore::~SqliteStore() {
    history_.reset();
    incidents_.reset();  // statements must be finalized before the connection closes
    st_.reset();
    sqlite3_close_v2(db_);
}

void SqliteStore::save_alert(const Alert& a) {
    Statement& s = st_->upsert_alert;
    sqlite::ResetGuard guard(s);
    s.bind(1, static_cast<std::int64_t>(a.id))
        .bind(2, to_string(a.kind))
        .bind(3, to_string(a.severity))
        .bind(4, a.rule)
        .bind(5, a.zone)
        .bind(6, static_cast<std::int64_t>(a.track))
        .bind_opt(7, a.other_track)
        .bind(8, a.where.lat_deg)
        .bind(9, a.where.lon_deg)
        .bind(10, a.when.ns)
        .bind(11, a.message)
        .bind(12, to_string(a.state))
        .bind(13, std::int64_t{a.escalated ? 1 : 0})
        .bind(14, a.acknowledged_by);
    if (a.acknowledged_at)
        s.bind(15, a.acknowledged_at->ns);
    else
        s.bind_null(15);
    if (a.closed_at)
        s.bind(16, a.closed_at->ns);
    else
        s.bind_null(16);
    s.bind(17, track_to_json(a.evidence).dump());
    s.step();
    incidents_->save(a);
}

void SqliteStore::record_action(Timestamp time, std::string user, std::string command_json,
                                std::string result) {
    Statement& s = st_->insert_action;
    sqlite::ResetGuard guard(s);
    s.bind(1, time.ns).bind(2, user).bind(3, command_json).bind(4, result);
    s.step();
}

void SqliteStore::save(std::span<const Alert> alerts, std::span<const ActionRecord> actions) {
    st_->begin.run();
    try {
        for (const Alert& a : alerts) save_alert(a);
        for (const ActionRecord& a : actions)
            record_action(a.time, a.user, a.command_json, a.result);
        st_->commit.run();
    } catch (...) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

void SqliteStore::save_track_points(std::span<const TrackPoint> points) { history().save(points); }

TrackHistory& SqliteStore::history() const {
    if (!history_)
        history_ = std::make_unique<TrackHistory>(history_dir_,
                                                  TrackHistory::Options{.read_only = read_only_});
    return *history_;
}

std::int64_t SqliteStore::prune_track_points_before(Timestamp cutoff) {
    std::int64_t removed = history().prune_before(cutoff);
    if (legacy_points_) {
        Statement prune(db_, "DELETE FROM track_points WHERE time_ns < ?");
        prune.bind(1, cutoff.ns);
        prune.step();
        removed += sqlite3_changes64(db_);
    }
    return removed;
}

Store::Restored SqliteStore::restore() const {
    Restored r;
    {
        Statement& s = st_->max_alert_id;
        sqlite::ResetGuard guard(s);
        s.step();
        r.next_alert_id = static_cast<AlertId>(s.i64(0)) + 1;
    }
    Statement& s = st_->not_closed;
    sqlite::ResetGuard guard(s);
    while (s.step()) r.alerts_not_closed.push_back(alert_from_row(s));
    for (Alert& a : r.alerts_not_closed) incidents_->load(a);
    return r;
}

std::vector<Alert> SqliteStore::alerts_between(Timestamp from, Timestamp to) const {
    std::vector<Alert> out;
    Statement& s = st_->alerts_between;
    sqlite::ResetGuard guard(s);
    s.bind(1, from.ns).bind(2, to.ns);
    while (s.step()) out.push_back(alert_from_row(s));
    for (Alert& a : out) incidents_->load(a);
    return out;
}

std::optional<Alert> SqliteStore::find_alert(AlertId id) const {
    Statement& s = st_->alert_by_id;
    sqlite::ResetGuard guard(s);
    s.bind(1, static_cast<std::int64_t>(id));
    if (!s.step()) return std::nullopt;
    Alert a = alert_from_row(s);
    incidents_->load(a);
    return a;
}

std::vector<IncidentClosure> SqliteStore::closures_since(Timestamp from) const {
    return incidents_->closures_since(from);
}

std::vector<AuditEntry> SqliteStore::audit_trail(AlertId id) const {
    return incidents_->audit_trail(id);
}

std::unique_ptr<HistoryStore> SqliteStore::open_history() const {
    return std::make_unique<TrackHistory>(history_dir_,
                                          TrackHistory::Options{.read_only = read_only_});
}

std::vector<TrackPoint> SqliteStore::track_points_between(Timestamp from, Timestamp to) const {
    std::vector<TrackPoint> out = history().between(from, to);
    if (!legacy_points_) return out;
    Statement s(db_,
                "SELECT track_id, time_ns, lat, lon, east_mps, north_mps, sigma_m, status, "
                "class, standing, mmsi, name, label FROM track_points "
                "WHERE time_ns BETWEEN ? AND ?");
    s.bind(1, from.ns).bind(2, to.ns);
    while (s.step()) {
        out.push_back(track_point_from_row(s));
    }
    sort_by_track_and_time(out);
    return out;
}

std::vector<ActionRecord> SqliteStore::actions_between(Timestamp from, Timestamp to) const {
    std::vector<ActionRecord> out;
    Statement& s = st_->actions_between;
    sqlite::ResetGuard guard(s);
    s.bind(1, from.ns).bind(2, to.ns);
    while (s.step()) {
        out.push_back(ActionRecord{s.i64(0), Timestamp{s.i64(1)}, s.text(2), s.text(3), s.text(4)});
    }
    return out;
}

}  // namespace picket::outputs
