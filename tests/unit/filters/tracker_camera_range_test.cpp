// A bearing-only camera frame fixes no range: every track on its ray could be its target. A
// camera's stated detection range (`site.range_m`) bounds that: a track far beyond it is not
// what the camera saw (Gulf of Honduras seed 29, issue 14).
#include <catch2/catch.hpp>

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

struct RayScene {
    LatLon origin{15.53, -88.45};
    geo::LocalFrame frame{origin};
    SensorSite radar_site{};
    SensorSite camera_site{};
    Eigen::Vector2d camera_en{0, 0};
    Eigen::Vector2d ray{0.966, 0.259};  // the camera's ray to the walker: 75 degrees
    std::mt19937_64 gen{29};
    std::normal_distribution<double> unit{0, 1};

    RayScene() {
        radar_site.position = frame.to_latlon({8000, 20000});
        camera_site.position = frame.to_latlon(camera_en);
        camera_site.height_m = 3;
    }
    Measurement radar(const Eigen::Vector2d& en, double t) {
        return radar_plot(frame, radar_site, kRadar, en, t, 20, 0.3 * kDeg, gen, unit);
    }
    Measurement camera_bearing(const Eigen::Vector2d& en, double t) {
        return bearing_frame(frame, camera_site, kCamera, en, t, 0.4 * kDeg, true,
                             TargetClass::person, gen, unit);
    }
};

/// A radar holds a track `track_m` out along the camera's ray for 15 s, then stops seeing it;
/// for 40 s more the camera sees a walker 1.9 km out on the same ray. Returns how long after
/// the radar's last plot the track was last updated (s): 0 when it took no frame.
double frames_taken_until(double camera_range_m, double track_m) {
    RayScene w;
    TrackerConfig cfg;
    cfg.origin = w.origin;
    Tracker tr(cfg);
    tr.set_feed_range(kCamera, camera_range_m);
    const Eigen::Vector2d far = w.camera_en + track_m * w.ray;
    for (int k = 0; k <= 5; ++k) {
        const Measurement m = w.radar(far, 3.0 * k);
        tr.process({&m, 1});
    }
    REQUIRE(tr.tracks().size() == 1);
    REQUIRE(tr.tracks()[0].status == TrackStatus::confirmed);
    const TrackId id = tr.tracks()[0].id;
    const Eigen::Vector2d walker = w.camera_en + 1900 * w.ray;
    for (int k = 1; k <= 40; ++k) {
        const Measurement f = w.camera_bearing(walker + Eigen::Vector2d(-0.3, 1.2) * k, 15.0 + k);
        tr.process({&f, 1});
    }
    for (const Track& t : tr.tracks())
        if (t.id == id) return (t.updated - at(15)).seconds();
    return 0.0;  // deleted without taking a frame past the radar's
}

}  // namespace

TEST_CASE("a bearing-only frame is not given to a track beyond the camera's range") {
    // The regression: without a stated range, the radar's track 3.8 km out takes the walker's
    // bearings and is kept up by them (Honduras seed 29's track 2305 ran on along the ray).
    CHECK(frames_taken_until(0, 3800) > 30);
    // A 2.5 km camera cannot have seen a target 3.8 km out.
    CHECK(frames_taken_until(2500, 3800) == 0);
    // Within the range, or within three sigmas beyond it, the frames are the track's as before.
    CHECK(frames_taken_until(2500, 2200) > 30);
    CHECK(frames_taken_until(2500, 2550) > 30);
}
