// Encoder: decode(encode(x)) == x on the wire grid, sentence framing (checksums, split, fill
// bits, tag block), and out-of-range inputs becoming "not available" instead of wrapping.
#include <catch2/catch.hpp>

#include "sensors/ais/ais_decode.hpp"
#include "sensors/ais/ais_encoder.hpp"
#include "sensors/ais/ais_reassembler.hpp"
#include "sensors/ais/ais_sentence.hpp"

using namespace picket::sensors::ais;

namespace {
AisMessage decode_sentences(const std::vector<std::string>& lines) {
    Reassembler r;
    std::string_view reason;
    for (const auto& l : lines) {
        auto s = parse_sentence(l);
        REQUIRE(s);
        if (const AisBits* b = r.add(*s, picket::Timestamp{0}, reason)) {
            auto m = decode(*b);
            REQUIRE(m);
            return *m;
        }
    }
    FAIL("message did not complete");
    return {};
}
}  // namespace

TEST_CASE("type 1 round trip", "[ais][encoder]") {
    PositionReportA in;
    in.type = 3;
    in.repeat = 1;
    in.mmsi = 525'123'456;
    in.nav_status = 7;
    in.rot_deg_per_min = 10.0;  // 4.733 * sqrt(10) = 14.97 -> 15
    in.sog_kn = 12.3;
    in.high_accuracy = true;
    in.lat_deg = -8.55;
    in.lon_deg = 125.5786;
    in.cog_deg = 271.4;
    in.heading_deg = 270;
    in.utc_second = 42;
    in.raim = true;
    in.radio = 0x12345;
    const auto lines = encode(in);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].size() <= 82);
    const auto m = std::get<PositionA>(decode_sentences(lines));
    CHECK(m.hdr.type == 3);
    CHECK(m.hdr.repeat == 1);
    CHECK(m.hdr.mmsi == in.mmsi);
    CHECK(m.status == 7);
    CHECK(m.turn == 15);
    CHECK(m.speed == 123);
    CHECK(m.accuracy);
    CHECK(m.lat == -5'130'000);
    CHECK(m.lon == 75'347'160);
    CHECK(m.course == 2714);
    CHECK(m.heading == 270);
    CHECK(m.second == 42);
    CHECK(m.raim);
    CHECK(m.radio == 0x12345u);
}

TEST_CASE("missing and out-of-range values encode as 'not available'", "[ais][encoder]") {
    PositionReportA in;
    in.mmsi = 525'000'001;
    in.lat_deg = 95.0;  // impossible: must not wrap
    in.cog_deg = std::nullopt;
    in.sog_kn = 250.0;  // beyond the field: "102.2 kn or more"
    const auto m = std::get<PositionA>(decode_sentences(encode(in)));
    CHECK(m.lat == kLatNotAvailable);
    CHECK(m.lon == kLonNotAvailable);
    CHECK(m.course == kCourseNotAvailable);
    CHECK(m.heading == kHeadingNotAvailable);
    CHECK(m.speed == kSpeedFast);
    CHECK(m.turn == kTurnNotAvailable);
    CHECK(rot_to_wire(1000.0) == 127);
    CHECK(rot_to_wire(-1000.0) == -127);
}

TEST_CASE("type 5 is two sentences with a sequence id and 2 fill bits", "[ais][encoder]") {
    StaticVoyageData in;
    in.mmsi = 525'000'002;
    in.imo = 9'134'270;
    in.callsign = "pk1234";  // lower case is upper-cased
    in.name = "KM PICKET";
    in.ship_type = 70;
    in.dims = {100, 20, 8, 7};
    in.eta_month = 5;
    in.eta_day = 15;
    in.eta_hour = 14;
    in.eta_minute = 0;
    in.draught_m = 12.2;
    in.destination = "DILI";
    EncodeOptions opt;
    opt.channel = 'B';
    opt.sequence_id = 7;
    const auto lines = encode(in, opt);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].rfind("!AIVDM,2,1,7,B,", 0) == 0);
    CHECK(lines[1].rfind("!AIVDM,2,2,7,B,", 0) == 0);
    // 424 bits = 71 characters (426 bits): 2 fill bits on the last sentence.
    CHECK(lines[1].substr(lines[1].size() - 5, 2) == ",2");
    const auto m = std::get<StaticVoyage>(decode_sentences(lines));
    CHECK(m.imo == in.imo);
    CHECK(m.callsign == "PK1234");
    CHECK(m.shipname == "KM PICKET");
    CHECK(m.shiptype == 70);
    CHECK(m.to_bow == 100);
    CHECK(m.to_stern == 20);
    CHECK(m.to_port == 8);
    CHECK(m.to_starboard == 7);
    CHECK(m.month == 5);
    CHECK(m.day == 15);
    CHECK(m.hour == 14);
    CHECK(m.minute == 0);
    CHECK(m.draught == 122);
    CHECK(m.destination == "DILI");
}

