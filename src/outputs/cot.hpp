#pragma once
/// Cursor on Target (CoT 2.0) events for TAK clients (ATAK, WinTAK, TAK Server).
///
/// Pure functions: a Track or an Alert in, one self-contained XML event out. The transports that
/// carry them (UDP, TCP to a TAK server) live in cot_udp_sender.hpp and tak_tcp_client.hpp.
///
/// Type codes follow MIL-STD-2525 as CoT spells them: "a-<affiliation>-<dimension>".
///   affiliation: u unknown, f friendly, n neutral, s suspect, h hostile (the operator's Standing);
///                an unknown-standing dark target (Track::dark(): no AIS identity) is sent as
///                suspect, because that is exactly the contact a TAK user must notice.
///   dimension:   S surface (vessels, fast boats, unknown maritime), G ground (person, vehicle),
///                A air (aircraft).
/// Alerts are CoT alarms: "b-a-o-tbl" while open or acknowledged, "b-a-o-can" once closed, with a
/// <link> to the track's event so TAK draws the relation.
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

/// One CoT 2.0 event for an alert: at the alert's position, type b-a-o-tbl (b-a-o-can when
/// closed), callsign "ALERT <id> <kind>", remarks = the alert's message and state, and a link
/// to the track's uid.
std::string cot_event_for_alert(const Alert& alert, Timestamp now, Duration stale);

/// Appends `text` escaped for XML attribute values and character data (& < > " ').
void append_xml_escaped(std::string& out, std::string_view text);

}  // namespace picket::outputs
