#include "sim/scenario_zones.hpp"

#include <filesystem>

namespace picket::sim {
namespace {

/// A relative layer path as given (from the working directory), else from the scenario file's
/// folder or any folder above it: "data/borders/timor.gpkg" in config/scenarios/x.yaml is found
/// from the repository root wherever the command runs.
std::string resolve(const std::string& path, const std::string& scenario_file) {
    namespace fs = std::filesystem;
    if (fs::path(path).is_absolute() || fs::exists(path) || scenario_file.empty()) return path;
    std::error_code ec;
    fs::path dir = fs::absolute(fs::path(scenario_file), ec).parent_path();
    while (!ec && !dir.empty()) {
        if (fs::exists(dir / path)) return (dir / path).string();
        if (dir == dir.root_path()) break;
        dir = dir.parent_path();
    }
    return path;  // let the loader report it, naming the path as written
}

}  // namespace

ScenarioZones::ScenarioZones(const Scenario& scenario) {
    for (const ZoneSourceSpec& src : scenario.zones) {
        if (!src.inline_wkt.empty()) {
            sets_.push_back(geo::ZoneSet::from_wkt(src.inline_wkt));
            continue;
        }
        geo::LayerSpec spec{src.path, src.layer, src.where, src.name_field};
        spec.path = resolve(src.path, scenario.source_file);
        sets_.push_back(geo::ZoneSet::load(spec));
    }
}

std::optional<ScenarioZones::Ref> ScenarioZones::find(const std::string& name) const {
    for (std::size_t s = 0; s < sets_.size(); ++s)
        if (auto z = sets_[s].find(name)) return Ref{s, *z};
    return std::nullopt;
}

}  // namespace picket::sim
