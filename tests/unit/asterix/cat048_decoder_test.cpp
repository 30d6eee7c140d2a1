// CAT048 / CAT034 record decoding against byte sequences derived by hand from the spec
// (EUROCONTROL ASTERIX Part 4 Cat 048 ed. 1.21, Part 2b Cat 034 ed. 1.27), item skipping,
// framing rejections, and encode -> decode round trips.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "sensors/asterix/asterix_decoder.hpp"
#include "sensors/asterix/cat048_encoder.hpp"
#include "tests/unit/asterix/cat048_test_vectors.hpp"

using namespace picket;
using namespace picket::sensors::asterix;

namespace {

std::string bytes(std::initializer_list<int> b) {
    std::string s;
    for (int v : b) s.push_back(static_cast<char>(v));
    return s;
}

struct Collect final : AsterixVisitor {
    std::vector<Cat048Report> r048;
    std::vector<Cat034Report> r034;
    std::vector<std::string> errors;
    void cat048(const Cat048Report& r) override { r048.push_back(r); }
    void cat034(const Cat034Report& r) override { r034.push_back(r); }
    void rejected(DecodeError e) override { errors.emplace_back(e.reason); }
};

Collect decode(const std::string& datagram) {
    Collect c;
    decode_asterix_datagram(datagram, c);
    return c;
}

// Record A, by hand:
//   FSPEC 0xF0          FRN 1-4 present: I048/010, /140, /020, /040; FX = 0
//   I048/010  19 C9     SAC 25, SIC 201
//   I048/140  58 78 40  12:34:56.5 = 45296.5 s × 128 = 5797952 = 0x587840
//   I048/020  20        TYP = 001 (single PSR), FX = 0
//   I048/040  0A 00 40 00  RHO 2560 / 256 = 10 NM = 18520 m; THETA 0x4000 × 360/2^16 = 90°
const std::string kRecordA =
    bytes({0xF0, 0x19, 0xC9, 0x58, 0x78, 0x40, 0x20, 0x0A, 0x00, 0x40, 0x00});

// Record B: every kind of item structure, most of which picket skips:
//   FSPEC FF 37 05 04: FRN 1-7; FRN 10, 11, 13, 14; FRN 20; FRN 27 (SP)
//   I048/010  19 C9
//   I048/140  58 78 40
//   I048/020  21 00          extended: first octet FX = 1, one extent
//   I048/040  0A 00 40 00
//   I048/070  01 23          fixed 2
//   I048/090  00 50          fixed 2
//   I048/130  82 11 22       compound: SRL + APD present, one octet each
//   I048/250  02 + 2×8       repetitive: REP = 2
//   I048/161  00 7B          track 123
//   I048/200  01 00 80 00    GSP 256 × 2^-14 NM/s = 1/64 NM/s = 28.9375 m/s; HDG 0x8000 = 180°
//   I048/170  40             CNF 0 (confirmed), RAD 10 (SSR/Mode S track), FX 0
//   I048/120  C0 00 10 01 + 6 octets   compound: CAL (2) + RDS (REP = 1, 6 octets)
//   SP        04 AA BB CC    explicit: LEN 4 counts itself
const std::string kRecordB = bytes(
    {0xFF, 0x37, 0x05, 0x04, 0x19, 0xC9, 0x58, 0x78, 0x40, 0x21, 0x00, 0x0A, 0x00, 0x40, 0x00,
     0x01, 0x23, 0x00, 0x50, 0x82, 0x11, 0x22, 0x02, 1,    2,    3,    4,    5,    6,    7,
     8,    9,    10,   11,   12,   13,   14,   15,   16,   0x00, 0x7B, 0x01, 0x00, 0x80, 0x00,
     0x40, 0xC0, 0x00, 0x10, 0x01, 1,    2,    3,    4,    5,    6,    0x04, 0xAA, 0xBB, 0xCC});

std::string block(int cat, const std::string& records) {
    const std::size_t len = records.size() + 3;
    return bytes({cat, static_cast<int>(len >> 8), static_cast<int>(len & 0xFF)}) + records;
}

}  // namespace

