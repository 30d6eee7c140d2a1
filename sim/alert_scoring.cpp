#include "sim/alert_scoring.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "core/json_writer.hpp"
#include "geo/local_frame.hpp"

namespace picket::sim {
namespace {

std::optional<Timestamp> read_time(const nlohmann::json& v) {
    if (v.is_string()) return parse_iso8601(v.get<std::string>());
    if (!v.is_number()) return std::nullopt;
    // Unix seconds, within what int64 nanoseconds hold (about +-292 years): 1.7e14 s converted
    // out of range (undefined behaviour; found by fuzz_sim_alert_lines).
    const double s = v.get<double>();
    if (!(std::abs(s) < 9.2e9)) return std::nullopt;
    return Timestamp::from_unix_seconds(s);
}

/// One evidence entry from an object with kind, time and a position (lat/lon, or a GeoJSON
/// geometry given separately).
std::optional<EvidenceRecord> read_evidence(const nlohmann::json& p,
                                            const nlohmann::json* geometry) {
    if (!p.contains("kind") || !p.contains("time") || !p["kind"].is_string()) return std::nullopt;
    const auto kind = alert_kind_from_string(p["kind"].get<std::string>());
    const auto time = read_time(p["time"]);
    if (!kind || !time) return std::nullopt;
    EvidenceRecord e;
    e.kind = *kind;
    e.time = *time;
    if (p.contains("rule") && p["rule"].is_string()) e.rule = p["rule"].get<std::string>();
    if (p.contains("mmsi") && p["mmsi"].is_number_unsigned())
        e.mmsi = static_cast<Mmsi>(p["mmsi"].get<std::uint64_t>());
    if (p.contains("lat") && p.contains("lon") && p["lat"].is_number()) {
        e.where = {p["lat"].get<double>(), p["lon"].get<double>()};
    } else if (geometry && geometry->contains("coordinates")) {
        const auto& c = (*geometry)["coordinates"];
        e.where = {c.at(1).get<double>(), c.at(0).get<double>()};
    } else {
        return std::nullopt;
    }
    return e;
}

void write_kind(JsonWriter& w, const KindScore& s) {
    w.begin_object();
    w.field("truth_events", s.truth_events);
    w.field("scripted_events", s.scripted_events);
    w.field("matched", s.matched);
    w.field("scripted_matched", s.scripted_matched);
    w.field("evidence", s.evidence);
    w.field("false_evidence", s.false_evidence);
    w.field("recall", s.recall, 4);
    w.field("scripted_recall", s.scripted_recall, 4);
    w.field("precision", s.precision, 4);
    w.field("mean_delay_s", s.mean_delay_s, 3);
    w.field("max_delay_s", s.max_delay_s, 3);
    w.end_object();
}

void finish(KindScore& s, double delay_sum) {
    s.recall = s.truth_events > 0 ? static_cast<double>(s.matched) / s.truth_events : 1.0;
    s.scripted_recall =
        s.scripted_events > 0 ? static_cast<double>(s.scripted_matched) / s.scripted_events : 1.0;
    s.precision =
        s.evidence > 0 ? static_cast<double>(s.evidence - s.false_evidence) / s.evidence : 1.0;
    s.mean_delay_s = s.matched > 0 ? delay_sum / s.matched : 0.0;
}

void write_evidence(JsonWriter& w, const EvidenceRecord& e) {
    w.begin_object();
    w.field("kind", to_string(e.kind)).field("rule", e.rule).field("time", to_iso8601(e.time));
    w.field("lat", e.where.lat_deg, 6).field("lon", e.where.lon_deg, 6);
    w.end_object();
}

}  // namespace

ScoringTolerances::ScoringTolerances() {
    (*this)[AlertKind::loitering] = {60, 1800, 3000};
    (*this)[AlertKind::rendezvous] = {60, 1200, 3000};
    // An AIS gap is raised where the target is when the silence exceeds the rule's threshold:
    // a fast boat covers ~10 km in 10 min.
    (*this)[AlertKind::ais_gap] = {30, 1200, 30000};
    // A dark target is found any time while it stays dark (an hour, for a boat waiting off a
    // coast), and by then a fast boat is tens of km from where it went dark, while a boat at
    // anchor 4 km from that spot is another boat. So the entry is judged where its target was
    // when it was raised (the truth path), within 3 sigma of the coarsest radar plot across the
    // range of the four scenes' radars (0.35 deg at 60 km, Gambia: 367 m): a dark alert sits on
    // a track, and a track is no further than a plot from its target. 5 km from where the state
    // began is left for truth without paths.
    (*this)[AlertKind::dark_target] = {30, 600, 5000, 1100};
    // An invalid MMSI holds while its transponder is heard: judged along the path as a dark
    // target is (a spoof's alert may also sit at the reported position, within 5 km).
    (*this)[AlertKind::ais_anomaly] = {30, 600, 5000, 1100};
    (*this)[AlertKind::ground_detection] = {10, 60, 500};
    (*this)[AlertKind::approach] = {30, 300, 3000};
    (*this)[AlertKind::speeding] = {30, 300, 5000};
}

std::optional<IncidentRecord> parse_alert_line(std::string_view line) {
    const auto brace = line.find('{');
    if (brace == std::string_view::npos) return std::nullopt;
    line.remove_prefix(brace);  // a recorded "alert {...}" keeps its topic word
    const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return std::nullopt;
    try {
        const bool feature = j.contains("properties") && j["properties"].is_object();
        const nlohmann::json& p = feature ? j["properties"] : j;
        const nlohmann::json* geometry =
            feature && j.contains("geometry") && j["geometry"].is_object() ? &j["geometry"]
                                                                           : nullptr;
        IncidentRecord r;
        for (const char* key : {"incident_id", "alert_id"}) {
            if (p.contains(key) && p[key].is_number_unsigned()) {
                r.id = p[key].get<std::uint64_t>();
                break;
            }
        }
        if (p.contains("timeline") && p["timeline"].is_array()) {
            for (const auto& entry : p["timeline"]) {
                auto e = read_evidence(entry, nullptr);
                if (!e) continue;
                if (entry.contains("seq") && entry["seq"].is_number_unsigned())
                    e->entry = entry["seq"].get<std::uint64_t>();
                r.evidence.push_back(*e);
                // A group's entry (version 3): each other target is a finding of its own, when
                // and where it joined; the entry is still one entry. Two people crossing together
                // are two crossings, one incident.
                if (entry.contains("targets") && entry["targets"].is_array()) {
                    const auto& targets = entry["targets"];
                    for (std::size_t k = 1; k < targets.size(); ++k) {
                        if (!targets[k].is_object()) continue;
                        auto member = read_evidence({{"kind", entry["kind"]},
                                                     {"time", targets[k].value("time", "")},
                                                     {"lat", targets[k].value("lat", 1000.0)},
                                                     {"lon", targets[k].value("lon", 1000.0)}},
                                                    nullptr);
                        if (!member || std::fabs(member->where.lat_deg) > 90) continue;
                        member->rule = e->rule;
                        member->mmsi = e->mmsi;
                        member->repeat = true;
                        member->entry = e->entry;
                        if (targets[k].contains("track_id") &&
                            targets[k]["track_id"].is_number_unsigned())
                            member->target = targets[k]["track_id"].get<std::uint64_t>();
                        r.evidence.push_back(*member);
                    }
                }
                // Found again since: each `last` an update carries is a firing of its own.
                const auto last = entry.contains("last") ? read_time(entry["last"]) : std::nullopt;
                if (last && e->time < *last) {
                    e->time = *last;
                    e->repeat = true;
                    r.evidence.push_back(*e);
                }
            }
        } else if (auto e = read_evidence(p, geometry)) {
            r.evidence.push_back(*e);  // protocol 1: the alert is its only evidence
        }
        if (r.evidence.empty()) return std::nullopt;
        return r;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;  // a field of the wrong type: not an alert we can score
    }
}

std::vector<IncidentRecord> read_incidents(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(path + ": cannot open alerts file");
    std::vector<IncidentRecord> out;
    std::map<std::uint64_t, std::size_t> index;
    std::string line;
    while (std::getline(in, line)) {
        auto r = parse_alert_line(line);
        if (!r) continue;
        if (r->id == 0) {
            out.push_back(std::move(*r));
            continue;
        }
        auto [it, fresh] = index.try_emplace(r->id, out.size());
        if (fresh) {
            out.push_back(std::move(*r));
            continue;
        }
        auto& have = out[it->second].evidence;
        for (EvidenceRecord& e : r->evidence) {
            // The same entry seen in an earlier update. Its `seq` tells it apart from another
            // entry of the same kind and rule at the same second: two walkers' tracks crossing
            // a border in one cycle are two entries, and the second update that carried both
            // once lost the second (Sixaola seed 41: persona-b's crossing missed).
            const bool known = std::any_of(have.begin(), have.end(), [&](const EvidenceRecord& x) {
                return x.kind == e.kind && x.rule == e.rule && x.time == e.time &&
                       x.repeat == e.repeat && x.entry == e.entry && x.target == e.target;
            });
            if (!known) have.push_back(std::move(e));
        }
    }
    return out;
}

std::vector<TruthEvent> read_truth_events(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(path + ": cannot open events file");
    std::vector<TruthEvent> out;
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        auto e = truth_event_from_json(line);
        if (!e) throw std::runtime_error(path + ":" + std::to_string(n) + ": not a truth event");
        out.push_back(std::move(*e));
    }
    return out;
}

