// The feed decoder: AIS lines -> measurements, identities, anomalies and rejects.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "sensors/ais/ais_encoder.hpp"
#include "sensors/ais/ais_feed.hpp"

using namespace picket;
using namespace picket::sensors;

namespace {

struct Recorder : DecodeSink {
    std::vector<Measurement> measurements;
    std::vector<Identity> identities;
    std::vector<std::string> anomalies;
    std::vector<std::string> rejects;
    std::vector<std::string> quirks;
    std::vector<Mmsi> anomaly_mmsis;
    void measurement(Measurement m) override { measurements.push_back(std::move(m)); }
    void identity(const Identity& id, Timestamp) override { identities.push_back(id); }
    void anomaly(std::string_view reason, std::optional<Mmsi> mmsi, LatLon, Timestamp) override {
        anomalies.emplace_back(reason);
        anomaly_mmsis.push_back(mmsi.value_or(999'999'999));
    }
    void rejected(const DecodeError& e) override { rejects.emplace_back(e.reason); }
    void quirk(std::string_view kind) override { quirks.emplace_back(kind); }
};

std::string join(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) s += l + "\r\n";
    return s;
}

ais::PositionReportA report(Mmsi mmsi, double lat, double lon) {
    ais::PositionReportA p;
    p.mmsi = mmsi;
    p.lat_deg = lat;
    p.lon_deg = lon;
    p.sog_kn = 10.0;
    p.cog_deg = 90.0;
    p.high_accuracy = true;
    p.utc_second = 30;
    return p;
}

// 2026-11-25T13:00:35.250Z
const Timestamp kReceived{1'764'075'635'250'000'000LL};

}  // namespace

TEST_CASE("a position report becomes a measurement in SI units", "[ais][feed]") {
    FeedParams params;
    params.index = 3;
    auto dec = make_ais_feed_decoder(params);
    Recorder rec;
    dec->decode(join(ais::encode(report(525'000'010, -8.55, 125.57))), kReceived, rec);
    REQUIRE(rec.measurements.size() == 1);
    const Measurement& m = rec.measurements[0];
    CHECK(m.feed == 3);
    CHECK(m.sensor == SensorKind::ais);
    CHECK(m.target_class == TargetClass::vessel);
    REQUIRE(m.mmsi);
    CHECK(*m.mmsi == 525'000'010u);
    const auto& z = std::get<PositionZ>(m.z);
    CHECK(z.where.lat_deg == Approx(-8.55).margin(1e-6));
    CHECK(z.where.lon_deg == Approx(125.57).margin(1e-6));
    CHECK(z.cov_en_m2(0, 0) == Approx(100.0));  // high accuracy: 10 m 1σ
    CHECK(z.cov_en_m2(0, 1) == 0.0);
    REQUIRE(m.velocity);
    // 10 kn due east = 5.1444 m/s east.
    CHECK(m.velocity->east_mps == Approx(10 * 1852.0 / 3600.0));
    CHECK(m.velocity->north_mps == Approx(0.0).margin(1e-9));
    // Received at second 35, report made at second 30: observed is 13:00:30.000.
    CHECK(m.observed == Timestamp{1'764'075'630'000'000'000LL});
    CHECK(m.received == kReceived);
    CHECK(rec.rejects.empty());
}

TEST_CASE("low accuracy, configured sigma, and missing velocity", "[ais][feed]") {
    auto p = report(525'000'011, 10, 20);
    p.high_accuracy = false;
    p.cog_deg = std::nullopt;
    Recorder rec;
    make_ais_feed_decoder({})->decode(join(ais::encode(p)), kReceived, rec);
    REQUIRE(rec.measurements.size() == 1);
    CHECK(std::get<PositionZ>(rec.measurements[0].z).cov_en_m2(1, 1) == Approx(2500.0));
    CHECK_FALSE(rec.measurements[0].velocity);

    FeedParams params;
    params.sigma_position_m = 30;
    Recorder rec2;
    make_ais_feed_decoder(params)->decode(join(ais::encode(p)), kReceived, rec2);
    REQUIRE(rec2.measurements.size() == 1);
    CHECK(std::get<PositionZ>(rec2.measurements[0].z).cov_en_m2(0, 0) == Approx(900.0));
}