TEST_CASE("CAT048 record decodes the hand-derived spec bytes", "[asterix]") {
    const Collect c = decode(block(48, kRecordA));
    REQUIRE(c.errors.empty());
    REQUIRE(c.r048.size() == 1);
    const auto& r = c.r048[0];
    CHECK(r.has_source);
    CHECK(r.plot.source == DataSource{25, 201});
    CHECK(r.has_time);
    CHECK(r.plot.time_of_day_s == 45296.5);
    CHECK(r.plot.type == Cat048DetectionType::single_psr);
    REQUIRE(r.plot.polar);
    CHECK(r.plot.polar->range_m == 18520.0);
    CHECK(r.plot.polar->azimuth_deg == 90.0);
    CHECK_FALSE(r.plot.track_number);
    CHECK_FALSE(r.plot.velocity);
}

TEST_CASE("CAT048 third-party test vector decodes to the reference values", "[asterix]") {
    REQUIRE(picket::test::kJasterixCat048.size() == 65);
    const Collect c = decode(picket::test::kJasterixCat048);
    REQUIRE(c.errors.empty());
    REQUIRE(c.r048.size() == 1);
    const auto& p = c.r048[0].plot;
    CHECK(p.source == DataSource{0, 1});
    CHECK(p.time_of_day_s == 4287979 / 128.0);
    CHECK(p.type == Cat048DetectionType::mode_s_roll_call);
    REQUIRE(p.polar);
    CHECK(p.polar->range_m / 1852.0 == Approx(73.922).margin(0.001));
    CHECK(p.polar->azimuth_deg == Approx(89.670).margin(0.001));
    CHECK(p.track_number == 919);
    REQUIRE(p.velocity);
    CHECK(p.velocity->ground_speed_mps * 3600 / 1852 == Approx(463.184).margin(0.001));
    CHECK(p.velocity->heading_deg == Approx(32.607).margin(0.001));
    CHECK(p.confirmed);
    CHECK(c.r048[0].has_status);
}

TEST_CASE("CAT048 skips fixed, extended, compound, repetitive and explicit items", "[asterix]") {
    // B then A in one block: if any skip were off by one octet, A would not decode.
    const Collect c = decode(block(48, kRecordB + kRecordA));
    REQUIRE(c.errors.empty());
    REQUIRE(c.r048.size() == 2);
    const auto& b = c.r048[0].plot;
    CHECK(b.source == DataSource{25, 201});
    REQUIRE(b.polar);
    CHECK(b.polar->range_m == 18520.0);
    REQUIRE(b.track_number);
    CHECK(*b.track_number == 123);
    REQUIRE(b.velocity);
    CHECK(b.velocity->ground_speed_mps == Approx(1852.0 / 64.0));
    CHECK(b.velocity->heading_deg == 180.0);
    CHECK(c.r048[0].has_status);
    CHECK(b.confirmed);
    CHECK(c.r048[1].plot.polar->azimuth_deg == 90.0);
}

TEST_CASE("CAT048 I048/042 is signed, LSB 1/128 NM", "[asterix]") {
    // FSPEC E1 08: FRN 1-3 + FX; second octet FRN 12 (0x08): /042 without /040.
    // /010 00 01; /140 00 00 80 = 1 s; /020 20; X = 0xFF80 = -128 -> -1 NM; Y = 0x0100 -> 2 NM.
    const std::string rec =
        bytes({0xE1, 0x08, 0x00, 0x01, 0x00, 0x00, 0x80, 0x20, 0xFF, 0x80, 0x01, 0x00});
    const Collect c = decode(block(48, rec));
    REQUIRE(c.errors.empty());
    REQUIRE(c.r048.size() == 1);
    REQUIRE(c.r048[0].plot.cartesian);
    CHECK(c.r048[0].plot.cartesian->x_m == -1852.0);
    CHECK(c.r048[0].plot.cartesian->y_m == 3704.0);
    CHECK(c.r048[0].plot.time_of_day_s == 1.0);  // 0x000080 / 128
    CHECK_FALSE(c.r048[0].plot.polar);
}

