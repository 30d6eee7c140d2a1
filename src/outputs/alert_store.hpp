#pragma once
/// The embedded store (SqliteStore, the default behind outputs::Store, store.hpp): alerts,
/// acknowledgements and operator actions in one embedded SQLite database (WAL journal), and track
/// history in day files beside it (track_history.hpp,
/// `<dir>/<name>-history/`).
///
/// Contract with the server: an alert or action is written here BEFORE it is published, so
/// anything a console has seen is on disk. save_alert() and record_action() commit immediately
/// (one autocommit statement each); save() commits a batch of them in one transaction;
/// save_track_points() writes one transaction per call. The server calls all of them on its
/// persistence thread (src/persist/persistence_stage.hpp), never on the fusion thread.
///
/// Durability reasoning (see docs/outputs.md): in WAL mode a commit appends the transaction's
/// pages and a commit frame to the -wal file with write(2). Once write(2) returns, the data is in
/// the kernel's page cache, which survives the death of the process (kill -9, crash, OOM kill):
/// the next opener replays the WAL. synchronous=NORMAL omits only the fsync at commit, which
/// matters for power loss or a kernel crash, not for a process kill; the database stays
/// consistent either way (the WAL checksums cut off a torn tail). Options::fsync_every_commit
/// selects synchronous=FULL for deployments that must also survive power loss.
///
/// Not thread-safe: one thread at a time (the server's persistence thread; `picket export` opens
/// its own).
/// SQLite errors (disk full, corrupt file) throw std::runtime_error with the SQLite message.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/alert.hpp"
#include "core/time.hpp"
#include "core/track.hpp"
#include "src/outputs/incident_store.hpp"
#include "src/outputs/store.hpp"
#include "src/outputs/track_history.hpp"
#include "src/outputs/track_point.hpp"

struct sqlite3;

namespace picket::outputs {

class SqliteStore final : public Store {
public:
    struct Options {
        /// synchronous=FULL: also survive power loss, at the cost of an fsync per commit.
        bool fsync_every_commit{false};
        /// Open without creating or migrating (for `picket export`); throws if the file is missing.
        bool read_only{false};
    };

    /// Opens or creates the database at `path` (":memory:" works for tests). Throws
    /// std::runtime_error naming the path when it cannot be opened or is not a picket store.
    explicit SqliteStore(const std::string& path);
    SqliteStore(const std::string& path, Options options);
    ~SqliteStore() override;
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    /// Inserts the alert, or replaces every field of the alert with the same id. Committed
    /// (and visible to a restart after kill -9) when this returns.
    void save_alert(const Alert& alert) override;

    /// Appends an operator action to the audit log. Committed when this returns.
    void record_action(Timestamp time, std::string user, std::string command_json,
                       std::string result) override;

    /// Alerts (upserted) and actions (appended) in one transaction: the persistence thread's
    /// batches (src/persist). Committed when this returns; nothing of it when it throws.
    void save(std::span<const Alert> alerts, std::span<const ActionRecord> actions) override;

    /// Appends one position per track (time = track.updated) in one transaction. A track whose
    /// `updated` time is already stored is skipped, so calling this every cycle for coasting
    /// tracks stores nothing new. Deleted tracks are not stored.
    using Store::save_track_points;
    /// Day files beside the database (track_history.hpp).
    void save_track_points(std::span<const TrackPoint> points) override;

    /// Deletes track history older than `cutoff` (retention); returns rows removed. Whole days
    /// are deleted files; only the cutoff's own day is a DELETE.
    std::int64_t prune_track_points_before(Timestamp cutoff) override;

    /// What a restarting server needs (Store::restore).
    [[nodiscard]] Restored restore() const override;

    /// Alerts raised in [from, to], by id.
    [[nodiscard]] std::vector<Alert> alerts_between(Timestamp from, Timestamp to) const override;
    /// Track history in [from, to], ordered by track id then time.
    [[nodiscard]] std::vector<TrackPoint> track_points_between(Timestamp from,
                                                               Timestamp to) const override;
    /// Operator actions in [from, to], in the order recorded.
    [[nodiscard]] std::vector<ActionRecord> actions_between(Timestamp from,
                                                            Timestamp to) const override;
    /// One alert by id.
    [[nodiscard]] std::optional<Alert> find_alert(AlertId id) const override;

    /// Where the track history of the store at `path` lives: "data/picket.db" ->
    /// "data/picket-history"; ":memory:" stays in memory.
    static std::string history_directory(const std::string& path);

    /// The incident tables (timeline, workflow, notes, audit: incident_store.hpp).
    [[nodiscard]] const IncidentTables& incidents() const { return *incidents_; }
    /// Incidents closed at or after `from` (the false-alarm share after a restart).
    [[nodiscard]] std::vector<IncidentClosure> closures_since(Timestamp from) const override;
    [[nodiscard]] std::vector<AuditEntry> audit_trail(AlertId id) const override;
    /// The day files beside the database, opened again (the history thread's own handle).
    [[nodiscard]] std::unique_ptr<HistoryStore> open_history() const override;

private:
    struct Statements;
    TrackHistory& history() const;

    std::string history_dir_;
    bool read_only_{false};
    bool legacy_points_{false};  ///< a pre-#18 file with history in a table of its own
    sqlite3* db_{nullptr};
    std::unique_ptr<Statements> st_;
    mutable std::unique_ptr<TrackHistory> history_;
    std::unique_ptr<IncidentTables> incidents_;
};

}  // namespace picket::outputs
