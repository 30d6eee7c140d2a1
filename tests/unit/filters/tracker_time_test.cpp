// The tracker's clock (issue 12): "now" is what the caller says, a measurement's own time never
// moves it; data late by nature (satellite AIS) is fused, starts tracks that live as long as the
// feed is late, and hands its identity to a live track of the same vessel.
#include <catch2/catch.hpp>

#include "filters/tracker.hpp"
#include "geo/local_frame.hpp"

using namespace picket;
using namespace picket::filters;

namespace {

const LatLon kOrigin{-9.0, 125.0};
const geo::LocalFrame kFrame{kOrigin};

Timestamp at(double s) {
    return Timestamp{1'795'564'800LL * kNsPerSecond} + Duration::from_seconds(s);
}

/// An AIS report of a vessel at `en` moving `v`, observed at `t`.
Measurement ais(Mmsi mmsi, Eigen::Vector2d en, Eigen::Vector2d v, double t, FeedIndex feed = 0) {
    Measurement m;
    m.feed = feed;
    m.sensor = SensorKind::ais;
    m.observed = m.received = at(t);
    m.z = PositionZ{kFrame.to_latlon(en), Eigen::Matrix2d::Identity() * 100};
    m.velocity = VelocityZ{v(0), v(1), Eigen::Matrix2d::Identity() * 0.25};
    m.mmsi = mmsi;
    return m;
}

/// A position-only radar plot (PositionZ), observed at `t`.
Measurement plot(Eigen::Vector2d en, double t) {
    Measurement m;
    m.feed = 1;
    m.sensor = SensorKind::radar;
    m.observed = m.received = at(t);
    m.z = PositionZ{kFrame.to_latlon(en), Eigen::Matrix2d::Identity() * 400};
    return m;
}

TrackerConfig config() {
    TrackerConfig c;
    c.origin = kOrigin;
    return c;
}

const Track* with_mmsi(const Tracker& tr, Mmsi mmsi) {
    for (const Track& t : tr.tracks())
        if (t.identity && t.identity->mmsi == mmsi) return &t;
    return nullptr;
}

}  // namespace

TEST_CASE("A measurement stamped ahead never moves the tracker's clock", "[tracker][clock]") {
    Tracker tr(config());
    const Eigen::Vector2d v(5, 0);
    for (int k = 0; k <= 20; ++k) {
        const double t = 2.0 * k;
        const Measurement a = ais(257000001, Eigen::Vector2d(0, 0) + v * t, v, t);
        const auto out = tr.process({&a, 1}, at(t));
        CHECK(out.late_dropped == 0);
        if (k == 5) {
            // A day ahead: not fused (it would date a track tomorrow), counted; the clock stays.
            const Measurement b = ais(257000002, Eigen::Vector2d(3000, 0), v, t + 86400);
            CHECK(tr.process({&b, 1}, at(t)).ahead_dropped == 1);
        }
        tr.advance(at(t));
    }
    CHECK(tr.counters().late_dropped == 0);
    CHECK(tr.counters().ahead_dropped == 1);
    const Track* a = with_mmsi(tr, 257000001);
    REQUIRE(a);
    CHECK(a->updated == at(40));
    CHECK(a->status == TrackStatus::confirmed);
    CHECK_FALSE(with_mmsi(tr, 257000002));
}

TEST_CASE("Late is judged against the caller's clock, not the newest measurement",
          "[tracker][clock]") {
    Tracker tr(config());
    const Measurement a = ais(257000001, {0, 0}, {5, 0}, 100);
    tr.process({&a, 1}, at(100));
    // 4 s old at 104: fused; 6 s old at 106: late. The batch's own time says nothing.
    const Measurement b4 = ais(257000003, {5000, 0}, {5, 0}, 100);
    CHECK(tr.process({&b4, 1}, at(104)).late_dropped == 0);
    const Measurement b6 = ais(257000004, {9000, 0}, {5, 0}, 100);
    CHECK(tr.process({&b6, 1}, at(106)).late_dropped == 1);
    // An earlier `now` is ignored: the clock never goes backwards.
    const Measurement c = ais(257000005, {12000, 0}, {5, 0}, 100);
    CHECK(tr.process({&c, 1}, at(50)).late_dropped == 1);
}

TEST_CASE("Satellite AIS, late by nature, is fused and its tracks live as long as it is late",
          "[tracker][clock]") {
    const Duration latency = Duration::from_seconds(15 * 60);
    Tracker tr(config());
    // Reports 8 minutes old, every 3 minutes (a satellite pass), of a vessel nobody else sees.
    const Eigen::Vector2d v(4, 0);
    for (int k = 0; k < 4; ++k) {
        const double t_obs = 180.0 * k;
        const Measurement m = ais(257000010, v * t_obs, v, t_obs, 3);
        const auto out = tr.process({&m, 1}, at(t_obs + 480), latency);
        CHECK(out.late_dropped == 0);
        for (double t = t_obs + 480; t < t_obs + 480 + 180; t += 10) tr.advance(at(t));
    }
    const Track* s = with_mmsi(tr, 257000010);
    REQUIRE(s);
    CHECK(s->status == TrackStatus::confirmed);
    CHECK(s->updated == at(540));
    // Without the allowance the same report is late.
    Tracker plain(config());
    const Measurement m = ais(257000010, {0, 0}, v, 0, 3);
    CHECK(plain.process({&m, 1}, at(480)).late_dropped == 1);
    CHECK(plain.tracks().empty());
    // It is deleted when it would be had it arrived on time: max_coast after the allowance.
    const TrackerConfig c = config();
    tr.advance(at(540) + latency + Duration::from_seconds(c.max_coast_s - 1));
    CHECK(with_mmsi(tr, 257000010));
    tr.advance(at(540) + latency + Duration::from_seconds(c.max_coast_s + 1));
    CHECK_FALSE(with_mmsi(tr, 257000010));
}

TEST_CASE("A late satellite report hands its identity to the live track of the same vessel",
          "[tracker][clock]") {
    const Duration latency = Duration::from_seconds(15 * 60);
    Tracker tr(config());
    const Eigen::Vector2d v(4, 0);
    // A radar holds the vessel (a dark track) ...
    for (int k = 0; k <= 200; ++k) {
        const double t = 3.0 * k;
        const Measurement p = plot(v * t, t);
        tr.process({&p, 1}, at(t));
        tr.advance(at(t));
    }
    REQUIRE(tr.tracks().size() == 1);
    const TrackId live = tr.tracks()[0].id;
    CHECK_FALSE(tr.tracks()[0].identity);
    // ... and a satellite report of it from 8 minutes ago arrives.
    const Measurement s = ais(257000010, v * (600 - 480), v, 600 - 480, 3);
    tr.process({&s, 1}, at(600), latency);
    for (int k = 1; k <= 5; ++k) {
        const double t = 600 + 3.0 * k;
        const Measurement p = plot(v * t, t);
        tr.process({&p, 1}, at(t));
        tr.advance(at(t));
    }
    // One track: the live one, which now carries the MMSI.
    REQUIRE(tr.tracks().size() == 1);
    CHECK(tr.tracks()[0].id == live);
    REQUIRE(tr.tracks()[0].identity);
    CHECK(tr.tracks()[0].identity->mmsi == 257000010);
    CHECK(tr.tracks()[0].updated == at(615));
}
