#pragma once
/// ASTERIX CAT062 system tracks out: picket's fused picture for ATM/C2 tools that speak ASTERIX.
/// Maps Track -> sensors/asterix Cat062Track and packs data blocks into UDP-sized datagrams;
/// send them with UdpSender (udp_sender.hpp).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "core/track.hpp"
#include "sensors/asterix/cat062_encoder.hpp"

namespace picket::outputs {

/// The CAT062 record for one track: I062/010 = sac/sic, I062/070 = time of day of the track's
/// last update (its position and velocity are as of then; `now` if it was never updated),
/// I062/105 WGS-84 position,
/// I062/185 velocity (east = Vx, north = Vy), I062/040 track number = track id mod 65536 (the
/// server's output gives each live track a number of its own instead: cat062_output.hpp),
/// I062/080: MON when one sensor kind saw the track, CNF for tentative, CST for coasting.
sensors::asterix::Cat062Track cat062_track_for(const Track& track, Timestamp now, std::uint8_t sac,
                                               std::uint8_t sic);

/// One CAT062 data block with one record per (non-deleted) track.
std::string cat062_datagram(std::span<const Track> tracks, Timestamp now, std::uint8_t sac,
                            std::uint8_t sic);

/// Records split into datagrams of at most `max_bytes` octets each, one whole data block per
/// datagram (a record is never split; one larger than `max_bytes` travels alone).
std::vector<std::string> cat062_pack(std::span<const sensors::asterix::Cat062Track> records,
                                     std::size_t max_bytes = 1400);

/// The same records split into datagrams of at most `max_bytes` octets each (one data block
/// per datagram, so each datagram decodes on its own). 1400 keeps clear of a 1500-byte MTU.
std::vector<std::string> cat062_datagrams(std::span<const Track> tracks, Timestamp now,
                                          std::uint8_t sac, std::uint8_t sic,
                                          std::size_t max_bytes = 1400);

}  // namespace picket::outputs
