// The CoT output keeps TAK clients' picture true: what a UDP listener receives as tracks appear,
// get confirmed, carry alerts and are deleted, and as alerts are refreshed and closed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "local_socket.hpp"
#include "src/outputs/cot_output.hpp"
#include "test_tracks.hpp"

using namespace picket;
using namespace picket::outputs;
using namespace picket::outputs::testing;

namespace {

bool has(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

/// The `type` attribute of an event.
std::string type_of(const std::string& xml) {
    const auto at = xml.find(" type=\"");
    return at == std::string::npos ? "" : xml.substr(at + 7, xml.find('"', at + 7) - at - 7);
}

struct Rig {
    LocalSocket rx{SOCK_DGRAM};
    CotOutput out;
    explicit Rig(CotOutputConfig cfg = {}) : out(with_port(cfg, rx.port)) {}
    static CotOutputConfig with_port(CotOutputConfig c, std::uint16_t port) {
        c.udp = "127.0.0.1:" + std::to_string(port);
        return c;
    }
    std::vector<std::string> got() { return drain(rx.fd); }
};

Track tentative(TrackId id) {
    Track t = sample_dark_boat(id);
    t.status = TrackStatus::tentative;
    return t;
}

Alert critical_crossing(AlertId id, TrackId track) {
    Alert a = sample_alert(id);
    a.severity = Severity::critical;
    a.track = track;
    a.evidence.id = track;
    return a;
}

}  // namespace

SCENARIO("Only confirmed tracks go to TAK, unless configured otherwise", "[cot]") {
    Rig r;
    const Timestamp t0 = sample_time();
    Track t = tentative(5);
    r.out.publish_tracks(std::span(&t, 1), t0);
    CHECK(r.got().empty());
    CHECK(r.out.counters().tracks_withheld == 1);
    // Deleting a track TAK never saw sends nothing.
    const TrackId five = 5;
    r.out.tracks_deleted(std::span(&five, 1), t0);
    CHECK(r.got().empty());
    t.status = TrackStatus::confirmed;
    r.out.publish_tracks(std::span(&t, 1), t0 + Duration::from_seconds(1));
    auto got = r.got();
    REQUIRE(got.size() == 1);
    CHECK(has(got[0], R"(uid="picket-track-5" type="a-s-S")"));
    t.status = TrackStatus::coasting;  // a coasting track stays on the picture
    r.out.publish_tracks(std::span(&t, 1), t0 + Duration::from_seconds(2));
    CHECK(r.got().size() == 1);

    CotOutputConfig all;
    all.tracks = CotTracks::all;
    Rig everything(all);
    Track u = tentative(6);
    everything.out.publish_tracks(std::span(&u, 1), t0);
    CHECK(everything.got().size() == 1);
}

SCENARIO("A deleted track's marker is removed and forgotten", "[cot]") {
    Rig r;
    const Timestamp t0 = sample_time();
    const Track tracks[] = {sample_vessel(1), sample_dark_boat(2)};
    r.out.publish_tracks(tracks, t0);
    CHECK(r.got().size() == 2);
    CHECK(r.out.tracks_on_picture() == 2);
    const TrackId gone[] = {1, 99};  // 99 was never on the picture
    r.out.tracks_deleted(gone, t0 + Duration::from_seconds(5));
    const auto got = r.got();
    REQUIRE(got.size() == 1);
    CHECK(type_of(got[0]) == "t-x-d-d");
    CHECK(
        has(got[0], R"(<link uid="picket-track-1" relation="none" type="none"/><__forcedelete/>)"));
    CHECK(has(got[0], R"(<point lat="-8.5512345" lon="125.5712345")"));  // where it was last
    CHECK(r.out.tracks_on_picture() == 1);
}

SCENARIO("An alert links to its track only while TAK has the track", "[cot]") {
    Rig r;
    const Timestamp t0 = sample_time();
    // An alert about track 0 (a sensor detection with no track) never has a link.
    Alert sensor_only = sample_alert(1);
    sensor_only.kind = AlertKind::ground_detection;
    sensor_only.track = 0;
    r.out.publish_alert(sensor_only, t0);
    auto got = r.got();
    REQUIRE(got.size() == 1);
    CHECK(type_of(got[0]) == "b-m-p-s-m");
    CHECK_FALSE(has(got[0], "<link"));

    // A critical crossing raised while its track is still tentative: an unlinked marker.
    Track t = tentative(13);
    r.out.publish_tracks(std::span(&t, 1), t0);
    r.out.publish_alert(critical_crossing(2, 13), t0);
    got = r.got();
    REQUIRE(got.size() == 1);
    CHECK(type_of(got[0]) == "b-m-p-s-m");
    CHECK_FALSE(has(got[0], "<link"));
    CHECK(r.out.counters().alerts_unlinked == 2);

    // The track is confirmed: its marker goes out, then the alert again, linked, now the
    // emergency it is.
    t.status = TrackStatus::confirmed;
    r.out.publish_tracks(std::span(&t, 1), t0 + Duration::from_seconds(1));
    got = r.got();
    REQUIRE(got.size() == 2);
    CHECK(type_of(got[0]) == "a-s-S");
    CHECK(type_of(got[1]) == "b-a-g");
    CHECK(has(got[1], R"(<link uid="picket-track-13" type="a-s-S" relation="p-p"/>)"));
    CHECK(has(got[1], R"(<emergency type="Geo-fence Breached">)"));

    // The track is deleted: its marker goes, the emergency is cancelled and the alert stays
    // as a marker with no link.
    const TrackId thirteen = 13;
    r.out.tracks_deleted(std::span(&thirteen, 1), t0 + Duration::from_seconds(2));
    got = r.got();
    REQUIRE(got.size() == 3);
    CHECK(type_of(got[0]) == "t-x-d-d");
    CHECK(type_of(got[1]) == "b-a-o-can");
    CHECK(has(got[1], R"(<emergency cancel="true">)"));
    CHECK(type_of(got[2]) == "b-m-p-s-m");
    CHECK_FALSE(has(got[2], "<link"));
}

SCENARIO("Open alerts are refreshed before they go stale; closed ones are removed", "[cot]") {
    CotOutputConfig cfg;
    cfg.alert_stale = Duration::from_seconds(90);
    cfg.alert_refresh = Duration::from_seconds(30);
    Rig r(cfg);
    const Timestamp t0 = sample_time();  // 00:01:02
    Alert a = sample_alert(7);
    r.out.publish_alert(a, t0);
    auto got = r.got();
    REQUIRE(got.size() == 1);
    CHECK(has(got[0], R"(stale="2026-11-25T00:02:32.000Z")"));
    r.out.refresh(t0 + Duration::from_seconds(29));
    CHECK(r.got().empty());
    r.out.refresh(t0 + Duration::from_seconds(30));
    got = r.got();
    REQUIRE(got.size() == 1);
    CHECK(has(got[0], R"(stale="2026-11-25T00:03:02.000Z")"));
    // Acknowledged: still on the picture, and still refreshed.
    a.state = AlertState::acknowledged;
    r.out.publish_alert(a, t0 + Duration::from_seconds(40));
    got = r.got();
    REQUIRE(got.size() == 1);
    CHECK(has(got[0], "[acknowledged]"));
    r.out.refresh(t0 + Duration::from_seconds(70));
    CHECK(r.got().size() == 1);
    // Closed: the marker is deleted, and no more refreshes.
    a.state = AlertState::closed;
    r.out.publish_alert(a, t0 + Duration::from_seconds(80));
    got = r.got();
    REQUIRE(got.size() == 1);
    CHECK(type_of(got[0]) == "t-x-d-d");
    CHECK(has(got[0], R"(<link uid="picket-alert-7" relation="none" type="none"/>)"));
    r.out.refresh(t0 + Duration::from_seconds(500));
    CHECK(r.got().empty());
    CHECK(r.out.alerts_on_picture() == 0);
    // A closed emergency is cancelled instead.
    const Track thirteen[] = {sample_dark_boat(13)};
    r.out.publish_tracks(thirteen, t0);
    Alert e = critical_crossing(8, 13);
    r.out.publish_alert(e, t0);
    e.state = AlertState::closed;
    r.out.publish_alert(e, t0 + Duration::from_seconds(1));
    got = r.got();
    REQUIRE(got.size() == 3);
    CHECK(type_of(got[1]) == "b-a-g");
    CHECK(type_of(got[2]) == "b-a-o-can");
}

SCENARIO("Alerts restored after a restart are re-announced, never linked", "[cot]") {
    Rig r;
    const Timestamp t0 = sample_time();
    // After a restart track ids start again: a new track 13 is not the alert's track 13.
    const Track new_thirteen[] = {sample_dark_boat(13)};
    r.out.publish_tracks(new_thirteen, t0);
    r.got();
    Alert restored = critical_crossing(3, 13);
    r.out.publish_alert(restored, t0, true);
    auto got = r.got();
    REQUIRE(got.size() == 1);
    CHECK(type_of(got[0]) == "b-m-p-s-m");
    CHECK_FALSE(has(got[0], "<link"));
    // A later change (an acknowledgement) keeps it unlinked.
    restored.state = AlertState::acknowledged;
    r.out.publish_alert(restored, t0 + Duration::from_seconds(1));
    got = r.got();
    REQUIRE(got.size() == 1);
    CHECK_FALSE(has(got[0], "<link"));
}

SCENARIO("With emergencies off, a critical breach is a red marker", "[cot]") {
    CotOutputConfig cfg;
    cfg.emergencies = false;
    Rig r(cfg);
    const Track thirteen[] = {sample_dark_boat(13)};
    r.out.publish_tracks(thirteen, sample_time());
    r.out.publish_alert(critical_crossing(4, 13), sample_time());
    const auto got = r.got();
    REQUIRE(got.size() == 2);
    CHECK(type_of(got[1]) == "b-m-p-s-m");
    CHECK(has(got[1], R"(<color argb="-65536"/>)"));
    CHECK(has(got[1], R"(<link uid="picket-track-13")"));
}
