#include "test_tracks.hpp"

namespace picket::outputs::testing {

Timestamp sample_time() { return *parse_iso8601("2026-11-25T00:01:02Z"); }

Track sample_vessel(TrackId id) {
    Track t;
    t.id = id;
    t.status = TrackStatus::confirmed;
    t.updated = sample_time();
    t.born = sample_time() - Duration::from_seconds(60);
    t.position = {-8.5512345, 125.5712345};
    t.east_mps = 3.0;
    t.north_mps = 4.0;                          // speed 5 m/s, course atan2(3,4) = 36.87°
    t.cov.diagonal() << 100.0, 44.0, 1.0, 1.0;  // ce = sqrt((100+44)/2) = sqrt(72)
    t.identity = Identity{538001234, "OCEAN STAR", "V7AB1", 9876543, 70, 180.0, 30.0};
    t.last_ais = sample_time() - Duration::from_seconds(5);
    t.seen_by.add(SensorKind::ais);
    t.seen_by.add(SensorKind::radar);
    t.target_class = TargetClass::vessel;
    return t;
}

Track sample_dark_boat(TrackId id) {
    Track t;
    t.id = id;
    t.status = TrackStatus::confirmed;
    t.updated = sample_time();
    t.born = sample_time() - Duration::from_seconds(30);
    t.position = {-8.4000000, 125.2000000};
    t.east_mps = 10.0;
    t.north_mps = 0.0;
    t.cov.diagonal() << 25.0, 25.0, 4.0, 4.0;
    t.seen_by.add(SensorKind::radar);
    t.target_class = TargetClass::fast_boat;
    return t;
}

Alert sample_alert(AlertId id) {
    Alert a;
    a.id = id;
    a.kind = AlertKind::border_crossing;
    a.severity = Severity::high;
    a.rule = "border-idn-tls";
    a.zone = "IDN-TLS maritime";
    a.track = 13;
    a.where = {-8.4000000, 125.2000000};
    a.when = sample_time();
    a.message = "Crossed IDN -> TLS heading 090° <dark> & fast";
    a.evidence = sample_dark_boat();
    return a;
}

}  // namespace picket::outputs::testing
