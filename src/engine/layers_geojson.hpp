#pragma once
/// The rule book's zones and border lines as one GeoJSON FeatureCollection for the control room's
/// map (it draws land, sea and borders from these: no tile server, works offline).
#include <string>

#include "rules/rule_book.hpp"

namespace picket::server {

/// Features carry properties {kind: "zone"|"border", layer, name}; rule lines (kind "border") also
/// {line_kind: "border" (between two zones) | "limit" (one zone's boundary), left, right}.
/// Geometry is simplified to `tolerance_deg` (the map does not need 10 m detail at region scale).
std::string layers_feature_collection(const rules::RuleBook& book, double tolerance_deg = 0.002);

}  // namespace picket::server
