#pragma once
/// The AIS feed decoder (config format "nmea-ais"): NMEA lines in, measurements, identities,
/// anomalies and rejects out. See docs/ais.md for the normalisation rules.
///
/// - Lines may be separated by \n or \r\n; a ZeroMQ message may hold many.
/// - Observed time: the tag block `c:` time when present; else the received time moved back to
///   the report's UTC second (0..59) when valid; else the received time.
/// - Position covariance: FeedParams.sigma_position_m when set, else 10 m (1σ) for the high
///   accuracy flag (M.1371 "<= 10 m", DGNSS) and 50 m otherwise (unaugmented GNSS plus latency).
/// - Velocity from SOG/COG when both are available.
/// - Static data (5, 19, 24A/B merged per MMSI) goes to sink.identity().
/// - Sanity: a position report whose MMSI is not a plausible ship/SAR/AtoN identity raises
///   anomaly "invalid_mmsi"; a position implying more than 100 kn since the last report of the
///   same MMSI raises "impossible_jump". Neither is fused.
#include <memory>

#include "sensors/feed_decoder.hpp"

namespace picket::sensors {

std::unique_ptr<FeedDecoder> make_ais_feed_decoder(const FeedParams& params);

}  // namespace picket::sensors

namespace picket::sensors::ais {

/// True when `mmsi` may send position reports: 9 digits with a ship MID (2xx..7xx), SAR aircraft
/// (111MIDxxx), AtoN (99MIDxxxx), auxiliary craft (98MIDxxxx) or AIS-SART/MOB/EPIRB (970/972/974).
/// Zero, fewer than 9 digits (coast stations, groups) and test patterns are not.
bool plausible_mobile_mmsi(Mmsi mmsi);

}  // namespace picket::sensors::ais
