#pragma once
/// An incident: one thing that happened to one target (or a group of targets, or sensor-only
/// detections close in space and time), the timeline of what the rules found about it, where it
/// stands in the operator's workflow, and what the operator concluded (docs/rules.md,
/// "Incidents"). The struct keeps its first name, `Alert`, as the wire topic does (`alert`);
/// `Incident` names the same thing.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geodetic.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "core/track.hpp"

namespace picket {

enum class AlertKind : std::uint8_t {
    zone_entry,
    zone_exit,
    zone_presence,
    border_crossing,
    approach,
    speeding,
    dark_target,
    ais_gap,
    loitering,
    rendezvous,
    ais_anomaly,
    ground_detection,
};
inline constexpr int kAlertKindCount = 12;
std::string_view to_string(AlertKind k);
std::optional<AlertKind> alert_kind_from_string(std::string_view s);

enum class Severity : std::uint8_t { info, low, medium, high, critical };
std::string_view to_string(Severity s);
std::optional<Severity> severity_from_string(std::string_view s);

/// Lifecycle: open (new) -> acknowledged -> closed. Escalation marks an open incident that was
/// not acknowledged in time; it stays open. Worse evidence may re-open it (IncidentPolicy).
enum class AlertState : std::uint8_t { open, acknowledged, closed };
std::string_view to_string(AlertState s);
std::optional<AlertState> alert_state_from_string(std::string_view s);

/// What the operator concluded when closing an incident.
enum class Disposition : std::uint8_t { none, confirmed, false_alarm, duplicate, exercise };
std::string_view to_string(Disposition d);
std::optional<Disposition> disposition_from_string(std::string_view s);

/// What the latest update of an incident was (the `change` of its `alert` message).
enum class IncidentChange : std::uint8_t {
    raised,        ///< a new incident
    evidence,      ///< a new timeline entry
    repeated,      ///< an entry found again (a sensor firing again): its count went up
    escalated,     ///< not acknowledged in time: severity one step up
    acknowledged,  ///< by an operator
    reopened,      ///< evidence worse than any before, after an acknowledgement or a close
    resolved,      ///< its conditions have been clear for a while: it takes no more evidence
    assigned,      ///< to a patrol asset (or unassigned)
    noted,         ///< an operator's note
    closed,        ///< by an operator, with a disposition
    restored,      ///< re-announced after a server restart
};
std::string_view to_string(IncidentChange c);

/// One entry of an incident's timeline: what one rule found about its target(s). The same rule
/// finding the same thing again while its condition holds (a ground sensor firing again, an
/// anomaly reported again) updates the entry (count, last) instead of adding one.
/// One target of a timeline entry (docs/protocol.md, version 3).
struct EvidenceTarget {
    TrackId track{0};
    Timestamp first;  ///< when its finding joined the entry
    LatLon where;     ///< where it was then
};

struct Evidence {
    std::uint32_t seq{0};  ///< 1, 2, ... in the order entries were added
    AlertKind kind{AlertKind::zone_entry};
    Severity severity{Severity::medium};
    std::string rule;  ///< rule name from the rule file
    std::string zone;  ///< zone or border name (empty when not zonal)
    TrackId track{0};  ///< 0: a sensor-only detection, or an anomaly no track carries
    std::optional<TrackId> other_track;  ///< rendezvous partner
    /// Each target this entry is about, with when and where it was first found in it: a
    /// group's members (two people walking together), else `track` alone. A target's later
    /// track (lost and found again) continues its entry without adding one.
    std::vector<EvidenceTarget> targets;
    Mmsi mmsi{0};  ///< the identity it is about (0: none known)
    LatLon where;
    Timestamp first;
    Timestamp last;
    std::uint32_t count{1};
    std::string message;  ///< one line for the operator, e.g. "crossed TLS -> IDN at 3.0 kn"
};

/// An operator's note on an incident.
struct Note {
    Timestamp time;
    std::string by;
    std::string text;
};

struct Alert {
    AlertId id{0};
    // The headline: the most severe evidence (the latest of equals).
    AlertKind kind{AlertKind::zone_entry};
    Severity severity{Severity::medium};  ///< highest evidence severity, one step up if escalated
    std::string rule;
    std::string zone;
    std::string message;
    TrackId track{0};  ///< the first track involved (0: none, e.g. a sensor-only detection)
    std::optional<TrackId> other_track;  ///< rendezvous partner
    std::vector<TrackId> tracks;         ///< every track involved
    LatLon where;                        ///< where the latest evidence was found
    Timestamp when;                      ///< raised
    Timestamp updated;                   ///< last change
    Track evidence;                      ///< the latest evidence's track (or detection) state
    std::vector<Evidence> timeline;
    AlertState state{AlertState::open};
    bool escalated{false};
    bool active{true};  ///< its situation is going on: new evidence about its targets joins it
    std::uint32_t reopened{0};
    std::uint32_t revision{0};  ///< 1 when raised, one more per update
    IncidentChange change{IncidentChange::raised};
    std::string changed_by;  ///< operator of the latest change (empty: picket itself)
    std::string acknowledged_by;
    std::optional<Timestamp> acknowledged_at;
    std::optional<Timestamp> closed_at;
    std::string closed_by;  ///< operator who closed it (empty while open)
    Disposition disposition{Disposition::none};
    std::string assigned_to;  ///< patrol asset id (empty: none)
    std::vector<Note> notes;
};
using Incident = Alert;

/// One closed incident, for the false-alarm share per rule (which rules found it, what the
/// operator concluded).
struct IncidentClosure {
    AlertId id{0};
    Timestamp closed_at;
    Disposition disposition{Disposition::none};
    std::vector<std::string> rules;  ///< distinct rule names of its evidence
};

}  // namespace picket
