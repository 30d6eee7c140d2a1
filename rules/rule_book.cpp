#include "rules/rule_book.hpp"

#include <stdexcept>
#include <utility>

namespace picket::rules {

std::size_t RuleBook::add_layer(std::string name, geo::ZoneSet zones) {
    layers.push_back(ZoneLayer{std::move(name), std::move(zones)});
    return layers.size() - 1;
}

std::optional<ZoneRef> RuleBook::find_zone(const std::string& ref, std::string* why) const {
    if (auto slash = ref.find('/'); slash != std::string::npos) {
        const std::string layer = ref.substr(0, slash);
        const std::string zone = ref.substr(slash + 1);
        for (std::size_t l = 0; l < layers.size(); ++l) {
            if (layers[l].name != layer) continue;
            if (auto z = layers[l].zones.find(zone)) return ZoneRef{l, *z};
            if (why) *why = "layer '" + layer + "' has no zone '" + zone + "'";
            return std::nullopt;
        }
        if (why) *why = "no layer named '" + layer + "'";
        return std::nullopt;
    }
    std::optional<ZoneRef> found;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        if (auto z = layers[l].zones.find(ref)) {
            if (found) {
                if (why) *why = "zone '" + ref + "' is in several layers; write layer/zone";
                return std::nullopt;
            }
            found = ZoneRef{l, *z};
        }
    }
    if (!found && why) *why = "no zone named '" + ref + "' in any layer";
    return found;
}

std::size_t RuleBook::add_line_between(std::string name, ZoneRef a, ZoneRef b) {
    if (a.layer != b.layer) {
        // Shared boundaries are computed within one layer; a cross-layer pair has no common set.
        throw std::runtime_error("line '" + name + "': zones must be in the same layer");
    }
    auto line = geo::BorderLine::shared_boundary(layers[a.layer].zones, a.zone, b.zone, name);
    lines.push_back(LineDef{std::move(name), zone_name(a), zone_name(b), std::move(line)});
    return lines.size() - 1;
}

std::size_t RuleBook::add_line_around(std::string name, ZoneRef z,
                                      std::optional<std::size_t> except_along) {
    auto line = except_along ? geo::BorderLine::boundary_except_along(
                                   layers[z.layer].zones, z.zone, layers[*except_along].zones, name)
                             : geo::BorderLine::boundary_of(layers[z.layer].zones, z.zone, name);
    lines.push_back(LineDef{std::move(name), zone_name(z), std::string{}, std::move(line)});
    return lines.size() - 1;
}

std::optional<std::size_t> RuleBook::find_line(const std::string& name) const {
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (lines[i].name == name) return i;
    return std::nullopt;
}

}  // namespace picket::rules
