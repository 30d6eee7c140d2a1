#include "src/outputs/incident_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "src/outputs/incident_audit.hpp"
#include "src/outputs/sqlite_statement.hpp"

namespace picket::outputs {
namespace {

using sqlite::Statement;

constexpr const char* kIncidentSchema = R"sql(
CREATE TABLE IF NOT EXISTS incident_state(
  incident_id INTEGER PRIMARY KEY, revision INTEGER NOT NULL, updated_ns INTEGER NOT NULL,
  active INTEGER NOT NULL, reopened INTEGER NOT NULL, disposition TEXT NOT NULL,
  assigned_to TEXT NOT NULL, closed_by TEXT NOT NULL, tracks_json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS incident_evidence(
  incident_id INTEGER NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, severity TEXT NOT NULL,
  rule TEXT NOT NULL, zone TEXT NOT NULL, track_id INTEGER NOT NULL, other_track_id INTEGER,
  mmsi INTEGER, lat REAL NOT NULL, lon REAL NOT NULL, first_ns INTEGER NOT NULL,
  last_ns INTEGER NOT NULL, count INTEGER NOT NULL, message TEXT NOT NULL,
  targets_json TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY(incident_id, seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS incident_evidence_rule ON incident_evidence(rule);
CREATE TABLE IF NOT EXISTS incident_notes(
  seq INTEGER PRIMARY KEY AUTOINCREMENT, incident_id INTEGER NOT NULL, time_ns INTEGER NOT NULL,
  user TEXT NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS incident_notes_id ON incident_notes(incident_id);
CREATE TABLE IF NOT EXISTS incident_audit(
  seq INTEGER PRIMARY KEY AUTOINCREMENT, incident_id INTEGER NOT NULL, time_ns INTEGER NOT NULL,
  change TEXT NOT NULL, user TEXT NOT NULL, state TEXT NOT NULL, detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS incident_audit_id ON incident_audit(incident_id);
)sql";

}  // namespace

struct IncidentTables::Statements {
    explicit Statements(sqlite3* db)
        : upsert_state(db,
                       "INSERT INTO incident_state(incident_id, revision, updated_ns, active, "
                       "reopened, disposition, assigned_to, closed_by, tracks_json) "
                       "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9) ON CONFLICT(incident_id) DO UPDATE "
                       "SET revision=?2, updated_ns=?3, active=?4, reopened=?5, disposition=?6, "
                       "assigned_to=?7, closed_by=?8, tracks_json=?9"),
          upsert_evidence(
              db,
              "INSERT INTO incident_evidence(incident_id, seq, kind, severity, rule, zone, "
              "track_id, other_track_id, mmsi, lat, lon, first_ns, last_ns, count, message, "
              "targets_json) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16) "
              "ON CONFLICT(incident_id, seq) DO UPDATE SET lat=?10, lon=?11, last_ns=?13, "
              "count=?14, message=?15, targets_json=?16"),
          insert_note(db,
                      "INSERT INTO incident_notes(incident_id, time_ns, user, text) "
                      "VALUES(?,?,?,?)"),
          insert_audit(db,
                       "INSERT INTO incident_audit(incident_id, time_ns, change, user, state, "
                       "detail) VALUES(?,?,?,?,?,?)"),
          state_by_id(db,
                      "SELECT revision, updated_ns, active, reopened, disposition, assigned_to, "
                      "closed_by, tracks_json FROM incident_state WHERE incident_id = ?"),
          evidence_by_id(db,
                         "SELECT seq, kind, severity, rule, zone, track_id, other_track_id, "
                         "mmsi, lat, lon, first_ns, last_ns, count, message, targets_json "
                         "FROM incident_evidence WHERE incident_id = ? ORDER BY seq"),
          notes_by_id(db,
                      "SELECT time_ns, user, text FROM incident_notes WHERE incident_id = ? "
                      "ORDER BY seq"),
          audit_by_id(db,
                      "SELECT seq, incident_id, time_ns, change, user, state, detail "
                      "FROM incident_audit WHERE incident_id = ? ORDER BY seq"),
          closures(db,
                   "SELECT a.id, a.closed_at_ns, s.disposition, e.rule FROM alerts a "
                   "JOIN incident_state s ON s.incident_id = a.id "
                   "JOIN incident_evidence e ON e.incident_id = a.id "
                   "WHERE a.state = 'closed' AND a.closed_at_ns >= ? "
                   "GROUP BY a.id, e.rule ORDER BY a.id, e.rule") {}

    Statement upsert_state, upsert_evidence, insert_note, insert_audit, state_by_id, evidence_by_id,
        notes_by_id, audit_by_id, closures;
};

IncidentTables::IncidentTables(sqlite3* db, bool read_only) : db_(db) {
    if (!read_only) {
        sqlite::exec(db_, kIncidentSchema);
        // A store written before groups (alert protocol version 3) has no targets column.
        Statement has(db_,
                      "SELECT 1 FROM pragma_table_info('incident_evidence') "
                      "WHERE name = 'targets_json'");
        if (!has.step())
            sqlite::exec(db_,
                         "ALTER TABLE incident_evidence "
                         "ADD COLUMN targets_json TEXT NOT NULL DEFAULT '[]'");
    }
    st_ = std::make_unique<Statements>(db_);
}

IncidentTables::~IncidentTables() = default;

void IncidentTables::save(const Alert& a) {
    {
        Statement& s = st_->upsert_state;
        sqlite::ResetGuard guard(s);
        nlohmann::json tracks = a.tracks;
        s.bind(1, static_cast<std::int64_t>(a.id))
            .bind(2, static_cast<std::int64_t>(a.revision))
            .bind(3, a.updated.ns)
            .bind(4, std::int64_t{a.active ? 1 : 0})
            .bind(5, static_cast<std::int64_t>(a.reopened))
            .bind(6, to_string(a.disposition))
            .bind(7, a.assigned_to)
            .bind(8, a.closed_by)
            .bind(9, tracks.dump());
        s.step();
    }
    for (const Evidence* e : changed_evidence(a)) {
        Statement& s = st_->upsert_evidence;
        sqlite::ResetGuard guard(s);
        s.bind(1, static_cast<std::int64_t>(a.id))
            .bind(2, static_cast<std::int64_t>(e->seq))
            .bind(3, to_string(e->kind))
            .bind(4, to_string(e->severity))
            .bind(5, e->rule)
            .bind(6, e->zone)
            .bind(7, static_cast<std::int64_t>(e->track))
            .bind_opt(8, e->other_track);
        if (e->mmsi)
            s.bind(9, static_cast<std::int64_t>(e->mmsi));
        else
            s.bind_null(9);
        s.bind(10, e->where.lat_deg)
            .bind(11, e->where.lon_deg)
            .bind(12, e->first.ns)
            .bind(13, e->last.ns)
            .bind(14, static_cast<std::int64_t>(e->count))
            .bind(15, e->message)
            .bind(16, targets_to_json(e->targets));
        s.step();
    }
    if (a.change == IncidentChange::noted && !a.notes.empty()) {
        const Note& n = a.notes.back();
        Statement& s = st_->insert_note;
        sqlite::ResetGuard guard(s);
        s.bind(1, static_cast<std::int64_t>(a.id)).bind(2, n.time.ns).bind(3, n.by).bind(4, n.text);
        s.step();
    }
    if (audited(a.change)) {
        Statement& s = st_->insert_audit;
        sqlite::ResetGuard guard(s);
        s.bind(1, static_cast<std::int64_t>(a.id))
            .bind(2, a.updated.ns)
            .bind(3, to_string(a.change))
            .bind(4, a.changed_by)
            .bind(5, to_string(a.state))
            .bind(6, audit_detail(a));
        s.step();
    }
}

void IncidentTables::load(Alert& a) const {
    {
        Statement& s = st_->state_by_id;
        sqlite::ResetGuard guard(s);
        s.bind(1, static_cast<std::int64_t>(a.id));
        if (s.step()) {
            a.revision = static_cast<std::uint32_t>(s.i64(0));
            a.updated = Timestamp{s.i64(1)};
            a.active = s.i64(2) != 0;
            a.reopened = static_cast<std::uint32_t>(s.i64(3));
            a.disposition = disposition_from_string(s.text(4)).value_or(Disposition::none);
            a.assigned_to = s.text(5);
            a.closed_by = s.text(6);
            // A row this store wrote always parses; a hand-edited one must not crash a restart.
            const auto tracks = nlohmann::json::parse(s.text(7), nullptr, false);
            a.tracks.clear();
            if (tracks.is_array())
                for (const auto& t : tracks)
                    if (t.is_number_unsigned()) a.tracks.push_back(t.get<TrackId>());
        }
    }
    {
        Statement& s = st_->evidence_by_id;
        sqlite::ResetGuard guard(s);
        s.bind(1, static_cast<std::int64_t>(a.id));
        a.timeline.clear();
        while (s.step()) {
            Evidence e;
            e.seq = static_cast<std::uint32_t>(s.i64(0));
            e.kind = alert_kind_from_string(s.text(1)).value_or(AlertKind::zone_entry);
            e.severity = severity_from_string(s.text(2)).value_or(Severity::medium);
            e.rule = s.text(3);
            e.zone = s.text(4);
            e.track = static_cast<TrackId>(s.i64(5));
            if (!s.is_null(6)) e.other_track = static_cast<TrackId>(s.i64(6));
            if (!s.is_null(7)) e.mmsi = static_cast<Mmsi>(s.i64(7));
            e.where = {s.f64(8), s.f64(9)};
            e.first = Timestamp{s.i64(10)};
            e.last = Timestamp{s.i64(11)};
            e.count = static_cast<std::uint32_t>(s.i64(12));
            e.message = s.text(13);
            e.targets = targets_from_json(s.text(14));
            a.timeline.push_back(std::move(e));
        }
    }
    Statement& s = st_->notes_by_id;
    sqlite::ResetGuard guard(s);
    s.bind(1, static_cast<std::int64_t>(a.id));
    a.notes.clear();
    while (s.step()) a.notes.push_back(Note{Timestamp{s.i64(0)}, s.text(1), s.text(2)});
}

std::vector<AuditEntry> IncidentTables::audit_trail(AlertId id) const {
    std::vector<AuditEntry> out;
    Statement& s = st_->audit_by_id;
    sqlite::ResetGuard guard(s);
    s.bind(1, static_cast<std::int64_t>(id));
    while (s.step())
        out.push_back(AuditEntry{s.i64(0), static_cast<AlertId>(s.i64(1)), Timestamp{s.i64(2)},
                                 s.text(3), s.text(4), s.text(5), s.text(6)});
    return out;
}

std::vector<IncidentClosure> IncidentTables::closures_since(Timestamp from) const {
    std::vector<IncidentClosure> out;
    Statement& s = st_->closures;
    sqlite::ResetGuard guard(s);
    s.bind(1, from.ns);
    while (s.step()) {
        const auto id = static_cast<AlertId>(s.i64(0));
        if (out.empty() || out.back().id != id) {
            IncidentClosure c;
            c.id = id;
            c.closed_at = Timestamp{s.i64(1)};
            c.disposition = disposition_from_string(s.text(2)).value_or(Disposition::none);
            out.push_back(std::move(c));
        }
        out.back().rules.push_back(s.text(3));
    }
    return out;
}

}  // namespace picket::outputs
