// Operator commands through the fusion engine with bytes an attacker or a confused client
// sends: every input of the command fuzzer's corpus (tests/fuzz/command/corpus, findings kept
// there) gets a JSON reply with a boolean "ok", and out-of-range values are refused, not run.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "sensors/ais/ais_encoder.hpp"
#include "src/engine/fusion_engine.hpp"
#include "src/server_config.hpp"
#include "tests/unit/server/box_deployment.hpp"

using namespace picket;
using nlohmann::json;

namespace {

struct NullOutput final : server::EngineOutput {
    void publish(std::string_view, const std::string&) override {}
};

/// The box deployment under this file's name.
struct Deployment : testing::BoxDeployment {
    Deployment() : BoxDeployment("engine_commands") {}
};

using testing::at;

/// An engine with one confirmed track (id 1) inside BOX, so track commands reach their handling.
struct TrackedEngine {
    TrackedEngine() : engine(d.config, out) {
        for (int k = 0; k < 6; ++k) {
            sensors::ais::PositionReportA m;
            m.mmsi = 525000777;
            m.lat_deg = -8.5;
            m.lon_deg = 125.5 + 0.0003 * k;
            m.sog_kn = 5;
            m.cog_deg = 90;
            m.high_accuracy = true;
            m.utc_second = (10 * k) % 60;
            engine.on_message(0, at(10.0 * k), sensors::ais::encode(m, {}).front());
            engine.on_tick(at(10.0 * k + 1));
        }
    }
    json command(const std::string& text) {
        const json reply = json::parse(engine.on_command(text, "test", at(100)), nullptr, false);
        REQUIRE(reply.is_object());
        REQUIRE(reply.contains("ok"));
        REQUIRE(reply["ok"].is_boolean());
        return reply;
    }
    Deployment d;
    NullOutput out;
    server::FusionEngine engine;
};

}  // namespace

TEST_CASE("mute: seconds must be more than 0 and at most a week (1e300 overflowed the clock)",
          "[server][engine][commands]") {
    TrackedEngine e;
    const auto mute = [&](const std::string& seconds) {
        return e.command(R"({"cmd":"mute","track_id":1,"seconds":)" + seconds + "}");
    };
    CHECK(mute("600")["ok"] == true);
    CHECK(mute("604800")["ok"] == true);
    for (const char* bad : {"1e300", "604801", "9.3e9", "0", "-5", "\"600\"", "null"}) {
        INFO(bad);
        const json reply = mute(bad);
        CHECK(reply["ok"] == false);
        CHECK(reply.dump().find("seconds") != std::string::npos);
    }
}

TEST_CASE("every input of the command fuzzer's corpus gets a JSON reply with a boolean ok",
          "[server][engine][commands]") {
    TrackedEngine e;
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator("tests/fuzz/command/corpus")) {
        std::ifstream in(entry.path(), std::ios::binary);
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        INFO(entry.path().filename().string());
        e.command(text);
        ++files;
    }
    CHECK(files >= 10);
}
