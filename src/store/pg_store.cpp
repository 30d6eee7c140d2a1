#include "src/store/pg_store.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "src/outputs/evidence_json.hpp"
#include "src/outputs/incident_audit.hpp"
#include "src/store/pg_alert_watch.hpp"
#include "src/store/pg_connection.hpp"
#include "src/store/pg_history.hpp"
#include "src/store/pg_schema.hpp"

namespace picket::store {
namespace {

using outputs::ActionRecord;
using outputs::AuditEntry;
using pg::Params;
using pg::Result;

/// Any number: the schema's DDL is serialised between servers starting together.
constexpr const char* kSchemaLock = "SELECT pg_advisory_xact_lock(7361426375)";

constexpr const char* kAlertColumns =
    "id, kind, severity, rule, zone, track_id, other_track_id, lat, lon, time_ns, message, state, "
    "escalated, acknowledged_by, acknowledged_at_ns, closed_at_ns, evidence_json";

std::string select_alerts(const char* where_order) {
    return std::string("SELECT ") + kAlertColumns + " FROM alerts " + where_order;
}

Alert alert_from_row(const Result& r, int row) {
    Alert a;
    a.id = static_cast<AlertId>(r.i64(row, 0));
    a.kind = alert_kind_from_string(r.text(row, 1)).value_or(AlertKind::zone_entry);
    a.severity = severity_from_string(r.text(row, 2)).value_or(Severity::medium);
    a.rule = r.text(row, 3);
    a.zone = r.text(row, 4);
    a.track = static_cast<TrackId>(r.i64(row, 5));
    if (!r.is_null(row, 6)) a.other_track = static_cast<TrackId>(r.i64(row, 6));
    a.where = {r.f64(row, 7), r.f64(row, 8)};
    a.when.ns = r.i64(row, 9);
    a.message = r.text(row, 10);
    a.state = outputs::alert_state_from(r.text(row, 11)).value_or(AlertState::open);
    a.escalated = r.boolean(row, 12);
    a.acknowledged_by = r.text(row, 13);
    if (!r.is_null(row, 14)) a.acknowledged_at = Timestamp{r.i64(row, 14)};
    if (!r.is_null(row, 15)) a.closed_at = Timestamp{r.i64(row, 15)};
    // A row this store wrote always parses; a hand-edited one must not crash a restart.
    const auto ev = nlohmann::json::parse(r.text(row, 16), nullptr, false);
    if (ev.is_object()) a.evidence = outputs::track_from_json(ev);
    return a;
}

template <class T>
Params& add_opt_time(Params& p, const std::optional<T>& t) {
    return t ? p.add(t->ns) : p.add_null();
}

}  // namespace

void ensure_pg_schema(pg::Connection& conn) {
    conn.transaction([&] {
        conn.exec(kSchemaLock);
        if (conn.exec("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").rows() == 0) {
            try {
                conn.exec("CREATE EXTENSION postgis");
            } catch (const std::exception& e) {
                throw std::runtime_error(
                    std::string(e.what()) +
                    " (PostGIS must be installed: Debian postgresql-15-postgis-3, then "
                    "CREATE EXTENSION postgis as a superuser in the database)");
            }
        }
        const bool exists = !conn.exec("SELECT to_regclass('picket_schema')").is_null(0, 0);
        if (exists) {
            const Result v = conn.exec("SELECT max(version) FROM picket_schema");
            if (!v.is_null(0, 0) && v.i64(0, 0) != kPgSchemaVersion)
                throw std::runtime_error("store: the database has picket schema version " +
                                         v.text(0, 0) + ", expected " +
                                         std::to_string(kPgSchemaVersion));
        }
        conn.exec(kPgSchema);
        if (conn.exec("SELECT 1 FROM picket_schema").rows() == 0)
            conn.exec("INSERT INTO picket_schema VALUES(" + std::to_string(kPgSchemaVersion) + ")");
    });
}

void check_pg_schema(pg::Connection& conn) {
    if (conn.exec("SELECT to_regclass('picket_schema')").is_null(0, 0))
        throw std::runtime_error(
            "store: no picket tables in this database (no picket server has written to it)");
    const Result v = conn.exec("SELECT max(version) FROM picket_schema");
    if (v.is_null(0, 0) || v.i64(0, 0) != kPgSchemaVersion)
        throw std::runtime_error("store: the database has picket schema version " +
                                 (v.is_null(0, 0) ? std::string("(none)") : v.text(0, 0)) +
                                 ", expected " + std::to_string(kPgSchemaVersion));
}

PgStore::PgStore(const std::string& conninfo, Options options)
    : conninfo_(conninfo), options_(options) {
    if (options.site < 0 || options.site > kMaxSite)
        throw std::runtime_error("store: site must be within 0.." + std::to_string(kMaxSite));
    conn_ = std::make_unique<pg::Connection>(conninfo);
    // A reported commit is on disk, whatever the server's default.
    conn_->exec("SET synchronous_commit = on");
    if (options.read_only) {
        // PostgreSQL itself refuses any write then, whatever the role may do.
        conn_->exec("SET default_transaction_read_only = on");
        check_pg_schema(*conn_);
    } else {
        ensure_pg_schema(*conn_);
    }
    conn_->prepare("upsert_alert",
                   "INSERT INTO alerts(id, kind, severity, rule, zone, track_id, other_track_id, "
                   "lat, lon, time_ns, message, state, escalated, acknowledged_by, "
                   "acknowledged_at_ns, closed_at_ns, evidence_json) "
                   "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17) "
                   "ON CONFLICT(id) DO UPDATE SET kind=$2, severity=$3, rule=$4, zone=$5, "
                   "track_id=$6, other_track_id=$7, lat=$8, lon=$9, time_ns=$10, message=$11, "
                   "state=$12, escalated=$13, acknowledged_by=$14, acknowledged_at_ns=$15, "
                   "closed_at_ns=$16, evidence_json=$17");
    // Heard by the other servers' watches once the transaction commits (pg_alert_watch.hpp).
    conn_->prepare("notify_alert", std::string("SELECT pg_notify('") + kAlertChannel + "', $1)");
    conn_->prepare("insert_action",
                   "INSERT INTO actions(site, time_ns, \"user\", command_json, result) "
                   "VALUES($1,$2,$3,$4,$5)");
    conn_->prepare("upsert_state",
                   "INSERT INTO incident_state(incident_id, revision, updated_ns, active, "
                   "reopened, disposition, assigned_to, closed_by, tracks_json) "
                   "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT(incident_id) DO UPDATE "
                   "SET revision=$2, updated_ns=$3, active=$4, reopened=$5, disposition=$6, "
                   "assigned_to=$7, closed_by=$8, tracks_json=$9");
    conn_->prepare("upsert_evidence",
                   "INSERT INTO incident_evidence(incident_id, seq, kind, severity, rule, zone, "
                   "track_id, other_track_id, mmsi, lat, lon, first_ns, last_ns, count, message, "
                   "targets_json) "
                   "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16) "
                   "ON CONFLICT(incident_id, seq) DO UPDATE SET lat=$10, lon=$11, last_ns=$13, "
                   "count=$14, message=$15, targets_json=$16");
    conn_->prepare("insert_note",
                   "INSERT INTO incident_notes(incident_id, time_ns, \"user\", text) "
                   "VALUES($1,$2,$3,$4)");
    conn_->prepare("insert_audit",
                   "INSERT INTO incident_audit(incident_id, time_ns, change, \"user\", state, "
                   "detail) VALUES($1,$2,$3,$4,$5,$6)");
}

PgStore::~PgStore() = default;

void PgStore::write_alert(const Alert& a) {
    Params p;
    p.add(static_cast<std::int64_t>(a.id))
        .add(std::string(to_string(a.kind)))
        .add(std::string(to_string(a.severity)))
        .add(a.rule)
        .add(a.zone)
        .add(static_cast<std::int64_t>(a.track))
        .add_opt(a.other_track)
        .add(a.where.lat_deg)
        .add(a.where.lon_deg)
        .add(a.when.ns)
        .add(a.message)
        .add(std::string(to_string(a.state)))
        .add(a.escalated)
        .add(a.acknowledged_by);
    add_opt_time(p, a.acknowledged_at);
    add_opt_time(p, a.closed_at);
    p.add(outputs::track_to_json(a.evidence).dump());
    conn_->send("upsert_alert", p);
    write_incident(a);
    conn_->send("notify_alert", Params().add(alert_notification(a)));
}

void PgStore::write_incident(const Alert& a) {
    {
        Params p;
        p.add(static_cast<std::int64_t>(a.id))
            .add(static_cast<std::int64_t>(a.revision))
            .add(a.updated.ns)
            .add(a.active)
            .add(static_cast<std::int64_t>(a.reopened))
            .add(std::string(to_string(a.disposition)))
            .add(a.assigned_to)
            .add(a.closed_by)
            .add(nlohmann::json(a.tracks).dump());
        conn_->send("upsert_state", p);
    }
    for (const Evidence* e : outputs::changed_evidence(a)) {
        Params p;
        p.add(static_cast<std::int64_t>(a.id))
            .add(static_cast<std::int64_t>(e->seq))
            .add(std::string(to_string(e->kind)))
            .add(std::string(to_string(e->severity)))
            .add(e->rule)
            .add(e->zone)
            .add(static_cast<std::int64_t>(e->track))
            .add_opt(e->other_track);
        if (e->mmsi)
            p.add(static_cast<std::int64_t>(e->mmsi));
        else
            p.add_null();
        p.add(e->where.lat_deg)
            .add(e->where.lon_deg)
            .add(e->first.ns)
            .add(e->last.ns)
            .add(static_cast<std::int64_t>(e->count))
            .add(e->message)
            .add(outputs::targets_to_json(e->targets));
        conn_->send("upsert_evidence", p);
    }
    if (a.change == IncidentChange::noted && !a.notes.empty()) {
        const Note& n = a.notes.back();
        conn_->send(
            "insert_note",
            Params().add(static_cast<std::int64_t>(a.id)).add(n.time.ns).add(n.by).add(n.text));
    }
    if (outputs::audited(a.change)) {
        conn_->send("insert_audit", Params()
                                        .add(static_cast<std::int64_t>(a.id))
                                        .add(a.updated.ns)
                                        .add(std::string(to_string(a.change)))
                                        .add(a.changed_by)
                                        .add(std::string(to_string(a.state)))
                                        .add(outputs::audit_detail(a)));
    }
}

void PgStore::write_action(const ActionRecord& a) {
    conn_->send("insert_action", Params()
                                     .add(std::int64_t{options_.site})
                                     .add(a.time.ns)
                                     .add(a.user)
                                     .add(a.command_json)
                                     .add(a.result));
}

template <class F>
void PgStore::in_transaction(F&& body) {
    if (options_.pipeline)
        conn_->pipelined_transaction(std::forward<F>(body));
    else
        conn_->transaction(std::forward<F>(body));
}

void PgStore::save_alert(const Alert& alert) {
    in_transaction([&] { write_alert(alert); });
}

void PgStore::record_action(Timestamp time, std::string user, std::string command_json,
                            std::string result) {
    write_action(
        ActionRecord{0, time, std::move(user), std::move(command_json), std::move(result)});
}

void PgStore::save(std::span<const Alert> alerts, std::span<const ActionRecord> actions) {
    in_transaction([&] {
        for (const Alert& a : alerts) write_alert(a);
        for (const ActionRecord& a : actions) write_action(a);
    });
}

outputs::HistoryStore& PgStore::history() const {
    if (!history_) history_ = open_history();
    return *history_;
}

void PgStore::save_track_points(std::span<const outputs::TrackPoint> points) {
    history().save(points);
}

std::int64_t PgStore::prune_track_points_before(Timestamp cutoff) {
    return history().prune_before(cutoff);
}

std::vector<outputs::TrackPoint> PgStore::track_points_between(Timestamp from, Timestamp to) const {
    return history().between(from, to);
}

std::unique_ptr<outputs::HistoryStore> PgStore::open_history() const {
    return std::make_unique<PgHistory>(
        conninfo_, PgHistory::Options{.site = options_.site, .read_only = options_.read_only});
}

void PgStore::load_incident(Alert& a) const {
    const auto id = static_cast<std::int64_t>(a.id);
    const Result s = conn_->exec(
        "SELECT revision, updated_ns, active, reopened, disposition, assigned_to, closed_by, "
        "tracks_json FROM incident_state WHERE incident_id = $1",
        Params().add(id));
    if (s.rows() > 0) {
        a.revision = static_cast<std::uint32_t>(s.i64(0, 0));
        a.updated = Timestamp{s.i64(0, 1)};
        a.active = s.boolean(0, 2);
        a.reopened = static_cast<std::uint32_t>(s.i64(0, 3));
        a.disposition = disposition_from_string(s.text(0, 4)).value_or(Disposition::none);
        a.assigned_to = s.text(0, 5);
        a.closed_by = s.text(0, 6);
        const auto tracks = nlohmann::json::parse(s.text(0, 7), nullptr, false);
        a.tracks.clear();
        if (tracks.is_array())
            for (const auto& t : tracks)
                if (t.is_number_unsigned()) a.tracks.push_back(t.get<TrackId>());
    }
    const Result e = conn_->exec(
        "SELECT seq, kind, severity, rule, zone, track_id, other_track_id, mmsi, lat, lon, "
        "first_ns, last_ns, count, message, targets_json FROM incident_evidence "
        "WHERE incident_id = $1 ORDER BY seq",
        Params().add(id));
    a.timeline.clear();
    for (int r = 0; r < e.rows(); ++r) {
        Evidence ev;
        ev.seq = static_cast<std::uint32_t>(e.i64(r, 0));
        ev.kind = alert_kind_from_string(e.text(r, 1)).value_or(AlertKind::zone_entry);
        ev.severity = severity_from_string(e.text(r, 2)).value_or(Severity::medium);
        ev.rule = e.text(r, 3);
        ev.zone = e.text(r, 4);
        ev.track = static_cast<TrackId>(e.i64(r, 5));
        if (!e.is_null(r, 6)) ev.other_track = static_cast<TrackId>(e.i64(r, 6));
        if (!e.is_null(r, 7)) ev.mmsi = static_cast<Mmsi>(e.i64(r, 7));
        ev.where = {e.f64(r, 8), e.f64(r, 9)};
        ev.first = Timestamp{e.i64(r, 10)};
        ev.last = Timestamp{e.i64(r, 11)};
        ev.count = static_cast<std::uint32_t>(e.i64(r, 12));
        ev.message = e.text(r, 13);
        ev.targets = outputs::targets_from_json(e.text(r, 14));
        a.timeline.push_back(std::move(ev));
    }
    const Result n = conn_->exec(
        "SELECT time_ns, \"user\", text FROM incident_notes WHERE incident_id = $1 ORDER BY seq",
        Params().add(id));
    a.notes.clear();
    for (int r = 0; r < n.rows(); ++r)
        a.notes.push_back(Note{Timestamp{n.i64(r, 0)}, n.text(r, 1), n.text(r, 2)});
}

outputs::Store::Restored PgStore::restore() const {
    // This server's id range only: another server's alerts are its own to re-announce.
    const std::int64_t first = std::int64_t{options_.site} << kSiteShift;
    const std::int64_t end = first + (std::int64_t{1} << kSiteShift);
    Restored out;
    const Result max_id =
        conn_->exec("SELECT COALESCE(max(id), $1) FROM alerts WHERE id >= $1 AND id < $2",
                    Params().add(first).add(end));
    out.next_alert_id = static_cast<AlertId>(max_id.i64(0, 0)) + 1;
    const Result r =
        conn_->exec(select_alerts("WHERE state <> 'closed' AND id >= $1 AND id < $2 ORDER BY id"),
                    Params().add(first).add(end));
    for (int i = 0; i < r.rows(); ++i) out.alerts_not_closed.push_back(alert_from_row(r, i));
    for (Alert& a : out.alerts_not_closed) load_incident(a);
    return out;
}

std::vector<Alert> PgStore::others_not_closed() const {
    const std::int64_t first = std::int64_t{options_.site} << kSiteShift;
    const std::int64_t end = first + (std::int64_t{1} << kSiteShift);
    const Result r =
        conn_->exec(select_alerts("WHERE state <> 'closed' AND (id < $1 OR id >= $2) ORDER BY id"),
                    Params().add(first).add(end));
    std::vector<Alert> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(alert_from_row(r, i));
    for (Alert& a : out) load_incident(a);
    return out;
}

std::vector<Alert> PgStore::alerts_between(Timestamp from, Timestamp to) const {
    const Result r = conn_->exec(select_alerts("WHERE time_ns BETWEEN $1 AND $2 ORDER BY id"),
                                 Params().add(from.ns).add(to.ns));
    std::vector<Alert> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(alert_from_row(r, i));
    for (Alert& a : out) load_incident(a);
    return out;
}

std::optional<Alert> PgStore::find_alert(AlertId id) const {
    const Result r =
        conn_->exec(select_alerts("WHERE id = $1"), Params().add(static_cast<std::int64_t>(id)));
    if (r.rows() == 0) return std::nullopt;
    Alert a = alert_from_row(r, 0);
    load_incident(a);
    return a;
}

bool PgStore::try_lock_site() {
    // Two int keys: a space of their own, apart from the schema lock's single bigint key. The
    // schema in the key: servers of one site in two schemas of one database (the tests' way)
    // are two sites.
    const Result r =
        conn_->exec("SELECT pg_try_advisory_lock(hashtext(current_schema()::text), $1::integer)",
                    Params().add(std::int64_t{options_.site}));
    return r.boolean(0, 0);
}

std::pair<std::size_t, std::size_t> PgStore::save_missing(std::span<const Alert> alerts,
                                                          std::span<const ActionRecord> actions) {
    std::vector<Alert> missing_alerts;
    for (const Alert& a : alerts) {
        const Result r = conn_->exec("SELECT revision FROM incident_state WHERE incident_id = $1",
                                     Params().add(static_cast<std::int64_t>(a.id)));
        if (r.rows() > 0 && r.i64(0, 0) >= static_cast<std::int64_t>(a.revision)) continue;
        missing_alerts.push_back(a);
    }
    std::vector<ActionRecord> missing_actions;
    for (const ActionRecord& a : actions) {
        const Result r = conn_->exec(
            "SELECT 1 FROM actions WHERE site = $1 AND time_ns = $2 AND \"user\" = $3 AND "
            "command_json = $4",
            Params()
                .add(std::int64_t{options_.site})
                .add(a.time.ns)
                .add(a.user)
                .add(a.command_json));
        if (r.rows() == 0) missing_actions.push_back(a);
    }
    if (!missing_alerts.empty() || !missing_actions.empty()) save(missing_alerts, missing_actions);
    return {missing_alerts.size(), missing_actions.size()};
}

std::vector<ActionRecord> PgStore::actions_between(Timestamp from, Timestamp to) const {
    const Result r = conn_->exec(
        "SELECT seq, time_ns, \"user\", command_json, result FROM actions "
        "WHERE time_ns BETWEEN $1 AND $2 ORDER BY seq",
        Params().add(from.ns).add(to.ns));
    std::vector<ActionRecord> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back(ActionRecord{r.i64(i, 0), Timestamp{r.i64(i, 1)}, r.text(i, 2), r.text(i, 3),
                                   r.text(i, 4)});
    return out;
}

std::vector<IncidentClosure> PgStore::closures_since(Timestamp from) const {
    const std::int64_t first = std::int64_t{options_.site} << kSiteShift;
    const std::int64_t end = first + (std::int64_t{1} << kSiteShift);
    const Result r = conn_->exec(
        "SELECT a.id, a.closed_at_ns, s.disposition, e.rule FROM alerts a "
        "JOIN incident_state s ON s.incident_id = a.id "
        "JOIN incident_evidence e ON e.incident_id = a.id "
        "WHERE a.state = 'closed' AND a.closed_at_ns >= $1 AND a.id >= $2 AND a.id < $3 "
        "GROUP BY a.id, a.closed_at_ns, s.disposition, e.rule "
        "ORDER BY a.id, e.rule COLLATE \"C\"",
        Params().add(from.ns).add(first).add(end));
    std::vector<IncidentClosure> out;
    for (int i = 0; i < r.rows(); ++i) {
        const auto id = static_cast<AlertId>(r.i64(i, 0));
        if (out.empty() || out.back().id != id) {
            IncidentClosure c;
            c.id = id;
            c.closed_at = Timestamp{r.i64(i, 1)};
            c.disposition = disposition_from_string(r.text(i, 2)).value_or(Disposition::none);
            out.push_back(std::move(c));
        }
        out.back().rules.push_back(r.text(i, 3));
    }
    return out;
}

std::vector<AuditEntry> PgStore::audit_trail(AlertId id) const {
    const Result r = conn_->exec(
        "SELECT seq, incident_id, time_ns, change, \"user\", state, detail FROM incident_audit "
        "WHERE incident_id = $1 ORDER BY seq",
        Params().add(static_cast<std::int64_t>(id)));
    std::vector<AuditEntry> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back(AuditEntry{r.i64(i, 0), static_cast<AlertId>(r.i64(i, 1)),
                                 Timestamp{r.i64(i, 2)}, r.text(i, 3), r.text(i, 4), r.text(i, 5),
                                 r.text(i, 6)});
    return out;
}

}  // namespace picket::store
