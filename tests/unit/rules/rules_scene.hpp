#pragma once
// Test harness for the rule engine: a rule file with small WKT zones around (0..2E, 0..1N), an
// enclave at 10..11E and a zone split at the antimeridian, plus tracks moved at constant
// velocity along geodesics and a clock that the test advances.
#include <algorithm>
#include <string>
#include <vector>

#include "config/yaml_reader.hpp"
#include "core/alert.hpp"
#include "core/track.hpp"
#include "geo/local_frame.hpp"
#include "rules/rule_engine.hpp"
#include "rules/rule_file.hpp"

namespace picket::test {

inline const char* kTestZones = R"yaml(
layers:
  - name: t
    zones:
      - {name: A, wkt: "POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))"}
      - {name: B, wkt: "POLYGON((1 0, 2 0, 2 1, 1 1, 1 0))"}
      - name: W
        wkt: "POLYGON((10 0, 11 0, 11 1, 10 1, 10 0),(10.4 0.4, 10.6 0.4, 10.6 0.6, 10.4 0.6, 10.4 0.4))"
      - {name: E, wkt: "POLYGON((10.4 0.4, 10.6 0.4, 10.6 0.6, 10.4 0.6, 10.4 0.4))"}
      - name: F
        wkt: "MULTIPOLYGON(((179 -17, 180 -17, 180 -16, 179 -16, 179 -17)),((-180 -17, -179 -17, -179 -16, -180 -16, -180 -17)))"
      - {name: S, wkt: "POLYGON((5 0, 5.001 0, 5.001 1, 5 1, 5 0))"}
lines:
  - {name: AB, between: [A, B]}
  - {name: F-limit, boundary_of: F}
  - {name: S-edge, boundary_of: S}
)yaml";

inline rules::RuleBook test_book(const std::string& rules_yaml) {
    const auto root = config::Node::load_string(std::string(kTestZones) + rules_yaml, "test.yaml");
    return rules::parse_rule_file(root, ".");
}

inline constexpr double kKn = 1852.0 / 3600.0;

/// A confirmed track at (lat, lon) doing `speed_kn` on `course_deg`; identified when mmsi != 0.
inline Track vessel(TrackId id, double lat, double lon, double speed_kn, double course_deg,
                    Mmsi mmsi = 0) {
    Track t;
    t.id = id;
    t.status = TrackStatus::confirmed;
    t.position = {lat, lon};
    const double rad = course_deg * 3.14159265358979323846 / 180.0;
    t.east_mps = speed_kn * kKn * std::sin(rad);
    t.north_mps = speed_kn * kKn * std::cos(rad);
    if (mmsi != 0) t.identity = Identity{.mmsi = mmsi};
    return t;
}

struct Scene {
    rules::RuleEngine engine;
    std::vector<Track> tracks;
    Timestamp now = Timestamp::from_unix_seconds(1'800'000'000);
    /// Findings in order: one per timeline entry added (a rule finding something new), as an
    /// Alert whose kind, rule, track, position, time and message are the entry's, id its
    /// incident's and evidence the track state it was found on.
    std::vector<Alert> raised;
    std::vector<Alert> updates;  ///< every incident update, in order
    bool ais_on{true};           ///< identified tracks keep reporting AIS

    explicit Scene(const std::string& rules_yaml) : engine(test_book(rules_yaml)) {}

    Track& track(TrackId id) {
        return *std::find_if(tracks.begin(), tracks.end(),
                             [&](const Track& t) { return t.id == id; });
    }
    void collect() {
        for (auto& a : engine.take_alert_updates()) {
            const bool added = a.change == IncidentChange::raised ||
                               a.change == IncidentChange::evidence ||
                               a.change == IncidentChange::reopened;
            if (added && !a.timeline.empty()) {
                const Evidence& e = a.timeline.back();
                Alert f = a;
                f.kind = e.kind;
                f.severity = e.severity;
                f.rule = e.rule;
                f.zone = e.zone;
                f.track = e.track;
                f.other_track = e.other_track;
                f.where = e.where;
                f.when = e.first;
                f.message = e.message;
                raised.push_back(std::move(f));
            }
            updates.push_back(std::move(a));
        }
    }
    /// Distinct incidents among the updates.
    [[nodiscard]] std::size_t incidents() const {
        std::vector<AlertId> ids;
        for (const Alert& a : updates)
            if (std::find(ids.begin(), ids.end(), a.id) == ids.end()) ids.push_back(a.id);
        return ids.size();
    }
    /// Evaluates once at the current time without moving anything.
    void tick() {
        for (auto& t : tracks) {
            t.updated = now;
            if (t.identity && ais_on) t.last_ais = now;
        }
        engine.evaluate(tracks, now);
        collect();
    }
    /// Advances time by `seconds` in steps of `dt`, moving every track along its velocity.
    void run(double seconds, double dt = 1.0) {
        for (double s = 0; s < seconds - 1e-9; s += dt) {
            now += Duration::from_seconds(dt);
            for (auto& t : tracks) {
                const double v = t.speed_mps();
                if (v > 0)
                    t.position = geo::geodesic_destination(t.position, t.course_deg(), v * dt);
            }
            tick();
        }
    }
    [[nodiscard]] std::size_t count(AlertKind k) const {
        return static_cast<std::size_t>(std::count_if(raised.begin(), raised.end(),
                                                      [&](const Alert& a) { return a.kind == k; }));
    }
    [[nodiscard]] std::size_t count(const std::string& rule) const {
        return static_cast<std::size_t>(std::count_if(
            raised.begin(), raised.end(), [&](const Alert& a) { return a.rule == rule; }));
    }
};

}  // namespace picket::test
