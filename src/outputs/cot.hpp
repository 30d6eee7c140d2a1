#pragma once
/// Cursor on Target (CoT 2.0) events for TAK clients (ATAK, WinTAK, TAK Server).
///
/// Pure functions: a Track or an Alert in, one self-contained XML event out. The transports that
/// carry them (UDP, TCP to a TAK server) live in udp_sender.hpp, tak_tcp_client.hpp and
/// cot_output.hpp.
///
/// Type codes follow MIL-STD-2525 as CoT spells them: "a-<affiliation>-<dimension>".
///   affiliation: u unknown, f friendly, n neutral, s suspect, h hostile (the operator's Standing);
///                an unknown-standing dark target (Track::dark(): no AIS identity) is sent as
///                suspect, because that is exactly the contact a TAK user must notice.
///   dimension:   S surface (vessels, fast boats, unknown maritime), G ground (person, vehicle),
///                A air (aircraft).
/// Alerts (docs/outputs.md, "Alerts on TAK"): a critical breach of a zone or border by a track on
/// the TAK picture is an ATAK emergency, "Geo-fence Breached" (b-a-g with <emergency>, linked to
/// the track's marker); every other alert is a spot-map marker (b-m-p-s-m) coloured by severity.
/// A track marker is removed with a CoT delete task (t-x-d-d, <link> to its uid, <__forcedelete/>),
/// as ATAK's CotDeleteImporter expects.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/alert.hpp"
#include "core/time.hpp"
#include "core/track.hpp"

namespace picket::outputs {

/// CoT uid of a track's events: stable for the life of the track ("picket-track-12").
std::string cot_uid_for_track(TrackId id);
/// CoT uid of an alert's events ("picket-alert-7").
std::string cot_uid_for_alert(AlertId id);

/// The CoT type for a track, e.g. "a-u-S", "a-h-G", "a-f-A" (see the table above).
std::string cot_type_for_track(const Track& track);

/// One CoT 2.0 event (XML declaration included) for a track.
/// time = `now`, start = the track's last update (clamped to `now`: a track is never valid from
/// the future), stale = now + `stale`. point: lat/lon (7 decimals, WGS84), hae 0 for surface tracks
/// and 9999999.0 (CoT "unknown") otherwise, ce = 1-sigma horizontal error (m) from the covariance,
/// le 9999999.0. detail/track: course (deg true) and speed (m/s); detail/contact: callsign
/// (AIS name, else label, else "T<id>"); remarks: status, class, MMSI, sensors.
std::string cot_event_for_track(const Track& track, Timestamp now, Duration stale);

/// The marker an alert's <link> names: a track event TAK clients have and have not been told to
/// delete, by its uid and the type it was last sent with (ATAK matches both).
struct CotLink {
    std::string uid;
    std::string type;
};

/// True when the alert goes out as an ATAK emergency: critical, a zone entry or border crossing
/// (a geofence breach), not closed, and linked to its track's marker. ATAK drops an emergency
/// without a link (EmergencyAlertReceiver.fromCot requires one), so an unlinked alert is a marker.
bool cot_alert_is_emergency(const Alert& alert, bool linked);

/// The spot-map colour of a severity, as ATAK writes it (ARGB as a signed 32-bit integer):
/// critical red, high orange, medium yellow, low white, info grey.
std::int32_t cot_severity_argb(Severity s);

/// One CoT 2.0 event for an open or acknowledged alert, at the alert's position, callsign
/// "ALERT <id> <kind>", remarks "[severity] [state] message zone=...", stale = now + `stale`:
///  - emergency (cot_alert_is_emergency, and `allow_emergency`): type b-a-g,
///    <link uid type relation="p-p"/> and
///    <emergency type="Geo-fence Breached">callsign of the track</emergency>;
///  - otherwise a spot-map marker b-m-p-s-m with <color argb> and the matching <usericon>, and the
///    <link> only when `link` is given (no link to a track TAK does not have).
std::string cot_event_for_alert(const Alert& alert, Timestamp now, Duration stale,
                                const CotLink* link = nullptr, bool allow_emergency = true);

/// Ends an emergency sent for this alert: b-a-o-can with <emergency cancel="true">, which makes
/// ATAK remove the alert and its marker (EmergencyDetailHandler).
std::string cot_emergency_cancel(const Alert& alert, Timestamp now, Duration stale);

/// A CoT delete task for the marker `uid` (last seen at `where`), under that same uid: t-x-d-d with
/// <link uid relation="none" type="none"/> and <__forcedelete/> (ATAK's CotDeleteImporter removes
/// the item at once; without __forcedelete it only marks it stale). Stale 60 s after now.
std::string cot_delete_event(std::string_view uid, LatLon where, Timestamp now);

/// Appends `text` escaped for XML attribute values and character data (& < > " ').
void append_xml_escaped(std::string& out, std::string_view text);

}  // namespace picket::outputs
