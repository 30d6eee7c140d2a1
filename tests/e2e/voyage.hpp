#pragma once
// A vessel's AIS reports sent over a real ZeroMQ socket, paced to the server's virtual clock.
#include <zmq.hpp>

#include "core/geodetic.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "src/server.hpp"

namespace picket::e2e {

inline constexpr Mmsi kMmsi = 257000123;
inline constexpr double kSpeedKn = 20;
inline constexpr double kClockSpeed = 100;  // virtual s per wall s: a 7-minute voyage in ~4 s
inline const Timestamp kT0{1'795'564'800LL * kNsPerSecond};  // 2026-11-25T00:00:00Z

/// Fast-forward server options for the voyage tests: the clock starts at kT0 and runs
/// kClockSpeed times faster than the wall clock.
server::ServeOptions voyage_server_options();

/// One Class A position report (type 1) of a vessel at `p` making kSpeedKn on `course_deg`, as a
/// feed message (sentences joined by CR LF), with no tag block: the server stamps receive time.
std::string position_report_message(Mmsi mmsi, LatLon p, double course_deg);

/// Sends Class A reports every 10 virtual seconds from (`start`, `t0`: the server clock now) along
/// `course_deg` at kSpeedKn, with malformed sentences (bad checksum, garbage, truncated) mixed into
/// every 7th message.
void sail(zmq::socket_t& pub, LatLon start, double course_deg, int reports, Timestamp t0);

}  // namespace picket::e2e
