// One table of counters (issue 12): every tracker counter and every per-feed counter appears in
// the status JSON and in the Prometheus metrics, with the same value, because both are
// generated from kTrackerCounters / kFeedCounters.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>
#include <string>

#include "sensors/ais/ais_encoder.hpp"
#include "src/engine/fusion_engine.hpp"
#include "src/server_config.hpp"
#include "src/server_metrics.hpp"

using namespace picket;
using nlohmann::json;

namespace {

struct NullOutput final : server::EngineOutput {
    void publish(std::string_view, const std::string&) override {}
};

/// The value of the sample `series` (name and labels, as rendered) in a Prometheus text page.
std::optional<double> sample(const std::string& page, const std::string& series) {
    const std::string key = "\n" + series + " ";
    const auto at = page.find(key);
    if (at == std::string::npos) return std::nullopt;
    return std::stod(page.substr(at + key.size()));
}

}  // namespace

TEST_CASE("Every counter is in the status JSON and the metrics, with one value", "[counters]") {
    const auto cfg = server::parse_server_config(
        "region: {name: t, origin: {lat: -9.0, lon: 125.0}}\nfeeds:\n"
        "  - {id: ais, kind: ais, format: nmea-ais, endpoint: 'tcp://127.0.0.1:1'}\n",
        "c.yaml", "/tmp");
    NullOutput out;
    server::FusionEngine e(cfg, out);
    // Some traffic, so that counters are not all zero: reports, a bad line, one stamped ahead.
    const Timestamp t0{1'795'564'800LL * kNsPerSecond};
    for (int k = 0; k < 5; ++k) {
        sensors::ais::PositionReportA r;
        r.mmsi = 257000001;
        r.lat_deg = -9.0;
        r.lon_deg = 125.0 + 0.001 * k;
        sensors::ais::EncodeOptions opt;
        const Timestamp t = t0 + Duration::from_seconds(10.0 * k);
        opt.tag_time = k == 3 ? t + Duration::from_seconds(3600) : t;
        std::string msg;
        for (const auto& s : sensors::ais::encode(r, opt)) msg += s + "\r\n";
        e.on_message(0, t, msg + "garbage\r\n");
        e.on_tick(t);
    }
    server::ServerMetrics metrics;
    metrics.update(e, 5, 5);
    const std::string page = "\n" + metrics.render();
    const json status = json::parse(e.status_json());

    std::set<std::string_view> names;
    for (const auto& c : filters::kTrackerCounters) {
        INFO(c.name);
        CHECK(names.insert(c.name).second);
        REQUIRE(status["tracker"].contains(c.name));
        const auto v = sample(page, "picket_tracker_" + std::string(c.name) + "_total");
        REQUIRE(v);
        CHECK(*v == status["tracker"][std::string(c.name)].get<double>());
    }
    CHECK(status["tracker"]["processed"] == 4);
    CHECK(status["tracker"]["ahead_dropped"] == 0);  // the engine rejected it first

    names.clear();
    for (const auto& c : server::kFeedCounters) {
        INFO(c.name);
        CHECK(names.insert(c.name).second);
        REQUIRE(status["feeds"][0].contains(c.name));
        const auto v = sample(page, "picket_feed_" + std::string(c.name) + "_total{feed=\"ais\"}");
        REQUIRE(v);
        CHECK(*v == status["feeds"][0][std::string(c.name)].get<double>());
    }
    // The counts by reason are in both too.
    for (const auto& [reason, n] : status["feeds"][0]["rejected"].items()) {
        INFO(reason);
        CHECK(sample(page, "picket_feed_rejected_total{feed=\"ais\",reason=\"" + reason + "\"}") ==
              n.get<double>());
    }
    for (const auto& [kind, n] : status["feeds"][0]["quirks"].items()) {
        INFO(kind);
        CHECK(sample(page, "picket_feed_quirks_total{feed=\"ais\",kind=\"" + kind + "\"}") ==
              n.get<double>());
    }
    CHECK(status["feeds"][0]["rejected"]["clock_ahead"] == 1);
    CHECK(status["feeds"][0]["rejected_total"] == 6);  // 5 garbage lines, 1 clock_ahead
}
