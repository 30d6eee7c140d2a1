#pragma once
/// The store interface: alerts, acknowledgements, operator actions, incidents (timeline,
/// workflow, notes, audit) and track history, whatever keeps them. Two implementations:
///   - SqliteStore (alert_store.hpp): one embedded SQLite file per server, the default;
///   - PgStore (src/store/pg_store.hpp): a PostgreSQL + PostGIS database several servers and
///     consoles share (issue 16 item 3).
/// open_store() (src/store/open_store.hpp) picks one from the configured location.
///
/// Contract with the server, for every implementation: an alert or action is written here
/// BEFORE it is published, so anything a console has seen is stored. save_alert(),
/// record_action() and save() are committed (and survive kill -9 of the process) when they
/// return; nothing of a save() when it throws. The server calls them on its persistence thread
/// (src/persist/persistence_stage.hpp), never on the fusion thread; track history is written
/// through open_history() on a thread of its own.
///
/// Not thread-safe: one thread at a time per object. Errors (disk full, connection lost)
/// throw std::runtime_error with the backend's message.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/alert.hpp"
#include "core/time.hpp"
#include "core/track.hpp"
#include "src/outputs/track_point.hpp"

namespace picket::outputs {

/// One operator action as recorded.
struct ActionRecord {
    std::int64_t seq{0};
    Timestamp time;
    std::string user;
    std::string command_json;
    std::string result;
};

/// One row of an incident's audit trail.
struct AuditEntry {
    std::int64_t seq{0};
    AlertId incident{0};
    Timestamp time;
    std::string change;  ///< IncidentChange name: raised, acknowledged, closed, assigned...
    std::string user;    ///< operator, empty for picket's own changes (raised, escalated...)
    std::string state;   ///< the incident's state after the change
    std::string detail;  ///< disposition, asset, note, headline: what changed
};

/// Where track history goes: SQLite day files (track_history.hpp) or a PostgreSQL table
/// partitioned by day (src/store/pg_history.hpp). One thread at a time.
class HistoryStore {
public:
    virtual ~HistoryStore() = default;
    /// Appends the points in one transaction per call (per day file for SQLite). A point whose
    /// time is not after the last one this object wrote for its track is skipped; deleted tracks
    /// are skipped.
    virtual void save(std::span<const TrackPoint> points) = 0;
    /// Points in [from, to], ordered by track id then time.
    [[nodiscard]] virtual std::vector<TrackPoint> between(Timestamp from, Timestamp to) const = 0;
    /// Deletes every point before `cutoff` (whole days are dropped files or partitions); returns
    /// the number of points removed.
    virtual std::int64_t prune_before(Timestamp cutoff) = 0;
    /// Bytes the history takes on disk (for /metrics), 0 when unknown.
    [[nodiscard]] virtual std::uint64_t disk_bytes() const = 0;
};

class Store {
public:
    virtual ~Store() = default;

    /// Inserts the alert (with its incident rows), or replaces every field of the alert with the
    /// same id. Committed when this returns.
    virtual void save_alert(const Alert& alert) = 0;

    /// Appends an operator action to the audit log. Committed when this returns.
    virtual void record_action(Timestamp time, std::string user, std::string command_json,
                               std::string result) = 0;

    /// Alerts (upserted) and actions (appended) in one transaction: the persistence thread's
    /// batches (src/persist). Committed when this returns; nothing of it when it throws.
    virtual void save(std::span<const Alert> alerts, std::span<const ActionRecord> actions) = 0;

    /// Appends one position per track (time = track.updated) in one transaction. Deleted tracks
    /// are not stored.
    void save_track_points(std::span<const Track> tracks);
    /// The same for points already taken from tracks (track_point()).
    virtual void save_track_points(std::span<const TrackPoint> points) = 0;

    /// Deletes track history older than `cutoff` (retention); returns rows removed.
    virtual std::int64_t prune_track_points_before(Timestamp cutoff) = 0;

    struct Restored {
        AlertId next_alert_id{1};              ///< greater than every alert id ever stored
        std::vector<Alert> alerts_not_closed;  ///< open and acknowledged, by id (with timelines)
    };
    /// What a restarting server needs: where to continue alert ids, and which alerts to
    /// re-announce.
    [[nodiscard]] virtual Restored restore() const = 0;

    /// Alerts raised in [from, to], by id.
    [[nodiscard]] virtual std::vector<Alert> alerts_between(Timestamp from, Timestamp to) const = 0;
    /// Track history in [from, to], ordered by track id then time.
    [[nodiscard]] virtual std::vector<TrackPoint> track_points_between(Timestamp from,
                                                                       Timestamp to) const = 0;
    /// Operator actions in [from, to], in the order recorded.
    [[nodiscard]] virtual std::vector<ActionRecord> actions_between(Timestamp from,
                                                                    Timestamp to) const = 0;
    /// One alert by id.
    [[nodiscard]] virtual std::optional<Alert> find_alert(AlertId id) const = 0;
    /// Incidents closed at or after `from` (the false-alarm share after a restart).
    [[nodiscard]] virtual std::vector<IncidentClosure> closures_since(Timestamp from) const = 0;
    /// The audit trail of one incident, oldest first.
    [[nodiscard]] virtual std::vector<AuditEntry> audit_trail(AlertId id) const = 0;

    /// A second handle on this store's track history for the history thread (its own SQLite
    /// files or its own PostgreSQL connection).
    [[nodiscard]] virtual std::unique_ptr<HistoryStore> open_history() const = 0;
};

}  // namespace picket::outputs
