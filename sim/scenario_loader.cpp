#include "sim/scenario_loader.hpp"

#include <filesystem>

#include <cmath>
#include <set>

#include "core/time.hpp"

namespace picket::sim {
namespace {

using config::Node;

LatLon read_latlon(const Node& n) {
    LatLon p;
    if (n.is_sequence()) {
        const auto e = n.elements();
        if (e.size() != 2) n.fail("expected [lat, lon]");
        p = {e[0].as_double(), e[1].as_double()};
    } else {
        p = {n.at("lat").as_double(), n.at("lon").as_double()};
        n.reject_unknown_keys();
    }
    if (!(std::abs(p.lat_deg) <= 90) || !(std::abs(p.lon_deg) <= 180))
        n.fail("latitude must be in [-90, 90] and longitude in [-180, 180]");
    return p;
}

/// Position keys written inline in a mapping: `lat: .., lon: ..`.
LatLon read_inline_latlon(const Node& n) {
    LatLon p{n.at("lat").as_double(), n.at("lon").as_double()};
    if (!(std::abs(p.lat_deg) <= 90) || !(std::abs(p.lon_deg) <= 180))
        n.fail("latitude must be in [-90, 90] and longitude in [-180, 180]");
    return p;
}

double positive(const Node& n, std::string_view key, double fallback) {
    const double v = n.get(key, fallback);
    if (!(v > 0)) n.at(key).fail("must be > 0");
    return v;
}
double probability(const Node& n, std::string_view key, double fallback) {
    const double v = n.get(key, fallback);
    if (!(v >= 0 && v <= 1)) n.at(key).fail("must be a probability in [0, 1]");
    return v;
}
double non_negative_seconds(const Node& n, std::string_view key, double fallback) {
    const double v = n.get_seconds(key, fallback);
    if (!(v >= 0)) n.at(key).fail("must not be negative");
    return v;
}

/// A speed given as `speed_kn` or `speed_mps` (one of them).
double read_speed(const Node& n, std::string_view prefix, double fallback_mps) {
    const std::string kn = std::string(prefix) + "_kn";
    const std::string mps = std::string(prefix) + "_mps";
    if (n.has(kn) && n.has(mps)) n.at(mps).fail("give " + kn + " or " + mps + ", not both");
    double v = fallback_mps;
    if (n.has(kn)) v = n.at(kn).as_double() * kKnotToMps;
    if (n.has(mps)) v = n.at(mps).as_double();
    if (!(v >= 0)) n.fail(std::string(prefix) + " must not be negative");
    return v;
}

TargetKind read_kind(const Node& n) {
    const auto k = target_kind_from_string(n.as_string());
    if (!k)
        n.fail("unknown target kind '" + n.as_string() +
               "' (cargo, tanker, fishing, fast_boat, pleasure, person, vehicle)");
    return *k;
}

AisClass read_ais_class(const Node& n) {
    const std::string s = n.as_string();
    if (s == "A" || s == "a") return AisClass::a;
    if (s == "B" || s == "b") return AisClass::b;
    if (s == "none") return AisClass::none;
    n.fail("AIS class must be A, B or none");
}

SensorCommon read_common(const Node& n, const char* default_format) {
    SensorCommon c;
    c.id = n.at("id").as_string();
    c.endpoint = n.get("endpoint", "");
    c.format = n.get("format", default_format);
    return c;
}

void check_format(const Node& n, const SensorCommon& c,
                  std::initializer_list<const char*> allowed) {
    for (const char* a : allowed)
        if (c.format == a) return;
    std::string list;
    for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    n.at("format").fail("format '" + c.format + "' not supported here (" + list + ")");
}

WaypointSpec read_waypoint(const Node& n, double previous_speed) {
    WaypointSpec w;
    w.where = read_inline_latlon(n);
    w.speed_mps = read_speed(n, "speed", previous_speed);
    w.hold_s = non_negative_seconds(n, "hold", 0);
    w.loiter_s = non_negative_seconds(n, "loiter", 0);
    w.loiter_radius_m = positive(n, "loiter_radius_m", w.loiter_radius_m);
    w.loiter_speed_mps = read_speed(n, "loiter_speed", w.loiter_speed_mps);
    n.reject_unknown_keys();
    return w;
}

AisSpec read_ais(const Node& n, const std::string& target_name) {
    AisSpec a;
    a.cls = read_ais_class(n.at("class"));
    const std::int64_t mmsi = n.get("mmsi", std::int64_t{0});
    if (mmsi < 0 || mmsi > 999'999'999) n.at("mmsi").fail("MMSI must have at most 9 digits");
    a.mmsi = static_cast<Mmsi>(mmsi);
    if (a.cls != AisClass::none && a.mmsi == 0) n.fail("an AIS transponder needs an mmsi");
    a.name = n.get("name", target_name);
    a.callsign = n.get("callsign", "");
    a.imo = static_cast<std::uint32_t>(n.get("imo", std::int64_t{0}));
    const std::int64_t type = n.get("ship_type", std::int64_t{0});
    if (type < 0 || type > 99) n.at("ship_type").fail("ship type must be 0..99");
    a.ship_type = static_cast<std::uint8_t>(type);
    a.length_m = n.get("length_m", 0.0);
    a.beam_m = n.get("beam_m", 0.0);
    a.off_at_s = n.get_seconds("off_at", kNever);
    a.on_at_s = n.get_seconds("on_at", kNever);
    if (a.on_at_s < a.off_at_s && a.on_at_s != kNever) n.at("on_at").fail("must be after off_at");
    if (auto s = n.find("spoof")) {
        a.spoof_from_s = s->at("from").as_seconds();
        a.spoof_to_s = s->get_seconds("to", kNever);
        a.spoof_position = read_inline_latlon(*s);
        s->reject_unknown_keys();
    }
    n.reject_unknown_keys();
    return a;
}

TargetSpec read_target(const Node& n) {
    TargetSpec t;
    t.name = n.at("name").as_string();
    t.kind = read_kind(n.at("kind"));
    t.start_s = non_negative_seconds(n, "start", 0);
    double speed = 5;
    for (const Node& w : n.at("waypoints").elements()) {
        t.waypoints.push_back(read_waypoint(w, speed));
        speed = t.waypoints.back().speed_mps;
    }
    if (t.waypoints.empty()) n.at("waypoints").fail("a target needs at least one waypoint");
    if (auto a = n.find("ais")) t.ais = read_ais(*a, t.name);
    t.rcs_m2 = n.get("rcs_m2", 0.0);
    t.height_m = n.get("height_m", 0.0);
    n.reject_unknown_keys();
    return t;
}

TrafficSpec read_traffic(const Node& n) {
    TrafficSpec t;
    t.name = n.at("name").as_string();
    t.count = static_cast<int>(n.at("count").as_int());
    if (t.count < 0 || t.count > 100'000) n.at("count").fail("must be in 0..100000");
    t.kind = read_kind(n.at("kind"));
    if (auto lane = n.find("lane")) {
        for (const Node& p : lane->elements()) t.lane.push_back(read_latlon(p));
        if (t.lane.size() < 2) lane->fail("a lane needs at least two points");
        t.lane_width_m = positive(n, "lane_width_m", t.lane_width_m);
    } else if (auto box = n.find("box")) {
        t.box_min = {box->at("south").as_double(), box->at("west").as_double()};
        t.box_max = {box->at("north").as_double(), box->at("east").as_double()};
        box->reject_unknown_keys();
        if (!(t.box_min.lat_deg < t.box_max.lat_deg) || !(t.box_min.lon_deg < t.box_max.lon_deg))
            box->fail("box needs south < north and west < east");
    } else {
        n.fail("traffic needs a lane or a box");
    }
    t.speed_min_mps = read_speed(n, "speed_min", t.speed_min_mps);
    t.speed_max_mps = read_speed(n, "speed_max", t.speed_max_mps);
    if (t.speed_max_mps < t.speed_min_mps) n.fail("speed_max below speed_min");
    t.ais = read_ais_class(n.at("ais"));
    t.ais_fraction = probability(n, "ais_fraction", 1.0);
    t.first_mmsi = static_cast<Mmsi>(n.get("first_mmsi", std::int64_t{0}));
    n.reject_unknown_keys();
    return t;
}

SensorSite read_site(const Node& n) {
    SensorSite s;
    s.position = read_inline_latlon(n);
    s.height_m = n.get("height_m", 0.0);
    s.boresight_deg = n.get("boresight_deg", 0.0);
    return s;
}

RadarSpec read_radar(const Node& n) {
    RadarSpec r;
    r.feed = read_common(n, "asterix");
    check_format(n, r.feed, {"asterix", "json-plot"});
    r.site = read_site(n);
    r.range_m = positive(n, "range_m", r.range_m);
    r.scan_period_s = n.get_seconds("scan_period", r.scan_period_s);
    if (!(r.scan_period_s > 0)) n.at("scan_period").fail("must be > 0");
    r.sigma_range_m = positive(n, "sigma_range_m", r.sigma_range_m);
    r.sigma_bearing_deg = positive(n, "sigma_bearing_deg", r.sigma_bearing_deg);
    r.pd_ref = probability(n, "pd_ref", r.pd_ref);
    r.range_ref_m = positive(n, "range_ref_m", r.range_ref_m);
    r.rcs_ref_m2 = positive(n, "rcs_ref_m2", r.rcs_ref_m2);
    r.pfa = probability(n, "pfa", r.pfa);
    if (!(r.pd_ref > r.pfa && r.pd_ref < 1 && r.pfa > 0)) n.fail("need 0 < pfa < pd_ref < 1");
    r.clutter_per_km2 = n.get("clutter_per_km2", 0.0);
    if (r.clutter_per_km2 < 0) n.at("clutter_per_km2").fail("must not be negative");
    r.sectors = static_cast<int>(n.get("sectors", std::int64_t{8}));
    if (r.sectors < 1 || r.sectors > 360) n.at("sectors").fail("must be in 1..360");
    r.sac = static_cast<std::uint8_t>(n.get("sac", std::int64_t{0}));
    r.sic = static_cast<std::uint8_t>(n.get("sic", std::int64_t{1}));
    r.sees_land = n.get("sees_land", false);
    n.reject_unknown_keys();
    return r;
}

AisReceiverSpec read_ais_receiver(const Node& n) {
    AisReceiverSpec a;
    a.feed = read_common(n, "nmea-ais");
    check_format(n, a.feed, {"nmea-ais"});
    a.position = read_inline_latlon(n);
    a.range_m = positive(n, "range_m", a.range_m);
    a.dropout = probability(n, "dropout", a.dropout);
    a.station = n.get("station", a.feed.id);
    n.reject_unknown_keys();
    return a;
}

CameraSpec read_camera(const Node& n) {
    CameraSpec c;
    c.feed = read_common(n, "camera-json");
    check_format(n, c.feed, {"camera-json"});
    c.site = read_site(n);
    c.fov_deg = positive(n, "fov_deg", c.fov_deg);
    c.range_m = positive(n, "range_m", c.range_m);
    c.frame_period_s = n.get_seconds("frame_period", c.frame_period_s);
    if (!(c.frame_period_s > 0)) n.at("frame_period").fail("must be > 0");
    c.sigma_bearing_deg = positive(n, "sigma_bearing_deg", c.sigma_bearing_deg);
    c.pd = probability(n, "pd", c.pd);
    c.class_accuracy = probability(n, "class_accuracy", c.class_accuracy);
    n.reject_unknown_keys();
    return c;
}

UgsSpec read_ugs(const Node& n) {
    UgsSpec u;
    u.feed = read_common(n, "ugs-json");
    check_format(n, u.feed, {"ugs-json"});
    u.position = read_inline_latlon(n);
    u.radius_m = positive(n, "radius_m", u.radius_m);
    u.pd = probability(n, "pd", u.pd);
    u.false_alarm_per_hour = n.get("false_alarm_per_hour", u.false_alarm_per_hour);
    if (u.false_alarm_per_hour < 0) n.at("false_alarm_per_hour").fail("must not be negative");
    u.rearm_s = n.get_seconds("rearm", u.rearm_s);
    n.reject_unknown_keys();
    return u;
}

ZoneSourceSpec read_zone_source(const Node& n) {
    ZoneSourceSpec z;
    if (auto layer = n.find("layer")) {
        z.path = layer->at("path").as_string();
        z.layer = layer->get("layer", "");
        z.where = layer->get("where", "");
        z.name_field = layer->get("name_field", "");
        layer->reject_unknown_keys();
    } else {
        z.inline_wkt.emplace_back(n.at("name").as_string(), n.at("wkt").as_string());
    }
    n.reject_unknown_keys();
    return z;
}

TruthSpec read_truth(const Node& n) {
    TruthSpec t;
    if (auto r = n.find("rules")) {
        namespace fs = std::filesystem;
        fs::path p(r->as_string());
        if (p.is_relative()) p = fs::path(n.file()).parent_path() / p;
        t.rules_file = p.lexically_normal().string();
        if (!fs::exists(t.rules_file)) r->fail("rule file not found: " + t.rules_file);
    }
    if (auto b = n.find("border_zones")) t.border_zones = b->as_string_list();
    if (auto w = n.find("watch_zones")) t.watch_zones = w->as_string_list();
    t.loiter_min_s = non_negative_seconds(n, "loiter_min", t.loiter_min_s);
    t.rendezvous_distance_m = positive(n, "rendezvous_distance_m", t.rendezvous_distance_m);
    t.rendezvous_min_s = non_negative_seconds(n, "rendezvous_min", t.rendezvous_min_s);
    t.sample_period_s = n.get_seconds("sample_period", t.sample_period_s);
    if (!(t.sample_period_s > 0)) n.at("sample_period").fail("must be > 0");
    n.reject_unknown_keys();
    return t;
}

template <class T, class F>
void read_list(const Node& root, std::string_view key, std::vector<T>& out, F read) {
    if (auto list = root.find(key))
        for (const Node& e : list->elements()) out.push_back(read(e));
}

void check_unique_ids(const Node& root, const Scenario& s) {
    std::set<std::string> ids;
    auto add = [&](const std::string& id) {
        if (!ids.insert(id).second) root.fail("duplicate sensor id '" + id + "'");
    };
    for (const auto& r : s.radars) add(r.feed.id);
    for (const auto& a : s.ais_receivers) add(a.feed.id);
    for (const auto& c : s.cameras) add(c.feed.id);
    for (const auto& u : s.ugs) add(u.feed.id);
    std::set<std::string> names;
    for (const auto& t : s.targets)
        if (!names.insert(t.name).second) root.fail("duplicate target name '" + t.name + "'");
}

}  // namespace

Scenario parse_scenario(const Node& root) {
    Scenario s;
    s.source_file = root.file();
    s.name = root.at("name").as_string();
    s.description = root.get("description", "");
    const std::string start = root.get("start", "now");
    if (start != "now") {
        s.start = parse_iso8601(start);
        if (!s.start) root.at("start").fail("expected an ISO 8601 UTC time or 'now'");
    }
    s.duration_s = root.at("duration").as_seconds();
    if (!(s.duration_s > 0)) root.at("duration").fail("must be > 0");
    s.seed = static_cast<std::uint64_t>(root.get("seed", std::int64_t{1}));
    s.origin = read_latlon(root.at("origin"));
    read_list(root, "zones", s.zones, read_zone_source);
    if (auto t = root.find("truth")) s.truth = read_truth(*t);
    read_list(root, "radars", s.radars, read_radar);
    read_list(root, "ais_receivers", s.ais_receivers, read_ais_receiver);
    read_list(root, "cameras", s.cameras, read_camera);
    read_list(root, "ground_sensors", s.ugs, read_ugs);
    read_list(root, "targets", s.targets, read_target);
    read_list(root, "traffic", s.traffic, read_traffic);
    root.reject_unknown_keys();
    check_unique_ids(root, s);
    return s;
}

Scenario parse_scenario(const std::string& yaml_text, const std::string& name) {
    return parse_scenario(Node::load_string(yaml_text, name));
}

Scenario load_scenario(const std::string& path) { return parse_scenario(Node::load_file(path)); }

}  // namespace picket::sim
