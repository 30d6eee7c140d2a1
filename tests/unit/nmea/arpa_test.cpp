// NMEA 0183 TTM / TLL / HDT: framing, field parsing, normalisation, rejections.
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>

#include "sensors/nmea/arpa_feed.hpp"
#include "sensors/nmea/arpa_sentences.hpp"
#include "sensors/nmea/nmea_sentence.hpp"
#include "tests/unit/asterix/recording_sink.hpp"

using namespace picket;
using namespace picket::sensors;
using namespace picket::sensors::nmea;

namespace {

constexpr double kDeg = std::numbers::pi / 180.0;
const Timestamp kNoon = *parse_iso8601("2026-11-25T12:00:00Z");

FeedParams arpa_params() {
    FeedParams p;
    p.index = 5;
    p.kind = SensorKind::radar;
    p.format = "nmea-arpa";
    p.site.position = {-8.5, 125.5};
    return p;
}

/// Appends the checksum computed here, independently of the decoder's own routine.
std::string with_checksum(const std::string& body) {
    unsigned x = 0;
    for (char c : body) x ^= static_cast<unsigned char>(c);
    char buf[4];
    std::snprintf(buf, sizeof buf, "%02X", x);
    return "$" + body + "*" + buf;
}

}  // namespace

TEST_CASE("NMEA framing verifies the checksum", "[nmea]") {
    // Example sentence from the NMEA 0183 literature (gpsd's test logs): checksum 0x47.
    const auto s =
        parse_sentence("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47");
    REQUIRE(s);
    CHECK(s->talker == "GP");
    CHECK(s->formatter == "GGA");
    CHECK(s->field(0) == "123519");
    CHECK(s->field(13) == "");
    CHECK(parse_sentence("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*48")
              .error()
              .reason == "checksum");
    CHECK(parse_sentence("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")
              .error()
              .reason == "checksum");
    CHECK(parse_sentence("GPGGA,123519*47").error().reason == "bad_frame");
    CHECK(parse_sentence(std::string(90, 'A')).error().reason == "oversized");
}

TEST_CASE("TTM fields per IEC 61162-1", "[nmea]") {
    // Sentence views point into the line: keep it alive while the fields are used.
    const std::string line =
        with_checksum("RATTM,07,2.50,045.0,T,12.0,090.0,T,0.5,3.2,N,TGT7,T,,123456.50,A");
    const auto s = parse_sentence(line);
    REQUIRE(s);
    const auto t = parse_ttm(*s);
    REQUIRE(t);
    CHECK(t->target_number == 7);
    CHECK(t->distance == 2.5);
    CHECK(t->bearing_deg == 45.0);
    CHECK(t->bearing_true);
    CHECK(t->speed == 12.0);
    CHECK(t->course_deg == 90.0);
    CHECK(t->units == ArpaUnits::nautical);
    CHECK(t->status == ArpaStatus::tracking);
    CHECK(t->time_of_day_s == 12 * 3600 + 34 * 60 + 56.5);
}

TEST_CASE("TTM becomes a PolarZ from own ship with a true velocity", "[nmea]") {
    auto dec = make_arpa_feed_decoder(arpa_params());
    test::RecordingSink sink;
    // 2.5 NM at 045 T, 12 kn on 090 T, data time 11:59:58.
    dec->decode(with_checksum("RATTM,07,2.50,045.0,T,12.0,090.0,T,,,N,,T,,115958.00,A") + "\r\n",
                kNoon, sink);
    REQUIRE(sink.rejected_reasons.empty());
    REQUIRE(sink.measurements.size() == 1);
    const auto& m = sink.measurements[0];
    const auto& z = std::get<PolarZ>(m.z);
    CHECK(z.range_m == Approx(2.5 * 1852));
    CHECK(z.bearing_rad == Approx(45 * kDeg));
    CHECK(z.site.position == LatLon{-8.5, 125.5});
    CHECK(m.observed == kNoon - Duration::from_seconds(2));
    CHECK(m.source_object_id == 7);
    REQUIRE(m.velocity);
    CHECK(m.velocity->east_mps == Approx(12 * 1852.0 / 3600));
    CHECK(m.velocity->north_mps == Approx(0).margin(1e-9));
}

TEST_CASE("a TAG block before the sentence is skipped", "[nmea]") {
    auto dec = make_arpa_feed_decoder(arpa_params());
    test::RecordingSink sink;
    dec->decode("\\s:radar1,c:1795608000*5B\\" + with_checksum("RATTM,07,2.50,045.0,T,,,,,,N,,T,"),
                kNoon, sink);
    CHECK(sink.rejected_reasons.empty());
    CHECK(sink.measurements.size() == 1);
}