std::optional<double> read_run_duration_s(const std::string& events_path) {
    const auto run = std::filesystem::path(events_path).parent_path() / "run.json";
    std::ifstream in(run);
    if (!in) return std::nullopt;
    const auto j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || !j.contains("start") || !j.contains("end")) return std::nullopt;
    const auto a = read_time(j["start"]);
    const auto b = read_time(j["end"]);
    if (!a || !b || !(*a < *b)) return std::nullopt;
    return (*b - *a).seconds();
}

void TruthPaths::add(TruthId id, Timestamp t, LatLon where) { by_id_[id].emplace_back(t, where); }

std::optional<LatLon> TruthPaths::at(TruthId id, Timestamp t) const {
    const auto it = by_id_.find(id);
    if (it == by_id_.end() || it->second.empty()) return std::nullopt;
    const auto& p = it->second;
    auto k = std::lower_bound(p.begin(), p.end(), t,
                              [](const auto& s, Timestamp v) { return s.first < v; });
    if (k == p.end()) return p.back().second;
    if (k != p.begin() && (t - std::prev(k)->first).seconds() < (k->first - t).seconds()) --k;
    return k->second;
}

TruthPaths read_truth_paths(const std::string& events_path, const std::set<TruthId>& ids) {
    TruthPaths out;
    const auto file = std::filesystem::path(events_path).parent_path() / "truth.csv";
    std::ifstream in(file);
    if (!in || ids.empty()) return out;
    auto split = [](const std::string& line) {
        std::vector<std::string> cells;
        std::stringstream ss(line);
        for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
        return cells;
    };
    std::string line;
    if (!std::getline(in, line)) return out;
    const auto header = split(line);
    auto column = [&](const char* name) {
        const auto c = std::find(header.begin(), header.end(), name);
        if (c == header.end())
            throw std::runtime_error(file.string() + ": no '" + name + "' column");
        return static_cast<std::size_t>(c - header.begin());
    };
    const std::size_t ct = column("time"), ci = column("truth_id"), cla = column("lat"),
                      clo = column("lon");
    const std::size_t need = std::max({ct, ci, cla, clo});
    for (int n = 2; std::getline(in, line); ++n) {
        if (line.empty()) continue;
        const auto cells = split(line);
        try {
            if (cells.size() <= need) throw std::invalid_argument("short row");
            const auto id = static_cast<TruthId>(std::stoul(cells[ci]));
            if (!ids.contains(id)) continue;
            const double t = std::stod(cells[ct]);
            if (!(std::abs(t) < 9.2e9)) throw std::invalid_argument("time");
            out.add(id, Timestamp::from_unix_seconds(t),
                    LatLon{std::stod(cells[cla]), std::stod(cells[clo])});
        } catch (const std::exception&) {
            throw std::runtime_error(file.string() + ":" + std::to_string(n) + ": bad row");
        }
    }
    return out;
}

