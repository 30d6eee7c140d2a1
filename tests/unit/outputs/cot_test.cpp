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

SCENARIO("An alert is a spot marker coloured by severity, linked only when asked", "[cot]") {
    Alert a = sample_alert();  // high border crossing about track 13
    const CotLink link{"picket-track-13", "a-s-S"};
    const std::string linked =
        cot_event_for_alert(a, sample_time(), Duration::from_seconds(300), &link);
    CHECK(contains(linked, R"(uid="picket-alert-7" type="b-m-p-s-m")"));
    CHECK(contains(linked, R"(<point lat="-8.4000000" lon="125.2000000")"));
    CHECK(contains(linked, R"(<color argb="-35072"/>)"));  // high: orange
    CHECK(contains(linked, R"(<usericon iconsetpath="COT_MAPPING_SPOTMAP/b-m-p-s-m/-35072"/>)"));
    CHECK(contains(linked, R"(<link uid="picket-track-13" type="a-s-S" relation="p-p"/>)"));
    CHECK(contains(linked, "Crossed IDN -&gt; TLS heading 090° &lt;dark&gt; &amp; fast"));
    CHECK(contains(linked, "[high] [open]"));
    CHECK(contains(linked, R"(callsign="ALERT 7 border_crossing")"));
    CHECK_FALSE(contains(linked, "<emergency"));
    const std::string alone =
        cot_event_for_alert(a, sample_time(), Duration::from_seconds(300), nullptr);
    CHECK_FALSE(contains(alone, "<link"));
    for (auto [s, argb] : {std::pair{Severity::critical, -65536},
                           {Severity::medium, -256},
                           {Severity::low, -1},
                           {Severity::info, -8947849}})
        CHECK(cot_severity_argb(s) == argb);
}

SCENARIO("Only a critical breach by a linked track is an ATAK emergency", "[cot]") {
    Alert a = sample_alert();
    a.severity = Severity::critical;
    const CotLink link{"picket-track-13", "a-s-S"};
    CHECK(cot_alert_is_emergency(a, true));
    CHECK_FALSE(cot_alert_is_emergency(a, false));  // ATAK ignores an emergency with no link
    const std::string e = cot_event_for_alert(a, sample_time(), Duration::from_seconds(90), &link);
    CHECK(contains(e, R"(uid="picket-alert-7" type="b-a-g")"));
    CHECK(contains(e, R"(<link uid="picket-track-13" type="a-s-S" relation="p-p"/>)"));
    CHECK(contains(e, R"(<emergency type="Geo-fence Breached">T13</emergency>)"));
    CHECK_FALSE(contains(e, "<color"));
    CHECK(contains(cot_event_for_alert(a, sample_time(), Duration::from_seconds(90), &link, false),
                   R"(type="b-m-p-s-m")"));
    a.kind = AlertKind::zone_entry;
    CHECK(cot_alert_is_emergency(a, true));
    for (AlertKind k :
         {AlertKind::approach, AlertKind::dark_target, AlertKind::loitering, AlertKind::rendezvous,
          AlertKind::ais_anomaly, AlertKind::ground_detection, AlertKind::speeding}) {
        a.kind = k;
        CHECK_FALSE(cot_alert_is_emergency(a, true));
    }
    a.kind = AlertKind::border_crossing;
    a.severity = Severity::high;
    CHECK_FALSE(cot_alert_is_emergency(a, true));
    a.severity = Severity::critical;
    a.state = AlertState::closed;
    CHECK_FALSE(cot_alert_is_emergency(a, true));
    const std::string cancel = cot_emergency_cancel(a, sample_time(), Duration::from_seconds(90));
    CHECK(contains(cancel, R"(uid="picket-alert-7" type="b-a-o-can")"));
    CHECK(contains(cancel, R"(<emergency cancel="true">T13</emergency>)"));
}

SCENARIO("A deleted marker gets a CoT delete task ATAK removes at once", "[cot]") {
    const std::string x = cot_delete_event("picket-track-12", {-8.5, 125.5}, sample_time());
    CHECK(contains(x, R"(<event version="2.0" uid="picket-track-12" type="t-x-d-d" how="m-f")"));
    CHECK(contains(x, R"(stale="2026-11-25T00:02:02.000Z")"));
    CHECK(contains(x, R"(<link uid="picket-track-12" relation="none" type="none"/>)"));
    CHECK(contains(x, "<__forcedelete/>"));
}
