// Mode S identity (issue 15): a radar plot's aircraft address (I048/220) names its aircraft. A
// plot the radar's tracker confirms, or a second look with the address, confirms a track; one
// address is one track; two addresses are two aircraft; a reflection starts no second track.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

#include "filters/tracker.hpp"
#include "geo/ground_range.hpp"
#include "geo/local_frame.hpp"
#include "tests/unit/filters/scene_time.hpp"

using namespace picket;
using namespace picket::filters;
using namespace picket::tracker_tests;

namespace {

constexpr AircraftAddress kA = 0x4CA912, kB = 0x3445D4;

/// A radar at the origin; plots at local east/north positions, one look every 4 s.
struct Radar {
    LatLon origin{41.3, 2.1};
    geo::LocalFrame frame{origin};
    SensorSite site{};
    Radar() { site.position = origin; }

    Measurement plot(double t, Eigen::Vector2d en, AircraftAddress address, bool confirmed) const {
        const LatLon p = frame.to_latlon(en);
        Measurement m;
        m.feed = 1;
        m.sensor = SensorKind::radar;
        m.observed = m.received = at(t);
        m.z = PolarZ{site, geo::geodesic_distance_m(site.position, p),
                     geo::geodesic_bearing_deg(site.position, p) * kDeg, 25, 0.2 * kDeg};
        m.aircraft_address = address;
        m.source_confirmed = confirmed;
        return m;
    }
    TrackerConfig config() const {
        TrackerConfig c;
        c.origin = origin;
        return c;
    }
};

const Track* track_near(const Tracker& tr, const geo::LocalFrame& f, Eigen::Vector2d en) {
    for (const Track& t : tr.tracks())
        if ((f.to_en(t.position) - en).norm() < 200) return &t;
    return nullptr;
}

}  // namespace

TEST_CASE(
    "a Mode S plot the radar's tracker confirms starts a confirmed track; without, it waits") {
    const Radar r;
    const Eigen::Vector2d where{20000, 30000};
    for (const bool confirmed : {false, true}) {
        for (const AircraftAddress address : {AircraftAddress{0}, kA}) {
            Tracker tr(r.config());
            const Measurement m = r.plot(0, where, address, confirmed);
            tr.process({&m, 1});
            REQUIRE(tr.tracks().size() == 1);
            INFO("address " << address << " radar-confirmed " << confirmed);
            // The radar's word alone (no identity) is not enough: clutter tracks say it too.
            CHECK((tr.tracks()[0].status == TrackStatus::confirmed) == (address != 0 && confirmed));
        }
    }
}

TEST_CASE("the same address on a second look confirms a track the radar calls tentative") {
    const Radar r;
    for (const AircraftAddress address : {AircraftAddress{0}, kA}) {
        Tracker tr(r.config());
        const Measurement m0 = r.plot(0, {20000, 30000}, address, false);
        const Measurement m1 = r.plot(4, {20040, 30000}, address, false);
        tr.process({&m0, 1});
        tr.process({&m1, 1});
        REQUIRE(tr.tracks().size() == 1);
        INFO("address " << address);
        CHECK((tr.tracks()[0].status == TrackStatus::confirmed) == (address != 0));
    }
}

TEST_CASE("two addresses are two aircraft: a plot never joins the other address's track") {
    const Radar r;
    Tracker tr(r.config());
    // A at rest-ish, B 3 km away: both confirmed at once.
    const Eigen::Vector2d a{20000, 30000}, b{23000, 30000};
    for (int k = 0; k < 3; ++k) {
        const Measurement pa = r.plot(4.0 * k, a, kA, true);
        const Measurement pb = r.plot(4.0 * k + 0.5, b, kB, true);
        tr.process({&pa, 1});
        tr.process({&pb, 1});
    }
    REQUIRE(tr.tracks().size() == 2);
    // B's next reply lies right on A's track: A must not take it; B's track, which lost its
    // aircraft, restarts there (its address says it is B).
    const Measurement pb = r.plot(12.5, a + Eigen::Vector2d{30, 0}, kB, true);
    tr.process({&pb, 1});
    CHECK(tr.counters().address_restarts == 1);
    REQUIRE(tr.tracks().size() == 2);
    const Track* on_a = track_near(tr, r.frame, a);
    REQUIRE(on_a != nullptr);
    // A's track kept its own last update (t = 8 s); the plot at 12.5 s is B's.
    int updated_now = 0;
    for (const Track& t : tr.tracks()) updated_now += t.updated == at(12.5);
    CHECK(updated_now == 1);
    // Without addresses the same plot is A's (the gate takes it): the test can fail.
    Tracker plain(r.config());
    for (int k = 0; k < 3; ++k) {
        const Measurement pa = r.plot(4.0 * k, a, 0, true);
        const Measurement qb = r.plot(4.0 * k + 0.5, b, 0, true);
        plain.process({&pa, 1});
        plain.process({&qb, 1});
    }
    const Measurement qb = r.plot(12.5, a + Eigen::Vector2d{30, 0}, 0, true);
    plain.process({&qb, 1});
    CHECK(plain.counters().address_restarts == 0);
}

TEST_CASE("a reflection (the address twice in one look) starts no second track") {
    const Radar r;
    Tracker tr(r.config());
    const Eigen::Vector2d a{20000, 30000};
    for (int k = 0; k < 3; ++k) {
        const Measurement pa = r.plot(4.0 * k, a, kA, true);
        tr.process({&pa, 1});
    }
    REQUIRE(tr.tracks().size() == 1);
    // The direct reply and, in the same sweep, a reflection 4 km away with the same address.
    const Measurement direct = r.plot(12, a, kA, true);
    const Measurement reflected = r.plot(12.05, a + Eigen::Vector2d{4000, 0}, kA, true);
    const Measurement look[] = {direct, reflected};
    tr.process(look);
    CHECK(tr.tracks().size() == 1);
    CHECK(tr.counters().address_conflicts == 1);
    CHECK(tr.counters().address_restarts == 0);
    CHECK(track_near(tr, r.frame, a) != nullptr);
    // The same two plots without an address: the second is another object, a new track.
    Tracker plain(r.config());
    for (int k = 0; k < 3; ++k) {
        const Measurement pa = r.plot(4.0 * k, a, 0, true);
        plain.process({&pa, 1});
    }
    Measurement look0[] = {direct, reflected};
    for (Measurement& m : look0) m.aircraft_address = 0;
    plain.process(look0);
    CHECK(plain.tracks().size() == 2);
}
