#pragma once
/// Identifiers. Plain integers with names that say what they count; ids are never reused within
/// a run (track and alert ids only grow), so a console can key on them safely.
#include <cstdint>

namespace picket {

using TrackId = std::uint64_t;    ///< fused track, assigned by the tracker, never reused
using AlertId = std::uint64_t;    ///< alert, assigned by the alert ledger, never reused (persisted)
using Mmsi = std::uint32_t;       ///< AIS Maritime Mobile Service Identity (30 bits on the wire)
using FeedIndex = std::uint16_t;  ///< index of a feed in the server config (order of declaration)
/// ICAO 24-bit aircraft address (Mode S, ADS-B; ASTERIX I048/220): one per airframe, worldwide.
using AircraftAddress = std::uint32_t;

/// Whether `a` can name an aircraft: 24 bits, and neither all zeros (ICAO Annex 10 vol. III:
/// never assigned; what a transponder whose address was never set sends) nor all ones (the
/// all-call / broadcast address, never an aircraft's).
constexpr bool valid_aircraft_address(AircraftAddress a) { return a != 0 && a < 0xFFFFFFu; }

}  // namespace picket