AlertScore score_alerts(const std::vector<TruthEvent>& truth,
                        const std::vector<IncidentRecord>& incidents, const ScoringTolerances& tol,
                        double run_s, const TruthPaths* paths) {
    // Flatten the evidence, remembering its incident.
    struct Item {
        const EvidenceRecord* e;
        std::size_t incident;
    };
    std::vector<Item> items;
    for (std::size_t i = 0; i < incidents.size(); ++i)
        for (const EvidenceRecord& e : incidents[i].evidence) items.push_back({&e, i});
    std::stable_sort(items.begin(), items.end(),
                     [](const Item& a, const Item& b) { return a.e->time < b.e->time; });
    std::vector<std::size_t> event_order(truth.size());
    for (std::size_t i = 0; i < truth.size(); ++i) event_order[i] = i;
    std::stable_sort(event_order.begin(), event_order.end(),
                     [&](std::size_t a, std::size_t b) { return truth[a].time < truth[b].time; });

    // How late an entry may be: a state that held for a while (TruthEvent::until) is found by an
    // alert any time while it held, however long after it began.
    auto late_s = [&](const TruthEvent& e) {
        return std::max(tol[e.kind].max_delay_s, e.until ? (*e.until - e.time).seconds() : 0.0);
    };
    // How far an entry is from an event, over the kind's distance limit (<= 1: near enough):
    // from where the target was at the entry's time when its path is known and the kind is
    // judged so, else from where the event began; a spoof's alert may also sit at the position
    // the transponder reported.
    auto off = [&](const EvidenceRecord& x, const TruthEvent& e) {
        const KindTolerance& k = tol[e.kind];
        std::optional<LatLon> then;
        if (k.along_path_m > 0 && paths && !e.truth_ids.empty())
            then = paths->at(e.truth_ids.front(), x.time);
        double r = then ? geo::geodesic_distance_m(*then, x.where) / k.along_path_m
                        : geo::geodesic_distance_m(e.where, x.where) / std::max(k.distance_m, 1.0);
        if (e.reported)
            r = std::min(
                r, geo::geodesic_distance_m(*e.reported, x.where) / std::max(k.distance_m, 1.0));
        return r;
    };
    auto explains = [&](const EvidenceRecord& x, const TruthEvent& e) {
        if (x.kind != e.kind) return false;
        if (!x.rule.empty() && !e.rule.empty() && x.rule != e.rule) return false;
        if (x.mmsi != 0 && std::find(e.mmsi.begin(), e.mmsi.end(), x.mmsi) == e.mmsi.end() &&
            std::any_of(e.mmsi.begin(), e.mmsi.end(), [](Mmsi m) { return m != 0; }))
            return false;  // evidence about another identified vessel
        const KindTolerance& k = tol[e.kind];
        const double dt = (x.time - e.time).seconds();
        if (dt < -k.early_s || dt > late_s(e)) return false;
        return off(x, e) <= 1;
    };

    std::array<KindScore, kAlertKindCount> kinds;
    std::array<double, kAlertKindCount> delay_sum{};
    for (int k = 0; k < kAlertKindCount; ++k)
        kinds[static_cast<std::size_t>(k)].kind = static_cast<AlertKind>(k);
    std::map<std::string, KindScore> rules;
    auto rule_score = [&](const std::string& name, AlertKind kind) -> KindScore* {
        if (name.empty()) return nullptr;
        KindScore& s = rules[name];
        s.rule = name;
        s.kind = kind;
        return &s;
    };
    for (const auto& e : truth) {
        KindScore& s = kinds[static_cast<std::size_t>(e.kind)];
        ++s.truth_events;
        s.scripted_events += e.scripted ? 1 : 0;
        if (KindScore* r = rule_score(e.rule, e.kind)) {
            ++r->truth_events;
            r->scripted_events += e.scripted ? 1 : 0;
        }
    }

    // Recall: events in time order each take the earliest unused entry that explains them.
    std::vector<char> item_used(items.size(), 0);
    std::vector<std::optional<std::size_t>> item_event(items.size());  // what it was matched to
    AlertScore score;
    for (const std::size_t ei : event_order) {
        const TruthEvent& e = truth[ei];
        bool hit = false;
        for (std::size_t ii = 0; ii < items.size() && !hit; ++ii) {
            if (item_used[ii] || !explains(*items[ii].e, e)) continue;
            item_used[ii] = 1;
            item_event[ii] = ei;
            hit = true;
            KindScore& s = kinds[static_cast<std::size_t>(e.kind)];
            ++s.matched;
            s.scripted_matched += e.scripted ? 1 : 0;
            if (KindScore* r = rule_score(e.rule, e.kind)) {
                ++r->matched;
                r->scripted_matched += e.scripted ? 1 : 0;
            }
            const double delay = (items[ii].e->time - e.time).seconds();
            delay_sum[static_cast<std::size_t>(e.kind)] += delay;
            s.max_delay_s = s.matched == 1 ? delay : std::max(s.max_delay_s, delay);
        }
        if (!hit) score.missed.push_back(e);
    }

    // How far an entry is from an event it explains, in units of the kind's tolerances: of the
    // events an entry explains, it is about the closest one.
    auto misfit = [&](const EvidenceRecord& x, const TruthEvent& e) {
        const KindTolerance& k = tol[e.kind];
        const double dt = (x.time - e.time).seconds();
        return off(x, e) + std::fabs(dt) / std::max(dt < 0 ? k.early_s : late_s(e), 1.0);
    };

    // Precision: an entry is false when it explains no event at all; an incident when none of
    // its entries explains one. Per event: how many distinct incidents are about it, an entry
    // being about the event recall matched it to, else the closest event it explains. (Counting
    // every incident that could explain an event made two boats 2.5 km apart, each in an
    // incident of its own, one event split in two: a dark target's tolerance is 5 km. By the
    // closest alone, two walkers 20 s apart, each in an incident of their own, were one walker
    // split in two and the other in none, whenever the first walker's entry came nearer the
    // second's event: the demo's walkers, Gambia's.)
    std::vector<char> incident_explained(incidents.size(), 0);
    std::vector<std::set<std::size_t>> event_incidents(truth.size());
    for (std::size_t ii = 0; ii < items.size(); ++ii) {
        const Item& it = items[ii];
        bool explained = false;
        std::optional<std::size_t> closest;
        double closest_misfit = 0;
        for (std::size_t ei = 0; ei < truth.size(); ++ei) {
            if (!explains(*it.e, truth[ei])) continue;
            explained = true;
            const double m = misfit(*it.e, truth[ei]);
            if (!closest || m < closest_misfit) {
                closest = ei;
                closest_misfit = m;
            }
        }
        if (item_event[ii]) closest = item_event[ii];
        if (closest) event_incidents[*closest].insert(it.incident);
        if (it.e->repeat) {  // counted with its entry
            if (explained) incident_explained[it.incident] = 1;
            continue;
        }
        KindScore& s = kinds[static_cast<std::size_t>(it.e->kind)];
        ++s.evidence;
        s.false_evidence += explained ? 0 : 1;
        if (KindScore* r = rule_score(it.e->rule, it.e->kind)) {
            ++r->evidence;
            r->false_evidence += explained ? 0 : 1;
        }
        if (explained) incident_explained[it.incident] = 1;
    }

    KindScore& all = score.overall;
    double all_delay = 0;
    for (std::size_t k = 0; k < kinds.size(); ++k) {
        KindScore& s = kinds[k];
        finish(s, delay_sum[k]);
        if (s.truth_events == 0 && s.evidence == 0) continue;
        score.per_kind.push_back(s);
        all.truth_events += s.truth_events;
        all.scripted_events += s.scripted_events;
        all.evidence += s.evidence;
        all.false_evidence += s.false_evidence;
        if (s.matched > 0)
            all.max_delay_s =
                all.matched == 0 ? s.max_delay_s : std::max(all.max_delay_s, s.max_delay_s);
        all.matched += s.matched;
        all.scripted_matched += s.scripted_matched;
        all_delay += delay_sum[k];
    }
    finish(all, all_delay);
    for (auto& [name, s] : rules) {
        finish(s, 0);
        score.per_rule.push_back(s);
    }

    IncidentScore& inc = score.incidents;
    inc.incidents = static_cast<int>(incidents.size());
    for (std::size_t i = 0; i < incidents.size(); ++i) {
        if (incident_explained[i]) continue;
        ++inc.false_incidents;
        score.false_incidents.push_back(incidents[i]);
    }
    inc.precision = inc.incidents > 0
                        ? static_cast<double>(inc.incidents - inc.false_incidents) / inc.incidents
                        : 1.0;
    if (run_s <= 0) {
        std::optional<Timestamp> lo, hi;
        auto see = [&](Timestamp t) {
            lo = lo ? std::min(*lo, t) : t;
            hi = hi ? std::max(*hi, t) : t;
        };
        for (const auto& e : truth) see(e.time);
        for (const Item& it : items) see(it.e->time);
        run_s = lo ? (*hi - *lo).seconds() : 0;
    }
    inc.run_hours = run_s / 3600.0;
    inc.false_per_hour = inc.run_hours > 0 ? inc.false_incidents / inc.run_hours : 0.0;
    std::size_t total = 0;
    for (std::size_t ei = 0; ei < truth.size(); ++ei) {
        const std::set<std::size_t>& set = event_incidents[ei];
        if (set.empty()) continue;
        ++inc.events_found;
        total += set.size();
        if (set.size() < 2) continue;
        ++inc.split_events;
        std::vector<std::uint64_t> ids;
        for (std::size_t i : set) ids.push_back(incidents[i].id);
        score.splits.emplace_back(truth[ei], std::move(ids));
    }
    inc.incidents_per_event =
        inc.events_found > 0 ? static_cast<double>(total) / inc.events_found : 0.0;
    return score;
}

