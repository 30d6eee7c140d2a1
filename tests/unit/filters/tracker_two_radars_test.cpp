// Two radars over one boat: a near one that sees it every sweep and a far one that saw it once.
// The far radar's sweeps past the boat are looks at the track, but its Pd there is not the Pd
// it has on the ships it does see (filters/look_lifecycle.hpp, holder_pd): Gambia seed 7's
// pirogue lost its track to them (docs/tracking.md step 10).
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <optional>
#include <random>
#include <vector>

#include "filters/tracker.hpp"
#include "geo/local_frame.hpp"
#include "tests/unit/filters/scene_time.hpp"

using namespace picket;
using namespace picket::filters;
using namespace picket::tracker_tests;

namespace {

constexpr FeedIndex kNear = 1;
constexpr FeedIndex kFar = 2;
constexpr double kNearScanS = 8;
constexpr double kFarScanS = 3;

struct Coast {
    LatLon origin{13.30, -16.75};
    geo::LocalFrame frame{origin};
    SensorSite near_site{};
    SensorSite far_site{};
    std::mt19937_64 gen{7};
    std::normal_distribution<double> unit{0, 1};

    Coast() {
        near_site.position = frame.to_latlon({0, -10000});    // 10 km south of the boat
        far_site.position = frame.to_latlon({30000, 28000});  // 41 km north-east of it
    }
    Measurement plot(FeedIndex feed, const SensorSite& site, double sigma_r, double sigma_b,
                     const Eigen::Vector2d& en, double t) {
        const LatLon p = frame.to_latlon(en);
        Measurement m;
        m.feed = feed;
        m.sensor = SensorKind::radar;
        m.observed = m.received = at(t);
        m.z = PolarZ{site, geo::geodesic_distance_m(site.position, p) + sigma_r * unit(gen),
                     geo::geodesic_bearing_deg(site.position, p) * kDeg + sigma_b * unit(gen),
                     sigma_r, sigma_b};
        return m;
    }
    Measurement near_plot(const Eigen::Vector2d& en, double t) {
        return plot(kNear, near_site, 40, 0.35 * kDeg, en, t);
    }
    Measurement far_plot(const Eigen::Vector2d& en, double t) {
        return plot(kFar, far_site, 20, 0.25 * kDeg, en, t);
    }
};

// Ships the far radar sees on every sweep, 8-12 km from it: its Pd is learned on them.
const std::vector<Eigen::Vector2d> kShips{{24000, 20000}, {26000, 19000}, {22000, 22000}};

struct Outcome {
    bool kept{true};  ///< the boat's first confirmed track shown confirmed after every sweep
    std::optional<double> gone_s;  ///< when no track was left near the boat after it left
};

Outcome run(double boat_leaves_s, double end_s) {
    Coast c;
    TrackerConfig cfg;
    cfg.origin = c.origin;
    cfg.filter = "kf";
    // A sea with some clutter (0.05 plots per km^2 per look), as a clutter map learns near a
    // coast: each near-radar plot is then worth a few hundred, not the ~10^4 of a clean sea.
    cfg.clutter_density_per_m2 = 5e-8;
    Tracker tr(cfg);
    auto boat_at = [](double t) { return Eigen::Vector2d(1.5 * t, 0); };
    std::optional<TrackId> boat_track;
    Outcome out;
    // After every sweep of either radar: the boat's track (the first confirmed one near it).
    auto check = [&](double t) {
        const bool boat_there = t < boat_leaves_s;
        const Track* mine = nullptr;
        for (const Track& k : tr.tracks()) {
            const bool near_boat = (c.frame.to_en(k.position) - boat_at(t)).norm() < 400;
            if (boat_track ? k.id == *boat_track : near_boat && k.status == TrackStatus::confirmed)
                mine = &k;
        }
        if (!boat_track && mine != nullptr) boat_track = mine->id;
        if (boat_track && boat_there)
            out.kept = out.kept && mine != nullptr && mine->status == TrackStatus::confirmed;
        if (!boat_there && !out.gone_s && mine == nullptr) out.gone_s = t - boat_leaves_s;
    };
    for (double t = 0; t <= end_s; t += 1) {
        if (std::fmod(t, kFarScanS) == 0) {
            std::vector<Measurement> sweep;
            for (const Eigen::Vector2d& s : kShips) sweep.push_back(c.far_plot(s, t));
            // The far radar sees the small boat once, at 60 s.
            if (t == 60) sweep.push_back(c.far_plot(boat_at(t), t));
            tr.process(sweep);
            check(t);
        }
        if (std::fmod(t, kNearScanS) == 0) {
            // The near radar's sweep: a moored ship 3 km west (its sweeps go on when the boat
            // has gone: a silent radar would be an outage, no looks at all) and the boat.
            std::vector<Measurement> sweep{c.near_plot({-3000, 0}, t + 0.5)};
            if (t < boat_leaves_s) sweep.push_back(c.near_plot(boat_at(t), t + 0.5));
            tr.process(sweep);
            check(t + 0.5);
        }
    }
    REQUIRE(boat_track);
    return out;
}

}  // namespace

TEST_CASE("a far radar that saw a boat once does not wear away the track a near radar holds") {
    // Before holder_pd: the far radar's three sweeps per near sweep were misses at the Pd it has
    // on its ships (~0.9), against one near plot worth a few hundred: from a minute after the
    // far radar's one plot the track coasted between near sweeps (on Gambia seed 7, where the
    // coasting track's own plots then raised its clutter map cell, it was deleted).
    const Outcome o = run(1e9, 900);
    CHECK(o.kept);
}

TEST_CASE("a boat both radars no longer see loses its track within a few near sweeps") {
    // The far radar's discounted misses must not keep a gone target: the near radar's own
    // misses, at its own Pd, still end the track.
    const Outcome o = run(400, 700);
    CHECK(o.kept);
    REQUIRE(o.gone_s);
    CHECK(*o.gone_s <= 10 * kNearScanS);
}
