#pragma once
/// Reads a scenario file (YAML, strict: unknown keys and bad values are errors naming
/// file:line:column and the key path). The format is documented in config/scenarios/README.md.
#include <string>

#include "config/yaml_reader.hpp"
#include "sim/scenario.hpp"

namespace picket::sim {

/// Parses and validates a scenario file. Throws config::ConfigError.
Scenario load_scenario(const std::string& path);
/// Same, from text (tests); `name` stands in for the file name in errors.
Scenario parse_scenario(const std::string& yaml_text, const std::string& name);
/// Same, from an already parsed node (the top-level mapping).
Scenario parse_scenario(const config::Node& root);

}  // namespace picket::sim
