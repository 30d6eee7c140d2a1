#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "geo/local_frame.hpp"
#include "src/persist/track_decimator.hpp"
#include "tests/unit/outputs/test_tracks.hpp"

using namespace picket;
using namespace picket::persist;

namespace {

/// A vessel sailing `course_deg` at `speed_mps`, updated every second from t0.
struct Voyage {
    Track track = outputs::testing::sample_vessel(1);
    Timestamp t0 = outputs::testing::sample_time();

    void sail(double course_deg, double speed_mps, double seconds) {
        const double rad = course_deg * M_PI / 180;
        track.east_mps = speed_mps * std::sin(rad);
        track.north_mps = speed_mps * std::cos(rad);
        track.position = geo::geodesic_destination(track.position, course_deg, speed_mps * seconds);
        track.updated = track.updated + Duration::from_seconds(seconds);
    }
};

}  // namespace

SCENARIO("A straight course at constant speed keeps one point per interval", "[persist]") {
    TrackDecimator d(DecimationConfig{});
    std::vector<outputs::TrackPoint> kept;
    Voyage v;
    v.sail(90, 5, 0);
    d.update(v.track, kept);  // new: kept
    for (int s = 1; s <= 600; ++s) {
        v.sail(90, 5, 1);
        d.update(v.track, kept);
    }
    REQUIRE(kept.size() == 11);  // t = 0, 60, ..., 600 s
    for (std::size_t i = 1; i < kept.size(); ++i)
        CHECK((kept[i].time - kept[i - 1].time).seconds() == Approx(60));
    CHECK(d.updates() == 601);
}

SCENARIO("A turn, a change of speed, a jump or a new label is kept at once", "[persist]") {
    TrackDecimator d(DecimationConfig{});
    std::vector<outputs::TrackPoint> kept;
    Voyage v;
    v.sail(90, 5, 0);
    d.update(v.track, kept);
    v.sail(90, 5, 10);
    d.update(v.track, kept);
    CHECK(kept.size() == 1);

    v.sail(120, 5, 1);  // 30 degrees to starboard
    d.update(v.track, kept);
    CHECK(kept.size() == 2);

    v.sail(120, 7, 1);  // 2 m/s faster
    d.update(v.track, kept);
    CHECK(kept.size() == 3);

    v.sail(120, 7, 1);
    v.track.position = geo::geodesic_destination(v.track.position, 0, 150);  // 150 m off
    d.update(v.track, kept);
    CHECK(kept.size() == 4);

    v.sail(120, 7, 1);
    d.update(v.track, kept);
    CHECK(kept.size() == 4);
    v.track.label = "suspect";
    d.update(v.track, kept);  // same update time, new label: what the operator saw changed
    CHECK(kept.size() == 5);
    CHECK(kept.back().label == "suspect");
}

SCENARIO("A track that goes quiet keeps its last update", "[persist]") {
    TrackDecimator d(DecimationConfig{});
    std::vector<outputs::TrackPoint> kept;
    Voyage v;
    v.sail(90, 5, 0);
    d.update(v.track, kept);
    for (int s = 1; s <= 25; ++s) {
        v.sail(90, 5, 1);
        d.update(v.track, kept);
    }
    CHECK(kept.size() == 1);
    d.on_tick(v.t0 + Duration::from_seconds(40), kept);
    CHECK(kept.size() == 1);  // quiet for 15 s: not yet
    d.on_tick(v.t0 + Duration::from_seconds(56), kept);
    REQUIRE(kept.size() == 2);  // quiet for 31 s: the trail ends where it was last seen
    CHECK(kept.back().time == v.t0 + Duration::from_seconds(25));
    d.on_tick(v.t0 + Duration::from_seconds(200), kept);
    CHECK(d.tracked() == 0);  // forgotten
}

SCENARIO("Interval 0 keeps every update (the behaviour before decimation)", "[persist]") {
    DecimationConfig c;
    c.interval = Duration{};
    TrackDecimator d(c);
    std::vector<outputs::TrackPoint> kept;
    Voyage v;
    for (int s = 0; s < 50; ++s) {
        v.sail(90, 5, 1);
        d.update(v.track, kept);
    }
    CHECK(kept.size() == 50);
}

