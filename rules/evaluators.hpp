#pragma once
/// One evaluator per per-track rule kind (docs/rules.md, "Rule kinds"), all over the same raise
/// latch (raise_latch.hpp): the engine calls the evaluator of each rule for each live track every
/// cycle (evaluator_for). Event-driven kinds (AIS anomalies, ground detections) and the pairs of
/// a rendezvous live in rule_engine_events.cpp. Private to rules/.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "rules/rule_engine_impl.hpp"

namespace picket::rules {

/// One track at one cycle, with the geometry bounds its rules share.
struct TrackCycle {
    RuleEngine::Impl& m;
    const Track& t;
    TrackState& st;
    Timestamp now;
    LatLon p;          ///< the track's position
    double speed_mps;  ///< its speed

    /// What the geometry cache knows about the track against a zone or line (computed once per
    /// cycle whichever rule asks first).
    Where& where(std::size_t target) {
        if (!m.where_known[target]) {
            m.where_scratch[target] = m.geom.at(st.geo, target, p);
            m.where_known[target] = 1;
        }
        return m.where_scratch[target];
    }
    /// Whether the track is closer than `threshold_m` to the target (a query only when the
    /// cached bounds straddle it).
    bool below(std::size_t target, double threshold_m) {
        return m.geom.below(st.geo, target, p, where(target), threshold_m);
    }
};

/// One rule's view of one track at one cycle.
struct RuleCycle {
    TrackCycle& c;
    std::size_t rule;
    const RuleSpec& spec;
    RuleTrackState& s;
    std::optional<std::size_t> target;  ///< the rule's zone or line, if any

    /// Queues a finding about the track at `where`; `message()` builds its text only then.
    /// Returns whether it was queued (not while the track is muted).
    template <class Message>
    bool raise(LatLon where, Message&& message) {
        return c.m.propose(rule, c.t.id, 0, c.t, where, c.now, std::forward<Message>(message));
    }
    /// The occurrence is over: the rule's next finding about this track is a new entry.
    void clear() { c.m.clear(rule, c.t.id, 0, c.now); }
    /// A level condition on the rule's own latch, with the rule's dwell and clear_after: raise
    /// once per occurrence, at the track's position. `may_raise` false holds the raise (the
    /// latch on, nothing raised yet) to a later cycle: speeding waits for a known speed.
    template <class Message>
    void level(bool enter, bool stay, Duration dwell, Message&& message, bool may_raise = true) {
        const auto step = s.raise.level(s.cond, enter, stay, c.now, dwell, spec.clear_after);
        if (step.cleared) clear();
        if (step.raise && may_raise) s.raise.raised = raise(c.p, std::forward<Message>(message));
    }
    /// The rule's optional area: zone membership with the edge band (no time hysteresis: the
    /// rule's own condition carries dwell and clear_after), or nearness to a line (`within_m`
    /// with the band to stay), or anywhere. {strict test, lenient test}.
    std::pair<bool, bool> area();
    /// The exact distance from the track to the rule's target (a query: for messages).
    double exact_distance();
    /// " in ZONE", " within 350 m of LINE", or nothing: for messages.
    std::string where_text();
};

using Evaluator = void (*)(RuleCycle&);

void evaluate_zone_entry(RuleCycle& r);
void evaluate_zone_exit(RuleCycle& r);
void evaluate_zone_presence(RuleCycle& r);
void evaluate_border_crossing(RuleCycle& r);
void evaluate_approach(RuleCycle& r);
void evaluate_speeding(RuleCycle& r);
void evaluate_dark_target(RuleCycle& r);
void evaluate_loitering(RuleCycle& r);
void evaluate_ais_gap(RuleCycle& r);
/// Rendezvous with a zone: only the per-track area latch; the pairs are judged afterwards.
void evaluate_rendezvous_area(RuleCycle& r);

/// The evaluator of a per-track kind; nullptr for the event-driven kinds.
Evaluator evaluator_for(AlertKind kind);

}  // namespace picket::rules
