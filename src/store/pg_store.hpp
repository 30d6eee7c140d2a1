#pragma once
/// The shared store on PostgreSQL + PostGIS (issue 16 item 3): the same contract as the
/// embedded SQLite store (src/outputs/store.hpp), in a database several servers and consoles
/// share. Tables: pg_schema.hpp; QGIS opens them directly.
///
/// Durability: the connection sets synchronous_commit=on, so a save that returned has its WAL
/// flushed to disk by PostgreSQL: it survives kill -9 of picket and of PostgreSQL, and power
/// loss. save_alert() is one transaction (the alert row and its incident rows together);
/// save() one transaction for a batch. Its statements go in libpq's pipeline mode and the one
/// wait is for the commit, so a batch costs one round trip (Options::pipeline).
///
/// Several servers on one database: each has a `site` number (outputs.store_site, 0..4095).
/// Its alert ids are site * 2^40 + 1, + 2, ... so two servers never raise the same id; restore()
/// continues and re-announces the server's own alerts only, while every query (find_alert,
/// alerts_between, the audit trail) sees every server's rows, acknowledgements included. Track
/// ids are per server: track history has a `site` column and a server reads back its own.
#include <memory>
#include <span>
#include <string>
#include <utility>

#include "src/outputs/store.hpp"

namespace picket::store {

namespace pg {
class Connection;
}

class PgStore final : public outputs::Store {
public:
    struct Options {
        int site{0};  ///< this server's number among those sharing the database, 0..4095
        /// A transaction's statements go in libpq's pipeline mode: one round trip per commit
        /// instead of one per statement (an ack is 4-5 statements). false: one at a time, the
        /// plain reference the tests compare it with.
        bool pipeline{true};
        /// Reading only (picket export, reports on a read-only role): the tables must exist
        /// already, nothing is created, every transaction is read-only.
        bool read_only{false};
    };
    static constexpr int kMaxSite = 4095;
    static constexpr int kSiteShift = 40;  ///< alert id = site << 40 | serial

    /// Connects, checks (or creates) PostGIS and the tables. Throws std::runtime_error with
    /// the reason: bad URL, server unreachable, authentication, PostGIS missing, a newer schema.
    explicit PgStore(const std::string& conninfo) : PgStore(conninfo, Options{}) {}
    PgStore(const std::string& conninfo, Options options);
    ~PgStore() override;
    PgStore(const PgStore&) = delete;
    PgStore& operator=(const PgStore&) = delete;

    void save_alert(const Alert& alert) override;
    void record_action(Timestamp time, std::string user, std::string command_json,
                       std::string result) override;
    void save(std::span<const Alert> alerts,
              std::span<const outputs::ActionRecord> actions) override;
    using Store::save_track_points;
    void save_track_points(std::span<const outputs::TrackPoint> points) override;
    std::int64_t prune_track_points_before(Timestamp cutoff) override;
    [[nodiscard]] Restored restore() const override;
    [[nodiscard]] std::vector<Alert> alerts_between(Timestamp from, Timestamp to) const override;
    [[nodiscard]] std::vector<outputs::TrackPoint> track_points_between(
        Timestamp from, Timestamp to) const override;
    [[nodiscard]] std::vector<outputs::ActionRecord> actions_between(Timestamp from,
                                                                     Timestamp to) const override;
    [[nodiscard]] std::optional<Alert> find_alert(AlertId id) const override;
    [[nodiscard]] std::vector<IncidentClosure> closures_since(Timestamp from) const override;
    [[nodiscard]] std::vector<outputs::AuditEntry> audit_trail(AlertId id) const override;
    /// The other servers' alerts not closed, by id (what a watch starts from: pg_alert_watch).
    [[nodiscard]] std::vector<Alert> others_not_closed() const;
    /// A PgHistory on a connection of its own (the history thread's).
    [[nodiscard]] std::unique_ptr<outputs::HistoryStore> open_history() const override;

    [[nodiscard]] int site() const { return options_.site; }

    // --- a hot standby pair on one site (docs/deployment.md, "Hot standby on a shared
    // PostgreSQL store") ----------------------------------------------------------------------
    /// The site's writer lock: a session advisory lock on this store's connection, held until
    /// the connection ends (PostgreSQL frees it the moment a killed server's connection
    /// closes). The serving server of a site holds it; a standby takes it when it takes over,
    /// so two servers never both write one site's rows. False when another session holds it.
    [[nodiscard]] bool try_lock_site();
    /// What a standby that took over writes of what its old primary may not have committed: an
    /// alert version is skipped when the database holds that revision or a later one, an action
    /// when the database has one of this site at the same time by the same user with the same
    /// command. The rest is one transaction, as save(). Returns {alert versions, actions}
    /// written. Call with the site's lock held (nobody else writes these rows meanwhile).
    std::pair<std::size_t, std::size_t> save_missing(
        std::span<const Alert> alerts, std::span<const outputs::ActionRecord> actions);

private:
    /// One transaction, pipelined or not (Options::pipeline).
    template <class F>
    void in_transaction(F&& body);
    void write_alert(const Alert& a);
    void write_incident(const Alert& a);
    void write_action(const outputs::ActionRecord& a);
    void load_incident(Alert& a) const;
    outputs::HistoryStore& history() const;

    std::string conninfo_;
    Options options_;
    std::unique_ptr<pg::Connection> conn_;
    mutable std::unique_ptr<outputs::HistoryStore> history_;
};

/// Creates PostGIS (when missing) and the tables, checking the schema version; under an
/// advisory lock, so servers starting together do not race. Used by PgStore and PgHistory.
void ensure_pg_schema(pg::Connection& conn);
/// For a reader: throws when the database has no picket tables or another schema version;
/// creates nothing.
void check_pg_schema(pg::Connection& conn);

}  // namespace picket::store