TEST_CASE("type 18, 24 A/B and 4 round trip", "[ais][encoder]") {
    PositionReportB b;
    b.mmsi = 525'000'003;
    b.sog_kn = 5.5;
    b.lat_deg = 1.0;
    b.lon_deg = -1.0;
    b.cog_deg = 0.0;
    b.heading_deg = 359;
    b.utc_second = 0;
    b.msg22 = true;
    b.radio = 917510;
    const auto pb = std::get<PositionB>(decode_sentences(encode(b)));
    CHECK(pb.speed == 55);
    CHECK(pb.lat == 600000);
    CHECK(pb.lon == -600000);
    CHECK(pb.course == 0);
    CHECK(pb.heading == 359);
    CHECK(pb.cs);
    CHECK(pb.msg22);
    CHECK(pb.radio == 917510u);

    StaticDataBPartA a{0, 525'000'003, "SKIFF ONE"};
    const auto sa = std::get<StaticB>(decode_sentences(encode(a)));
    CHECK(sa.part == StaticB::Part::a);
    CHECK(sa.shipname == "SKIFF ONE");

    StaticDataBPartB pbb;
    pbb.mmsi = 525'000'003;
    pbb.ship_type = 37;
    pbb.vendor_id = "PKT";
    pbb.model = 3;
    pbb.serial = 12345;
    pbb.callsign = "YB1";
    pbb.dims = {5, 3, 1, 2};
    const auto sb = std::get<StaticB>(decode_sentences(encode(pbb)));
    CHECK(sb.part == StaticB::Part::b);
    CHECK(sb.shiptype == 37);
    CHECK(sb.model == 3);
    CHECK(sb.serial == 12345u);
    CHECK(sb.callsign == "YB1");
    CHECK(sb.to_bow == 5);
    CHECK(sb.to_starboard == 2);

    BaseStationReport bs;
    bs.mmsi = 5'250'001;
    bs.year = 2026;
    bs.month = 11;
    bs.day = 25;
    bs.hour = 13;
    bs.minute = 5;
    bs.second = 9;
    bs.lat_deg = -8.5;
    bs.lon_deg = 125.5;
    const auto m4 = std::get<BaseStation>(decode_sentences(encode(bs)));
    CHECK(m4.year == 2026);
    CHECK(m4.month == 11);
    CHECK(m4.day == 25);
    CHECK(m4.hour == 13);
    CHECK(m4.minute == 5);
    CHECK(m4.second == 9);
    CHECK(m4.lat == -5'100'000);
    CHECK(m4.lon == 75'300'000);
    CHECK(m4.epfd == 7);
}

TEST_CASE("tag block carries c: and s: and is accepted by the parser", "[ais][encoder]") {
    PositionReportA in;
    in.mmsi = 525'000'004;
    EncodeOptions opt;
    opt.tag_time = picket::Timestamp{1'764'000'000LL * picket::kNsPerSecond};
    opt.tag_source = "sim";
    const auto lines = encode(in, opt);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].rfind("\\s:sim,c:1764000000*", 0) == 0);
    auto s = parse_sentence(lines[0]);
    REQUIRE(s);
    CHECK(s->tag.source == "sim");
    CHECK(s->tag.time == opt.tag_time);
}
