// AIS identity when a track takes another target's plots: the vessel's own reports decide which
// track is the vessel (issue 14, Sixaola: a skiff leaving from alongside an anchored reefer took
// the reefer's track with it, and the reefer's new radar track was a "dark" target).
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <random>

#include "filters/tracker.hpp"
#include "geo/ground_range.hpp"
#include "geo/local_frame.hpp"

using namespace picket;
using namespace picket::filters;

namespace {

constexpr double kDeg = std::numbers::pi / 180;

Timestamp at(double s) {
    return Timestamp{1'767'225'600LL * kNsPerSecond} + Duration::from_seconds(s);
}

struct Scene {
    LatLon origin{9.65, -82.65};
    geo::LocalFrame frame{origin};
    SensorSite radar_site{};
    std::mt19937_64 gen;
    std::normal_distribution<double> unit{0, 1};

    explicit Scene(std::uint64_t seed) : gen(seed) {
        radar_site.position = frame.to_latlon({0, -8000});  // 8 km south of the anchorage
    }
    Measurement radar(const Eigen::Vector2d& en, double t) {
        const LatLon p = frame.to_latlon(en);
        Measurement m;
        m.feed = 1;
        m.sensor = SensorKind::radar;
        m.observed = m.received = at(t);
        m.z = PolarZ{
            radar_site, geo::geodesic_distance_m(radar_site.position, p) + 15 * unit(gen),
            geo::geodesic_bearing_deg(radar_site.position, p) * kDeg + 0.35 * kDeg * unit(gen), 15,
            0.35 * kDeg};
        return m;
    }
    // An anchored vessel's report: where it is, speed 0.
    Measurement ais(Mmsi mmsi, const Eigen::Vector2d& en, double t) {
        Measurement m;
        m.feed = 0;
        m.sensor = SensorKind::ais;
        m.observed = m.received = at(t);
        m.z = PositionZ{frame.to_latlon(en + Eigen::Vector2d(5 * unit(gen), 5 * unit(gen))),
                        Eigen::Matrix2d::Identity() * 100};
        m.velocity = VelocityZ{0, 0, Eigen::Matrix2d::Identity() * 0.25};
        m.mmsi = mmsi;
        return m;
    }
    [[nodiscard]] Eigen::Vector2d en(const Track& t) const { return frame.to_en(t.position); }
};

const Track* find_mmsi(const Tracker& tr, Mmsi m) {
    for (const Track& t : tr.tracks())
        if (t.identity && t.identity->mmsi == m) return &t;
    return nullptr;
}

int dark_near(const Scene& s, const Tracker& tr, const Eigen::Vector2d& p, double r) {
    int n = 0;
    for (const Track& t : tr.tracks())
        if (t.dark() && (s.en(t) - p).norm() < r) ++n;
    return n;
}

}  // namespace

TEST_CASE(
    "a vessel's AIS report takes its identity back from a track that ran off with another "
    "target's plots") {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        CAPTURE(seed);
        Scene s(seed);
        Tracker tr([&] {
            TrackerConfig c;
            c.origin = s.origin;
            return c;
        }());
        const Eigen::Vector2d reefer(0, 0);
        // A dark skiff lies alongside (one plot for both: within the radar's resolution) and
        // leaves east at 200 s, reaching 7.2 m/s in a minute. For 90 s the radar's one plot of
        // the pair is the skiff's, and the reefer's track follows it; then the reefer's own plots
        // come back and start a radar track, "dark" until the reefer's report at 361 s.
        const Eigen::Vector2d skiff_v(1, 0);  // heading east
        const double leave = 200;
        double moved_at = -1;
        for (int k = 0; k * 2.5 <= 420; ++k) {
            const double t = 2.5 * k;
            std::vector<Measurement> scan;
            if (t < leave) {
                scan.push_back(s.radar(reefer, t));
            } else {
                const double u = std::min(t - leave, 60.0);  // 0.12 m/s^2 to 7.2 m/s
                scan.push_back(
                    s.radar(reefer + skiff_v * (0.5 * 0.12 * u * u + 7.2 * (t - leave - u)), t));
                if (t >= leave + 90) scan.push_back(s.radar(reefer, t));
            }
            tr.process(scan);
            if (std::fmod(t, 180.0) == 0) {
                const Measurement m = s.ais(352007777, reefer, t + 1);
                tr.process({&m, 1});
            }
            if (moved_at < 0 && tr.counters().identity_moves > 0) moved_at = t;
        }
        const Track* r = find_mmsi(tr, 352007777);
        REQUIRE(r != nullptr);
        // The report at 361 s names the track on the reefer, not the one following the skiff.
        CHECK((s.en(*r) - reefer).norm() < 60);
        CHECK(dark_near(s, tr, reefer, 150) == 0);
        CHECK(tr.counters().identity_moves == 1);
        CHECK(moved_at == 360);
        CHECK(tr.counters().spoof_flags == 0);
    }
}
