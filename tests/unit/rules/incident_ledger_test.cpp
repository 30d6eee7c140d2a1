#include <catch2/catch.hpp>

#include <cmath>

#include "geo/local_frame.hpp"
#include "rules/incident_ledger.hpp"
#include "rules/rule_engine_impl.hpp"

using namespace picket;
using picket::rules::EvidenceKey;
using picket::rules::Finding;
using picket::rules::IncidentLedger;
using picket::rules::IncidentPolicy;

namespace {

Timestamp at_s(double s) { return Timestamp::from_unix_seconds(1'700'000'000 + s); }

/// A finding of rule `rule` (index and name) about track `track`, at `t_s`.
Finding finding(std::uint32_t rule, TrackId track, double t_s, Severity sev = Severity::medium,
                AlertKind kind = AlertKind::zone_entry, LatLon where = {1.0, 1.0}) {
    Finding f;
    f.key = EvidenceKey{track, rule, 0};
    f.entry.kind = kind;
    f.entry.severity = sev;
    f.entry.rule = "rule-" + std::to_string(rule);
    f.entry.track = track;
    f.entry.where = where;
    f.entry.first = at_s(t_s);
    f.entry.message = "found by " + f.entry.rule;
    f.state.id = track;
    f.state.position = where;  // the track is where it was found
    if (track != 0) f.subjects = {track};
    return f;
}

/// A sensor-only detection of sensor `sensor` at `where`.
Finding detection(std::uint64_t sensor, double t_s, LatLon where) {
    Finding f = finding(9, 0, t_s, Severity::high, AlertKind::ground_detection, where);
    f.key = EvidenceKey{(1ULL << 63) | sensor, 9, 0};
    f.subjects.clear();
    f.sensor_only = true;
    return f;
}

}  // namespace

TEST_CASE("incidents: one per target and situation, follow-on evidence joins it",
          "[rules][incidents]") {
    IncidentLedger ledger(100);
    // Approach, then crossing, then dark: three rules about one track, one incident.
    const auto first = ledger.add(finding(1, 7, 0, Severity::low, AlertKind::approach), at_s(0));
    REQUIRE(first == AlertId{100});
    CHECK(ledger.add(finding(2, 7, 60, Severity::high, AlertKind::border_crossing), at_s(60)) ==
          first);
    CHECK(ledger.add(finding(3, 7, 180, Severity::medium, AlertKind::dark_target), at_s(180)) ==
          first);
    // Another track is another incident.
    CHECK(ledger.add(finding(1, 8, 10), at_s(10)) == AlertId{101});
    const Alert* a = ledger.find(100);
    REQUIRE(a);
    REQUIRE(a->timeline.size() == 3);
    CHECK(a->timeline[0].seq == 1);
    CHECK(a->timeline[2].seq == 3);
    // The headline is the most severe evidence; the position the latest.
    CHECK(a->kind == AlertKind::border_crossing);
    CHECK(a->severity == Severity::high);
    CHECK(a->rule == "rule-2");
    CHECK(a->tracks == std::vector<TrackId>{7});
    const auto updates = ledger.take_updates();
    REQUIRE(updates.size() == 4);
    CHECK(updates[0].change == IncidentChange::raised);
    CHECK(updates[0].revision == 1);
    CHECK(updates[1].change == IncidentChange::evidence);
    CHECK(updates[1].revision == 2);
    CHECK(updates[1].severity == Severity::high);  // raised when the situation worsens
    CHECK(updates[3].id == 101);
}

TEST_CASE("incidents: the same finding again is counted, not a new entry or incident",
          "[rules][incidents]") {
    IncidentLedger ledger;
    const auto id = *ledger.add(detection(4, 0, {-9.2452, 124.463}), at_s(0));
    // A ground sensor firing every 30 s while a person stands in range.
    for (int k = 1; k <= 10; ++k)
        CHECK(ledger.add(detection(4, 30.0 * k, {-9.2452, 124.463}), at_s(30.0 * k)) == id);
    const Alert* a = ledger.find(id);
    REQUIRE(a->timeline.size() == 1);
    CHECK(a->timeline[0].count == 11);
    CHECK(a->timeline[0].first == at_s(0));
    CHECK(a->timeline[0].last == at_s(300));
    // Each repeat is published (30 s apart here), none as a new incident.
    const auto updates = ledger.take_updates();
    CHECK(updates.size() == 11);
    CHECK(updates.back().change == IncidentChange::repeated);
}

TEST_CASE(
    "incidents: sensor-only detections close together are one incident, and a track "
    "adopts them",
    "[rules][incidents]") {
    IncidentLedger ledger(1, IncidentPolicy{.cluster_m = 500});
    const auto id = *ledger.add(detection(1, 0, {-9.2450, 124.4630}), at_s(0));
    // Another sensor 550 m west: further than cluster_m from the first, a new incident...
    const auto far = *ledger.add(detection(2, 20, {-9.2450, 124.4580}), at_s(20));
    CHECK(far != id);
    // ...and one 300 m from the first joins it.
    CHECK(ledger.add(detection(3, 40, {-9.2450, 124.4603}), at_s(40)) == far);
    // A dark track's first finding next to the first cluster's latest evidence adopts it.
    Finding crossing =
        finding(5, 12, 60, Severity::high, AlertKind::border_crossing, {-9.2451, 124.4628});
    crossing.may_adopt = true;
    CHECK(ledger.add(crossing, at_s(60)) == id);
    // From then on the track's own findings go there by subject.
    CHECK(ledger.add(finding(6, 12, 90), at_s(90)) == id);
    CHECK(ledger.find(id)->tracks == std::vector<TrackId>{12});
    CHECK(ledger.find(id)->track == 12);
}

TEST_CASE(
    "incidents: a target whose track was lost and found again under a new id stays one incident",
    "[rules][incidents]") {
    IncidentLedger ledger(1, IncidentPolicy{.cluster_m = 500});
    const LatLon here{-9.2450, 124.4630};
    const auto approach = [&](TrackId track, double t_s, LatLon where) {
        Finding f = finding(1, track, t_s, Severity::low, AlertKind::approach, where);
        f.may_adopt = true;  // a track with no identity
        return f;
    };
    const auto id = *ledger.add(approach(7, 0, here), at_s(0));
    // While track 7 lives, another unidentified track 100 m away in another situation is another
    // target (in the same one it would be a group: "targets doing the same thing together").
    Finding other = approach(8, 10, {-9.2459, 124.4630});
    other.key.rule = 2;
    other.occurrence = 2;
    CHECK(ledger.add(other, at_s(10)) != id);
    // Track 7 is deleted (the person stood still behind a bush); 20 s later a new track 200 m on
    // raises the same approach: the same person, the same incident.
    ledger.clear_subject(7, at_s(30));
    const auto again = ledger.add(approach(9, 50, {-9.2468, 124.4630}), at_s(50));
    CHECK(again == id);
    CHECK(ledger.find(id)->tracks == std::vector<TrackId>{7, 9});
    // A lost track's incident does not take a new track 2 km away: that is someone else.
    ledger.clear_subject(9, at_s(60));
    CHECK(ledger.add(approach(10, 70, {-9.2630, 124.4630}), at_s(70)) != id);
    // A track with an identity (AIS) is never adopted by proximity.
    Finding vessel = finding(1, 11, 80, Severity::low, AlertKind::approach, {-9.2468, 124.4631});
    CHECK(ledger.add(vessel, at_s(80)) != id);
}

TEST_CASE("incidents: a lost track's target is looked for where its last velocity puts it",
          "[rules][incidents]") {
    // Gulf of Honduras: the go-fast's track was lost as it sped off from the rendezvous at
    // 25 kn; its new track, 1.9 km on two and a half minutes later, raised "dark" again as a
    // second incident. Where it was last seen is too far; where it was going is not.
    IncidentLedger ledger(1, IncidentPolicy{.cluster_m = 500});
    const LatLon here{15.8389, -88.5018};
    const auto dark = [&](TrackId track, double t_s, LatLon where) {
        Finding f = finding(3, track, t_s, Severity::high, AlertKind::dark_target, where);
        f.may_adopt = true;
        return f;
    };
    const auto id = *ledger.add(dark(494, 0, here), at_s(0));
    Track last;
    last.id = 494;
    last.position = here;
    last.updated = at_s(20);
    last.east_mps = -13 * std::sin(45 * 3.14159265358979323846 / 180);  // 25 kn, course 225
    last.north_mps = -13 * std::cos(45 * 3.14159265358979323846 / 180);
    ledger.clear_subject(494, at_s(40), &last);
    // A track as far off its last place the other way is someone else.
    CHECK(ledger.add(dark(8355, 140, geo::geodesic_destination(here, 45, 1700)), at_s(140)) != id);
    const LatLon on = geo::geodesic_destination(here, 225, 13 * 130);  // 150 s later, 1.7 km on
    CHECK(ledger.add(dark(8354, 150, on), at_s(150)) == id);
    // Without the lost track's last state it would be a new incident: 1.7 km off its last place.
    IncidentLedger plain(1, IncidentPolicy{.cluster_m = 500});
    const auto p = *plain.add(dark(494, 0, here), at_s(0));
    plain.clear_subject(494, at_s(40));
    CHECK(plain.add(dark(8354, 150, on), at_s(150)) != p);
}

TEST_CASE(
    "incidents: a new track of the same person continues the entry of the situation it is in, "
    "an event is an entry of its own",
    "[rules][incidents]") {
    // The demo's walker standing in a camera's view: the camera's frames made 22 short tracks
    // of one person, each raising the camera detection and the approach again: 22 entries, all
    // but the first explaining nothing (precision of ground detections 0.36 on the demo).
    IncidentLedger ledger(1, IncidentPolicy{.cluster_m = 500});
    const LatLon here{-9.2450, 124.4630};
    const auto seen = [&](TrackId track, double t_s) {
        Finding f = finding(9, track, t_s, Severity::high, AlertKind::ground_detection, here);
        f.key.detail = 0xCA3ULL | (1ULL << 63);  // the camera
        f.occurrence = f.key.detail;
        f.continues_within = Duration::from_seconds(60);
        f.may_adopt = true;
        return f;
    };
    // The camera saw the person before the tracker had them: a sensor-only entry.
    Finding first = detection(0xCA3, 0, here);
    first.occurrence = 0xCA3ULL | (1ULL << 63);
    first.continues_within = Duration::from_seconds(60);
    const auto id = *ledger.add(first, at_s(0));
    CHECK(ledger.add(seen(7, 3), at_s(3)) == id);    // track 7 explains it: the same entry
    ledger.clear_subject(7, at_s(20));               // track 7 lost...
    CHECK(ledger.add(seen(8, 25), at_s(25)) == id);  // ...track 8 is the same person, same view
    const Alert* a = ledger.find(id);
    REQUIRE(a->timeline.size() == 1);
    CHECK(a->timeline[0].count == 3);
    CHECK(a->timeline[0].last == at_s(25));
    CHECK(a->tracks == std::vector<TrackId>{7, 8});
    // A crossing is an event: the same rule's crossing by another track is an entry of its own.
    Finding cross = finding(2, 8, 30, Severity::high, AlertKind::border_crossing, here);
    CHECK(ledger.add(cross, at_s(30)) == id);
    Finding cross2 = finding(2, 9, 40, Severity::high, AlertKind::border_crossing, here);
    cross2.may_adopt = true;
    ledger.clear_subject(8, at_s(35));
    CHECK(ledger.add(cross2, at_s(40)) == id);
    CHECK(ledger.find(id)->timeline.size() == 3);
    // The camera's condition cleared by its own hysteresis (the person left the view): seeing
    // them again is a new entry, a new occurrence.
    ledger.clear_key(EvidenceKey{(1ULL << 63) | 0xCA3, 9, 0}, at_s(100));
    CHECK(ledger.add(seen(9, 110), at_s(110)) == id);
    CHECK(ledger.find(id)->timeline.size() == 4);
    // Track 9 deleted more than continues_within before track 10 appears: a new entry too.
    ledger.clear_subject(9, at_s(120));
    CHECK(ledger.add(seen(10, 200), at_s(200)) == id);
    CHECK(ledger.find(id)->timeline.size() == 5);
}

TEST_CASE("incidents: resolved after its conditions stay clear; then a new one",
          "[rules][incidents]") {
    IncidentLedger ledger(1, IncidentPolicy{.resolve_after = Duration::from_seconds(600)});
    const auto id = *ledger.add(finding(1, 7, 0), at_s(0));
    ledger.clear_key(EvidenceKey{7, 1, 0}, at_s(100));
    ledger.tick(at_s(650));
    CHECK(ledger.find(id)->active);
    // The same situation coming back within resolve_after joins the same incident.
    CHECK(ledger.add(finding(1, 7, 690), at_s(690)) == id);
    ledger.clear_key(EvidenceKey{7, 1, 0}, at_s(700));
    ledger.take_updates();
    ledger.tick(at_s(1299));
    CHECK(ledger.find(id)->active);
    ledger.tick(at_s(1300));
    CHECK_FALSE(ledger.find(id)->active);
    const auto updates = ledger.take_updates();
    REQUIRE(updates.size() == 1);
    CHECK(updates[0].change == IncidentChange::resolved);
    CHECK(ledger.add(finding(1, 7, 1400), at_s(1400)) == id + 1);
}

TEST_CASE("incidents: workflow, and worse evidence re-opens an acknowledged or closed one",
          "[rules][incidents]") {
    IncidentLedger ledger;
    const auto id = *ledger.add(finding(1, 7, 0, Severity::low, AlertKind::approach), at_s(0));
    ledger.take_updates();
    CHECK_FALSE(ledger.acknowledge(99, "op", at_s(1)));
    REQUIRE(ledger.acknowledge(id, "alice", at_s(10)));
    CHECK_FALSE(ledger.acknowledge(id, "bob", at_s(11)));  // already acknowledged
    REQUIRE(ledger.assign(id, "pb-dili", "alice", at_s(12)));
    REQUIRE(ledger.add_note(id, "alice", at_s(13), "boat seen from the pier"));
    // Evidence no worse than before: added, still acknowledged.
    ledger.add(finding(2, 7, 20, Severity::low, AlertKind::dark_target), at_s(20));
    CHECK(ledger.find(id)->state == AlertState::acknowledged);
    // A crossing (high) is worse than anything acknowledged: open again.
    ledger.add(finding(3, 7, 30, Severity::high, AlertKind::border_crossing), at_s(30));
    const Alert* a = ledger.find(id);
    CHECK(a->state == AlertState::open);
    CHECK(a->reopened == 1);
    CHECK(a->assigned_to == "pb-dili");
    REQUIRE(a->notes.size() == 1);
    CHECK(a->notes[0].by == "alice");
    REQUIRE(ledger.close(id, "bob", at_s(40), Disposition::confirmed));
    CHECK(ledger.find(id)->state == AlertState::closed);  // kept while its situation goes on
    CHECK(ledger.open_incidents().empty());
    CHECK_FALSE(ledger.close(id, "bob", at_s(41)));
    CHECK_FALSE(ledger.assign(id, "pb-atauro", "bob", at_s(41)));
    auto updates = ledger.take_updates();
    REQUIRE(updates.size() == 6);
    CHECK(updates[0].change == IncidentChange::acknowledged);
    CHECK(updates[0].changed_by == "alice");
    CHECK(updates[1].change == IncidentChange::assigned);
    CHECK(updates[2].change == IncidentChange::noted);
    CHECK(updates[3].change == IncidentChange::evidence);
    CHECK(updates[4].change == IncidentChange::reopened);
    CHECK(updates[5].change == IncidentChange::closed);
    CHECK(updates[5].disposition == Disposition::confirmed);
    CHECK(updates[5].closed_by == "bob");
    // Closed is not over: the same findings join it silently, no new incident. Worse would
    // re-open it, but nothing is worse than high... critical is.
    CHECK(ledger.add(finding(4, 7, 50, Severity::medium), at_s(50)) == id);
    CHECK(ledger.find(id)->state == AlertState::closed);
    CHECK(ledger.add(finding(5, 7, 60, Severity::critical), at_s(60)) == id);
    CHECK(ledger.find(id)->state == AlertState::open);
    CHECK(ledger.find(id)->disposition == Disposition::none);
}

TEST_CASE("incidents: re-opening is configurable", "[rules][incidents]") {
    IncidentLedger ledger(1, IncidentPolicy{.reopen_on_worse = false});
    const auto id = *ledger.add(finding(1, 7, 0, Severity::low), at_s(0));
    ledger.acknowledge(id, "op", at_s(1));
    ledger.add(finding(2, 7, 2, Severity::critical), at_s(2));
    CHECK(ledger.find(id)->state == AlertState::acknowledged);
    CHECK(ledger.find(id)->severity == Severity::critical);
}

TEST_CASE("incidents: escalation when not acknowledged in time", "[rules][incidents]") {
    IncidentLedger ledger;
    Finding f = finding(1, 1, 0, Severity::high);
    f.escalate_after = Duration::from_seconds(300);
    const auto late = *ledger.add(f, at_s(0));
    Finding g = finding(1, 2, 0);
    g.escalate_after = Duration::from_seconds(300);
    const auto acked = *ledger.add(g, at_s(0));
    Finding h = finding(1, 3, 0, Severity::critical);
    h.escalate_after = Duration::from_seconds(60);
    const auto top = *ledger.add(h, at_s(0));
    const auto never = *ledger.add(finding(1, 4, 0), at_s(0));
    ledger.acknowledge(acked, "op", at_s(100));
    ledger.take_updates();

    ledger.tick(at_s(299.999));
    auto updates = ledger.take_updates();
    REQUIRE(updates.size() == 1);  // only the 60 s one
    CHECK(updates[0].id == top);
    CHECK(updates[0].escalated);
    CHECK(updates[0].change == IncidentChange::escalated);
    CHECK(updates[0].severity == Severity::critical);

    ledger.tick(at_s(300));
    updates = ledger.take_updates();
    REQUIRE(updates.size() == 1);
    CHECK(updates[0].id == late);
    CHECK(updates[0].severity == Severity::critical);  // high -> critical
    CHECK(updates[0].state == AlertState::open);       // escalation keeps it open

    ledger.tick(at_s(10'000));
    for (const Alert& u : ledger.take_updates()) CHECK(u.change == IncidentChange::resolved);
    CHECK_FALSE(ledger.find(acked)->escalated);
    CHECK_FALSE(ledger.find(never)->escalated);
}

TEST_CASE("incidents: restore seeds ids and open incidents after a restart", "[rules][incidents]") {
    IncidentLedger ledger;
    Alert a;
    a.id = 41;
    a.rule = "entry";
    a.when = at_s(0);
    Alert b = a;
    b.id = 57;
    b.rule = "speed";
    b.state = AlertState::acknowledged;
    Alert closed = a;
    closed.id = 60;
    closed.state = AlertState::closed;
    ledger.restore({b, a, closed}, 50, {{"entry", Duration::from_seconds(120)}});
    // The id counter never goes back below a restored id, even if the seed says so.
    CHECK(ledger.next_id() == 58);
    const auto open = ledger.open_incidents();
    REQUIRE(open.size() == 2);
    CHECK(open[0].id == 41);
    CHECK_FALSE(open[0].active);  // its tracks are gone: it takes no new evidence
    CHECK(open[1].id == 57);
    CHECK(ledger.take_updates().empty());
    ledger.tick(at_s(121));
    const auto up = ledger.take_updates();
    REQUIRE(up.size() == 1);
    CHECK(up[0].id == 41);
    CHECK(up[0].escalated);
    CHECK(ledger.add(finding(1, 9, 200), at_s(200)) == AlertId{58});
}

TEST_CASE("incidents: false-alarm share per rule over the window", "[rules][incidents]") {
    IncidentLedger ledger(1, IncidentPolicy{.share_window = Duration::from_seconds(3600)});
    const auto a = *ledger.add(finding(1, 1, 0), at_s(0));
    ledger.add(finding(2, 1, 5), at_s(5));
    const auto b = *ledger.add(finding(1, 2, 0), at_s(0));
    const auto c = *ledger.add(finding(2, 3, 0), at_s(0));
    ledger.close(a, "op", at_s(100), Disposition::false_alarm);
    ledger.close(b, "op", at_s(200), Disposition::confirmed);
    ledger.close(c, "op", at_s(300), Disposition::false_alarm);
    auto shares = ledger.rule_shares();
    REQUIRE(shares.size() == 2);
    CHECK(shares[0].rule == "rule-1");
    CHECK(shares[0].closed == 2);
    CHECK(shares[0].false_alarms == 1);
    CHECK(shares[0].share() == Approx(0.5));
    CHECK(shares[1].rule == "rule-2");
    CHECK(shares[1].closed == 2);
    CHECK(shares[1].false_alarms == 2);
    // An hour after a's close it leaves the window.
    ledger.tick(at_s(3701));
    shares = ledger.rule_shares();
    CHECK(shares[0].closed == 1);
    CHECK(shares[0].false_alarms == 0);
}

TEST_CASE("incidents: forgetting a subject clears only that subject's findings",
          "[rules][incidents]") {
    IncidentLedger ledger;
    ledger.add(finding(0, 10, 0), at_s(0));
    Finding other = finding(4, 10, 0);
    other.key.detail = 3;
    ledger.add(other, at_s(0));
    ledger.add(finding(0, 11, 0), at_s(0));
    CHECK(ledger.active_keys() == 3);
    ledger.clear_subject(10, at_s(1));
    CHECK(ledger.active_keys() == 1);
    CHECK(ledger.key_active(EvidenceKey{11, 0, 0}));
    CHECK_FALSE(ledger.key_active(EvidenceKey{10, 4, 3}));
    CHECK_FALSE(ledger.incident_of(10).has_value());
}

namespace {

/// A finding about unidentified track `track` of class person at `where`, its state there.
Finding person(std::uint32_t rule, TrackId track, double t_s, LatLon where,
               AlertKind kind = AlertKind::approach, double sigma_m = 10) {
    Finding f = finding(rule, track, t_s, Severity::low, kind, where);
    f.may_adopt = true;
    f.occurrence = rule;
    f.continues_within =
        kind == AlertKind::border_crossing ? Duration::from_seconds(0) : Duration::from_seconds(60);
    f.state.position = where;
    f.state.updated = at_s(t_s);
    f.state.target_class = TargetClass::person;
    f.state.cov(0, 0) = f.state.cov(1, 1) = sigma_m * sigma_m;
    return f;
}

}  // namespace

TEST_CASE("incidents: targets doing the same thing together are one incident, a group",
          "[rules][incidents]") {
    // Demo seed 23, Gambia seed 23: two walkers 20-30 s apart approach and cross the land
    // border together; each had an incident of its own, and each one's ground-sensor frames
    // went to whichever track was nearest (incidents per event 1.21 and 1.25).
    IncidentLedger ledger(1, IncidentPolicy{.group_m = 300});
    const LatLon here{13.0750, -16.7278};
    const auto id = *ledger.add(person(1, 7, 0, here), at_s(0));
    // The second walker's track, 50 m on, 20 s later, in the same situation: the same incident,
    // the same entry, which lists both.
    CHECK(ledger.add(person(1, 8, 20, geo::geodesic_destination(here, 90, 50)), at_s(20)) == id);
    const Alert* a = ledger.find(id);
    REQUIRE(a->timeline.size() == 1);
    REQUIRE(a->timeline[0].targets.size() == 2);
    CHECK(a->timeline[0].targets[0].track == 7);
    CHECK(a->timeline[0].targets[1].track == 8);
    CHECK(a->timeline[0].targets[1].first == at_s(20));  // when and where it joined
    CHECK(geo::geodesic_distance_m(a->timeline[0].targets[1].where, here) == Approx(50).margin(1));
    CHECK(a->tracks == std::vector<TrackId>{7, 8});
    // Both cross: events, an entry each, one incident.
    CHECK(ledger.add(person(2, 7, 40, here, AlertKind::border_crossing), at_s(40)) == id);
    CHECK(ledger.add(person(2, 8, 50, here, AlertKind::border_crossing), at_s(50)) == id);
    CHECK(ledger.find(id)->timeline.size() == 3);
    REQUIRE(ledger.find(id)->timeline[2].targets.size() == 1);
    CHECK(ledger.find(id)->timeline[2].targets[0].track == 8);
    // Someone 2 km off in the same situation is not with them.
    const auto far =
        *ledger.add(person(1, 9, 55, geo::geodesic_destination(here, 0, 2000)), at_s(55));
    CHECK(far != id);
    // A track with an identity (AIS) is never a group's member by proximity.
    Finding vessel = person(1, 10, 56, geo::geodesic_destination(here, 90, 20));
    vessel.state.identity = Identity{.mmsi = 636012345};
    CHECK(ledger.add(vessel, at_s(56)) != id);
}

TEST_CASE(
    "incidents: a group's member judged at one sigma of its position; one that separates "
    "goes its own way",
    "[rules][incidents]") {
    // Gambia seed 23: a camera-only track of the second walker was 530 m from the first's
    // (sigma 480 m along the camera's ray, 200 m for the first): the two were side by side.
    const LatLon here{13.0750, -16.7278};
    const LatLon there = geo::geodesic_destination(here, 135, 530);
    {
        IncidentLedger ledger(1, IncidentPolicy{.group_m = 300});
        const auto id = *ledger.add(person(1, 1872, 0, here, AlertKind::approach, 200), at_s(0));
        CHECK(ledger.add(person(1, 1926, 30, there, AlertKind::approach, 480), at_s(30)) == id);
    }
    {
        // The same two estimates known to 10 m: 530 m apart is apart.
        IncidentLedger ledger(1, IncidentPolicy{.group_m = 300});
        const auto id = *ledger.add(person(1, 1872, 0, here), at_s(0));
        CHECK(ledger.add(person(1, 1926, 30, there), at_s(30)) != id);
    }
    {
        // A member seen longer than group_within ago says nothing of where it is now.
        IncidentLedger ledger(1, IncidentPolicy{.group_m = 300});
        const auto id = *ledger.add(person(1, 7, 0, here), at_s(0));
        CHECK(ledger.add(person(1, 8, 90, here), at_s(90)) != id);
    }
    IncidentLedger ledger(1, IncidentPolicy{.group_m = 300});
    const auto id = *ledger.add(person(1, 7, 0, here), at_s(0));
    CHECK(ledger.add(person(1, 8, 20, here), at_s(20)) == id);
    // Track 7 stays (its camera frames keep coming); track 8 walks off 1.5 km and goes dark
    // there: its own incident from then on, the group's entries stay where they were.
    CHECK(ledger.add(person(1, 7, 100, here), at_s(100)) == id);
    const LatLon off = geo::geodesic_destination(here, 0, 1500);
    const auto own = ledger.add(person(3, 8, 110, off, AlertKind::dark_target), at_s(110));
    REQUIRE(own);
    CHECK(*own != id);
    CHECK(ledger.add(person(4, 8, 120, off, AlertKind::border_crossing), at_s(120)) == own);
    CHECK(ledger.find(id)->timeline.size() == 1);
    // Still together, a member's worse finding stays the group's (the first of two walkers
    // crossing, the other 50 m behind).
    IncidentLedger walkers(1, IncidentPolicy{.group_m = 300});
    const auto w = *walkers.add(person(1, 7, 0, here), at_s(0));
    CHECK(walkers.add(person(1, 8, 20, geo::geodesic_destination(here, 90, 50)), at_s(20)) == w);
    CHECK(walkers.add(person(2, 8, 30, here, AlertKind::border_crossing), at_s(30)) == w);
}

TEST_CASE(
    "incidents: a lost dark track's target found again continues its incident while the "
    "vessel it met lives on",
    "[rules][incidents]") {
    // Demo seed 23: the go-fast (dark track 37) met the anchored mother ship (track 38, AIS),
    // one rendezvous incident; its track was lost as it sped off, and its new track 1.2 km on
    // raised "dark" as a second incident, since the mother ship's track was alive.
    IncidentLedger ledger(1, IncidentPolicy{.cluster_m = 500});
    const LatLon here{-8.3286, 126.3020};
    Finding dark = person(3, 37, 0, here, AlertKind::dark_target);
    dark.state.target_class = TargetClass::unknown;
    const auto id = *ledger.add(dark, at_s(0));
    Finding met = person(5, 37, 60, here, AlertKind::rendezvous);
    met.entry.other_track = 38;
    met.subjects = {37, 38, rules::kMmsiSubjectBit | 538009876};
    CHECK(ledger.add(met, at_s(60)) == id);
    Track last = dark.state;
    last.updated = at_s(100);
    last.north_mps = -12.5;  // leaving south at 24 kn
    ledger.clear_subject(37, at_s(110), &last);
    const LatLon on = geo::geodesic_destination(here, 180, 12.5 * 100);
    Finding again = person(3, 2588, 200, on, AlertKind::dark_target);
    again.state.target_class = TargetClass::unknown;
    CHECK(ledger.add(again, at_s(200)) == id);
    // Where the lost track could not be: someone else.
    Finding other =
        person(3, 2600, 210, geo::geodesic_destination(here, 0, 3000), AlertKind::dark_target);
    CHECK(ledger.add(other, at_s(210)) != id);
}

TEST_CASE(
    "incidents: a new track is looked for back where its velocity says it was when the lost "
    "one was last seen",
    "[rules][incidents]") {
    // Gulf of Honduras seed 41: the go-fast's track coasted off at 14 m/s on a guessed course
    // and was deleted; its new track, born 370 m from there, was "dark" 100 s later and 1.3 km
    // on, south-west, where the lost track's coasting velocity did not point: a second
    // incident.
    const LatLon here{15.8326, -88.5048};
    const auto dark = [&](TrackId track, double t_s, LatLon where, double course_deg) {
        Finding f = person(3, track, t_s, where, AlertKind::dark_target);
        f.state.target_class = TargetClass::unknown;
        const double rad = course_deg * 3.14159265358979323846 / 180;
        f.state.east_mps = 13 * std::sin(rad);
        f.state.north_mps = 13 * std::cos(rad);
        return f;
    };
    IncidentLedger ledger(1, IncidentPolicy{.cluster_m = 500});
    const auto id = *ledger.add(dark(472, 0, here, 290), at_s(0));
    Track last = ledger.find(id)->evidence;
    last.updated = at_s(60);
    ledger.clear_subject(472, at_s(70), &last);  // heading 290 when it coasted off
    const LatLon on = geo::geodesic_destination(here, 242, 13 * 100);
    CHECK(ledger.add(dark(8436, 160, on, 242), at_s(160)) == id);
    // The same place with a velocity that never passed where the lost track was: someone else.
    IncidentLedger other(1, IncidentPolicy{.cluster_m = 500});
    const auto o = *other.add(dark(472, 0, here, 290), at_s(0));
    other.clear_subject(472, at_s(70), &last);
    CHECK(other.add(dark(8437, 160, on, 62), at_s(160)) != o);
}

TEST_CASE(
    "incidents: a track adopts a camera frame's sensor-only incident within one sigma of the "
    "frame's range",
    "[rules][incidents]") {
    // Gulf of Honduras seed 41: the 20 m tower camera's first frame of a walker was ranged
    // 590 m long (0.38 deg for 0.48, one sigma of its depression angle: +-850 m along the ray),
    // a sensor-only incident; the walker's track, a second later where the walker was, opened
    // an incident of its own. A frame is as far off as its angle allows.
    const LatLon frame{15.5300, -88.4318};
    const LatLon walker = geo::geodesic_destination(frame, 330, 590);
    const auto seen_by_camera = [&](double along_sigma_m) {
        Finding f = detection(0xCA3, 0, frame);
        f.state.position = frame;
        f.state.updated = at_s(0);
        const double b = 330 * 3.14159265358979323846 / 180;  // the ray, towards the walker
        const Eigen::Vector2d u{std::sin(b), std::cos(b)}, n{u.y(), -u.x()};
        f.state.cov.topLeftCorner<2, 2>() =
            along_sigma_m * along_sigma_m * u * u.transpose() + 5.0 * 5.0 * n * n.transpose();
        return f;
    };
    const auto track_seen = [&] {
        Finding f = person(9, 2199, 1, walker, AlertKind::ground_detection);
        return f;
    };
    IncidentLedger ledger(1, IncidentPolicy{.cluster_m = 500});
    const auto id = *ledger.add(seen_by_camera(850), at_s(0));
    CHECK(ledger.add(track_seen(), at_s(1)) == id);
    CHECK(ledger.find(id)->tracks == std::vector<TrackId>{2199});
    // A frame whose range is known to 50 m, 590 m off: someone else.
    IncidentLedger sharp(1, IncidentPolicy{.cluster_m = 500});
    const auto s = *sharp.add(seen_by_camera(50), at_s(0));
    CHECK(sharp.add(track_seen(), at_s(1)) != s);
}

TEST_CASE(
    "incidents: a track that explains an incident's latest unexplained detection adopts it, by "
    "its frame's ray when the frame does not say where along it",
    "[rules][incidents]") {
    // Gulf of Honduras seeds default and 7: a camera frame of the walkers, unexplained, raised
    // a sensor-only incident at them; a ground sensor's false alarm's track, which took the
    // walkers' first frame, explained the 3 m camera's next frame 670 m from them (on the same
    // ray) and was a false incident of its own; the walkers' own track 3 s later then found the
    // incident taken by a live track. Seed 29: the camera track's finding 490 m along the ray.
    const LatLon camera{15.532, -88.452};
    const LatLon walkers = geo::geodesic_destination(camera, 80, 2000);
    const LatLon short_of_them = geo::geodesic_destination(camera, 81, 1350);  // 24 m across
    REQUIRE(geo::geodesic_distance_m(walkers, short_of_them) > 600);
    auto frame = [&](TrackId track, double t_s, LatLon where, double bearing_deg) {
        Finding f = person(9, track, t_s, where, AlertKind::ground_detection);
        f.key.detail = (1ULL << 63) | 5;  // the camera's feed, as the rule engine keys it
        f.occurrence = f.key.detail;
        f.ray = Finding::Ray{camera, bearing_deg};
        return f;
    };
    const auto raised = [&](IncidentLedger& ledger) {
        Finding d = detection(5, 0, walkers);
        d.state.cov(0, 0) = d.state.cov(1, 1) = 100;
        return *ledger.add(d, at_s(0));
    };
    {
        IncidentLedger ledger(1, IncidentPolicy{});
        const auto id = raised(ledger);
        // 650 m off, on the frame's ray: the frame may be of the walkers; one incident.
        CHECK(ledger.add(frame(914, 1, short_of_them, 80.6), at_s(1)) == id);
        // The walkers' own track, 3 s later, at their detection: it explains it too. Track 914
        // lives on, yet the detection is the new track's to adopt.
        CHECK(ledger.add(person(9, 2266, 3, geo::geodesic_destination(walkers, 0, 30),
                                AlertKind::ground_detection),
                         at_s(3)) == id);
        CHECK(ledger.find(id)->tracks == std::vector<TrackId>{914, 2266});
    }
    {
        // Seed 29: the walkers' track adopted the detection at once; 44 s later the camera
        // track on the same ray, 650 m short, is theirs too, beside the live track.
        IncidentLedger ledger(1, IncidentPolicy{});
        const auto id = raised(ledger);
        CHECK(ledger.add(person(9, 2202, 1, walkers, AlertKind::ground_detection), at_s(1)) == id);
        CHECK(ledger.add(frame(2305, 44, short_of_them, 80.6), at_s(44)) == id);
        CHECK(ledger.find(id)->tracks == std::vector<TrackId>{2202, 2305});
    }
    {
        // The same place with the frame's ray 20 deg off (470 m across at their range): the
        // frame does not reach the walkers; another incident.
        IncidentLedger ledger(1, IncidentPolicy{});
        const auto id = raised(ledger);
        CHECK(ledger.add(frame(914, 1, short_of_them, 100), at_s(1)) != id);
    }
    {
        // Without a ray (a frame that fixes its place, or another rule's finding) 650 m is too
        // far to adopt.
        IncidentLedger ledger(1, IncidentPolicy{});
        const auto id = raised(ledger);
        Finding no_ray = frame(914, 1, short_of_them, 80.6);
        no_ray.ray.reset();
        CHECK(ledger.add(no_ray, at_s(1)) != id);
    }
    {
        // Beside a live track, a detection older than group_within is no one's to adopt, and a
        // track 400 m from it (beyond explain_m) is someone else.
        IncidentLedger ledger(1, IncidentPolicy{});
        const auto id = raised(ledger);
        CHECK(ledger.add(person(9, 2266, 2, walkers, AlertKind::ground_detection), at_s(2)) == id);
        CHECK(ledger.add(person(9, 2301, 10, geo::geodesic_destination(walkers, 0, 400),
                                AlertKind::ground_detection),
                         at_s(10)) != id);
        CHECK(ledger.add(person(9, 2300, 90, walkers, AlertKind::ground_detection), at_s(90)) !=
              id);
    }
}
