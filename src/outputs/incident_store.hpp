#pragma once
/// The incident tables beside the alert store (src/outputs/alert_store.hpp), on its SQLite
/// connection: each incident's evidence timeline, its workflow state (tracks, assignment,
/// disposition, re-opens), the operators' notes, and an audit trail of every workflow change
/// with who made it and when. Store::save_alert writes them with the incident's header row,
/// before the update is published, so what a console has seen is on disk.
///
/// Tables (docs/outputs.md): incident_state, incident_evidence, incident_notes, incident_audit.
/// They are created if missing, so a store written before incidents opens unchanged.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/alert.hpp"
#include "core/time.hpp"
#include "src/outputs/store.hpp"

struct sqlite3;

namespace picket::outputs {

class IncidentTables {
public:
    /// Creates the tables if missing (unless `read_only`) and prepares the statements.
    IncidentTables(sqlite3* db, bool read_only);
    ~IncidentTables();
    IncidentTables(const IncidentTables&) = delete;
    IncidentTables& operator=(const IncidentTables&) = delete;

    /// Writes one incident update: its state row, the timeline entries it changed (all of them
    /// when raised or restored), a note it added, and one audit row for a workflow change.
    void save(const Alert& a);
    /// Fills what the alerts table does not hold: timeline, tracks, workflow fields, notes.
    void load(Alert& a) const;
    /// The audit trail of one incident, oldest first.
    [[nodiscard]] std::vector<AuditEntry> audit_trail(AlertId id) const;
    /// Incidents closed at or after `from`, with the rules of their evidence.
    [[nodiscard]] std::vector<IncidentClosure> closures_since(Timestamp from) const;

private:
    struct Statements;
    sqlite3* db_;
    std::unique_ptr<Statements> st_;
};

}  // namespace picket::outputs
