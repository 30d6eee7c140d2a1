#include <catch2/catch.hpp>

#include "src/outputs/cot.hpp"
#include "test_tracks.hpp"

using namespace picket;
using namespace picket::outputs;
using namespace picket::outputs::testing;

namespace {
bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}
}  // namespace

SCENARIO("CoT type codes follow standing, darkness and dimension", "[cot]") {
    Track vessel = sample_vessel();
    CHECK(cot_type_for_track(vessel) == "a-u-S");  // AIS identity: not dark, unknown standing
    Track dark = sample_dark_boat();
    CHECK(cot_type_for_track(dark) == "a-s-S");  // dark -> suspect
    dark.status = TrackStatus::tentative;        // tentative tracks are never "dark"
    CHECK(cot_type_for_track(dark) == "a-u-S");
    vessel.standing = Standing::hostile;
    CHECK(cot_type_for_track(vessel) == "a-h-S");
    vessel.standing = Standing::friendly;
    CHECK(cot_type_for_track(vessel) == "a-f-S");
    vessel.standing = Standing::neutral;
    CHECK(cot_type_for_track(vessel) == "a-n-S");
    dark.status = TrackStatus::confirmed;
    dark.standing = Standing::hostile;  // the operator's word beats "dark"
    CHECK(cot_type_for_track(dark) == "a-h-S");
    Track person = sample_vessel();
    person.target_class = TargetClass::person;
    CHECK(cot_type_for_track(person) == "a-u-G");
    person.target_class = TargetClass::vehicle;
    CHECK(cot_type_for_track(person) == "a-u-G");
    person.target_class = TargetClass::aircraft;
    CHECK(cot_type_for_track(person) == "a-u-A");
}

SCENARIO("A track becomes a CoT 2.0 event with point, course, speed and stale time", "[cot]") {
    const Timestamp now = sample_time() + Duration::from_seconds(1);
    const std::string xml = cot_event_for_track(sample_vessel(), now, Duration::from_seconds(120));
    CHECK(xml.rfind("<?xml version=\"1.0\"", 0) == 0);
    CHECK(contains(xml, R"(<event version="2.0" uid="picket-track-12" type="a-u-S" how="m-f")"));
    CHECK(contains(xml, R"(time="2026-11-25T00:01:03.000Z")"));
    CHECK(contains(xml, R"(start="2026-11-25T00:01:02.000Z")"));
    CHECK(contains(xml, R"(stale="2026-11-25T00:03:03.000Z")"));
    // ce = sqrt((100 + 44) / 2) = sqrt(72) = 8.485 m; surface track: hae 0.
    CHECK(contains(
        xml, R"(<point lat="-8.5512345" lon="125.5712345" hae="0.0" ce="8.5" le="9999999.0"/>)"));
    // (east, north) = (3, 4) m/s: speed 5 m/s, course atan2(3, 4) = 36.87° true.
    CHECK(contains(xml, R"(<track course="36.9" speed="5.00"/>)"));
    CHECK(contains(xml, R"(<contact callsign="OCEAN STAR"/>)"));
    CHECK(contains(xml, "mmsi=538001234"));
    CHECK(contains(xml, "sensors=ais,radar"));
    CHECK(xml.substr(xml.size() - 8) == "</event>");
}

SCENARIO("A CoT event never starts in the future and escapes XML", "[cot]") {
    Track t = sample_dark_boat();
    t.label = R"(RHIB "2" <fast> & 'low')";
    const Timestamp now = sample_time() - Duration::from_seconds(1);
    const std::string xml = cot_event_for_track(t, now, Duration::from_seconds(60));
    CHECK(contains(xml, R"(start="2026-11-25T00:01:01.000Z")"));
    CHECK(contains(xml, R"(callsign="RHIB &quot;2&quot; &lt;fast&gt; &amp; &apos;low&apos;")"));
    CHECK(contains(xml, R"(<track course="90.0" speed="10.00"/>)"));
    CHECK_FALSE(contains(xml, "<fast>"));
    t.label.clear();
    CHECK(contains(cot_event_for_track(t, now, Duration::from_seconds(60)), R"(callsign="T13")"));
}

SCENARIO("Alerts become CoT alarms linked to their track", "[cot]") {
    Alert a = sample_alert();
    const std::string open = cot_event_for_alert(a, sample_time(), Duration::from_seconds(300));
    CHECK(contains(open, R"(uid="picket-alert-7" type="b-a-o-tbl")"));
    CHECK(contains(open, R"(<point lat="-8.4000000" lon="125.2000000")"));
    CHECK(contains(open, R"(<link uid="picket-track-13" type="a-s-S" relation="p-p"/>)"));
    CHECK(contains(open, "Crossed IDN -&gt; TLS heading 090° &lt;dark&gt; &amp; fast"));
    CHECK(contains(open, "[high] [open]"));
    CHECK(contains(open, R"(callsign="ALERT 7 border_crossing")"));
    a.state = AlertState::closed;
    CHECK(contains(cot_event_for_alert(a, sample_time(), Duration::from_seconds(300)),
                   R"(type="b-a-o-can")"));
}
