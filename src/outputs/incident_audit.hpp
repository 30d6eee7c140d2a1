#pragma once
/// What an incident's audit trail records of a change: the same rows in every store backend
/// (SQLite, src/outputs/incident_store.cpp; PostgreSQL, src/store/pg_store.cpp), so an auditor
/// reads the same trail whichever store a deployment uses.
#include <string>

#include "core/alert.hpp"

namespace picket::outputs {

/// Changes worth an audit row: not a new piece of evidence, not a repeat of a finding.
inline bool audited(IncidentChange c) {
    return c != IncidentChange::evidence && c != IncidentChange::repeated;
}

/// The row's detail: the disposition, the assignee, the note (first 500 characters), or what
/// was found.
inline std::string audit_detail(const Alert& a) {
    switch (a.change) {
        case IncidentChange::closed:
            return std::string(to_string(a.disposition));
        case IncidentChange::assigned:
            return a.assigned_to;
        case IncidentChange::noted:
            return a.notes.empty() ? std::string{} : a.notes.back().text.substr(0, 500);
        default:
            return std::string(to_string(a.kind)) + " " + a.rule + ": " + a.message;
    }
}

}  // namespace picket::outputs