TEST_CASE("CAT034 north marker with rotation period, hand-derived", "[asterix]") {
    // FSPEC F8: FRN 1-5 (/010, /000, /030, /020, /041)
    //   /010 19 C9; /000 01 (north marker); /030 00 00 80 = 1 s; /020 40 = 64 × 360/256 = 90°;
    //   /041 02 00 = 512 / 128 = 4 s.
    const std::string rec = bytes({0xF8, 0x19, 0xC9, 0x01, 0x00, 0x00, 0x80, 0x40, 0x02, 0x00});
    const Collect c = decode(block(34, rec));
    REQUIRE(c.errors.empty());
    REQUIRE(c.r034.size() == 1);
    const auto& m = c.r034[0].message;
    CHECK(m.type == Cat034MessageType::north_marker);
    CHECK(m.time_of_day_s == 1.0);
    CHECK(m.sector_azimuth_deg == 90.0);
    CHECK(m.rotation_period_s == 4.0);
}

TEST_CASE("CAT034 compound I034/050 and repetitive I034/070 are skipped", "[asterix]") {
    // FSPEC E5 80: FRN 1, 2, 3, 6 (/050) + FX; FRN 8 (/070).
    //   /050: primary 0x84 = COM + MDS, COM 1 octet, MDS 2 octets.  /070: REP 2, 2×2 octets.
    const std::string rec = bytes(
        {0xE5, 0x80, 0x19, 0xC9, 0x02, 0x00, 0x01, 0x00, 0x84, 0x11, 0x22, 0x33, 0x02, 0, 1, 0, 2});
    const Collect c = decode(block(34, rec + rec));
    REQUIRE(c.errors.empty());
    REQUIRE(c.r034.size() == 2);
    CHECK(c.r034[1].message.type == Cat034MessageType::sector_crossing);
    CHECK(c.r034[1].message.time_of_day_s == 2.0);
}

TEST_CASE("several blocks per datagram, mixed categories", "[asterix]") {
    const std::string d = block(34, bytes({0xE0, 1, 2, 1, 0, 0, 0})) +
                          block(48, kRecordA + kRecordA) + block(48, kRecordB);
    const Collect c = decode(d);
    CHECK(c.errors.empty());
    CHECK(c.r034.size() == 1);
    CHECK(c.r048.size() == 3);
}

TEST_CASE("framing and item errors are rejected with reasons", "[asterix]") {
    SECTION("LEN beyond the datagram") {
        std::string d = block(48, kRecordA);
        d[2] = static_cast<char>(d.size() + 5);
        CHECK(decode(d).errors == std::vector<std::string>{"bad_length"});
    }
    SECTION("LEN below the header size, and the rest of the datagram is given up") {
        const Collect c = decode(bytes({48, 0, 2}) + block(48, kRecordA));
        CHECK(c.errors == std::vector<std::string>{"bad_length"});
        CHECK(c.r048.empty());
    }
    SECTION("fewer than three octets") {
        CHECK(decode(bytes({48, 0})).errors == std::vector<std::string>{"truncated"});
    }
    SECTION("FSPEC running past the end of the block") {
        CHECK(decode(block(48, bytes({0xFF, 0xFF}))).errors ==
              std::vector<std::string>{"truncated"});
    }
    SECTION("FSPEC longer than the UAP") {
        CHECK(decode(block(48, bytes({0x01, 0x01, 0x01, 0x01, 0x80, 0, 0}))).errors ==
              std::vector<std::string>{"bad_fspec"});
    }
    SECTION("empty FSPEC") {
        CHECK(decode(block(48, bytes({0x00}))).errors == std::vector<std::string>{"bad_fspec"});
    }
    SECTION("item truncated by the block end; the next block still decodes") {
        const Collect c = decode(block(48, kRecordA.substr(0, 8)) + block(48, kRecordA));
        CHECK(c.errors == std::vector<std::string>{"truncated"});
        CHECK(c.r048.size() == 1);
    }
    SECTION("explicit item with LEN 0") {
        // FSPEC 01 01 01 04: only FRN 27 (SP) present, LEN 0.
        CHECK(decode(block(48, bytes({0x01, 0x01, 0x01, 0x04, 0x00}))).errors ==
              std::vector<std::string>{"bad_item"});
    }
    SECTION("compound subfield the spec does not define") {
        // I034/050 primary 0x40: a spare bit set -> length unknown.
        CHECK(decode(block(34, bytes({0x04, 0x40, 0x00}))).errors ==
              std::vector<std::string>{"bad_item"});
    }
    SECTION("unknown category is skipped by LEN and counted") {
        const Collect c = decode(block(1, bytes({1, 2, 3})) + block(48, kRecordA));
        CHECK(c.errors == std::vector<std::string>{"unknown_category"});
        CHECK(c.r048.size() == 1);
    }
}