TEST_CASE("TTM units K and S, and a sentence without time uses the receive time", "[nmea]") {
    auto dec = make_arpa_feed_decoder(arpa_params());
    test::RecordingSink sink;
    dec->decode(with_checksum("RATTM,01,3.0,010.0,T,,,,,,K,,Q,") + "\n" +
                    with_checksum("RATTM,02,1.0,010.0,T,,,,,,S,,T,"),
                kNoon, sink);
    REQUIRE(sink.measurements.size() == 2);
    CHECK(std::get<PolarZ>(sink.measurements[0].z).range_m == Approx(3000));
    CHECK(std::get<PolarZ>(sink.measurements[1].z).range_m == Approx(1609.344));
    CHECK(sink.measurements[0].observed == kNoon);
    CHECK_FALSE(sink.measurements[0].velocity);
}

TEST_CASE("relative bearings need a recent HDT", "[nmea]") {
    auto dec = make_arpa_feed_decoder(arpa_params());
    test::RecordingSink sink;
    const std::string rel = with_checksum("RATTM,03,1.00,350.0,R,,,,,,N,,T,");
    dec->decode(rel, kNoon, sink);
    CHECK(sink.rejected_reasons == std::vector<std::string>{"no_heading"});
    sink.clear();
    dec->decode(encode_hdt(20.0) + "\r\n" + rel, kNoon, sink);
    REQUIRE(sink.measurements.size() == 1);
    CHECK(std::get<PolarZ>(sink.measurements[0].z).bearing_rad == Approx(10 * kDeg));  // 350 + 20
    sink.clear();
    dec->decode(rel, kNoon + Duration::from_seconds(60), sink);  // heading now stale
    CHECK(sink.rejected_reasons == std::vector<std::string>{"no_heading"});
}

TEST_CASE("TLL becomes a position; lost targets yield nothing", "[nmea]") {
    auto dec = make_arpa_feed_decoder(arpa_params());
    test::RecordingSink sink;
    // 08°30.600'S 125°31.200'E = -8.51, 125.52
    dec->decode(with_checksum("RATLL,04,0830.600,S,12531.200,E,TGT,120000.00,T,") + "\n" +
                    with_checksum("RATTM,05,1.0,010.0,T,,,,,,N,,L,"),
                kNoon, sink);
    REQUIRE(sink.rejected_reasons.empty());
    REQUIRE(sink.measurements.size() == 1);
    const auto& z = std::get<PositionZ>(sink.measurements[0].z);
    CHECK(z.where.lat_deg == Approx(-8.51));
    CHECK(z.where.lon_deg == Approx(125.52));
    CHECK(sink.measurements[0].source_object_id == 4);
}

TEST_CASE("encoders produce sentences the decoder reads back", "[nmea]") {
    Ttm t;
    t.target_number = 42;
    t.distance = 5.25;
    t.bearing_deg = 271.5;
    t.speed = 8.0;
    t.course_deg = 181.0;
    t.time_of_day_s = 3600 + 61.25;
    const std::string ttm_line = encode_ttm(t);
    const auto s = parse_sentence(ttm_line);
    REQUIRE(s);
    const auto back = parse_ttm(*s);
    REQUIRE(back);
    CHECK(back->target_number == 42);
    CHECK(back->distance == 5.25);
    CHECK(back->bearing_deg == 271.5);
    CHECK(back->course_deg == 181.0);
    CHECK(back->time_of_day_s == Approx(3661.25));
    Tll l;
    l.target_number = 9;
    l.lat_deg = -8.123456;
    l.lon_deg = -125.654321;
    const std::string tll_line = encode_tll(l);
    const auto sl = parse_sentence(tll_line);
    REQUIRE(sl);
    const auto lb = parse_tll(*sl);
    REQUIRE(lb);
    CHECK(lb->lat_deg == Approx(l.lat_deg).margin(1e-6));  // 0.0001' = 1.7e-6 deg
    CHECK(lb->lon_deg == Approx(l.lon_deg).margin(1e-6));
}

TEST_CASE("bad ARPA input is rejected with reasons", "[nmea]") {
    auto dec = make_arpa_feed_decoder(arpa_params());
    test::RecordingSink sink;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"$RATTM,07,2.50,045.0,T,,,,,,N,,T,*00", "checksum"},
        {with_checksum("RATTM,07,,045.0,T,,,,,,N,,T,"), "missing_field"},
        {with_checksum("RATTM,07,abc,045.0,T,,,,,,N,,T,"), "bad_field"},
        {with_checksum("RATTM,07,1.0,400.0,T,,,,,,N,,T,"), "out_of_range"},
        {with_checksum("RATTM,07,1.0,40.0,X,,,,,,N,,T,"), "bad_field"},
        {with_checksum("RATTM,07,1.0,40.0,T,,,,,,Q,,T,"), "bad_field"},
        {with_checksum("RATTM,07,1.0,40.0,T,,,,,,N,,T,,256100,A"), "bad_field"},
        {with_checksum("RATLL,04,0890.000,S,12531.200,E,,,T,"), "bad_field"},
        {with_checksum("RAXYZ,1,2,3"), "unsupported_sentence"},
        {"garbage\x01\x02", "bad_frame"},
    };
    for (const auto& [line, reason] : cases) {
        sink.clear();
        dec->decode(line, kNoon, sink);
        INFO(line);
        CHECK(sink.measurements.empty());
        CHECK(sink.rejected_reasons == std::vector<std::string>{reason});
    }
}
