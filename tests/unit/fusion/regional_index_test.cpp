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
    plain.fast_merge_pass = false;
    FuserConfig indexed = plain;
    indexed.indexed_association = true;
    indexed.fast_merge_pass = true;
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

TEST_CASE("the merge pass finds the same partners as its plain reference",
          "[fusion][fuser][merge]") {
    // A dense scene (1,500 targets on 4 km x 4 km, three overlapping sources with a 40 m bias
    // between them, MMSIs on some, display-only source 2): many regional tracks within the merge
    // distance of each other, most pairs rejected by one check or another, some kept.
    const LatLon origin{-8.5, 125.5};
    const geo::LocalFrame frame{origin};
    FuserConfig cfg;
    cfg.origin = origin;
    cfg.display_only = {2};
    TrackFuser fuser(cfg);
    std::mt19937 rng(5);
    std::normal_distribution<double> noise(0, 20);
    std::uniform_real_distribution<double> u(0, 1);
    std::size_t compared = 0, with_partners = 0;
    for (int step = 0; step < 12; ++step) {
        const double t = step * 3.0;
        std::mt19937 scene(17);  // the same targets every step, moving
        for (int i = 0; i < 1500; ++i) {
            const Eigen::Vector2d p0{u(scene) * 4000, u(scene) * 4000};
            const Eigen::Vector2d v{u(scene) * 12 - 6, u(scene) * 12 - 6};
            const bool has_mmsi = u(scene) < 0.4;
            const Eigen::Vector2d p = p0 + v * t;
            for (FeedIndex s = 0; s < 3; ++s) {
                if (p.x() < s * 1200.0 || p.x() > s * 1200.0 + 2000 || u(rng) < 0.2) continue;
                SourceTrack st;
                st.id = 1000 * (s + 1) + static_cast<std::uint64_t>(i);
                st.time = at(t + 0.1 * s);
                st.position = frame.to_latlon({p.x() + 40.0 * s + noise(rng), p.y() + noise(rng)});
                st.east_mps = v.x();
                st.north_mps = v.y();
                st.cov = Eigen::Vector4d(400, 400, 1, 1).asDiagonal();
                st.status = TrackStatus::confirmed;
                if (has_mmsi) st.identity = Identity{static_cast<Mmsi>(211000000 + i)};
                st.sensors = {"radar-" + std::to_string(s)};
                fuser.on_track(s, st);
            }
        }
        const auto fast = fuser.merge_partners();
        const auto plain = fuser.merge_partners_reference();
        CHECK(fast == plain);
        ++compared;
        with_partners += fast.empty() ? 0 : 1;
        fuser.advance(at(t + 0.5));
    }
    CHECK(compared == 12);
    CHECK(with_partners >= 6);  // the scene has pairs that pass every check, most steps
    CHECK(fuser.counters().merged > 0);
}