std::string to_json(const AlertScore& score) {
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.key("overall");
    write_kind(w, score.overall);
    const IncidentScore& inc = score.incidents;
    w.key("incidents").begin_object();
    w.field("incidents", inc.incidents);
    w.field("false_incidents", inc.false_incidents);
    w.field("precision", inc.precision, 4);
    w.field("false_per_hour", inc.false_per_hour, 3);
    w.field("run_hours", inc.run_hours, 3);
    w.field("events_found", inc.events_found);
    w.field("split_events", inc.split_events);
    w.field("incidents_per_event", inc.incidents_per_event, 4);
    w.end_object();
    w.key("kinds").begin_object();
    for (const KindScore& s : score.per_kind) {
        w.key(to_string(s.kind));
        write_kind(w, s);
    }
    w.end_object();
    w.key("rules").begin_object();
    for (const KindScore& s : score.per_rule) {
        w.key(s.rule);
        write_kind(w, s);
    }
    w.end_object();
    w.key("missed").begin_array();
    for (const TruthEvent& e : score.missed) w.raw(to_json(e));
    w.end_array();
    w.key("false_incidents").begin_array();
    for (const IncidentRecord& r : score.false_incidents) {
        w.begin_object().field("id", static_cast<std::uint64_t>(r.id)).key("evidence");
        w.begin_array();
        for (const EvidenceRecord& e : r.evidence) write_evidence(w, e);
        w.end_array().end_object();
    }
    w.end_array();
    w.key("splits").begin_array();
    for (const auto& [event, ids] : score.splits) {
        w.begin_object().key("event").raw(to_json(event)).key("incidents").begin_array();
        for (std::uint64_t id : ids) w.value(id);
        w.end_array().end_object();
    }
    w.end_array();
    w.end_object();
    return out;
}

int run_score_alerts(const std::string& alerts_path, const std::string& events_path,
                     const ScoringTolerances& tolerances, std::ostream& out, std::ostream& err,
                     double run_s) {
    try {
        const auto incidents = read_incidents(alerts_path);
        const auto events = read_truth_events(events_path);
        if (run_s <= 0) run_s = read_run_duration_s(events_path).value_or(0);
        std::set<TruthId> judged_along_path;
        for (const TruthEvent& e : events)
            if (tolerances[e.kind].along_path_m > 0)
                judged_along_path.insert(e.truth_ids.begin(), e.truth_ids.end());
        const TruthPaths paths = read_truth_paths(events_path, judged_along_path);
        out << to_json(score_alerts(events, incidents, tolerances, run_s, &paths)) << '\n';
        return 0;
    } catch (const std::exception& e) {
        err << "picket score: " << e.what() << '\n';
        return 1;
    }
}

}  // namespace picket::sim
