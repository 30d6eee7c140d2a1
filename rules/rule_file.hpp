#pragma once
/// The rule file: a self-contained YAML document declaring the zone layers it uses, the border
/// lines, the exemptions and the rules. Documented with examples in docs/rules.md and
/// config/rules/*.yaml. Errors throw config::ConfigError naming file:line:column and the key
/// path (unknown keys included); layer loading errors name the layer file.
#include <string>

#include "config/yaml_reader.hpp"
#include "rules/rule_book.hpp"

namespace picket::rules {

/// Reads and resolves a rule file; layer paths are relative to the file's folder.
RuleBook load_rule_file(const std::string& path);

/// Resolves an already parsed rule document; relative layer paths are taken from `base_dir`.
/// `preloaded` layers (tests, generated zones) are available to the document by name in
/// addition to the layers it declares.
RuleBook parse_rule_file(const config::Node& root, const std::string& base_dir,
                         RuleBook preloaded = {});

}  // namespace picket::rules
