// AIS identity when a track takes another target's plots: the vessel's own reports decide which
// track is the vessel (issue 14, Sixaola: a skiff leaving from alongside an anchored reefer took
// the reefer's track with it, and the reefer's new radar track was a "dark" target).
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "filters/tracker.hpp"
#include "geo/ground_range.hpp"
#include "geo/local_frame.hpp"
#include "tests/unit/filters/scene_time.hpp"

using namespace picket;
using namespace picket::filters;
using namespace picket::tracker_tests;

namespace {

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
        return ais(mmsi, en, Eigen::Vector2d::Zero(), t);
    }
    // A report claiming a course and speed (grid east, north m/s: the scene is small and near
    // the origin, so grid and true north agree to well within the report's 0.5 m/s sigma).
    Measurement ais(Mmsi mmsi, const Eigen::Vector2d& en, const Eigen::Vector2d& v, double t) {
        Measurement m;
        m.feed = 0;
        m.sensor = SensorKind::ais;
        m.observed = m.received = at(t);
        m.z = PositionZ{frame.to_latlon(en + Eigen::Vector2d(5 * unit(gen), 5 * unit(gen))),
                        Eigen::Matrix2d::Identity() * 100};
        m.velocity = VelocityZ{v.x(), v.y(), Eigen::Matrix2d::Identity() * 0.25};
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

// A spoofer's cover for a smuggler (issue 14): a vessel's MMSI is made to report itself further
// and further from the vessel, each report consistent with the last (its position where the
// previous report's course and speed put it), until the reports sit on a dark boat the radar holds
// 1.6 km away. Each report alone continues the vessel's story, so the identity move above must
// not take it: the vessel's own track never left the motion it had when it last agreed with the
// reports, and the dark track is nowhere near where that motion puts the vessel. The spoof is
// flagged; the dark boat stays dark.
TEST_CASE("a spoofer's consistent reports ending on a dark boat do not move the identity onto it") {
    const Mmsi mmsi = 352008888;
    struct Case {
        const char* name;
        Eigen::Vector2d vessel_v;     // the vessel's own motion (m/s)
        Eigen::Vector2d turned_v;     // ... from 5 s after the last honest report
        std::vector<double> steps;    // the spoofed reports' times after the last honest one
        Eigen::Vector2d dark_offset;  // the dark boat from the vessel at the last report
        double dark_from = 0;         // the radar sees the dark boat from then on
    };
    // A jump: one report claims the course and speed that reach the dark boat at the next one. A
    // drift: 30 m steps every 10 s, then the long step. A dark boat tracked all along was another
    // object when the vessel last reported; a young one (the radar first sees it after the
    // spoof began) is not where the vessel's own motion leads. A turn: the vessel itself goes
    // about as the spoof starts, so its track leaves its old motion as a track that ran off would.
    const Case cases[] = {
        {"anchored, jump", {0, 0}, {0, 0}, {0, 180}, {1500, 600}},
        {"anchored, drift", {0, 0}, {0, 0}, {0, 10, 20, 30, 40, 190}, {1500, 600}},
        {"under way, jump", {3, 1}, {3, 1}, {0, 180}, {1500, 600}},
        {"under way, drift", {3, 1}, {3, 1}, {0, 10, 20, 30, 40, 190}, {1500, 600}},
        {"going about, jump", {3, 1}, {-3, -1}, {0, 180}, {-600, 1500}},
        {"anchored, jump, young dark track", {0, 0}, {0, 0}, {0, 180}, {1500, 600}, 260},
        {"under way, drift, young dark track",
         {3, 1},
         {3, 1},
         {0, 10, 20, 30, 40, 190},
         {1500, 600},
         300},
        {"going about, jump, young dark track", {3, 1}, {-3, -1}, {0, 180}, {-600, 1500}, 260},
        // A skiff comes alongside (150 m, resolved in range): where the vessel's own motion leads
        // too, but the vessel's track is still there.
        {"anchored, a skiff alongside", {0, 0}, {0, 0}, {0, 180}, {0, 150}, 260}};
    for (const Case& c : cases) {
        for (std::uint64_t seed : {1u, 2u, 3u}) {
            CAPTURE(c.name, seed);
            Scene s(seed);
            Tracker tr([&] {
                TrackerConfig cfg;
                cfg.origin = s.origin;
                return cfg;
            }());
            const Eigen::Vector2d vessel0(-600, 0);
            const double honest_until = 240, last = honest_until + c.steps.back();
            auto vessel = [&](double t) -> Eigen::Vector2d {
                const double turn = honest_until + 5;
                if (t < turn) return vessel0 + c.vessel_v * t;
                return vessel0 + c.vessel_v * turn + c.turned_v * (t - turn);
            };
            // The dark boat, drifting slowly, 1.6 km from where the vessel is when the reports
            // land on it.
            const Eigen::Vector2d dark = vessel(last) + c.dark_offset;
            auto dark_at = [&](double t) -> Eigen::Vector2d {
                return dark + Eigen::Vector2d(0.2, 0.1) * (t - last);
            };
            // The spoofed path: 3 m/s toward the dark boat, then the course and speed that reach
            // it at the last report.
            std::vector<Eigen::Vector2d> pos, vel;
            for (std::size_t k = 0; k < c.steps.size(); ++k) {
                if (k == 0)
                    pos.push_back(vessel(honest_until));
                else
                    pos.push_back(pos[k - 1] + vel[k - 1] * (c.steps[k] - c.steps[k - 1]));
                if (k + 1 == c.steps.size()) {
                    vel.push_back(Eigen::Vector2d(0.2, 0.1));
                } else if (k + 2 == c.steps.size()) {
                    vel.push_back((dark_at(honest_until + c.steps[k + 1]) - pos[k]) /
                                  (c.steps[k + 1] - c.steps[k]));
                } else {
                    vel.push_back((dark - pos[k]).normalized() * 3.0);
                }
            }
            std::size_t next_spoof = 0;
            for (int k = 0; k * 2.5 <= last + 30; ++k) {
                const double t = 2.5 * k;
                std::vector<Measurement> scan{s.radar(vessel(t), t)};
                if (t >= c.dark_from) scan.push_back(s.radar(dark_at(t), t));
                tr.process(scan);
                std::vector<Measurement> reports;
                if (t < honest_until && std::fmod(t, 60.0) == 0)
                    reports.push_back(s.ais(mmsi, vessel(t + 1), c.vessel_v, t + 1));
                while (next_spoof < c.steps.size() &&
                       honest_until + c.steps[next_spoof] <= t + 1.25) {
                    reports.push_back(s.ais(mmsi, pos[next_spoof], vel[next_spoof],
                                            honest_until + c.steps[next_spoof] + 1));
                    ++next_spoof;
                }
                for (const Measurement& m : reports) tr.process({&m, 1});
            }
            const double end = 2.5 * std::floor((last + 30) / 2.5);
            const Track* v = find_mmsi(tr, mmsi);
            REQUIRE(v != nullptr);
            CHECK(tr.counters().identity_moves == 0);
            CHECK(dark_near(s, tr, dark_at(end), 50) == 1);  // the dark boat stays dark
            CHECK((s.en(*v) - vessel(end)).norm() < 60);     // the MMSI stays on the vessel
            // Flagged when the lie is farther than spoof_distance_m from the vessel's track.
            CHECK(v->spoof_suspect == (c.dark_offset.norm() > 1000));
        }
    }
}
