// The "asterix" feed decoder: records -> Measurements, time resolution and clock checks.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>

#include "geo/local_frame.hpp"
#include "sensors/asterix/asterix_feed.hpp"
#include "sensors/asterix/capture_reader.hpp"
#include "sensors/asterix/cat048_encoder.hpp"
#include "tests/unit/asterix/recording_sink.hpp"

using namespace picket;
using namespace picket::sensors;
using namespace picket::sensors::asterix;

namespace {

constexpr double kDeg = std::numbers::pi / 180.0;

FeedParams radar_params() {
    FeedParams p;
    p.index = 3;
    p.id = "radar-test";
    p.kind = SensorKind::radar;
    p.format = "asterix";
    p.site.position = {-8.55, 125.57};
    p.site.height_m = 40;
    p.sigma_range_m = 30;
    p.sigma_bearing_deg = 0.25;
    return p;
}

// 2026-11-25T12:00:00Z
const Timestamp kNoon = *parse_iso8601("2026-11-25T12:00:00Z");

Cat048Plot plot_at(double tod, double range_m, double az_deg) {
    Cat048Plot p;
    p.source = {1, 2};
    p.time_of_day_s = tod;
    p.polar = Cat048Plot::Polar{range_m, az_deg};
    return p;
}

}  // namespace

TEST_CASE("CAT048 polar plot becomes a PolarZ with the feed's noise", "[asterix]") {
    auto dec = make_asterix_feed_decoder(radar_params());
    test::RecordingSink sink;
    Cat048Plot p = plot_at(43200.5, 18520, 90);
    p.track_number = 77;
    p.velocity = Cat048Plot::Velocity{10.0, 90.0};
    dec->decode(encode_cat048_block(std::span<const Cat048Plot>(&p, 1)),
                kNoon + Duration::from_seconds(1), sink);
    REQUIRE(sink.rejected_reasons.empty());
    REQUIRE(sink.measurements.size() == 1);
    const Measurement& m = sink.measurements[0];
    CHECK(m.feed == 3);
    CHECK(m.sensor == SensorKind::radar);
    CHECK(m.observed == kNoon + Duration::from_millis(500));
    CHECK(m.received == kNoon + Duration::from_seconds(1));
    const auto* z = std::get_if<PolarZ>(&m.z);
    REQUIRE(z);
    CHECK(z->range_m == 18520.0);
    CHECK(z->bearing_rad == Approx(std::numbers::pi / 2));
    CHECK(z->sigma_range_m == 30.0);
    CHECK(z->sigma_bearing_rad == Approx(0.25 * kDeg));
    CHECK(z->site.position == LatLon{-8.55, 125.57});
    CHECK(m.source_object_id == 77);
    REQUIRE(m.velocity);
    CHECK(m.velocity->east_mps == Approx(10.0).margin(0.06));  // 2^-14 NM/s = 0.113 m/s LSB
    CHECK(m.velocity->north_mps == Approx(0.0).margin(1e-9));
}

TEST_CASE("defaults apply when the config gives no sigmas", "[asterix]") {
    FeedParams params = radar_params();
    params.sigma_range_m = 0;
    params.sigma_bearing_deg = 0;
    auto dec = make_asterix_feed_decoder(params);
    test::RecordingSink sink;
    const Cat048Plot p = plot_at(43200, 1000, 0);
    dec->decode(encode_cat048_block(std::span<const Cat048Plot>(&p, 1)), kNoon, sink);
    REQUIRE(sink.measurements.size() == 1);
    const auto& z = std::get<PolarZ>(sink.measurements[0].z);
    CHECK(z.sigma_range_m > 0);
    CHECK(z.sigma_bearing_rad > 0);
}

TEST_CASE("time of day wraps at midnight", "[asterix]") {
    auto dec = make_asterix_feed_decoder(radar_params());
    test::RecordingSink sink;
    // Stamped 23:59:59.5, received 00:00:00.25 the next day: it belongs to the day before.
    const Timestamp midnight = *parse_iso8601("2026-11-26T00:00:00Z");
    const Cat048Plot p = plot_at(86399.5, 1000, 10);
    dec->decode(encode_cat048_block(std::span<const Cat048Plot>(&p, 1)),
                midnight + Duration::from_millis(250), sink);
    REQUIRE(sink.measurements.size() == 1);
    CHECK(sink.measurements[0].observed == midnight - Duration::from_millis(500));
}

