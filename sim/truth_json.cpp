#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/json_writer.hpp"
#include "sim/truth.hpp"

namespace picket::sim {

std::string to_json(const TruthEvent& e) {
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.field("time", to_iso8601(e.time));
    w.field("kind", to_string(e.kind));
    w.key("truth_ids").begin_array();
    for (const TruthId id : e.truth_ids) w.value(static_cast<std::uint64_t>(id));
    w.end_array();
    w.key("names").begin_array();
    for (const auto& n : e.names) w.value(n);
    w.end_array();
    w.field("lat", e.where.lat_deg, 6);
    w.field("lon", e.where.lon_deg, 6);
    w.field("zone", e.zone);
    w.field("detail", e.detail);
    if (e.reported) {
        w.field("reported_lat", e.reported->lat_deg, 6);
        w.field("reported_lon", e.reported->lon_deg, 6);
    }
    if (std::any_of(e.mmsi.begin(), e.mmsi.end(), [](Mmsi m) { return m != 0; })) {
        w.key("mmsi").begin_array();
        for (const Mmsi m : e.mmsi) w.value(static_cast<std::uint64_t>(m));
        w.end_array();
    }
    if (!e.rule.empty()) w.field("rule", e.rule);
    w.field("scripted", e.scripted);
    if (e.until) w.field("until", to_iso8601(*e.until));
    w.end_object();
    return out;
}

std::optional<TruthEvent> truth_event_from_json(std::string_view line) {
    const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return std::nullopt;
    try {
        TruthEvent e;
        const auto t = parse_iso8601(j.at("time").get<std::string>());
        const auto k = alert_kind_from_string(j.at("kind").get<std::string>());
        if (!t || !k) return std::nullopt;
        e.time = *t;
        e.kind = *k;
        e.where = {j.at("lat").get<double>(), j.at("lon").get<double>()};
        if (j.contains("truth_ids")) e.truth_ids = j["truth_ids"].get<std::vector<TruthId>>();
        if (j.contains("names")) e.names = j["names"].get<std::vector<std::string>>();
        if (j.contains("zone")) e.zone = j["zone"].get<std::string>();
        if (j.contains("detail")) e.detail = j["detail"].get<std::string>();
        if (j.contains("rule")) e.rule = j["rule"].get<std::string>();
        if (j.contains("mmsi")) e.mmsi = j["mmsi"].get<std::vector<Mmsi>>();
        if (j.contains("scripted")) e.scripted = j["scripted"].get<bool>();
        if (j.contains("until")) {
            const auto until = parse_iso8601(j["until"].get<std::string>());
            if (!until) return std::nullopt;
            e.until = *until;
        }
        if (j.contains("reported_lat") && j.contains("reported_lon"))
            e.reported = LatLon{j["reported_lat"].get<double>(), j["reported_lon"].get<double>()};
        return e;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;  // wrong types: not a truth event
    }
}

}  // namespace picket::sim
