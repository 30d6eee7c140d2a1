#pragma once
/// Radar captures as they come: a pcap or pcapng file of UDP datagrams (Wireshark, tcpdump), or
/// a file of concatenated ASTERIX data blocks (what recorders write). Splits a capture held in
/// memory into the ASTERIX payloads, numbered as Wireshark numbers frames, so that a decode can
/// be checked against `tshark` record by record. Pure: views into the caller's bytes.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace picket::sensors::asterix {

enum class CaptureFormat { pcap, pcapng, blocks };

struct CapturedPayload {
    std::uint64_t frame;     ///< pcap/pcapng: packet number from 1 (tshark's frame.number);
                             ///< blocks: the block's number from 1
    std::string_view bytes;  ///< the UDP payload, or one data block
    std::uint16_t udp_dst_port{0};
    std::int64_t time_ns{0};  ///< capture time stamp (UNIX ns), 0 for blocks
};

struct Capture {
    CaptureFormat format{CaptureFormat::blocks};
    std::vector<CapturedPayload> payloads;
    std::uint64_t frames{0};   ///< packets (blocks) in the file
    std::uint64_t skipped{0};  ///< packets that are not a whole UDP datagram (other protocols,
                               ///< IP fragments, truncated captures, unknown link types)
    std::string error;         ///< a broken file header or block; empty when read to the end
};

/// Reads `file`: pcap (micro- or nanosecond, either byte order; Ethernet with VLAN tags, Linux
/// cooked SLL/SLL2, raw IP, BSD loopback), pcapng (EPB, SPB, per-interface link types), else
/// concatenated ASTERIX blocks.
Capture read_capture(std::string_view file);

}  // namespace picket::sensors::asterix