TEST_CASE("CAT048 encode -> decode round trip within half an LSB", "[asterix]") {
    std::mt19937 rng(48);
    std::uniform_real_distribution<double> range(0, 255.0 * 1852), az(0, 360), tod(0, 86399),
        xy(-200 * 1852.0, 200 * 1852.0), speed(0, 1.9 * 1852);
    std::vector<Cat048Plot> plots;
    for (int i = 0; i < 300; ++i) {
        Cat048Plot p;
        p.source = {static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(255 - i)};
        p.time_of_day_s = tod(rng);
        p.polar = Cat048Plot::Polar{range(rng), az(rng)};
        if (i % 2) p.track_number = static_cast<std::uint16_t>(i * 13 % 4096);
        if (i % 3) p.cartesian = Cat048Plot::Cartesian{xy(rng), xy(rng)};
        if (i % 5) p.velocity = Cat048Plot::Velocity{speed(rng), az(rng)};
        p.confirmed = i % 7 != 0;
        p.track_end = i % 11 == 0;
        plots.push_back(p);
    }
    const std::string d = encode_cat048_block(plots);
    const Collect c = decode(d);
    REQUIRE(c.errors.empty());
    REQUIRE(c.r048.size() == plots.size());
    const auto angle_diff = [](double a, double b) {
        return std::fabs(std::remainder(a - b, 360.0));
    };
    for (std::size_t i = 0; i < plots.size(); ++i) {
        const auto& in = plots[i];
        const auto& out = c.r048[i].plot;
        CHECK(out.source == in.source);
        CHECK(std::fabs(out.time_of_day_s - in.time_of_day_s) <= 0.5 / 128 + 1e-9);
        CHECK(std::fabs(out.polar->range_m - in.polar->range_m) <= 0.5 * 1852 / 256 + 1e-9);
        CHECK(angle_diff(out.polar->azimuth_deg, in.polar->azimuth_deg) <=
              0.5 * 360 / 65536 + 1e-9);
        CHECK(out.track_number == in.track_number);
        CHECK(out.cartesian.has_value() == in.cartesian.has_value());
        if (in.cartesian)
            CHECK(std::fabs(out.cartesian->x_m - in.cartesian->x_m) <= 0.5 * 1852 / 128 + 1e-9);
        CHECK(out.velocity.has_value() == in.velocity.has_value());
        if (in.velocity)
            CHECK(std::fabs(out.velocity->ground_speed_mps - in.velocity->ground_speed_mps) <=
                  0.5 * 1852 / 16384 + 1e-9);
        if (in.track_number) {
            CHECK(out.confirmed == in.confirmed);
            CHECK(out.track_end == in.track_end);
        }
    }
}

TEST_CASE("encoders split blocks before LEN overflows", "[asterix]") {
    std::vector<Cat048Plot> plots(8000);  // 11 octets each: 88000 octets, two blocks
    for (auto& p : plots) p.polar = Cat048Plot::Polar{1000, 10};
    const std::string d = encode_cat048_block(plots);
    const Collect c = decode(d);
    CHECK(c.errors.empty());
    CHECK(c.r048.size() == plots.size());
    CHECK(static_cast<unsigned char>(d[0]) == 48);
}

TEST_CASE("CAT034 encode -> decode round trip", "[asterix]") {
    const std::string d = encode_cat034_north_marker({7, 9}, 86399.25, 2.5);
    const Collect c = decode(d);
    REQUIRE(c.r034.size() == 1);
    CHECK(c.r034[0].message.source == DataSource{7, 9});
    CHECK(c.r034[0].message.time_of_day_s == 86399.25);
    CHECK(c.r034[0].message.rotation_period_s == 2.5);
}
