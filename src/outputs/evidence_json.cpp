#include "src/outputs/evidence_json.hpp"

namespace picket::outputs {

std::optional<TrackStatus> track_status_from(std::string_view s) {
    for (auto v : {TrackStatus::tentative, TrackStatus::confirmed, TrackStatus::coasting,
                   TrackStatus::deleted}) {
        if (to_string(v) == s) return v;
    }
    return std::nullopt;
}

std::optional<AlertState> alert_state_from(std::string_view s) {
    for (auto v : {AlertState::open, AlertState::acknowledged, AlertState::closed}) {
        if (to_string(v) == s) return v;
    }
    return std::nullopt;
}

/// The evidence track, complete, so that a restored alert equals the one saved.
nlohmann::json track_to_json(const Track& t) {
    nlohmann::json j;
    j["id"] = t.id;
    j["status"] = to_string(t.status);
    j["updated_ns"] = t.updated.ns;
    j["born_ns"] = t.born.ns;
    j["lat"] = t.position.lat_deg;
    j["lon"] = t.position.lon_deg;
    j["east_mps"] = t.east_mps;
    j["north_mps"] = t.north_mps;
    nlohmann::json cov = nlohmann::json::array();
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c) cov.push_back(t.cov(r, c));
    j["cov"] = std::move(cov);
    if (t.identity) {
        j["identity"] = {{"mmsi", t.identity->mmsi},           {"name", t.identity->name},
                         {"callsign", t.identity->callsign},   {"imo", t.identity->imo},
                         {"ship_type", t.identity->ship_type}, {"length_m", t.identity->length_m},
                         {"beam_m", t.identity->beam_m}};
    }
    if (t.last_ais) j["last_ais_ns"] = t.last_ais->ns;
    j["seen_by"] = t.seen_by.bits;
    j["class"] = to_string(t.target_class);
    j["standing"] = to_string(t.standing);
    j["label"] = t.label;
    j["spoof_suspect"] = t.spoof_suspect;
    j["ais_jump"] = t.ais_jump;
    return j;
}

Track track_from_json(const nlohmann::json& j) {
    Track t;
    t.id = j.value("id", TrackId{0});
    t.status = track_status_from(j.value("status", "")).value_or(TrackStatus::tentative);
    t.updated.ns = j.value("updated_ns", std::int64_t{0});
    t.born.ns = j.value("born_ns", std::int64_t{0});
    t.position = {j.value("lat", 0.0), j.value("lon", 0.0)};
    t.east_mps = j.value("east_mps", 0.0);
    t.north_mps = j.value("north_mps", 0.0);
    if (auto it = j.find("cov"); it != j.end() && it->is_array() && it->size() == 16) {
        for (int k = 0; k < 16; ++k)
            t.cov(k / 4, k % 4) = (*it)[static_cast<std::size_t>(k)].get<double>();
    }
    if (auto it = j.find("identity"); it != j.end()) {
        Identity id;
        id.mmsi = it->value("mmsi", Mmsi{0});
        id.name = it->value("name", "");
        id.callsign = it->value("callsign", "");
        id.imo = it->value("imo", std::uint32_t{0});
        id.ship_type = it->value("ship_type", std::uint8_t{0});
        id.length_m = it->value("length_m", 0.0);
        id.beam_m = it->value("beam_m", 0.0);
        t.identity = std::move(id);
    }
    if (auto it = j.find("last_ais_ns"); it != j.end())
        t.last_ais = Timestamp{it->get<std::int64_t>()};
    t.seen_by.bits = j.value("seen_by", std::uint8_t{0});
    t.target_class = target_class_from_string(j.value("class", "")).value_or(TargetClass::unknown);
    t.standing = standing_from_string(j.value("standing", "")).value_or(Standing::unknown);
    t.label = j.value("label", "");
    t.spoof_suspect = j.value("spoof_suspect", false);
    t.ais_jump = j.value("ais_jump", false);
    return t;
}

}  // namespace picket::outputs