TEST_CASE("records keep their own time however far it is from the receive time", "[asterix]") {
    // The decoder reports what the radar stamped; the server judges it against its clock
    // (src/engine/feed_clock.hpp, tests/unit/server/feed_clock_test.cpp).
    auto dec = make_asterix_feed_decoder(radar_params());
    test::RecordingSink sink;
    const Cat048Plot late = plot_at(43200 - 60, 1000, 10);
    const Cat048Plot ahead = plot_at(43200 + 26 * 60, 1000, 10);
    const Cat048Plot both[2] = {late, ahead};
    dec->decode(encode_cat048_block(both), kNoon, sink);
    CHECK(sink.rejected_reasons.empty());
    CHECK(sink.anomalies.empty());
    REQUIRE(sink.measurements.size() == 2);
    CHECK(sink.measurements[0].observed == kNoon - Duration::from_seconds(60));
    CHECK(sink.measurements[1].observed == kNoon + Duration::from_seconds(26 * 60));
}

TEST_CASE("a Cartesian-only plot becomes a position relative to the site", "[asterix]") {
    const FeedParams params = radar_params();
    auto dec = make_asterix_feed_decoder(params);
    test::RecordingSink sink;
    Cat048Plot p;
    p.time_of_day_s = 43200;
    p.cartesian = Cat048Plot::Cartesian{1852.0, 0.0};  // 1 NM east: exact on the wire (128 LSB)
    dec->decode(encode_cat048_block(std::span<const Cat048Plot>(&p, 1)), kNoon, sink);
    REQUIRE(sink.measurements.size() == 1);
    const auto* z = std::get_if<PositionZ>(&sink.measurements[0].z);
    REQUIRE(z);
    CHECK(geo::geodesic_distance_m(params.site.position, z->where) == Approx(1852.0).margin(0.01));
    CHECK(geo::geodesic_bearing_deg(params.site.position, z->where) == Approx(90.0).margin(1e-6));
    // Radial (east) variance = σr²; cross-range (north) = (r σθ)².
    CHECK(z->cov_en_m2(0, 0) == Approx(30.0 * 30.0));
    const double cross = 1852.0 * 0.25 * kDeg;
    CHECK(z->cov_en_m2(1, 1) == Approx(cross * cross));
    CHECK(z->cov_en_m2(0, 1) == Approx(0.0).margin(1e-6));
}

TEST_CASE("CAT034 north marker reports the scan period", "[asterix]") {
    auto dec = make_asterix_feed_decoder(radar_params());
    test::RecordingSink sink;
    std::string d = encode_cat034_north_marker({1, 2}, 43200, 4.0);
    const Cat048Plot p = plot_at(43200.25, 5000, 45);
    append_cat048_block(std::span<const Cat048Plot>(&p, 1), d);
    dec->decode(d, kNoon + Duration::from_millis(300), sink);
    CHECK(sink.scan_periods_s == std::vector<double>{4.0});
    REQUIRE(sink.scan_times.size() == 1);
    CHECK(sink.scan_times[0] == kNoon);
    CHECK(sink.measurements.size() == 1);
}

TEST_CASE("records without time or position are rejected, garbage never crashes", "[asterix]") {
    auto dec = make_asterix_feed_decoder(radar_params());
    test::RecordingSink sink;
    // FSPEC 0x80: only I048/010.
    dec->decode(std::string("\x30\x00\x06\x80\x01\x02", 6), kNoon, sink);
    CHECK(sink.rejected_reasons == std::vector<std::string>{"missing_item"});
    sink.clear();
    // FSPEC 0xE0: /010, /140, /020 but no position.
    dec->decode(std::string("\x30\x00\x0A\xE0\x01\x02\x54\x60\x00\x20", 10), kNoon, sink);
    CHECK(sink.rejected_reasons == std::vector<std::string>{"no_position"});
    sink.clear();
    std::string garbage;
    for (int i = 0; i < 4096; ++i) garbage.push_back(static_cast<char>((i * 7919) % 251));
    dec->decode(garbage, kNoon, sink);
    CHECK_FALSE(sink.rejected_reasons.empty());
}

