// A coastal radar whose land returns are masked (`watches: sea`) sees no person and no vehicle:
// none of its plots is theirs, and a camera's person label of a boat it holds is a mistake.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <random>

#include "filters/tracker.hpp"
#include "geo/local_frame.hpp"
#include "tests/unit/filters/scene_sensors.hpp"

using namespace picket;
using namespace picket::filters;
using namespace picket::tracker_tests;

namespace {

constexpr FeedIndex kRadar = 1;
constexpr FeedIndex kCamera = 2;

struct Coast {
    LatLon origin{9.65, -82.65};
    geo::LocalFrame frame{origin};
    SensorSite radar_site{};
    SensorSite camera_site{};
    std::mt19937_64 gen{11};
    std::normal_distribution<double> unit{0, 1};

    Coast() {
        radar_site.position = frame.to_latlon({0, 8000});
        camera_site.position = frame.to_latlon({-3000, 0});
    }
    Measurement radar(const Eigen::Vector2d& en, double t) {
        return radar_plot(frame, radar_site, kRadar, en, t, 15, 0.2 * kDeg, gen, unit);
    }
    /// A camera frame ranged to a position (20 m), of class c.
    Measurement ranged_frame(const Eigen::Vector2d& en, double t, TargetClass c) {
        Measurement m;
        m.feed = kCamera;
        m.sensor = SensorKind::camera;
        m.observed = m.received = at(t);
        m.z = PositionZ{frame.to_latlon(en + Eigen::Vector2d(20 * unit(gen), 20 * unit(gen))),
                        Eigen::Matrix2d::Identity() * 400};
        m.target_class = c;
        m.class_confidence = 0.9F;
        m.source_object_id = 5;
        return m;
    }
    Measurement camera_bearing(const Eigen::Vector2d& en, double t, TargetClass c) {
        return bearing_frame(frame, camera_site, kCamera, en, t, 0.2 * kDeg, false, c, gen, unit);
    }
    [[nodiscard]] Eigen::Vector2d en(const Track& t) const { return frame.to_en(t.position); }
};

TrackerConfig config_for(const Coast& w) {
    TrackerConfig c;
    c.origin = w.origin;
    c.filter = "imm";
    c.can_initiate[static_cast<std::size_t>(SensorKind::camera)] = true;
    c.life.confirm_m_of_n[static_cast<std::size_t>(SensorKind::camera)] = {2, 3};
    return c;
}

}  // namespace

TEST_CASE("a sea-watching radar's plots are never a confirmed vehicle's") {
    // Issue 14 (Sixaola, seeds 3, 23, 97): a car's track, started at the bridge, was fed radar
    // clutter on land and dragged to 55-125 kn toward the border (a false approach). A radar that
    // masks land returns gave the car nothing but clutter. Here a car stands at the bridge, seen
    // by the camera for 10 s; then a line of radar plots runs off from it ever faster, up to
    // 32 m/s (within a vehicle's 70 m/s bound, so no speed gate tells them apart).
    auto run = [](Watches radar_watches) {
        Coast w;
        Tracker tr(config_for(w));
        tr.set_feed_watches(kRadar, radar_watches);
        const Eigen::Vector2d car(500, 200);
        for (int k = 0; k <= 10; ++k) {
            const Measurement m = w.ranged_frame(car, k, TargetClass::vehicle);
            tr.process({&m, 1});
        }
        REQUIRE(tr.tracks().size() == 1);
        REQUIRE(tr.tracks()[0].status == TrackStatus::confirmed);
        const TrackId id = tr.tracks()[0].id;
        // Clutter that drags: the plots' speed grows 2 m/s each look (up to 32 m/s).
        Eigen::Vector2d plot = car;
        for (int k = 1; k <= 16; ++k) {
            plot += Eigen::Vector2d(0, -2.0 * k * 2.5);
            const Measurement m = w.radar(plot, 10 + 2.5 * k);
            tr.process({&m, 1});
        }
        for (const Track& t : tr.tracks())
            if (t.id == id) return std::hypot(t.east_mps, t.north_mps);
        return 0.0;  // the car's track is gone: it took none of the plots
    };
    CHECK(run(Watches::sea) < 5);
    // The regression: a radar that may see land feeds the car's track, which runs off at the
    // plots' speed.
    CHECK(run(Watches::surface) > 15);
}

TEST_CASE("a boat a sea-watching radar holds keeps its class when a camera calls it a person") {
    // Issue 14 (Gulf of Honduras seed 11, FISH-HN-1): a camera frame labelled a fishing boat's
    // radar track `person`, and with that label the land-masked radar's plots were no longer its:
    // the track coasted and was lost. Once the radar has held the boat's confirmed track, the
    // label is the classifier's mistake. A radar that may see land keeps the old behaviour.
    auto run = [](Watches radar_watches) {
        Coast w;
        Tracker tr(config_for(w));
        tr.set_feed_watches(kRadar, radar_watches);
        const Eigen::Vector2d start(-2000, 3000);
        const Eigen::Vector2d v(4, 1);
        for (int k = 0; k < 60; ++k) {
            const double t = 2.5 * k;
            const Measurement m = w.radar(start + v * t, t);
            tr.process({&m, 1});
            if (k == 20) {
                const Measurement f =
                    w.camera_bearing(start + v * (t + 0.5), t + 0.5, TargetClass::person);
                tr.process({&f, 1});
            }
        }
        return tr.tracks().size() == 1 ? tr.tracks()[0] : Track{};
    };
    const Track boat = run(Watches::sea);
    CHECK(boat.status == TrackStatus::confirmed);
    CHECK(boat.target_class == TargetClass::unknown);
    const Track surface = run(Watches::surface);
    CHECK(surface.target_class == TargetClass::person);
    CHECK(surface.status == TrackStatus::confirmed);
}
