// picket's gpsd-compatible JSON against the reference decoder (gpsd 3.22's gpsdecode), field by
// field: the committed golden files (tests/golden/ais/README.md) and, when gpsdecode is on PATH,
// a live run on NMEA produced by picket's encoder.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "sensors/ais/ais_encoder.hpp"
#include "sensors/ais/ais_gpsd_stream.hpp"
#include "tests/unit/ais/gpsd_reference.hpp"

using namespace picket::sensors::ais;
using nlohmann::json;

namespace {

using picket::test::decode_all;
using picket::test::have_gpsdecode;
using picket::test::parse_lines;
using picket::test::read_file;
using picket::test::run_gpsdecode;

void require_same(const std::vector<json>& mine, const std::vector<json>& ref) {
    REQUIRE(mine.size() == ref.size());
    for (std::size_t i = 0; i < ref.size(); ++i) {
        INFO("message " << i << "\n picket:    " << mine[i].dump()
                        << "\n gpsdecode: " << ref[i].dump());
        CHECK(mine[i] == ref[i]);
    }
}

}  // namespace

TEST_CASE("raw decode of gpsd's sample.aivdm equals gpsdecode -u -s -j field for field",
          "[ais][golden]") {
    const std::string nmea = read_file("tests/golden/ais/sample.aivdm");
    REQUIRE(!nmea.empty());
    const auto ref = parse_lines(read_file("tests/golden/ais/sample.aivdm.u-s-j.json"));
    REQUIRE(ref.size() == 102);
    require_same(parse_lines(decode_all(nmea, true)), ref);
}

TEST_CASE("scaled decode of sample.aivdm equals gpsdecode -s -j field for field", "[ais][golden]") {
    const std::string nmea = read_file("tests/golden/ais/sample.aivdm");
    const auto ref = parse_lines(read_file("tests/golden/ais/sample.aivdm.s-j.json"));
    require_same(parse_lines(decode_all(nmea, false)), ref);
}

TEST_CASE("gpsdecode agrees with picket on the encoder's output", "[ais][golden][gpsdecode]") {
    if (!have_gpsdecode()) {
        WARN("gpsdecode not on PATH: live comparison skipped");
        return;
    }
    std::mt19937 rng(20261125);
    std::uniform_real_distribution<double> lat(-89.9, 89.9), lon(-179.9, 179.9), sog(0, 60),
        cog(0, 359.9), rot(-720, 720);
    std::uniform_int_distribution<int> mmsi(201'000'000, 775'999'999), hdg(0, 359), sec(0, 59),
        status(0, 15), any(0, 1000);
    std::string nmea;
    const auto add = [&](const std::vector<std::string>& s) {
        for (const auto& l : s) nmea += l + "\r\n";
    };
    for (int i = 0; i < 300; ++i) {
        EncodeOptions opt;
        opt.channel = i % 2 ? 'B' : 'A';
        opt.sequence_id = i % 10;
        if (i % 7 == 0)
            opt.tag_time = picket::Timestamp{1'764'000'000LL * picket::kNsPerSecond + i};
        if (i % 5 == 0) opt.tag_source = "picket-sim";
        const auto id = static_cast<picket::Mmsi>(mmsi(rng));
        switch (i % 6) {
            case 0:
            case 1: {
                PositionReportA m;
                m.type = 1 + i % 3;
                m.mmsi = id;
                m.nav_status = status(rng);
                m.rot_deg_per_min = any(rng) % 4 ? std::optional<double>(rot(rng)) : std::nullopt;
                m.sog_kn = sog(rng);
                m.high_accuracy = any(rng) % 2;
                m.lat_deg = lat(rng);
                m.lon_deg = lon(rng);
                m.cog_deg = cog(rng);
                m.heading_deg = any(rng) % 5 ? std::optional<int>(hdg(rng)) : std::nullopt;
                m.utc_second = sec(rng);
                m.radio = static_cast<std::uint32_t>(any(rng) * 311);
                add(encode(m, opt));
                break;
            }
            case 2: {
                PositionReportB m;
                m.mmsi = id;
                m.sog_kn = sog(rng);
                m.lat_deg = lat(rng);
                m.lon_deg = lon(rng);
                m.cog_deg = cog(rng);
                m.utc_second = sec(rng);
                m.msg22 = any(rng) % 2;
                add(encode(m, opt));
                break;
            }
            case 3: {
                StaticVoyageData m;
                m.mmsi = id;
                m.imo = 9'000'000 + static_cast<std::uint32_t>(any(rng));
                m.callsign = "PK" + std::to_string(any(rng));
                m.name = "PICKET TEST " + std::to_string(i);
                m.ship_type = 30 + any(rng) % 60;
                m.dims = {100, 20, 8, 7};
                m.eta_month = 11;
                m.eta_day = 25;
                m.eta_hour = 14;
                m.eta_minute = 30;
                m.draught_m = 7.5;
                m.destination = "DILI";
                add(encode(m, opt));
                break;
            }
            case 4: {
                StaticDataBPartA a;
                a.mmsi = id;
                a.name = "SKIFF " + std::to_string(i);
                StaticDataBPartB b;
                b.mmsi = id;
                b.ship_type = 37;
                b.vendor_id = "PKT";
                b.model = 3;
                b.serial = 12345;
                b.callsign = "YB" + std::to_string(i);
                b.dims = {5, 3, 1, 1};
                add(encode(a, opt));
                add(encode(b, opt));
                break;
            }
            default: {
                BaseStationReport m;
                m.mmsi = 2'000'000 + static_cast<picket::Mmsi>(i);
                m.year = 2026;
                m.month = 11;
                m.day = 25;
                m.hour = 13;
                m.minute = 30;
                m.second = sec(rng);
                m.lat_deg = lat(rng);
                m.lon_deg = lon(rng);
                add(encode(m, opt));
                break;
            }
        }
    }
    SECTION("raw") {
        const auto ref = parse_lines(run_gpsdecode("-u -s -j", nmea));
        REQUIRE(ref.size() > 250);
        require_same(parse_lines(decode_all(nmea, true)), ref);
    }
    SECTION("scaled") {
        const auto ref = parse_lines(run_gpsdecode("-s -j", nmea));
        require_same(parse_lines(decode_all(nmea, false)), ref);
    }
}

TEST_CASE("picket decode --format ais --raw end to end equals gpsdecode", "[ais][golden][cli]") {
    const char* bin = std::getenv("PICKET_BINARY");
    if (bin == nullptr || ::access(bin, X_OK) != 0) {
        WARN("PICKET_BINARY not set or not built: CLI comparison skipped");
        return;
    }
    const std::string cmd =
        std::string(bin) + " decode --format ais --raw tests/golden/ais/sample.aivdm 2>/dev/null";
    std::string out;
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
        char buf[65536];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
        REQUIRE(::pclose(p) == 0);
    }
    require_same(parse_lines(out),
                 parse_lines(read_file("tests/golden/ais/sample.aivdm.u-s-j.json")));
}