TEST_CASE("an oversized message is rejected whole", "[asterix]") {
    auto dec = make_asterix_feed_decoder(radar_params());
    test::RecordingSink sink;
    dec->decode(std::string(2 << 20, '\0'), kNoon, sink);
    CHECK(sink.rejected_reasons == std::vector<std::string>{"oversized"});
}

TEST_CASE("an end-of-track record ends the radar's track and is not a reject", "[asterix]") {
    // Regression (issue 15): records with I048/170 TRE were counted as rejects (no position) and
    // the track they ended coasted on for a minute.
    auto dec = make_asterix_feed_decoder(radar_params());
    test::RecordingSink sink;
    Cat048Plot last = plot_at(43200.5, 18520, 90);
    last.track_number = 77;
    last.track_end = true;  // the last plot of track 77, with its position
    Cat048Plot gone;        // track 78's end, without a position (the usual form)
    gone.source = {1, 2};
    gone.time_of_day_s = 43200.6;
    gone.type = Cat048DetectionType::no_detection;
    gone.track_number = 78;
    gone.track_end = true;
    const Cat048Plot plots[] = {last, gone};
    dec->decode(encode_cat048_block(plots), kNoon + Duration::from_seconds(1), sink);
    CHECK(sink.rejected_reasons.empty());
    REQUIRE(sink.measurements.size() == 1);
    CHECK(sink.measurements[0].source_object_id == 77);
    CHECK(sink.ended_source_tracks == std::vector<std::uint64_t>{77, 78});
}

TEST_CASE("a real A/B capture: the second channel's copies are counted, not fused twice",
          "[asterix][real]") {
    // CroatiaControl's capture (tests/golden/asterix/README.md): every datagram of several
    // radars sent on two redundant multicast networks, A on ports 21xxx, B on 22xxx.
    std::ifstream f("tests/golden/asterix/croatia-cat_034_048.pcap", std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    const std::string file = ss.str();  // the capture holds views into it
    const Capture c = read_capture(file);
    REQUIRE(c.payloads.size() == 100);
    const auto run = [&](bool channel_a_only) {
        auto dec = make_asterix_feed_decoder(radar_params());
        test::RecordingSink sink;
        for (const CapturedPayload& p : c.payloads) {
            if (channel_a_only && p.udp_dst_port / 1000 != 21) continue;
            dec->decode(p.bytes, Timestamp{p.time_ns}, sink);
        }
        return sink;
    };
    const auto a = run(true);
    const auto both = run(false);
    REQUIRE(a.measurements.size() > 50);
    CHECK(both.measurements.size() == a.measurements.size());
    CHECK(both.scan_periods_s == a.scan_periods_s);
    CHECK(both.rejected_reasons == a.rejected_reasons);
    CHECK(both.quirks == std::vector<std::string>(50, "redundant_copy"));
    CHECK(a.quirks.empty());
}

TEST_CASE("a datagram repeated after the copy window is data again", "[asterix]") {
    auto dec = make_asterix_feed_decoder(radar_params());
    test::RecordingSink sink;
    const Cat048Plot p = plot_at(43200.5, 18520, 90);
    const std::string d = encode_cat048_block(std::span<const Cat048Plot>(&p, 1));
    dec->decode(d, kNoon + Duration::from_millis(600), sink);
    dec->decode(d, kNoon + Duration::from_millis(620), sink);  // the B copy
    CHECK(sink.measurements.size() == 1);
    CHECK(sink.quirks == std::vector<std::string>{"redundant_copy"});
    dec->decode(d, kNoon + Duration::from_seconds(10), sink);  // a replay, seconds later
    CHECK(sink.measurements.size() == 2);
}
