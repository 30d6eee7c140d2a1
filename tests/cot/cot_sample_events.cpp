/// Prints picket's CoT events for the node-cot validation (tests/cot/validate_cot.mjs): one JSON
/// object per line with the event XML and what a CoT reader must find in it. The expectations
/// are written out by hand from the sample tracks (test_tracks.cpp), not computed by cot.cpp.
#include <iostream>
#include <nlohmann/json.hpp>

#include "src/outputs/cot.hpp"
#include "tests/unit/outputs/test_tracks.hpp"

using namespace picket;
using namespace picket::outputs;
using namespace picket::outputs::testing;

int main() {
    const Timestamp now = sample_time();
    const Duration stale = Duration::from_seconds(120);
    const char* stale_iso = "2026-11-25T00:03:02.000Z";
    auto emit = [&](const char* name, const std::string& xml, nlohmann::json expect) {
        expect["name"] = name;
        expect["xml"] = xml;
        expect["stale"] = stale_iso;
        std::cout << expect.dump() << "\n";
    };

    // (east, north) = (3, 4) m/s: 5 m/s at 36.87° true.
    emit("vessel", cot_event_for_track(sample_vessel(), now, stale),
         {{"type", "a-u-S"},
          {"lat", -8.5512345},
          {"lon", 125.5712345},
          {"course", 36.87},
          {"speed", 5.0},
          {"callsign", "OCEAN STAR"}});
    // Radar-only confirmed fast boat: dark -> suspect; 10 m/s due east.
    emit("dark_boat", cot_event_for_track(sample_dark_boat(), now, stale),
         {{"type", "a-s-S"},
          {"lat", -8.4},
          {"lon", 125.2},
          {"course", 90.0},
          {"speed", 10.0},
          {"callsign", "T13"}});
    Track hostile = sample_dark_boat(14);
    hostile.standing = Standing::hostile;
    hostile.east_mps = -2.0;
    hostile.north_mps = -2.0;  // south-west: 225°, 2.83 m/s
    hostile.label = "RHIB <2> & co";
    emit("hostile", cot_event_for_track(hostile, now, stale),
         {{"type", "a-h-S"},
          {"lat", -8.4},
          {"lon", 125.2},
          {"course", 225.0},
          {"speed", 2.8284},
          {"callsign", "RHIB <2> & co"}});
    Track walker = sample_dark_boat(15);
    walker.target_class = TargetClass::person;
    walker.standing = Standing::friendly;
    walker.east_mps = 0.0;
    walker.north_mps = 1.5;
    emit("person", cot_event_for_track(walker, now, stale),
         {{"type", "a-f-G"},
          {"lat", -8.4},
          {"lon", 125.2},
          {"course", 0.0},
          {"speed", 1.5},
          {"callsign", "T15"}});
    // Alerts (docs/outputs.md, "Alerts on TAK"). "kind" names the ATAK example each is compared
    // with by atak_examples.mjs.
    const CotLink link{"picket-track-13", "a-s-S"};
    emit("alert_marker", cot_event_for_alert(sample_alert(), now, stale, &link),
         {{"type", "b-m-p-s-m"},
          {"kind", "spot"},
          {"lat", -8.4},
          {"lon", 125.2},
          {"callsign", "ALERT 7 border_crossing"},
          {"argb", "-35072"},
          {"link", "picket-track-13"}});
    Alert ground = sample_alert(8);
    ground.kind = AlertKind::ground_detection;
    ground.severity = Severity::critical;
    ground.track = 0;  // a sensor detection with no track: no link
    emit("alert_no_track", cot_event_for_alert(ground, now, stale),
         {{"type", "b-m-p-s-m"},
          {"kind", "spot"},
          {"lat", -8.4},
          {"lon", 125.2},
          {"callsign", "ALERT 8 ground_detection"},
          {"argb", "-65536"}});
    Alert breach = sample_alert(9);
    breach.severity = Severity::critical;
    emit("alert_emergency", cot_event_for_alert(breach, now, stale, &link),
         {{"type", "b-a-g"},
          {"kind", "emergency"},
          {"lat", -8.4},
          {"lon", 125.2},
          {"callsign", "ALERT 9 border_crossing"},
          {"emergency", "Geo-fence Breached"},
          {"link", "picket-track-13"}});
    breach.state = AlertState::closed;
    emit("alert_emergency_cancel", cot_emergency_cancel(breach, now, stale),
         {{"type", "b-a-o-can"},
          {"kind", "cancel"},
          {"lat", -8.4},
          {"lon", 125.2},
          {"cancels", "picket-alert-9"}});
    // A delete task: its own stale time (now + 60 s), no callsign.
    nlohmann::json del = {{"type", "t-x-d-d"},
                          {"kind", "delete"},
                          {"lat", -8.5512345},
                          {"lon", 125.5712345},
                          {"link", "picket-track-12"}};
    del["name"] = "track_delete";
    del["xml"] = cot_delete_event("picket-track-12", sample_vessel().position, now);
    del["stale"] = "2026-11-25T00:02:02.000Z";
    std::cout << del.dump() << "\n";
    return 0;
}