SCENARIO("Every update left out is within position_m of the dead reckoning of the last point kept",
         "[persist]") {
    // Random manoeuvring vessels (seeded; the seed is printed on failure): the promise the
    // history makes to an analyst is that a dropped update is never further than position_m
    // from where the stored track says it was.
    const auto seed = GENERATE(1u, 2u, 3u, 4u, 5u);
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> turn(-4, 4), accel(-0.3, 0.3);
    DecimationConfig c;
    TrackDecimator d(c);
    std::vector<outputs::TrackPoint> kept;
    Voyage v;
    double course = 45, speed = 6;
    std::size_t updates = 0;
    for (int s = 0; s < 3600; ++s) {
        if (s % 300 < 60) course += turn(rng);  // manoeuvres a minute in every five
        speed = std::clamp(speed + accel(rng), 0.5, 12.0);
        v.sail(course, speed, 1);
        const std::size_t before = kept.size();
        d.update(v.track, kept);
        ++updates;
        if (kept.size() > before) continue;
        const outputs::TrackPoint& k = kept.back();
        const double dt = (v.track.updated - k.time).seconds();
        const LatLon dr = geo::geodesic_destination(
            geo::geodesic_destination(k.position, 90, k.east_mps * dt), 0, k.north_mps * dt);
        CHECK(geo::geodesic_distance_m(dr, v.track.position) <= c.position_m * 1.01);
    }
    // And it saves most of the rows.
    CHECK(kept.size() < updates / 10);
}

SCENARIO("The tick's scan of due times writes and forgets what a visit of every track does",
         "[persist]") {
    // Many vessels, each updated at its own rate, some going quiet for a while, some for good,
    // some coming back: the fast tick (on_tick) and the visit of every track (on_tick_reference)
    // must write the same points in the same order and forget the same tracks.
    const auto seed = GENERATE(1u, 2u, 3u);
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> period(1, 20), pause(0, 9);
    std::uniform_real_distribution<double> turn(-20, 20);
    TrackDecimator fast(DecimationConfig{}), reference(DecimationConfig{});
    std::vector<outputs::TrackPoint> from_fast, from_reference;
    constexpr int kVessels = 300;
    std::vector<Voyage> fleet(kVessels);
    std::vector<int> every(kVessels), quiet_until(kVessels, 0);
    std::vector<double> course(kVessels, 0);
    for (int i = 0; i < kVessels; ++i) {
        fleet[i].track.id = static_cast<TrackId>(i + 1);
        every[i] = period(rng);
    }
    const Timestamp t0 = outputs::testing::sample_time();
    std::size_t forgotten = 0;
    for (int s = 1; s <= 900; ++s) {
        for (int i = 0; i < kVessels; ++i) {
            if (s % every[i] != 0 || s < quiet_until[i]) continue;
            // Now and then a vessel falls silent: for up to 4 minutes, or (pause 9) longer
            // than quiet + interval, so that it is forgotten and comes back as new.
            if (pause(rng) == 0) quiet_until[i] = s + 30 * (1 + pause(rng));
            course[i] += turn(rng);
            fleet[i].sail(course[i], 6, s - (fleet[i].track.updated - t0).seconds());
            fast.update(fleet[i].track, from_fast);
            reference.update(fleet[i].track, from_reference);
        }
        const Timestamp now = t0 + Duration::from_seconds(s);
        const std::size_t before = fast.tracked();
        fast.on_tick(now, from_fast);
        reference.on_tick_reference(now, from_reference);
        forgotten += before - fast.tracked();
        REQUIRE(fast.tracked() == reference.tracked());
        REQUIRE(from_fast.size() == from_reference.size());
    }
    CHECK(forgotten > 50);  // the scene does exercise forgetting
    for (std::size_t k = 0; k < from_fast.size(); ++k) {
        INFO("point " << k);
        CHECK(from_fast[k].track_id == from_reference[k].track_id);
        CHECK(from_fast[k].time == from_reference[k].time);
    }
}
