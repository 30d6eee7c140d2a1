// The association index finds every regional track that can be within reach, wherever the
// tracks are, however fast, however far apart in time: checked against a brute-force scan; and
// the fuser with it gives the same picture as the plain full scan, call for call.
#include <catch2/catch.hpp>

#include <random>

#include "fusion/regional_index.hpp"
#include "fusion/track_fuser.hpp"
#include "geo/local_frame.hpp"

using namespace picket;
using namespace picket::fusion;

namespace {

Timestamp at(double s) { return Timestamp{} + Duration::from_seconds(1'800'000'000 + s); }

}  // namespace

TEST_CASE("the index returns every track whose predicted position is within the radius",
          "[fusion][index]") {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> pos(-40'000, 40'000), vel(-15, 15), when(0, 90);
    struct Truth {
        Eigen::Vector2d p, v;
        Timestamp t;
    };
    std::map<TrackId, Truth> truth;
    RegionalIndex index(5000);
    for (TrackId id = 1; id <= 2000; ++id) {
        Truth e{{pos(rng), pos(rng)}, {vel(rng), vel(rng)}, at(when(rng))};
        if (id % 97 == 0) e.v *= 20;  // a few fast ones (an aircraft from a CAT062 source)
        truth[id] = e;
        index.put(id, e.p, e.v, e.t);
    }
    for (TrackId id = 1; id <= 2000; id += 3) {  // moved and removed ones
        if (id % 2) {
            index.remove(id);
            truth.erase(id);
        } else {
            truth[id].p += Eigen::Vector2d(700, -300);
            truth[id].t = at(95);
            index.put(id, truth[id].p, truth[id].v, truth[id].t);
        }
    }
    REQUIRE(index.size() == truth.size());
    std::size_t returned = 0, within = 0;
    for (int q = 0; q < 300; ++q) {
        const Eigen::Vector2d p{pos(rng), pos(rng)};
        const Timestamp t = at(when(rng));
        const double radius = q % 2 ? 3000 : 5000;
        const std::vector<TrackId> found = index.near(p, t, radius);
        CHECK(std::is_sorted(found.begin(), found.end()));
        for (const auto& [id, e] : truth) {
            const Eigen::Vector2d there = e.p + e.v * (t - e.t).seconds();
            if ((there - p).norm() > radius) continue;
            ++within;
            CHECK(std::binary_search(found.begin(), found.end(), id));
        }
        returned += found.size();
    }
    CHECK(within > 0);
    // Useful, not just correct: far fewer than every track per query.
    CHECK(returned < truth.size() * 300 / 2);
}

TEST_CASE("fast and stale tracks widen the search, never hide a track", "[fusion][index]") {
    RegionalIndex index(1000);
    index.put(1, {0, 0}, {0, 0}, at(0));
    index.put(2, {50'000, 0}, {-250, 0}, at(0));  // 200 s later it is at -0: near the origin
    const auto found = index.near({0, 0}, at(200), 1000);
    CHECK(std::find(found.begin(), found.end(), 2) != found.end());
    index.remove(2);
    CHECK(index.near({0, 0}, at(200), 1000) == std::vector<TrackId>{1});
}

TEST_CASE("the fuser gives the same picture with the index as with the full scan",
          "[fusion][fuser][index]") {
    const LatLon origin{-8.5, 125.5};
    const geo::LocalFrame frame{origin};
    FuserConfig plain;
    plain.origin = origin;
    plain.indexed_association = false;
    FuserConfig indexed = plain;
    indexed.indexed_association = true;
    TrackFuser a(plain), b(indexed);

    // 300 targets on a 20 km square, three sources that each see part of it (overlapping),
    // some with MMSIs, noise, a source restart, ends and pictures: every path of association.
    std::mt19937 rng(11);
    std::normal_distribution<double> noise(0, 30);
    std::uniform_real_distribution<double> u(0, 1);
    struct Target {
        Eigen::Vector2d p, v;
        std::optional<Mmsi> mmsi;
    };
    std::vector<Target> targets;
    for (int i = 0; i < 300; ++i)
        targets.push_back({{u(rng) * 20'000, u(rng) * 20'000},
                           {u(rng) * 10 - 5, u(rng) * 10 - 5},
                           u(rng) < 0.5 ? std::optional<Mmsi>(211000000 + i) : std::nullopt});
    std::uint64_t restart_offset = 0;
    for (int step = 0; step < 60; ++step) {
        const double t = step * 2.0;
        for (std::size_t i = 0; i < targets.size(); ++i) {
            const Target& g = targets[i];
            const Eigen::Vector2d p = g.p + g.v * t;
            for (FeedIndex s = 0; s < 3; ++s) {
                const double lo = s * 6000.0, hi = lo + 9000;  // 3 km overlaps
                if (p.x() < lo || p.x() >= hi) continue;
                if (u(rng) < 0.1) continue;  // a missed update
                SourceTrack st;
                st.id = (s == 1 ? restart_offset : 0) + 1000 * (s + 1) + i;
                st.time = at(t);
                st.position = frame.to_latlon({p.x() + noise(rng), p.y() + noise(rng)});
                st.east_mps = g.v.x();
                st.north_mps = g.v.y();
                st.cov = Eigen::Vector4d(900, 900, 1, 1).asDiagonal();
                st.status = step == 0 && s == 2 ? TrackStatus::tentative : TrackStatus::confirmed;
                if (g.mmsi) st.identity = Identity{*g.mmsi};
                st.sensors = {"radar-" + std::to_string(s), "ais"};
                a.on_track(s, st);
                b.on_track(s, st);
            }
        }
        if (step == 30) {  // source 1 restarts: its ids start again elsewhere
            a.on_source_restart(1);
            b.on_source_restart(1);
            restart_offset = 100'000;
        }
        if (step == 40) {
            a.on_ended(0, 1000 + 7);
            b.on_ended(0, 1000 + 7);
        }
        a.advance(at(t));
        b.advance(at(t));
        REQUIRE(a.tracks().size() == b.tracks().size());
        for (std::size_t i = 0; i < a.tracks().size(); ++i) {
            const Track& x = a.tracks()[i];
            const Track& y = b.tracks()[i];
            REQUIRE(x.id == y.id);
            CHECK(x.position.lat_deg == y.position.lat_deg);
            CHECK(x.position.lon_deg == y.position.lon_deg);
            CHECK(a.lineage(x.id)->sources == b.lineage(y.id)->sources);
        }
        const auto ca = a.take_changes(), cb = b.take_changes();
        CHECK(ca.updated == cb.updated);
        CHECK(ca.deleted == cb.deleted);
    }
    const FuserCounters& ca = a.counters();
    const FuserCounters& cb = b.counters();
    CHECK(ca.associated == cb.associated);
    CHECK(ca.created == cb.created);
    CHECK(ca.merged == cb.merged);
    CHECK(ca.rebound == cb.rebound);
    // The scene exercised what it should: joins across sectors, a restart re-bound by state.
    CHECK(ca.associated > 100);
    CHECK(ca.rebound > 10);
}
