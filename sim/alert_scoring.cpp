#include "sim/alert_scoring.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <stdexcept>

#include "core/json_writer.hpp"
#include "geo/local_frame.hpp"

namespace picket::sim {
namespace {

std::optional<Timestamp> read_time(const nlohmann::json& v) {
    if (v.is_string()) return parse_iso8601(v.get<std::string>());
    if (v.is_number()) return Timestamp::from_unix_seconds(v.get<double>());
    return std::nullopt;
}

void write_score(JsonWriter& w, const KindScore& s) {
    w.begin_object();
    w.field("truth_events", s.truth_events);
    w.field("alerts", s.alerts);
    w.field("matched", s.matched);
    w.field("duplicates", s.duplicates);
    w.field("false_alarms", s.false_alarms);
    w.field("recall", s.recall, 4);
    w.field("precision", s.precision, 4);
    w.field("mean_delay_s", s.mean_delay_s, 3);
    w.field("max_delay_s", s.max_delay_s, 3);
    w.end_object();
}

void finish(KindScore& s, double delay_sum) {
    s.recall = s.truth_events > 0 ? static_cast<double>(s.matched) / s.truth_events : 1.0;
    const int judged = s.matched + s.false_alarms;
    s.precision = judged > 0 ? static_cast<double>(s.matched) / judged : 1.0;
    s.mean_delay_s = s.matched > 0 ? delay_sum / s.matched : 0.0;
}

}  // namespace

ScoringTolerances::ScoringTolerances() {
    (*this)[AlertKind::loitering] = {60, 1800, 3000};
    (*this)[AlertKind::rendezvous] = {60, 1200, 3000};
    // An AIS gap is raised where the target is when the silence exceeds the rule's threshold:
    // a fast boat covers ~10 km in 10 min.
    (*this)[AlertKind::ais_gap] = {30, 1200, 30000};
    (*this)[AlertKind::dark_target] = {30, 600, 5000};
    (*this)[AlertKind::ais_anomaly] = {30, 600, 5000};
    (*this)[AlertKind::ground_detection] = {10, 60, 500};
}

std::optional<AlertRecord> parse_alert_line(std::string_view line) {
    const auto brace = line.find('{');
    if (brace == std::string_view::npos) return std::nullopt;
    line.remove_prefix(brace);  // a recorded "alert {...}" keeps its topic word
    const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return std::nullopt;
    try {
        const bool feature = j.contains("properties") && j["properties"].is_object();
        const nlohmann::json& p = feature ? j["properties"] : j;
        if (!p.contains("kind") || !p.contains("time")) return std::nullopt;
        const auto kind = alert_kind_from_string(p["kind"].get<std::string>());
        const auto time = read_time(p["time"]);
        if (!kind || !time) return std::nullopt;
        AlertRecord a;
        a.kind = *kind;
        a.time = *time;
        if (feature && j.contains("geometry") && j["geometry"].contains("coordinates")) {
            const auto& c = j["geometry"]["coordinates"];
            a.where = {c.at(1).get<double>(), c.at(0).get<double>()};
        } else if (p.contains("lat") && p.contains("lon")) {
            a.where = {p["lat"].get<double>(), p["lon"].get<double>()};
        } else {
            return std::nullopt;
        }
        if (p.contains("alert_id") && p["alert_id"].is_number_unsigned())
            a.alert_id = p["alert_id"].get<std::uint64_t>();
        return a;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;  // a field of the wrong type: not an alert we can score
    }
}

std::vector<AlertRecord> read_alerts(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(path + ": cannot open alerts file");
    std::vector<AlertRecord> out;
    std::set<std::uint64_t> seen;
    std::string line;
    while (std::getline(in, line)) {
        auto a = parse_alert_line(line);
        if (!a) continue;
        if (a->alert_id && !seen.insert(*a->alert_id).second) continue;  // an update, not a raise
        out.push_back(*a);
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

AlertScore score_alerts(const std::vector<TruthEvent>& truth,
                        const std::vector<AlertRecord>& alerts, const ScoringTolerances& tol) {
    std::vector<std::size_t> event_order(truth.size());
    for (std::size_t i = 0; i < truth.size(); ++i) event_order[i] = i;
    std::stable_sort(event_order.begin(), event_order.end(),
                     [&](std::size_t a, std::size_t b) { return truth[a].time < truth[b].time; });
    std::vector<std::size_t> alert_order(alerts.size());
    for (std::size_t i = 0; i < alerts.size(); ++i) alert_order[i] = i;
    std::stable_sort(alert_order.begin(), alert_order.end(),
                     [&](std::size_t a, std::size_t b) { return alerts[a].time < alerts[b].time; });

    auto within = [&](const TruthEvent& e, const AlertRecord& a) {
        if (a.kind != e.kind) return false;
        const KindTolerance& k = tol[e.kind];
        const double dt = (a.time - e.time).seconds();
        if (dt < -k.early_s || dt > k.max_delay_s) return false;
        // A spoofing alert may be placed at the true or at the reported position.
        return geo::geodesic_distance_m(e.where, a.where) <= k.distance_m ||
               (e.reported && geo::geodesic_distance_m(*e.reported, a.where) <= k.distance_m);
    };

    std::vector<char> alert_used(alerts.size(), 0);
    std::vector<char> event_hit(truth.size(), 0);
    std::array<KindScore, kAlertKindCount> kinds;
    std::array<double, kAlertKindCount> delay_sum{};
    for (int k = 0; k < kAlertKindCount; ++k)
        kinds[static_cast<std::size_t>(k)].kind = static_cast<AlertKind>(k);
    for (const auto& e : truth) ++kinds[static_cast<std::size_t>(e.kind)].truth_events;
    for (const auto& a : alerts) ++kinds[static_cast<std::size_t>(a.kind)].alerts;

    for (const std::size_t ei : event_order) {
        const TruthEvent& e = truth[ei];
        for (const std::size_t ai : alert_order) {
            if (alert_used[ai] || !within(e, alerts[ai])) continue;
            alert_used[ai] = 1;
            event_hit[ei] = 1;
            KindScore& s = kinds[static_cast<std::size_t>(e.kind)];
            ++s.matched;
            const double delay = (alerts[ai].time - e.time).seconds();
            delay_sum[static_cast<std::size_t>(e.kind)] += delay;
            s.max_delay_s = s.matched == 1 ? delay : std::max(s.max_delay_s, delay);
            break;
        }
    }
    for (std::size_t ai = 0; ai < alerts.size(); ++ai) {
        if (alert_used[ai]) continue;
        KindScore& s = kinds[static_cast<std::size_t>(alerts[ai].kind)];
        bool duplicate = false;
        for (std::size_t ei = 0; ei < truth.size() && !duplicate; ++ei)
            duplicate = event_hit[ei] && within(truth[ei], alerts[ai]);
        ++(duplicate ? s.duplicates : s.false_alarms);
    }

    AlertScore score;
    double all_delay = 0;
    KindScore& all = score.overall;
    for (std::size_t k = 0; k < kinds.size(); ++k) {
        KindScore& s = kinds[k];
        finish(s, delay_sum[k]);
        if (s.truth_events == 0 && s.alerts == 0) continue;
        score.per_kind.push_back(s);
        all.truth_events += s.truth_events;
        all.alerts += s.alerts;
        if (s.matched > 0)
            all.max_delay_s =
                all.matched == 0 ? s.max_delay_s : std::max(all.max_delay_s, s.max_delay_s);
        all.matched += s.matched;
        all.duplicates += s.duplicates;
        all.false_alarms += s.false_alarms;
        all_delay += delay_sum[k];
    }
    finish(all, all_delay);
    for (const std::size_t ei : event_order)
        if (!event_hit[ei]) score.missed.push_back(truth[ei]);
    return score;
}

std::string to_json(const AlertScore& score) {
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.key("overall");
    write_score(w, score.overall);
    w.key("kinds").begin_object();
    for (const KindScore& s : score.per_kind) {
        w.key(to_string(s.kind));
        write_score(w, s);
    }
    w.end_object();
    w.key("missed").begin_array();
    for (const TruthEvent& e : score.missed) w.raw(to_json(e));
    w.end_array();
    w.end_object();
    return out;
}

int run_score_alerts(const std::string& alerts_path, const std::string& events_path,
                     const ScoringTolerances& tolerances, std::ostream& out, std::ostream& err) {
    try {
        const auto alerts = read_alerts(alerts_path);
        const auto events = read_truth_events(events_path);
        out << to_json(score_alerts(events, alerts, tolerances)) << '\n';
        return 0;
    } catch (const std::exception& e) {
        err << "picket score: " << e.what() << '\n';
        return 1;
    }
}

}  // namespace picket::sim