TEST_CASE("tag block time wins over the received time", "[ais][feed]") {
    ais::EncodeOptions opt;
    opt.tag_time = Timestamp{1'764'000'000LL * kNsPerSecond};
    Recorder rec;
    make_ais_feed_decoder({})->decode(join(ais::encode(report(525'000'012, 1, 2), opt)), kReceived,
                                      rec);
    REQUIRE(rec.measurements.size() == 1);
    CHECK(rec.measurements[0].observed == *opt.tag_time);
}

TEST_CASE("'not available' position gives nothing, not a measurement at 91/181", "[ais][feed]") {
    ais::PositionReportA p;
    p.mmsi = 525'000'013;
    Recorder rec;
    make_ais_feed_decoder({})->decode(join(ais::encode(p)), kReceived, rec);
    CHECK(rec.measurements.empty());
    CHECK(rec.rejects.empty());
}

TEST_CASE("invalid MMSI and impossible jumps are anomalies, not measurements", "[ais][feed]") {
    CHECK_FALSE(ais::plausible_mobile_mmsi(0));
    CHECK_FALSE(ais::plausible_mobile_mmsi(2'470'052));       // coast station, 7 digits
    CHECK_FALSE(ais::plausible_mobile_mmsi(123'456'789));     // no MID 123
    CHECK_FALSE(ais::plausible_mobile_mmsi(1'000'000'000u));  // 30 bits allow 10 digits
    CHECK(ais::plausible_mobile_mmsi(371'798'000));
    CHECK(ais::plausible_mobile_mmsi(111'265'591));  // SAR aircraft
    CHECK(ais::plausible_mobile_mmsi(970'123'456));  // AIS-SART

    auto dec = make_ais_feed_decoder({});
    Recorder rec;
    dec->decode(join(ais::encode(report(123'456'789, 1, 1))), kReceived, rec);
    CHECK(rec.measurements.empty());
    REQUIRE(rec.anomalies.size() == 1);
    CHECK(rec.anomalies[0] == "invalid_mmsi");

    Recorder jump;
    auto a = report(525'000'014, -8.5, 125.5);
    dec->decode(join(ais::encode(a)), kReceived, jump);
    // 10 s later, 0.1° (~11 km) away: ~2000 kn.
    a.lat_deg = -8.4;
    a.utc_second = 40;
    dec->decode(join(ais::encode(a)), kReceived + Duration::from_seconds(10), jump);
    CHECK(jump.measurements.size() == 1);
    REQUIRE(jump.anomalies.size() == 1);
    CHECK(jump.anomalies[0] == "impossible_jump");
    // 60 s later, 500 m further on (16 kn): plausible again.
    a.lat_deg = -8.4 + 500.0 / 111'320.0;
    a.utc_second = 40;
    dec->decode(join(ais::encode(a)), kReceived + Duration::from_seconds(70), jump);
    CHECK(jump.measurements.size() == 2);
}

TEST_CASE("static reports update identities, 24 A and B merged per MMSI", "[ais][feed]") {
    auto dec = make_ais_feed_decoder({});
    Recorder rec;
    ais::StaticDataBPartA a{0, 525'000'020, "SKIFF"};
    ais::StaticDataBPartB b;
    b.mmsi = 525'000'020;
    b.ship_type = 37;
    b.callsign = "YB1";
    b.dims = {6, 4, 1, 2};
    dec->decode(join(ais::encode(a)) + join(ais::encode(b)), kReceived, rec);
    REQUIRE(rec.identities.size() == 2);
    const Identity& id = rec.identities.back();
    CHECK(id.mmsi == 525'000'020u);
    CHECK(id.name == "SKIFF");
    CHECK(id.callsign == "YB1");
    CHECK(id.ship_type == 37);
    CHECK(id.length_m == 10.0);
    CHECK(id.beam_m == 3.0);

    ais::StaticVoyageData v;
    v.mmsi = 525'000'021;
    v.imo = 9'134'270;
    v.name = "EVER DIADEM";
    v.callsign = "3FOF8";
    v.ship_type = 70;
    v.dims = {225, 70, 1, 31};
    Recorder rec5;
    dec->decode(join(ais::encode(v)), kReceived, rec5);
    REQUIRE(rec5.identities.size() == 1);
    CHECK(rec5.identities[0].imo == 9'134'270u);
    CHECK(rec5.identities[0].length_m == 295.0);
    CHECK(rec5.identities[0].beam_m == 32.0);
}

TEST_CASE("bad input is rejected with a reason and never throws", "[ais][feed]") {
    auto dec = make_ais_feed_decoder({});
    Recorder rec;
    const std::string garbage =
        "hello\n"
        "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B\n"  // checksum
        "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h\n"              // cut: fewer than 7 fields
        "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g2,0*50\n"      // short payload
        "!AIVDM,2,2,3,A,0000,0*15\n"                         // orphan fragment
        + std::string(2000, 'x') + "\n";
    REQUIRE_NOTHROW(dec->decode(garbage, kReceived, rec));
    CHECK(rec.measurements.empty());
    REQUIRE(rec.rejects.size() == 6);
    CHECK(rec.rejects[0] == "bad_sentence");
    CHECK(rec.rejects[1] == "checksum");
    CHECK(rec.rejects[2] == "bad_sentence");
    CHECK(rec.rejects[5] == "too_long");
}

TEST_CASE("an unfinished multi-part message times out", "[ais][feed]") {
    ais::StaticVoyageData v;
    v.mmsi = 525'000'022;
    const auto lines = ais::encode(v);
    REQUIRE(lines.size() == 2);
    auto dec = make_ais_feed_decoder({});
    Recorder rec;
    dec->decode(lines[0], kReceived, rec);
    dec->decode("", kReceived + Duration::from_seconds(60), rec);
    REQUIRE(rec.rejects.size() == 1);
    CHECK(rec.rejects[0] == "fragment_timeout");
}

TEST_CASE("velocity from every wire course equals the per-report sin/cos formula", "[ais][feed]") {
    // The feed looks sin/cos up in a table built once. Built at compile time (GCC folds a
    // constexpr initialiser, correctly rounded) 16 entries would differ in the last bit from the
    // C library's run-time values that the per-report formula gave, and replays of older
    // recordings would drift: compare all 3600 courses exactly.
    constexpr double kKnotToMps = 1852.0 / 3600.0;
    constexpr double kDegToRad = 3.14159265358979323846 / 180.0;
    auto dec = make_ais_feed_decoder({});
    int mismatches = 0;
    for (int tenths = 0; tenths < 3600; ++tenths) {
        auto p = report(525'000'100 + static_cast<Mmsi>(tenths), -8.5, 125.5);
        p.cog_deg = tenths / 10.0;
        Recorder rec;
        dec->decode(join(ais::encode(p)), kReceived, rec);
        REQUIRE(rec.measurements.size() == 1);
        REQUIRE(rec.measurements[0].velocity);
        const double c = (tenths / 10.0) * kDegToRad;
        const double sog = 100 / 10.0 * kKnotToMps;  // 10 kn on the wire (0.1 kn units)
        const VelocityZ& v = *rec.measurements[0].velocity;
        if (v.east_mps != sog * std::sin(c) || v.north_mps != sog * std::cos(c)) ++mismatches;
    }
    CHECK(mismatches == 0);
}

TEST_CASE("the jump check's shortcut gives the exact formula's verdict near the limit",
          "[ais][feed]") {
    // Within 1e-9 of the limit the shortcut defers to the exact distance (with cos(mean lat));
    // either side of the limit the verdict must flip exactly where the formula says. Same
    // second, so the limit is the 300 m allowance; at 60° north the east distance counts half.
    auto dec = make_ais_feed_decoder({});
    const double m_per_deg = 6'371'008.8 * 3.14159265358979323846 / 180.0;
    int id = 0;
    for (const double east_m : {590.0, 599.0, 601.0, 610.0}) {
        Recorder rec;
        auto p = report(525'000'200 + static_cast<Mmsi>(id++), 60.0, 10.0);
        dec->decode(join(ais::encode(p)), kReceived, rec);
        p.lon_deg = 10.0 + east_m / m_per_deg;  // ~east_m / 2 metres at 60° N
        dec->decode(join(ais::encode(p)), kReceived, rec);
        INFO("east " << east_m << " m of longitude at 60 N");
        CHECK(rec.anomalies.size() == (east_m > 600.0 ? 1u : 0u));
    }
}

TEST_CASE("identities stay separate and merged as the table grows past its first size",
          "[ais][feed]") {
    auto dec = make_ais_feed_decoder({});
    Recorder rec;
    const int ships = 5000;  // the identity index starts at 4096 slots, half full at 2048
    for (int i = 0; i < ships; ++i) {
        const Mmsi mmsi = 525'100'000 + static_cast<Mmsi>(i);
        dec->decode(join(ais::encode(ais::StaticDataBPartA{0, mmsi, "S" + std::to_string(i)})),
                    kReceived, rec);
    }
    for (int i = 0; i < ships; ++i) {
        ais::StaticDataBPartB b;
        b.mmsi = 525'100'000 + static_cast<Mmsi>(i);
        b.callsign = "C" + std::to_string(i);
        dec->decode(join(ais::encode(b)), kReceived, rec);
    }
    REQUIRE(rec.identities.size() == 2u * ships);
    int wrong = 0;
    for (int i = 0; i < ships; ++i) {
        const Identity& id = rec.identities[static_cast<std::size_t>(ships + i)];
        if (id.mmsi != 525'100'000u + static_cast<Mmsi>(i) || id.name != "S" + std::to_string(i) ||
            id.callsign != "C" + std::to_string(i))
            ++wrong;
    }
    CHECK(wrong == 0);
}

TEST_CASE("vendor quirks are counted, not rejected, and a *00 tag block still gives the time",
          "[ais][feed]") {
    // A national network's time-stamped feed sends every tag block checksum as the literal
    // "*00"; a yacht gateway adds a field after the fill bits. gpsd decodes both.
    const std::string line = ais::encode(report(525'000'011, -8.55, 125.57)).front();
    const std::size_t star = line.rfind('*');
    const std::string body = line.substr(1, star - 1);
    auto dec = make_ais_feed_decoder({});
    Recorder rec;
    dec->decode("\\c:1764075630*00\\" + line + "\n", kReceived, rec);
    REQUIRE(rec.measurements.size() == 1);
    CHECK(rec.measurements[0].observed == Timestamp{1'764'075'630LL * kNsPerSecond});
    CHECK(rec.quirks == std::vector<std::string>{"tag_checksum_zero"});
    dec->decode("!" + body + ",", kReceived, rec);  // extra field, and no checksum either
    CHECK(rec.measurements.size() == 2);
    CHECK(rec.rejects.empty());
    CHECK(rec.quirks ==
          std::vector<std::string>{"tag_checksum_zero", "no_checksum", "extra_fields"});
}

TEST_CASE("an invalid-MMSI anomaly carries the MMSI as sent", "[ais][feed]") {
    auto dec = make_ais_feed_decoder({});
    Recorder rec;
    for (const Mmsi bad : {Mmsi{0}, Mmsi{123'456'789}, Mmsi{2'320'061}})
        dec->decode(ais::encode(report(bad, -8.55, 125.57)).front(), kReceived, rec);
    CHECK(rec.measurements.empty());
    CHECK(rec.anomalies == std::vector<std::string>(3, "invalid_mmsi"));
    CHECK(rec.anomaly_mmsis == std::vector<Mmsi>{0, 123'456'789, 2'320'061});
}
