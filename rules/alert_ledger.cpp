#include "rules/alert_ledger.hpp"

#include <algorithm>
#include <utility>

namespace picket::rules {

AlertLedger::AlertLedger(AlertId next_id) : next_id_(std::max<AlertId>(next_id, 1)) {}

void AlertLedger::restore(std::vector<Alert> open_alerts, AlertId next_id,
                          const std::map<std::string, Duration>& escalate_after_by_rule) {
    alerts_.clear();
    incidents_.clear();
    escalations_.clear();
    next_id_ = std::max<AlertId>(next_id, 1);
    for (auto& a : open_alerts) {
        if (a.state == AlertState::closed || a.id == 0) continue;
        next_id_ = std::max(next_id_, a.id + 1);
        Entry e{std::move(a), std::nullopt};
        if (auto it = escalate_after_by_rule.find(e.alert.rule);
            it != escalate_after_by_rule.end() && e.alert.state == AlertState::open &&
            !e.alert.escalated) {
            e.escalate_at = e.alert.when + it->second;
            escalations_[*e.escalate_at].push_back(e.alert.id);
        }
        const AlertId id = e.alert.id;
        alerts_.insert_or_assign(id, std::move(e));
    }
}

std::optional<AlertId> AlertLedger::raise(const IncidentKey& key, Alert alert,
                                          std::optional<Duration> escalate_after) {
    auto [it, inserted] = incidents_.try_emplace(key, 0);
    if (!inserted) return std::nullopt;
    const AlertId id = next_id_++;
    it->second = id;
    alert.id = id;
    alert.state = AlertState::open;
    alert.escalated = false;
    alert.acknowledged_by.clear();
    alert.acknowledged_at.reset();
    alert.closed_at.reset();
    alert.closed_by.clear();
    Entry e{std::move(alert), std::nullopt};
    if (escalate_after) {
        e.escalate_at = e.alert.when + *escalate_after;
        escalations_[*e.escalate_at].push_back(id);
    }
    queue(e.alert);
    alerts_.emplace(id, std::move(e));
    return id;
}

bool AlertLedger::incident_active(const IncidentKey& key) const { return incidents_.contains(key); }

void AlertLedger::clear_incident(const IncidentKey& key) { incidents_.erase(key); }

void AlertLedger::clear_subject(std::uint64_t subject) {
    auto first = incidents_.lower_bound(IncidentKey{subject, 0, 0});
    auto last = first;
    while (last != incidents_.end() && last->first.subject == subject) ++last;
    incidents_.erase(first, last);
}

bool AlertLedger::acknowledge(AlertId id, const std::string& by, Timestamp at) {
    auto it = alerts_.find(id);
    if (it == alerts_.end() || it->second.alert.state != AlertState::open) return false;
    Alert& a = it->second.alert;
    a.state = AlertState::acknowledged;
    a.acknowledged_by = by;
    a.acknowledged_at = at;
    queue(a);
    return true;
}

bool AlertLedger::close(AlertId id, const std::string& by, Timestamp at) {
    auto it = alerts_.find(id);
    if (it == alerts_.end()) return false;
    Alert& a = it->second.alert;
    a.state = AlertState::closed;
    a.closed_by = by;
    a.closed_at = at;
    queue(a);
    // The incident stays active: closing an alert is the operator's decision about the alert,
    // not evidence that the condition cleared, so it must not make the rule fire again at once.
    alerts_.erase(it);
    return true;
}

void AlertLedger::tick(Timestamp now) {
    while (!escalations_.empty() && escalations_.begin()->first <= now) {
        auto node = escalations_.extract(escalations_.begin());
        for (AlertId id : node.mapped()) {
            auto it = alerts_.find(id);
            if (it == alerts_.end()) continue;  // closed meanwhile
            Alert& a = it->second.alert;
            if (a.state != AlertState::open || a.escalated) continue;
            a.escalated = true;
            if (a.severity != Severity::critical)
                a.severity = static_cast<Severity>(static_cast<int>(a.severity) + 1);
            queue(a);
        }
    }
}

std::vector<Alert> AlertLedger::open_alerts() const {
    std::vector<Alert> out;
    out.reserve(alerts_.size());
    for (const auto& [id, e] : alerts_) out.push_back(e.alert);
    return out;
}

const Alert* AlertLedger::find(AlertId id) const {
    auto it = alerts_.find(id);
    return it == alerts_.end() ? nullptr : &it->second.alert;
}

std::vector<Alert> AlertLedger::take_updates() { return std::exchange(updates_, {}); }

}  // namespace picket::rules
