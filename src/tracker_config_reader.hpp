#pragma once
/// Reads the `tracker:` section of the server config into filters::TrackerConfig.
#include "config/yaml_reader.hpp"
#include "filters/tracker.hpp"

namespace picket::server {

/// Fills `cfg` from `node` (keys documented in docs/configuration.md); unknown keys are errors.
void read_tracker_config(const config::Node& node, filters::TrackerConfig& cfg);

}  // namespace picket::server
