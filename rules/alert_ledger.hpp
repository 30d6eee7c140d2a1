#pragma once
/// The alert ledger: assigns alert ids, remembers which incidents are active so that a rule raises
/// once per incident, and carries each alert through its lifecycle
/// (open -> acknowledged -> closed, with escalation of open alerts not acknowledged in time).
///
/// The ledger owns no clock: every change takes the time it happens at. Changes are queued and
/// drained with take_updates() in the order they happened, so the server can persist and publish
/// them; replaying the same inputs gives the same ids in the same order.
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/alert.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"

namespace picket::rules {

/// What makes two alerts the same incident: the rule (compiled rule index), the subject (a track
/// id, or a sensor/object id for detections) and a rule-specific detail (rendezvous partner,
/// anomaly reason hash...). Ordered so that all incidents of one subject are contiguous.
struct IncidentKey {
    std::uint64_t subject{0};
    std::uint32_t rule{0};
    std::uint64_t detail{0};
    auto operator<=>(const IncidentKey&) const = default;
};

class AlertLedger {
public:
    /// `next_id` is the first id to hand out (ids start at 1; 0 means "no alert").
    explicit AlertLedger(AlertId next_id = 1);

    /// Restart: seeds the id counter and the alerts still open or acknowledged in the database.
    /// `next_id` is raised above every restored id if needed. Restored alerts have no incident
    /// key (the tracks they were about are gone) and escalate after `escalate_after` from when
    /// they were raised, if given. Queues no updates.
    void restore(std::vector<Alert> open_alerts, AlertId next_id,
                 const std::map<std::string, Duration>& escalate_after_by_rule = {});

    /// Opens an alert for `key` unless an incident with that key is already active. The ledger
    /// sets id, state and escalation fields. Returns the new id, or nullopt when suppressed.
    std::optional<AlertId> raise(const IncidentKey& key, Alert alert,
                                 std::optional<Duration> escalate_after);
    [[nodiscard]] bool incident_active(const IncidentKey& key) const;
    /// The incident's condition has cleared (after the rule's hysteresis): the next occurrence
    /// raises a new alert. The alert itself stays with the operator until closed.
    void clear_incident(const IncidentKey& key);
    /// Forgets every incident of a subject (a deleted track: its id is never reused).
    void clear_subject(std::uint64_t subject);

    /// Operator actions. Return false (and change nothing) for an unknown or closed alert, or
    /// when acknowledging an already acknowledged alert.
    bool acknowledge(AlertId id, const std::string& by, Timestamp at);
    bool close(AlertId id, const std::string& by, Timestamp at);

    /// Escalates every open (unacknowledged) alert whose escalate_after has run out by `now`:
    /// marks it escalated and raises its severity one step (critical stays critical).
    void tick(Timestamp now);

    /// Open and acknowledged alerts, sorted by id (for snapshots).
    [[nodiscard]] std::vector<Alert> open_alerts() const;
    [[nodiscard]] const Alert* find(AlertId id) const;
    [[nodiscard]] AlertId next_id() const { return next_id_; }
    [[nodiscard]] std::size_t active_incidents() const { return incidents_.size(); }

    /// New and changed alerts since the last call, in the order the changes happened.
    std::vector<Alert> take_updates();

private:
    struct Entry {
        Alert alert;
        std::optional<Timestamp> escalate_at;
    };
    void queue(const Alert& a) { updates_.push_back(a); }

    AlertId next_id_;
    std::map<AlertId, Entry> alerts_;                        // not closed; ordered by id
    std::map<IncidentKey, AlertId> incidents_;               // active incidents
    std::map<Timestamp, std::vector<AlertId>> escalations_;  // due time -> alerts (ordered)
    std::vector<Alert> updates_;
};

}  // namespace picket::rules
