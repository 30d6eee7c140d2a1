// A rules cycle run in parts (evaluate_part over consecutive parts of the tracks, then
// finish_cycle; what the live server does between messages, src/engine/fusion_engine.hpp) gives
// the same incidents as evaluate() over the whole picture: evaluate() is the reference.
#include <catch2/catch.hpp>

#include <random>
#include <sstream>

#include "tests/unit/rules/rules_scene.hpp"

using namespace picket;
using namespace picket::test;

namespace {

const char* kEveryKind = R"yaml(
rules:
  - {name: entry-B, kind: zone_entry, zone: B, severity: high, escalate_after: 2min}
  - {name: exit-A, kind: zone_exit, zone: A}
  - {name: cross, kind: border_crossing, line: AB}
  - {name: eta-B, kind: approach, zone: B, time_to_reach: 10min}
  - {name: fast, kind: speeding, zone: A, max_speed_kn: 20}
  - {name: dark-B, kind: dark_target, zone: B, dwell: 30s}
  - {name: gap, kind: ais_gap, gap: 2min}
  - {name: loiter, kind: loitering, zone: t/A, min_duration: 5min}
  - {name: meet, kind: rendezvous, min_duration: 2min}
)yaml";

/// Every incident update as one line: what a console would be told, in order.
std::string describe(std::vector<Alert> updates) {
    std::ostringstream out;
    for (const Alert& a : updates)
        out << a.id << ' ' << static_cast<int>(a.change) << ' ' << static_cast<int>(a.kind) << ' '
            << a.rule << ' ' << a.track << ' ' << static_cast<int>(a.severity) << ' '
            << a.timeline.size() << ' ' << a.message << '\n';
    return out.str();
}

}  // namespace

TEST_CASE("A rules cycle in parts raises what the whole cycle raises", "[rules][steps]") {
    // 1,500 vessels around the A|B line: crossings, entries, approaches, speeders, slow pairs
    // (rendezvous, loitering), identified ones whose AIS stops (gaps) and dark ones.
    std::vector<Track> tracks;
    std::mt19937_64 rng(4242);
    std::uniform_real_distribution<double> lat(0.05, 0.95), lon(0.3, 1.7), course(0, 360);
    std::uniform_real_distribution<double> unit(0, 1);
    for (TrackId id = 1; id <= 1500; ++id) {
        const double kn = unit(rng) < 0.2 ? 0.5 * unit(rng) : 30 * unit(rng);
        const Mmsi mmsi = unit(rng) < 0.5 ? static_cast<Mmsi>(525'000'000 + id) : 0;
        tracks.push_back(vessel(id, lat(rng), lon(rng), kn, course(rng), mmsi));
    }
    // And 60 slow pairs 200 m apart (rendezvous: the part of the cycle that needs every track),
    // the partners far apart in the picture's order, so they fall in different parts.
    for (TrackId k = 0; k < 60; ++k) {
        const double la = lat(rng), lo = lon(rng);
        tracks.insert(tracks.begin() + static_cast<std::ptrdiff_t>(k),
                      vessel(5000 + k, la, lo, 0.3, 90));
        tracks.push_back(vessel(6000 + k, la + 0.0018, lo, 0.3, 90));
    }
    const std::size_t part = GENERATE(1000, 333, 1620);
    rules::RuleEngine whole(test_book(kEveryKind));
    rules::RuleEngine stepped(test_book(kEveryKind));
    Timestamp now = Timestamp::from_unix_seconds(1'800'000'000);
    std::size_t updates = 0, rendezvous = 0;
    for (int cycle = 0; cycle < 250; ++cycle) {
        now += Duration::from_seconds(1);
        for (Track& t : tracks) {
            const double v = t.speed_mps();
            if (v > 0) t.position = geo::geodesic_destination(t.position, t.course_deg(), v);
            t.updated = now;
            // Every 5th identified vessel stops reporting AIS after 60 s.
            if (t.identity && (t.id % 5 != 0 || cycle < 60)) t.last_ais = now;
        }
        whole.evaluate(tracks, now);
        const std::span<const Track> all(tracks);
        for (std::size_t begin = 0; begin < all.size(); begin += part)
            stepped.evaluate_part(all.subspan(begin, std::min(part, all.size() - begin)), now);
        stepped.finish_cycle(all, now);
        const auto expected = whole.take_alert_updates();
        updates += expected.size();
        for (const Alert& a : expected)
            if (a.kind == AlertKind::rendezvous && a.change == IncidentChange::raised) ++rendezvous;
        REQUIRE(describe(stepped.take_alert_updates()) == describe(expected));
    }
    // The scene raises plenty, of every kind the comparison should cover.
    CHECK(updates > 500);
    CHECK(rendezvous >= 30);
}
