// How a track starts: from the sensor's own velocity when a plot carries one (a radar's tracked
// velocity, I048/200; ARPA TTM speed/course), else from the initiation spread of what the feed
// watches (surface or air).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <numbers>
#include <random>

#include "filters/tracker.hpp"
#include "geo/ground_range.hpp"
#include "geo/local_frame.hpp"
#include "tests/unit/filters/scene_time.hpp"

using namespace picket;
using namespace picket::filters;
using namespace picket::tracker_tests;

namespace {

/// An en-route radar 60 km from an airliner flying at 230 m/s, one look every 4 s: 920 m from
/// one look to the next, far outside the gate of a track started with a 10 m/s velocity prior.
struct Scene {
    LatLon origin{41.3, 2.1};
    geo::LocalFrame frame{origin};
    SensorSite site{};
    std::mt19937_64 gen{7};
    std::normal_distribution<double> unit{0, 1};
    double sigma_r = 25;
    double sigma_b = 0.2 * kDeg;
    Eigen::Vector2d p0{-20000, 55000};
    Eigen::Vector2d v{200, -113};  // 230 m/s, heading 119 deg

    Scene() { site.position = origin; }

    /// The plot of look k, with the radar's velocity (noise `sigma_v`) when `sigma_v` > 0.
    Measurement plot(int k, double sigma_v) {
        const double t = 4.0 * k;
        const LatLon p = frame.to_latlon(p0 + v * t);
        Measurement m;
        m.feed = 1;
        m.sensor = SensorKind::radar;
        m.observed = m.received = at(t);
        m.z = PolarZ{site, geo::geodesic_distance_m(site.position, p) + sigma_r * unit(gen),
                     geo::geodesic_bearing_deg(site.position, p) * kDeg + sigma_b * unit(gen),
                     sigma_r, sigma_b};
        if (sigma_v > 0)
            m.velocity = VelocityZ{v(0) + sigma_v * unit(gen), v(1) + sigma_v * unit(gen),
                                   Eigen::Matrix2d::Identity() * sigma_v * sigma_v};
        m.source_object_id = 17;
        return m;
    }
};

TrackerConfig config_for(const Scene& s) {
    TrackerConfig c;
    c.origin = s.origin;
    return c;
}

}  // namespace

TEST_CASE("a radar plot's own velocity starts the track: a fast target is held from its 2nd look") {
    Scene s;
    Tracker tr(config_for(s));
    const Measurement first = s.plot(0, 1.5);
    tr.process({&first, 1});
    REQUIRE(tr.tracks().size() == 1);
    const Track& born = tr.tracks().front();
    // The plot's velocity, not the zero-mean prior.
    CHECK(std::hypot(born.east_mps - first.velocity->east_mps,
                     born.north_mps - first.velocity->north_mps) < 0.5);
    for (int k = 1; k < 12; ++k) {
        const Measurement m = s.plot(k, 1.5);
        tr.process({&m, 1});
    }
    // One track took every plot and is confirmed; without the plot's velocity each look started
    // a track of its own (below).
    REQUIRE(tr.tracks().size() == 1);
    const Track& t = tr.tracks().front();
    CHECK(t.status == TrackStatus::confirmed);
    CHECK(std::hypot(t.east_mps - s.v(0), t.north_mps - s.v(1)) < 5);
}

TEST_CASE("the same airliner without the radar's velocity, on the surface defaults: no track") {
    // The control of the case above: what the velocity changes.
    Scene s;
    Tracker tr(config_for(s));
    for (int k = 0; k < 12; ++k) {
        const Measurement m = s.plot(k, 0);
        tr.process({&m, 1});
    }
    for (const Track& t : tr.tracks()) CHECK(t.status == TrackStatus::tentative);
}

TEST_CASE("a plot's unusable velocity is ignored: the track starts from the prior") {
    Scene s;
    Tracker tr(config_for(s));
    Measurement m = s.plot(0, 1.5);
    m.velocity->east_mps = std::numeric_limits<double>::quiet_NaN();
    tr.process({&m, 1});
    Measurement singular = s.plot(0, 1.5);
    singular.z = PolarZ{s.site, 5000, 0.5, s.sigma_r, s.sigma_b};
    singular.velocity->cov_m2ps2.setZero();
    tr.process({&singular, 1});
    REQUIRE(tr.tracks().size() == 2);
    for (const Track& t : tr.tracks()) {
        CHECK(std::isfinite(t.east_mps));
        CHECK(t.east_mps == 0);
        CHECK(t.north_mps == 0);
    }
}

TEST_CASE("an air-watching radar's plots start aircraft tracks with an air initiation spread") {
    // Without the radar's velocity: the spread of what the feed watches decides. The same
    // airliner on the surface defaults starts no confirmed track (above).
    Scene s;
    Tracker tr(config_for(s));
    CHECK(tr.feed_watches(1) == Watches::surface);
    tr.set_feed_watches(1, Watches::air);
    CHECK(tr.feed_watches(1) == Watches::air);
    CHECK(tr.feed_watches(0) == Watches::surface);
    for (int k = 0; k < 12; ++k) {
        const Measurement m = s.plot(k, 0);
        tr.process({&m, 1});
    }
    REQUIRE(tr.tracks().size() == 1);
    const Track& t = tr.tracks().front();
    CHECK(t.status == TrackStatus::confirmed);
    CHECK(t.target_class == TargetClass::aircraft);
    CHECK(std::hypot(t.east_mps - s.v(0), t.north_mps - s.v(1)) < 10);
}

TEST_CASE("an air-watching radar feed leaves other feeds' tracks on the surface defaults") {
    Scene s;
    Tracker tr(config_for(s));
    tr.set_feed_watches(2, Watches::air);
    const Measurement m = s.plot(0, 0);  // feed 1
    tr.process({&m, 1});
    REQUIRE(tr.tracks().size() == 1);
    CHECK(tr.tracks().front().target_class == TargetClass::unknown);
}
