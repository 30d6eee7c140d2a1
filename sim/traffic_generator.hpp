#pragma once
/// Background traffic: turns each TrafficSpec into ordinary TargetSpecs (lane shipping that
/// shuttles back and forth with a lateral spread; boats wandering in a box, fishing boats
/// pausing to fish), drawn from the scenario seed so the same seed gives the same fleet.
#include <cstdint>
#include <vector>

#include "geo/local_frame.hpp"
#include "sim/scenario.hpp"

namespace picket::sim {

/// Targets for one traffic generator covering [0, duration_s].
std::vector<TargetSpec> generate_traffic(const TrafficSpec& spec, const geo::LocalFrame& frame,
                                         double duration_s, std::uint64_t seed);

/// The scenario's scripted targets followed by all generated ones (truth ids follow this order),
/// traffic covering [0, duration_s].
std::vector<TargetSpec> all_targets(const Scenario& scenario, const geo::LocalFrame& frame,
                                    double duration_s, std::uint64_t seed);

}  // namespace picket::sim
