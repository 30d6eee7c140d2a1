#pragma once
// Minimal classic-pcap writer (libpcap format, LINKTYPE_ETHERNET) for feeding encoded ASTERIX
// datagrams to tshark: global header + per packet Ethernet II / IPv4 / UDP headers.
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace picket::test {

inline void pcap_put(std::string& out, std::uint64_t v, int bytes, bool big_endian) {
    for (int i = 0; i < bytes; ++i) {
        const int shift = big_endian ? 8 * (bytes - 1 - i) : 8 * i;
        out.push_back(static_cast<char>((v >> shift) & 0xFF));
    }
}

/// Writes `payloads` as UDP datagrams 10.0.0.1:port -> 10.0.0.2:port, one second apart.
inline bool write_udp_pcap(const std::string& path, const std::vector<std::string>& payloads,
                           std::uint16_t port) {
    std::string f;
    pcap_put(f, 0xa1b2c3d4, 4, false);  // magic (microsecond timestamps), little-endian file
    pcap_put(f, 2, 2, false);
    pcap_put(f, 4, 2, false);
    pcap_put(f, 0, 4, false);      // thiszone
    pcap_put(f, 0, 4, false);      // sigfigs
    pcap_put(f, 65535, 4, false);  // snaplen
    pcap_put(f, 1, 4, false);      // LINKTYPE_ETHERNET
    std::uint32_t t = 1'764'000'000;
    for (const std::string& payload : payloads) {
        std::string pkt;
        pcap_put(pkt, 0x020000000002, 6, true);  // dst MAC
        pcap_put(pkt, 0x020000000001, 6, true);  // src MAC
        pcap_put(pkt, 0x0800, 2, true);          // IPv4
        const std::size_t ip_len = 20 + 8 + payload.size();
        std::string ip;
        pcap_put(ip, 0x45, 1, true);
        pcap_put(ip, 0, 1, true);
        pcap_put(ip, ip_len, 2, true);
        pcap_put(ip, 0, 2, true);       // id
        pcap_put(ip, 0x4000, 2, true);  // DF
        pcap_put(ip, 64, 1, true);      // TTL
        pcap_put(ip, 17, 1, true);      // UDP
        pcap_put(ip, 0, 2, true);       // checksum, patched below
        pcap_put(ip, 0x0A000001, 4, true);
        pcap_put(ip, 0x0A000002, 4, true);
        std::uint32_t sum = 0;
        for (std::size_t i = 0; i < 20; i += 2)
            sum += (static_cast<std::uint8_t>(ip[i]) << 8) | static_cast<std::uint8_t>(ip[i + 1]);
        while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
        const std::uint16_t csum = static_cast<std::uint16_t>(~sum);
        ip[10] = static_cast<char>(csum >> 8);
        ip[11] = static_cast<char>(csum & 0xFF);
        pkt += ip;
        pcap_put(pkt, port, 2, true);
        pcap_put(pkt, port, 2, true);
        pcap_put(pkt, 8 + payload.size(), 2, true);
        pcap_put(pkt, 0, 2, true);  // UDP checksum 0 = not computed (valid for IPv4)
        pkt += payload;
        pcap_put(f, t++, 4, false);
        pcap_put(f, 0, 4, false);
        pcap_put(f, pkt.size(), 4, false);
        pcap_put(f, pkt.size(), 4, false);
        f += pkt;
    }
    std::ofstream out(path, std::ios::binary);
    out.write(f.data(), static_cast<std::streamsize>(f.size()));
    return static_cast<bool>(out);
}

}  // namespace picket::test
