// A radar that goes silent (switched off, a link cut, the server failing over to its hot
// standby) looked at nothing: its tracks are not missed for the scans it never sent, so they
// keep their ids when it comes back. A target that vanishes while the feed goes on reporting is
// still missed, and its track ends.
#include <catch2/catch.hpp>

#include <map>
#include <vector>

#include "filters/tracker.hpp"
#include "geo/local_frame.hpp"

using namespace picket;
using namespace picket::filters;

namespace {

const LatLon kOrigin{-9.0, 125.0};
const geo::LocalFrame kFrame{kOrigin};
constexpr double kScanS = 2.5;
constexpr int kBoats = 12;

Timestamp at(double s) {
    return Timestamp{1'795'564'800LL * kNsPerSecond} + Duration::from_seconds(s);
}

/// Boat k's position at t: 12 boats 600 m apart, each steaming north at 4-9 m/s.
Eigen::Vector2d boat(int k, double t) { return {600.0 * k, (4.0 + 0.5 * k) * t}; }

/// One radar scan at t: a plot per boat in `present` (sigma 20 m, no noise: the test is the
/// life cycle, not the filter).
std::vector<Measurement> scan(double t, const std::vector<bool>& present) {
    std::vector<Measurement> out;
    for (int k = 0; k < kBoats; ++k) {
        if (!present[static_cast<std::size_t>(k)]) continue;
        Measurement m;
        m.feed = 1;
        m.sensor = SensorKind::radar;
        m.observed = m.received = at(t);
        m.z = PositionZ{kFrame.to_latlon(boat(k, t)), Eigen::Matrix2d::Identity() * 400};
        out.push_back(m);
    }
    return out;
}

/// The confirmed track nearest boat k at t (within 200 m), or 0.
TrackId track_of(const Tracker& tr, int k, double t) {
    for (const Track& tk : tr.tracks()) {
        if (tk.status != TrackStatus::confirmed) continue;
        const Eigen::Vector2d d = kFrame.to_en(tk.position) - boat(k, t);
        if (d.norm() < 200) return tk.id;
    }
    return 0;
}

}  // namespace

TEST_CASE("A radar's silence is no looks: its tracks keep their ids across an outage",
          "[tracker][lifecycle]") {
    TrackerConfig cfg;
    cfg.origin = kOrigin;
    Tracker tr(cfg);
    std::vector<bool> present(kBoats, true);
    double t = 0;
    // The caller's clock ticks every second, as picket serve's does, with or without data.
    auto run_until = [&](double end, bool sending) {
        for (; t < end; t += kScanS) {
            if (sending) {
                const std::vector<Measurement> plots = scan(t, present);
                tr.process(plots, at(t));
            }
            tr.advance(at(t));
            tr.advance(at(t + 1));
        }
    };
    run_until(100, true);
    std::map<int, TrackId> before;
    for (int k = 0; k < kBoats; ++k) {
        before[k] = track_of(tr, k, t - kScanS);
        REQUIRE(before[k] != 0);
    }

    SECTION("the radar is silent 25 s (10 scans), then reports again") {
        run_until(125, false);
        run_until(160, true);
        for (int k = 0; k < kBoats; ++k) CHECK(track_of(tr, k, t - kScanS) == before[k]);
    }

    SECTION("a boat no longer reported while the radar goes on scanning is still lost") {
        // Boat 0 disappears (sunk, or out of cover); the other eleven are reported as before.
        present[0] = false;
        run_until(160, true);
        for (int k = 1; k < kBoats; ++k) CHECK(track_of(tr, k, t - kScanS) == before[k]);
        bool kept = false;
        for (const Track& tk : tr.tracks())
            kept = kept || (tk.id == before[0] && tk.status != TrackStatus::deleted);
        CHECK_FALSE(kept);
    }
}
