// Incidents through the fusion engine: the operator's incident commands (ack, assign, note,
// close with a disposition), each change persisted before it is published, and the false-alarm
// share published when a close changes it.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sensors/ais/ais_encoder.hpp"
#include "src/engine/fusion_engine.hpp"
#include "src/server_config.hpp"
#include "tests/unit/server/box_deployment.hpp"

using namespace picket;
using nlohmann::json;

namespace {

/// Records the order of persist and publish calls.
class Recorder final : public server::EngineOutput {
public:
    void persist_alert(const Alert& a) override {
        events.push_back("persist " + std::to_string(a.id) + " r" + std::to_string(a.revision));
    }
    void publish(std::string_view topic, const std::string& text) override {
        const json j = json::parse(text);
        if (topic == "alert")
            events.push_back("publish " + std::to_string(j["properties"]["alert_id"].get<int>()) +
                             " r" + std::to_string(j["properties"]["revision"].get<int>()));
        messages.push_back({std::string(topic), j});
    }
    std::vector<json> on(std::string_view topic) const {
        std::vector<json> out;
        for (const auto& [t, j] : messages)
            if (t == topic) out.push_back(j);
        return out;
    }
    std::vector<std::string> events;
    std::vector<std::pair<std::string, json>> messages;
};

/// The box deployment under this file's name.
struct Deployment : testing::BoxDeployment {
    Deployment() : BoxDeployment("engine_incidents") {}
};

using testing::at;

std::string report(double lat, double lon, int second) {
    sensors::ais::PositionReportA m;
    m.mmsi = 525000777;
    m.lat_deg = lat;
    m.lon_deg = lon;
    m.sog_kn = 5;
    m.cog_deg = 90;
    m.high_accuracy = true;
    m.utc_second = second;
    return sensors::ais::encode(m, {}).front();
}

}  // namespace

TEST_CASE("incident commands: ack, assign, note, close with a disposition; persisted first",
          "[server][engine][incidents]") {
    Deployment d;
    Recorder out;
    server::FusionEngine engine(d.config, out);
    for (int k = 0; k < 6; ++k) {
        const double t = 10.0 * k;
        engine.on_message(0, at(t), report(-8.5, 125.5 + 0.0003 * k, static_cast<int>(t) % 60));
        engine.on_tick(at(t + 1));
    }
    const auto raised = out.on("alert");
    REQUIRE(raised.size() == 1);
    const int id = raised[0]["properties"]["incident_id"].get<int>();
    CHECK(raised[0]["properties"]["version"] == 3);
    CHECK(raised[0]["properties"]["timeline"].size() == 1);
    const auto cmd = [&](const json& c) {
        return json::parse(engine.on_command(c.dump(), "web@127.0.0.1", at(100)));
    };
    CHECK(cmd({{"cmd", "assign"}, {"incident_id", id}, {"asset", "pb-1"}, {"by", "op1"}})["ok"]);
    CHECK(cmd({{"cmd", "note"}, {"incident_id", id}, {"text", ""}})["ok"] == false);
    CHECK(cmd({{"cmd", "note"}, {"incident_id", id}, {"text", std::string(2001, 'x')}})["ok"] ==
          false);
    CHECK(cmd({{"cmd", "note"}, {"incident_id", id}, {"text", "seen from the pier"}})["ok"]);
    // Version 1 clients name it alert_id.
    CHECK(cmd({{"cmd", "ack"}, {"alert_id", id}, {"by", "op1"}})["ok"]);
    CHECK(cmd({{"cmd", "ack"}, {"alert_id", id}})["ok"] == false);  // already acknowledged
    CHECK(cmd({{"cmd", "close"}, {"incident_id", id}, {"disposition", "bogus"}})["ok"] == false);
    CHECK(cmd({{"cmd", "close"}, {"incident_id", 999}, {"disposition", "confirmed"}})["ok"] ==
          false);
    CHECK(cmd({{"cmd", "close"},
               {"incident_id", id},
               {"disposition", "false_alarm"},
               {"by", "sup"}})["ok"]);
    const auto updates = out.on("alert");
    REQUIRE(updates.size() == 5);
    const json& last = updates.back()["properties"];
    CHECK(last["state"] == "closed");
    CHECK(last["disposition"] == "false_alarm");
    CHECK(last["closed_by"] == "sup");
    CHECK(last["assigned_to"] == "pb-1");
    CHECK(last["notes"][0]["text"] == "seen from the pier");
    CHECK(last["notes"][0]["by"] == "web@127.0.0.1");  // no `by`: the user who sent it
    CHECK(updates[1]["properties"]["change"] == "assigned");
    CHECK(updates[1]["properties"]["changed_by"] == "op1");
    // Every update is persisted before it is published.
    for (std::size_t i = 0; i + 1 < out.events.size(); i += 2) {
        INFO(out.events[i] << " / " << out.events[i + 1]);
        CHECK(out.events[i].rfind("persist ", 0) == 0);
        CHECK(out.events[i + 1] == "publish " + out.events[i].substr(8));
    }
    // The close changed the false-alarm share: published, and in the snapshot.
    const auto shares = out.on("rules.shares");
    REQUIRE(shares.size() == 1);
    CHECK(shares[0]["rule_shares"][0]["rule"] == "in-box");
    CHECK(shares[0]["rule_shares"][0]["false_alarms"] == 1);
    CHECK(shares[0]["rule_shares"][0]["share"] == 1.0);
    const json snap = json::parse(engine.snapshot());
    CHECK(snap["alerts"].empty());
    CHECK(snap["rule_shares"][0]["closed"] == 1);
    // The vessel is still in the box: the closed incident takes its findings, no new one.
    for (int k = 6; k < 12; ++k) {
        engine.on_message(0, at(100 + 10.0 * k),
                          report(-8.5, 125.5 + 0.0003 * k, (100 + 10 * k) % 60));
        engine.on_tick(at(101 + 10.0 * k));
    }
    for (const json& a : out.on("alert")) CHECK(a["properties"]["incident_id"] == id);
}
