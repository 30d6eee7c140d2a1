#include <array>
#include <string_view>

#include "sim/scenario.hpp"

namespace picket::sim {
namespace {
struct KindInfo {
    TargetKind kind;
    std::string_view name;
    TargetClass cls;
    double rcs_m2;    // Skolnik, Radar Handbook ch. 15 (sea clutter / ship RCS), rounded
    double height_m;  // highest reflector above the surface, for the radar horizon
};
constexpr std::array<KindInfo, 7> kKinds{{
    {TargetKind::cargo, "cargo", TargetClass::vessel, 3000, 30},
    {TargetKind::tanker, "tanker", TargetClass::vessel, 5000, 25},
    {TargetKind::fishing, "fishing", TargetClass::vessel, 30, 5},
    {TargetKind::fast_boat, "fast_boat", TargetClass::fast_boat, 3, 2},
    {TargetKind::pleasure, "pleasure", TargetClass::vessel, 10, 4},
    {TargetKind::person, "person", TargetClass::person, 0.5, 1.7},
    {TargetKind::vehicle, "vehicle", TargetClass::vehicle, 10, 2},
}};
const KindInfo& info(TargetKind k) { return kKinds[static_cast<std::size_t>(k)]; }
}  // namespace

std::string_view to_string(TargetKind k) { return info(k).name; }
std::optional<TargetKind> target_kind_from_string(std::string_view s) {
    for (const auto& k : kKinds)
        if (k.name == s) return k.kind;
    return std::nullopt;
}
TargetClass target_class_of(TargetKind k) { return info(k).cls; }
double default_rcs_m2(TargetKind k) { return info(k).rcs_m2; }
double default_height_m(TargetKind k) { return info(k).height_m; }

}  // namespace picket::sim
