#pragma once
/// The zones a scenario names (border layers and inline WKT), looked up by zone name. Truth
/// border crossings are computed against these, the same geometry the server's rules use.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "geo/zones.hpp"
#include "sim/scenario.hpp"

namespace picket::sim {

class ScenarioZones {
public:
    ScenarioZones() = default;
    /// Loads every zone source (GDAL for layers; relative paths are tried as given, then next
    /// to the scenario file). Throws std::runtime_error naming the file when a layer fails.
    explicit ScenarioZones(const Scenario& scenario);

    struct Ref {
        std::size_t set;
        std::size_t zone;
    };
    /// The zone called `name`, first match in declaration order.
    [[nodiscard]] std::optional<Ref> find(const std::string& name) const;
    [[nodiscard]] const geo::ZoneSet& set(std::size_t i) const { return sets_[i]; }
    [[nodiscard]] std::size_t set_count() const { return sets_.size(); }

private:
    std::vector<geo::ZoneSet> sets_;
};

}  // namespace picket::sim
