#pragma once
// One small, real deployment for the end-to-end tests: two "countries" WEST and EAST sharing the
// meridian 125°E as their land border (a GeoPackage written with GDAL), a rule file with a
// WEST -> EAST crossing rule, and a server config with one AIS feed (SUB) and free ports.
#include <string>

#include "tests/e2e/e2e_support.hpp"

namespace picket::e2e {

struct Deployment {
    std::string config_path;
    std::string feed_endpoint;      ///< the test binds a PUB here; the server's SUB connects
    std::string publish_endpoint;   ///< the server's PUB
    std::string snapshot_endpoint;  ///< the server's snapshot ROUTER
    std::string commands_endpoint;  ///< the server's operator command ROUTER
    std::string recording_dir;
    std::string track_log;
};

/// `record`: a recording and a track log; `store`: the SQLite store (picket.db) as well.
inline Deployment write_deployment(const TempDir& dir, bool record, bool store = false) {
    write_polygon_layer(dir.file("border.gpkg"), "land",
                        {{"WEST", "POLYGON((124 -9.5,125 -9.5,125 -8.5,124 -8.5,124 -9.5))"},
                         {"EAST", "POLYGON((125 -9.5,126 -9.5,126 -8.5,125 -8.5,125 -9.5))"}});
    write_text(dir.file("rules.yaml"), R"(layers:
  - name: land
    path: border.gpkg
    name_field: name
lines:
  - name: west-east
    between: [WEST, EAST]
rules:
  - name: land-border
    kind: border_crossing
    line: west-east
    from: WEST
    to: EAST
    severity: high
)");
    Deployment d;
    d.feed_endpoint = loopback(free_port());
    d.publish_endpoint = loopback(free_port());
    d.snapshot_endpoint = loopback(free_port());
    d.commands_endpoint = loopback(free_port());
    d.recording_dir = dir.file("recording");
    d.track_log = dir.file("live.jsonl");
    std::string cfg =
        "region:\n  name: test\n  origin: {lat: -9.0, lon: 125.0}\n"
        "feeds:\n  - id: ais-test\n    kind: ais\n    format: nmea-ais\n"
        "    endpoint: " +
        d.feed_endpoint +
        "\n    socket: sub\n"
        // The voyage runs 100x fast: a 50 ms hiccup on a loaded CI machine (or under
        // ThreadSanitizer) is 5 s of server time, and a report 300 ms late in wall time would be
        // refused as `clock_behind` with the default 30 s skew, so give late reports (clock
        // check and tracker window) 5 minutes: 3 s of wall time.
        "    max_clock_skew: 5min\n"
        "tracker: {latency_window: 5min}\n"
        "rules: rules.yaml\n"
        "outputs:\n  publish: " +
        d.publish_endpoint +
        "\n"
        "  snapshot: " +
        d.snapshot_endpoint +
        "\n"
        "  commands: " +
        d.commands_endpoint +
        "\n"
        // The tests drive commands over a plain local socket (curve_commands_test.cpp covers the
        // CURVE one): the explicit opt-in the server insists on.
        "  insecure_local_commands: true\n"
        "  http: {enabled: false}\n";
    if (record) cfg += "  recording: recording\n  track_log: live.jsonl\n";
    if (store) cfg += "  database: picket.db\n";
    cfg += "tick: 1s\n";
    d.config_path = dir.file("server.yaml");
    write_text(d.config_path, cfg);
    return d;
}

}  // namespace picket::e2e
