#pragma once
/// What a store writes for an incident's change: the evidence entries it can have changed and
/// the audit row. The same in every store backend (SQLite, src/outputs/incident_store.cpp;
/// PostgreSQL, src/store/pg_store.cpp), so both hold the same rows and an auditor reads the same
/// trail whichever store a deployment uses.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

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

/// The timeline entries this update can have changed: all of them for a new or restored
/// incident, else the newest one and the one found last (a repeat updates an older entry).
inline std::vector<const Evidence*> changed_evidence(const Alert& a) {
    std::vector<const Evidence*> changed;
    if (a.change == IncidentChange::raised || a.change == IncidentChange::restored) {
        for (const Evidence& e : a.timeline) changed.push_back(&e);
    } else if (a.change == IncidentChange::evidence || a.change == IncidentChange::repeated ||
               a.change == IncidentChange::reopened) {
        if (!a.timeline.empty()) {
            changed.push_back(&a.timeline.back());
            const auto latest = std::max_element(
                a.timeline.begin(), a.timeline.end(),
                [](const Evidence& x, const Evidence& y) { return x.last < y.last; });
            if (&*latest != &a.timeline.back()) changed.push_back(&*latest);
        }
    }
    return changed;
}

/// A timeline entry's targets (a group's members, protocol version 3) as the stores keep them:
/// [{"track_id":..,"first_ns":..,"lat":..,"lon":..}].
inline std::string targets_to_json(const std::vector<EvidenceTarget>& targets) {
    nlohmann::json out = nlohmann::json::array();
    for (const EvidenceTarget& t : targets)
        out.push_back({{"track_id", t.track},
                       {"first_ns", t.first.ns},
                       {"lat", t.where.lat_deg},
                       {"lon", t.where.lon_deg}});
    return out.dump();
}

/// The inverse; a hand-edited row that does not parse gives no targets instead of failing a
/// restart.
inline std::vector<EvidenceTarget> targets_from_json(const std::string& text) {
    std::vector<EvidenceTarget> out;
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_array()) return out;
    for (const auto& t : j) {
        if (!t.is_object() || !t.contains("track_id") || !t["track_id"].is_number_unsigned())
            continue;
        EvidenceTarget x;
        x.track = t["track_id"].get<TrackId>();
        x.first = Timestamp{t.value("first_ns", std::int64_t{0})};
        x.where = {t.value("lat", 0.0), t.value("lon", 0.0)};
        out.push_back(x);
    }
    return out;
}

}  // namespace picket::outputs
