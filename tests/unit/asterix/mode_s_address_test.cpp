// I048/220 Aircraft Address in the feed decoder (issue 15): the hand-written decoder reads the
// same address as the generic item walker of `picket decode --format asterix` (which
// tshark_records_test checks against Wireshark) on every record of the real captures; the feed
// gives it to the tracker only when it can name an aircraft, and counts the others.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sensors/asterix/asterix_decoder.hpp"
#include "sensors/asterix/asterix_feed.hpp"
#include "sensors/asterix/asterix_items.hpp"
#include "sensors/asterix/capture_reader.hpp"
#include "sensors/asterix/cat048_encoder.hpp"
#include "tests/unit/asterix/recording_sink.hpp"

using namespace picket;
using namespace picket::sensors;
using namespace picket::sensors::asterix;

namespace {

struct Reports final : AsterixVisitor {
    std::vector<Cat048Report> list;
    void cat048(const Cat048Report& r) override { list.push_back(r); }
    void cat034(const Cat034Report&) override {}
    void rejected(DecodeError e) override { reasons.emplace_back(e.reason); }
    std::vector<std::string> reasons;
};

struct NoRejects final : RecordRejects {
    void rejected(std::string_view, const std::string&) override {}
};

std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("the feed decoder's I048/220 equals the item walker's on every real CAT048 record",
          "[asterix][golden][real]") {
    std::size_t with_address = 0;
    for (const char* file :
         {"croatia-cat_034_048.pcap", "croatia-cat048.raw", "goasterix-sample.ast"}) {
        INFO(file);
        const std::string bytes = read_file(std::string("tests/golden/asterix/") + file);
        const Capture c = read_capture(bytes);  // its payloads are views into `bytes`
        REQUIRE(c.error.empty());
        for (const auto& p : c.payloads) {
            Reports mine;
            decode_asterix_datagram(p.bytes, mine);
            std::string text;
            NoRejects rejects;
            datagram_json(p.bytes, p.frame, text, rejects);
            std::vector<nlohmann::json> walked;
            std::istringstream in(text);
            for (std::string line; std::getline(in, line);) {
                auto j = nlohmann::json::parse(line);
                if (j["cat"] == 48) walked.push_back(std::move(j));
            }
            INFO("frame " << p.frame);
            // goasterix's recording holds CAT001/002/030 blocks too: skipped, not a CAT048 fault.
            for (const auto& reason : mine.reasons) CHECK(reason == "unknown_category");
            REQUIRE(mine.list.size() == walked.size());
            for (std::size_t k = 0; k < walked.size(); ++k) {
                const auto& plot = mine.list[k].plot;
                REQUIRE(plot.aircraft_address.has_value() == walked[k].contains("I048/220"));
                if (!plot.aircraft_address) continue;
                ++with_address;
                const std::string hex = walked[k]["I048/220"].get<std::string>();
                CHECK(*plot.aircraft_address == std::stoul(hex, nullptr, 16));
            }
        }
    }
    CHECK(with_address == 126 + 1 + 9);  // every Mode S plot of the three captures
}

TEST_CASE("a valid address reaches the tracker with the radar's CNF; 000000 is a quirk",
          "[asterix]") {
    FeedParams params;
    params.index = 1;
    params.kind = SensorKind::radar;
    params.format = "asterix";
    params.site.position = {41.3, 2.1};
    auto dec = make_asterix_feed_decoder(params);
    const Timestamp noon = *parse_iso8601("2023-05-02T12:00:00Z");
    struct Case {
        std::optional<std::uint32_t> address;
        bool confirmed;
        AircraftAddress expected;
        bool radar_confirmed;
        std::size_t quirks;
    };
    const Case cases[] = {{0x4CA912, true, 0x4CA912, true, 0},
                          {0x4CA912, false, 0x4CA912, false, 0},
                          {0x000000, true, 0, true, 1},
                          {0xFFFFFF, true, 0, true, 1},
                          {std::nullopt, true, 0, true, 0}};
    double tod = 43200;
    for (const Case& c : cases) {
        Cat048Plot p;
        p.source = {20, 129};
        p.time_of_day_s = tod += 4;
        p.type = Cat048DetectionType::mode_s_roll_call;
        p.polar = Cat048Plot::Polar{30000, 45};
        p.aircraft_address = c.address;
        p.track_number = 12;
        p.confirmed = c.confirmed;
        test::RecordingSink sink;
        dec->decode(encode_cat048_block(std::span<const Cat048Plot>(&p, 1)),
                    noon + Duration::from_seconds(tod - 43200), sink);
        REQUIRE(sink.measurements.size() == 1);
        CHECK(sink.measurements[0].aircraft_address == c.expected);
        CHECK(sink.measurements[0].source_confirmed == c.radar_confirmed);
        CHECK(sink.quirks.size() == c.quirks);
    }
}
