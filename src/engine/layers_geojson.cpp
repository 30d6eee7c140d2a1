#include "src/engine/layers_geojson.hpp"

#include "core/json_writer.hpp"

namespace picket::server {

std::string layers_feature_collection(const rules::RuleBook& book, double tolerance_deg) {
    std::string out;
    JsonWriter w(out);
    w.begin_object().field("type", "FeatureCollection").key("features").begin_array();
    for (const rules::ZoneLayer& layer : book.layers) {
        for (std::size_t i = 0; i < layer.zones.size(); ++i) {
            w.begin_object().field("type", "Feature").key("properties").begin_object();
            w.field("kind", "zone").field("layer", layer.name).field("name", layer.zones.name(i));
            w.end_object().key("geometry").raw(layer.zones.geojson(i, tolerance_deg)).end_object();
        }
    }
    for (const rules::LineDef& line : book.lines) {
        if (line.line.empty()) continue;
        w.begin_object().field("type", "Feature").key("properties").begin_object();
        w.field("kind", "border").field("layer", "lines").field("name", line.name);
        // A line between two zones is a border; one zone's own boundary is a limit (e.g. the
        // seaward edge of the territorial sea). The map draws them differently.
        w.field("line_kind", line.right_zone.empty() ? "limit" : "border");
        w.field("left", line.left_zone).field("right", line.right_zone);
        w.end_object().key("geometry").raw(line.line.geojson()).end_object();
    }
    w.end_array().end_object();
    return out;
}

}  // namespace picket::server
