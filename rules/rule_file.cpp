#include "rules/rule_file.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <utility>

namespace picket::rules {
namespace {

using config::Node;

/// Durations in a rule: up to 30 days (a value beyond is a typo, and would overflow the clock).
Duration seconds_key(const Node& n, std::string_view key, double fallback_s) {
    return Duration::from_seconds(n.get_seconds_in(key, fallback_s, 0, 30 * 86400.0));
}

/// A distance in metres by default: up to half the Earth's circumference.
double positive(const Node& n, std::string_view key, double fallback, double max = 20'000'000) {
    return n.get_in(key, fallback, 0, max);
}

std::vector<Mmsi> mmsi_list(const Node& n) {
    std::vector<Mmsi> out;
    for (const Node& e : n.elements()) {
        const auto v = e.as_int();
        if (v <= 0 || v > 999'999'999) e.fail("an MMSI has at most 9 digits");
        out.push_back(static_cast<Mmsi>(v));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

void read_layers(const Node& root, const std::string& base_dir, RuleBook& book) {
    auto layers = root.find("layers");
    if (!layers) return;
    for (const Node& l : layers->elements()) {
        const std::string name = l.at("name").as_string();
        for (const auto& existing : book.layers)
            if (existing.name == name) l.at("name").fail("layer '" + name + "' declared twice");
        geo::ZoneSet zones;
        if (auto inline_zones = l.find("zones")) {
            // Small zones written in the file itself (WKT, lon/lat): exercises, tests.
            std::vector<std::pair<std::string, std::string>> wkt;
            for (const Node& z : inline_zones->elements()) {
                wkt.emplace_back(z.at("name").as_string(), z.at("wkt").as_string());
                z.reject_unknown_keys();
            }
            try {
                zones = geo::ZoneSet::from_wkt(wkt);
            } catch (const std::exception& e) {
                inline_zones->fail(e.what());
            }
        } else {
            geo::LayerSpec spec;
            const Node path = l.at("path");
            std::filesystem::path p(path.as_string());
            if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
            spec.path = p.lexically_normal().string();
            spec.layer = l.get("layer", "");
            spec.where = l.get("where", "");
            spec.name_field = l.get("name_field", "");
            try {
                zones = geo::ZoneSet::load(spec);
            } catch (const std::exception& e) {
                path.fail(e.what());
            }
        }
        l.reject_unknown_keys();
        book.add_layer(name, std::move(zones));
    }
}

ZoneRef zone_ref(const Node& n, const RuleBook& book) {
    std::string why;
    auto z = book.find_zone(n.as_string(), &why);
    if (!z) n.fail(why);
    return *z;
}

void read_lines(const Node& root, RuleBook& book) {
    auto lines = root.find("lines");
    if (!lines) return;
    for (const Node& l : lines->elements()) {
        const std::string name = l.at("name").as_string();
        if (book.find_line(name)) l.at("name").fail("line '" + name + "' declared twice");
        auto between = l.find("between");
        auto around = l.find("boundary_of");
        if (between.has_value() == around.has_value())
            l.fail("a line needs exactly one of 'between: [A, B]' or 'boundary_of: Z'");
        if (between) {
            const auto parts = between->elements();
            if (parts.size() != 2) between->fail("expected two zones: [left, right]");
            const ZoneRef a = zone_ref(parts[0], book);
            const ZoneRef b = zone_ref(parts[1], book);
            if (a.layer != b.layer) between->fail("both zones must be in the same layer");
            book.add_line_between(name, a, b);
            if (book.lines.back().line.empty()) between->fail("these zones do not touch");
        } else {
            std::optional<std::size_t> except;
            if (auto ex = l.find("except_along")) {
                const std::string layer = ex->as_string();
                for (std::size_t i = 0; i < book.layers.size(); ++i)
                    if (book.layers[i].name == layer) except = i;
                if (!except) ex->fail("no layer named '" + layer + "' (declare it under 'layers')");
            }
            book.add_line_around(name, zone_ref(*around, book), except);
            if (book.lines.back().line.empty()) l.fail("nothing of this boundary is left");
        }
        l.reject_unknown_keys();
    }
}

/// The zones a rule applies to: `zone: X` or `zones: [X, Y]`.
std::vector<ZoneRef> rule_zones(const Node& r, const RuleBook& book) {
    std::vector<ZoneRef> out;
    auto one = r.find("zone");
    auto many = r.find("zones");
    if (one && many) r.fail("give 'zone' or 'zones', not both");
    if (one) out.push_back(zone_ref(*one, book));
    if (many) {
        for (const Node& z : many->elements()) out.push_back(zone_ref(z, book));
        if (out.empty()) many->fail("expected at least one zone");
    }
    return out;
}

int crossing_direction(const Node& r, const LineDef& line) {
    auto from = r.find("from");
    auto to = r.find("to");
    int dir = 0;
    // Left -> right is +1. A boundary_of line has its zone on the left and nothing named on the
    // right, so 'from: Z' means leaving Z and 'to: Z' means entering it.
    auto side_of = [&](const Node& n) {
        const std::string z = n.as_string();
        const std::string bare = z.substr(z.find('/') == std::string::npos ? 0 : z.find('/') + 1);
        if (bare == line.left_zone) return -1;
        if (!line.right_zone.empty() && bare == line.right_zone) return +1;
        n.fail("zone '" + z + "' is not on either side of line '" + line.name + "'");
    };
    if (from) dir = -side_of(*from);
    if (to) {
        const int d = side_of(*to);
        if (from && d != dir) to->fail("'from' and 'to' are the same side of the line");
        dir = d;
    }
    return dir;
}

void read_incident_policy(const Node& n, IncidentPolicy& p) {
    p.reopen_on_worse = n.get("reopen_on_worse", p.reopen_on_worse);
    p.resolve_after = seconds_key(n, "resolve_after", p.resolve_after.seconds());
    p.cluster_m = positive(n, "cluster_m", p.cluster_m);
    p.explain_m = positive(n, "explain_m", p.explain_m);
    p.group_m = positive(n, "group_m", p.group_m);
    p.group_within = seconds_key(n, "group_within", p.group_within.seconds());
    if (p.group_within.ns <= 0) n.at("group_within").fail("must be positive");
    p.share_window = seconds_key(n, "false_alarm_window", p.share_window.seconds());
    if (p.share_window.ns <= 0) n.at("false_alarm_window").fail("must be positive");
    n.reject_unknown_keys();
}

void read_rules(const Node& root, RuleBook& book) {
    for (const Node& r : root.at("rules").elements()) {
        RuleSpec base;
        base.name = r.at("name").as_string();
        const Node kind_node = r.at("kind");
        const auto kind = alert_kind_from_string(kind_node.as_string());
        if (!kind) kind_node.fail("unknown rule kind '" + kind_node.as_string() + "'");
        base.kind = *kind;
        if (auto sev = r.find("severity")) {
            const auto s = severity_from_string(sev->as_string());
            if (!s) sev->fail("expected info, low, medium, high or critical");
            base.severity = *s;
        }
        if (r.has("escalate_after")) base.escalate_after = seconds_key(r, "escalate_after", 0);
        if (auto ex = r.find("exempt_mmsi")) base.exempt_mmsi = mmsi_list(*ex);
        if (auto f = r.find("exempt_friendly")) base.exempt_friendly = f->as_bool();

        // Per-kind defaults for how long a condition must be gone before it may raise again.
        double clear_default = 60;
        if (base.kind == AlertKind::ais_gap) clear_default = 0;  // AIS heard again = cleared
        if (base.kind == AlertKind::ais_anomaly) clear_default = 600;
        if (base.kind == AlertKind::ground_detection) clear_default = 120;
        base.clear_after = seconds_key(r, "clear_after", clear_default);

        std::vector<ZoneRef> zones;
        std::optional<std::size_t> line;
        auto read_line = [&]() -> std::optional<std::size_t> {
            auto ln = r.find("line");
            if (!ln) return std::nullopt;
            auto idx = book.find_line(ln->as_string());
            if (!idx) ln->fail("no line named '" + ln->as_string() + "' in 'lines'");
            return idx;
        };
        auto kn = [&](std::string_view key, double fallback_kn) {
            return positive(r, key, fallback_kn, 200) * kMetresPerSecondPerKnot;  // knots
        };
        switch (base.kind) {
            case AlertKind::zone_entry:
            case AlertKind::zone_exit:
            case AlertKind::zone_presence:
                zones = rule_zones(r, book);
                if (zones.empty()) r.fail("this rule kind needs 'zone' or 'zones'");
                base.dwell = seconds_key(r, "dwell", 0);
                base.hysteresis_m = positive(r, "hysteresis_m", 50);
                break;
            case AlertKind::border_crossing:
                line = read_line();
                if (!line) r.fail("border_crossing needs 'line'");
                base.direction = crossing_direction(r, book.lines[*line]);
                base.hysteresis_m = positive(r, "hysteresis_m", 200);
                break;
            case AlertKind::approach: {
                line = read_line();
                zones = rule_zones(r, book);
                if (line.has_value() == !zones.empty())
                    r.fail("approach needs either 'line' or 'zone(s)'");
                if (line) base.direction = crossing_direction(r, book.lines[*line]);
                base.near_m = positive(r, "distance_m", 0);
                base.time_to_reach = seconds_key(r, "time_to_reach", 0);
                if (base.near_m == 0 && base.time_to_reach.ns == 0)
                    r.fail("approach needs 'distance_m' or 'time_to_reach' (or both)");
                base.min_speed_mps = kn("min_speed_kn", 0.5);
                base.hysteresis_m = positive(r, "hysteresis_m", 100);
                base.dwell = seconds_key(r, "dwell", 0);
                break;
            }
            case AlertKind::speeding:
                zones = rule_zones(r, book);
                base.above_speed_mps = kn("max_speed_kn", 0);
                if (!r.has("max_speed_kn")) r.fail("speeding needs 'max_speed_kn'");
                base.speed_hysteresis_mps = kn("speed_hysteresis_kn", 2);
                base.dwell = seconds_key(r, "dwell", 10);
                base.hysteresis_m = positive(r, "hysteresis_m", 50);
                break;
            case AlertKind::dark_target:
                line = read_line();
                zones = rule_zones(r, book);
                if (line && !zones.empty())
                    r.fail("dark_target takes 'line' or 'zone(s)', not both");
                if (line) {
                    base.within_m = positive(r, "within_m", 0);
                    if (base.within_m <= 0) r.fail("dark_target near a line needs 'within_m'");
                }
                base.dwell = seconds_key(r, "dwell", 30);
                base.hysteresis_m = positive(r, "hysteresis_m", 100);
                break;
            case AlertKind::ais_gap:
                zones = rule_zones(r, book);
                base.gap = seconds_key(r, "gap", 0);
                if (base.gap.ns <= 0) r.fail("ais_gap needs a positive 'gap' (e.g. 10min)");
                base.on_lost = r.get("on_lost", true);
                base.lost_after = seconds_key(r, "lost_after", 180);
                base.hysteresis_m = positive(r, "hysteresis_m", 50);
                break;
            case AlertKind::loitering:
                // Global Fishing Watch loitering: < 2 kn for >= 1 h (docs/rules.md).
                zones = rule_zones(r, book);
                base.below_speed_mps = kn("max_speed_kn", 2);
                base.dwell = seconds_key(r, "min_duration", 3600);
                base.speed_hysteresis_mps = kn("speed_hysteresis_kn", 0.5);
                base.hysteresis_m = positive(r, "hysteresis_m", 50);
                break;
            case AlertKind::rendezvous:
                // Global Fishing Watch encounter: within 500 m for >= 2 h at < 2 kn
                // (docs/rules.md).
                zones = rule_zones(r, book);
                base.pair_distance_m = positive(r, "distance_m", 500);
                if (base.pair_distance_m <= 0) r.at("distance_m").fail("must be positive");
                base.dwell = seconds_key(r, "min_duration", 7200);
                base.below_speed_mps = kn("max_speed_kn", 2);
                base.speed_hysteresis_mps = kn("speed_hysteresis_kn", 0.5);
                base.hysteresis_m = positive(r, "hysteresis_m", 100);
                break;
            case AlertKind::ais_anomaly:
                zones = rule_zones(r, book);
                if (auto rs = r.find("reasons")) {
                    for (const Node& e : rs->elements()) {
                        const auto reason = anomaly_reason_from_string(e.as_string());
                        if (!reason || situation_of(*reason) == AnomalySituation::sensor_time)
                            e.fail(
                                "unknown reason (invalid_mmsi, impossible_jump, "
                                "position_disagrees_with_track, position_jump)");
                        base.reasons.push_back(*reason);
                    }
                }
                base.min_deviation_m = positive(r, "min_deviation_m", 1000);
                base.hysteresis_m = positive(r, "hysteresis_m", 50);
                break;
            case AlertKind::ground_detection: {
                line = read_line();
                zones = rule_zones(r, book);
                if (line.has_value() == !zones.empty())
                    r.fail("ground_detection needs either 'line' (with 'within_m') or 'zone(s)'");
                if (line) {
                    base.within_m = positive(r, "within_m", 0);
                    if (base.within_m <= 0) r.fail("ground_detection near a line needs 'within_m'");
                }
                if (auto ss = r.find("sensors")) {
                    for (const Node& s : ss->elements()) {
                        auto k = sensor_kind_from_string(s.as_string());
                        if (!k) s.fail("unknown sensor kind (ais, radar, camera, ugs)");
                        base.sensors.push_back(*k);
                    }
                }
                if (auto cs = r.find("classes")) {
                    for (const Node& c : cs->elements()) {
                        auto k = target_class_from_string(c.as_string());
                        if (!k) c.fail("unknown target class");
                        base.classes.push_back(*k);
                    }
                }
                base.min_confidence = positive(r, "min_confidence", 0, 1);
                break;
            }
        }
        r.reject_unknown_keys();

        if (line) {
            RuleSpec spec = base;
            spec.line = line;
            spec.place = book.lines[*line].name;
            book.rules.push_back(std::move(spec));
        } else if (zones.empty()) {
            book.rules.push_back(std::move(base));
        } else {
            for (const ZoneRef& z : zones) {
                RuleSpec spec = base;
                spec.zone = z;
                spec.place = book.zone_name(z);
                book.rules.push_back(std::move(spec));
            }
        }
    }
}

}  // namespace

RuleBook parse_rule_file(const config::Node& root, const std::string& base_dir,
                         RuleBook preloaded) {
    RuleBook book = std::move(preloaded);
    read_layers(root, base_dir, book);
    read_lines(root, book);
    if (auto ex = root.find("exemptions")) {
        if (auto m = ex->find("mmsi")) {
            auto list = mmsi_list(*m);
            book.exempt_mmsi.insert(book.exempt_mmsi.end(), list.begin(), list.end());
            std::sort(book.exempt_mmsi.begin(), book.exempt_mmsi.end());
            book.exempt_mmsi.erase(std::unique(book.exempt_mmsi.begin(), book.exempt_mmsi.end()),
                                   book.exempt_mmsi.end());
        }
        book.exempt_friendly = ex->get("friendly", true);
        ex->reject_unknown_keys();
    }
    if (auto inc = root.find("incidents")) read_incident_policy(*inc, book.incidents);
    read_rules(root, book);
    root.reject_unknown_keys();
    return book;
}

RuleBook load_rule_file(const std::string& path) {
    const Node root = Node::load_file(path);
    const auto dir = std::filesystem::path(path).parent_path();
    return parse_rule_file(root, dir.empty() ? std::string(".") : dir.string());
}

}  // namespace picket::rules
