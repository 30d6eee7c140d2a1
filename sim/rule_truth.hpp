#pragma once
/// Truth events for every rule of a rule book: what a perfect rule engine, fed the targets' true
/// paths instead of tracks, would raise. Each rule's definition (docs/rules.md) is applied to the
/// truth sampled every second: exact positions and velocities, exact geometry, AIS "heard" when
/// the transponder is on and a shore receiver is in range. The rule's own dwell and clear_after
/// apply (they are part of what the rule means); its spatial and speed hysteresis bands do not
/// (they exist to absorb sensor noise, and truth has none).
///
/// This is an independent implementation of the rule definitions, not the rule engine run on
/// perfect tracks: a bug in the engine shows up as a miss or a false incident in scoring, instead
/// of being reproduced in the truth. Every alert kind has a model here, so `picket score --alerts`
/// measures precision for all of them.
///
/// Per kind (rule keys in docs/rules.md):
///   zone_entry / zone_exit   the path goes in (out) of the zone and stays `dwell`; first seen
///                            inside (outside) is no entry (exit); again after `clear_after` away
///   zone_presence            inside for `dwell`
///   border_crossing          an exact crossing of the line in the rule's direction; again after
///                            `clear_after` back on the far side (any direction: after
///                            `clear_after` without crossing)
///   approach                 outside, and closer than `distance_m` or reaching the zone/line
///                            within `time_to_reach` at the true velocity (>= `min_speed_kn`)
///   speeding                 true speed above `max_speed_kn` in the area for `dwell`
///   dark_target              no AIS heard yet (none fitted, switched off before it came into
///                            range, out of every receiver's range) in the area for `dwell`; a
///                            target heard once keeps its identity (then silence is an AIS gap)
///   ais_gap                  AIS heard before, then silent for longer than `gap`, in the area,
///                            while in a radar's range (the rule measures silence against radar)
///   loitering, rendezvous    the mean velocity (exponential, 120 s: the rule's definition) below
///                            `max_speed_kn` for `min_duration` (rendezvous: two targets within
///                            `distance_m`)
///   ais_anomaly              a transponder starts reporting a false position (spoof), or reports
///                            an MMSI no ship station may have
///   ground_detection         a target of an accepted class enters a ground sensor's radius or a
///                            camera's field of view (the rule's sensors) where the rule watches;
///                            again after `clear_after` out of it
#include <vector>

#include "rules/rule_book.hpp"
#include "sim/truth.hpp"
#include "sim/truth_events.hpp"

namespace picket::sim {

/// Truth events for every rule in `book`, sorted by time. Event `rule` is the rule's name,
/// `zone` the rule's place; `scripted` is set when every target involved is a scripted one.
std::vector<TruthEvent> rule_truth_events(const TruthInputs& in, const rules::RuleBook& book);

}  // namespace picket::sim
