#pragma once
/// Reads the features of one OGR layer (any GDAL vector format) as WGS84 lon/lat WKB.
#include <map>
#include <string>
#include <vector>

#include "geo/zones.hpp"

namespace picket::geo::detail {

struct RawFeature {
    std::string name;
    std::map<std::string, std::string> attributes;
    std::vector<unsigned char> wkb;  ///< lon/lat (traditional GIS order), WGS84; curves linearised
};

/// Opens spec.path, applies spec.where, reprojects to WGS84. Throws std::runtime_error naming the
/// file (and the filter or layer) on failure, or when the selection is empty.
std::vector<RawFeature> read_layer(const LayerSpec& spec);

}  // namespace picket::geo::detail
