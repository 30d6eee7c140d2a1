// pcap (https://www.tcpdump.org/manpages/pcap-savefile.5.html), pcapng (IETF draft
// draft-ietf-opsawg-pcapng), link types (https://www.tcpdump.org/linktypes.html).
#include "sensors/asterix/capture_reader.hpp"

#include <algorithm>
#include <cstring>

namespace picket::sensors::asterix {
namespace {

std::uint32_t rd32(const unsigned char* p, bool big) {
    return big ? (std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 |
                  p[3])
               : (std::uint32_t{p[3]} << 24 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[1]} << 8 |
                  p[0]);
}
std::uint16_t rd16(const unsigned char* p, bool big) {
    return static_cast<std::uint16_t>(big ? (p[0] << 8 | p[1]) : (p[1] << 8 | p[0]));
}
std::uint16_t be16(const unsigned char* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }

constexpr std::uint32_t kLinkNull = 0, kLinkEthernet = 1, kLinkRaw = 101, kLinkLoop = 108,
                        kLinkSll = 113, kLinkIpv4 = 228, kLinkIpv6 = 229, kLinkSll2 = 276;

/// The UDP payload of an IPv4 or IPv6 packet, or false (not UDP, a fragment, truncated).
bool udp_of_ip(const unsigned char* p, std::size_t n, std::string_view& payload,
               std::uint16_t& port) {
    if (n < 1) return false;
    const unsigned version = p[0] >> 4;
    std::size_t off = 0;
    unsigned proto = 0;
    if (version == 4) {
        const std::size_t ihl = (p[0] & 15u) * 4u;
        if (n < 20 || ihl < 20 || n < ihl) return false;
        const std::uint16_t frag = be16(p + 6);
        if ((frag & 0x3FFF) != 0) return false;  // more fragments or an offset: not reassembled
        proto = p[9];
        const std::size_t total = be16(p + 2);
        if (total >= ihl && total < n) n = total;  // Ethernet padding after the datagram
        off = ihl;
    } else if (version == 6) {
        if (n < 40) return false;
        proto = p[6];
        off = 40;  // extension headers are not followed (none in surveillance captures)
    } else {
        return false;
    }
    if (proto != 17 || n < off + 8) return false;
    const std::size_t udp_len = be16(p + off + 4);
    if (udp_len < 8 || off + udp_len > n) return false;
    port = be16(p + off + 2);
    payload = std::string_view(reinterpret_cast<const char*>(p + off + 8), udp_len - 8);
    return true;
}

bool udp_of_link(std::uint32_t link, const unsigned char* p, std::size_t n,
                 std::string_view& payload, std::uint16_t& port) {
    switch (link) {
        case kLinkEthernet: {
            std::size_t off = 12;
            if (n < 14) return false;
            std::uint16_t type = be16(p + off);
            while ((type == 0x8100 || type == 0x88A8) && n >= off + 6) {  // VLAN tags
                off += 4;
                type = be16(p + off);
            }
            if (type != 0x0800 && type != 0x86DD) return false;
            return udp_of_ip(p + off + 2, n - off - 2, payload, port);
        }
        case kLinkSll:
            return n >= 16 && udp_of_ip(p + 16, n - 16, payload, port);
        case kLinkSll2:
            return n >= 20 && udp_of_ip(p + 20, n - 20, payload, port);
        case kLinkNull:
        case kLinkLoop:
            return n >= 4 && udp_of_ip(p + 4, n - 4, payload, port);
        case kLinkRaw:
        case kLinkIpv4:
        case kLinkIpv6:
            return udp_of_ip(p, n, payload, port);
        default:
            return false;
    }
}

void add_packet(Capture& c, std::uint32_t link, const unsigned char* p, std::size_t n,
                std::int64_t time_ns) {
    ++c.frames;
    std::string_view payload;
    std::uint16_t port = 0;
    if (udp_of_link(link, p, n, payload, port))
        c.payloads.push_back({c.frames, payload, port, time_ns});
    else
        ++c.skipped;
}

void read_pcap(std::string_view f, Capture& c) {
    const auto* p = reinterpret_cast<const unsigned char*>(f.data());
    const std::uint32_t magic = rd32(p, false);
    const bool big = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
    const bool nano = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
    if (f.size() < 24) {
        c.error = "pcap header truncated";
        return;
    }
    const std::uint32_t link = rd32(p + 20, big) & 0x0FFFFFFF;
    std::size_t pos = 24;
    while (pos < f.size()) {
        if (f.size() - pos < 16) {
            c.error = "pcap record header truncated";
            return;
        }
        const std::int64_t sec = rd32(p + pos, big);
        const std::int64_t frac = rd32(p + pos + 4, big);
        const std::size_t incl = rd32(p + pos + 8, big);
        pos += 16;
        if (incl > f.size() - pos) {
            c.error = "pcap record truncated";
            return;
        }
        add_packet(c, link, p + pos, incl, sec * 1'000'000'000 + frac * (nano ? 1 : 1000));
        pos += incl;
    }
}

void read_pcapng(std::string_view f, Capture& c) {
    const auto* p = reinterpret_cast<const unsigned char*>(f.data());
    std::vector<std::uint32_t> links;  // per interface of the current section
    std::vector<std::int64_t> ticks;   // time stamp units per second, per interface
    bool big = false;
    std::size_t pos = 0;
    while (pos < f.size()) {
        if (f.size() - pos < 12) {
            c.error = "pcapng block header truncated";
            return;
        }
        const std::uint32_t type = rd32(p + pos, big);
        if (type == 0x0A0D0D0A) {  // section header: its byte-order magic decides the rest
            if (f.size() - pos < 28) {
                c.error = "pcapng section header truncated";
                return;
            }
            big = rd32(p + pos + 8, false) == 0x4D3C2B1A;
            links.clear();
            ticks.clear();
        }
        const std::size_t len = rd32(p + pos + 4, big);
        if (len < 12 || len % 4 != 0 || len > f.size() - pos) {
            c.error = "pcapng block length " + std::to_string(len);
            return;
        }
        const unsigned char* b = p + pos + 8;  // block body
        const std::size_t body = len - 12;
        if (type == 1 && body >= 8) {  // interface description
            links.push_back(rd16(b, big));
            std::int64_t per_s = 1'000'000;
            // Options: if_tsresol (code 9) changes the unit.
            std::size_t o = 8;
            while (o + 4 <= body) {
                const std::uint16_t code = rd16(b + o, big), olen = rd16(b + o + 2, big);
                if (code == 0) break;
                if (code == 9 && olen >= 1 && o + 4 < body) {
                    const unsigned r = b[o + 4];
                    per_s = 1;
                    for (unsigned k = 0; k < (r & 0x7F) && per_s < 1'000'000'000'000'000LL; ++k)
                        per_s *= (r & 0x80) ? 2 : 10;
                }
                o += 4 + (olen + 3u) / 4u * 4u;
            }
            ticks.push_back(per_s);
        } else if (type == 6 && body >= 20) {  // enhanced packet
            const std::uint32_t iface = rd32(b, big);
            const std::uint64_t ts =
                (std::uint64_t{rd32(b + 4, big)} << 32) | std::uint64_t{rd32(b + 8, big)};
            const std::size_t caplen = rd32(b + 12, big);
            if (iface >= links.size() || caplen > body - 20) {
                ++c.frames;
                ++c.skipped;
            } else {
                const std::int64_t per_s = ticks[iface];
                const auto t = static_cast<std::int64_t>(ts);
                const std::int64_t ns =
                    t / per_s * 1'000'000'000 + (t % per_s) * 1'000'000'000 / per_s;
                add_packet(c, links[iface], b + 20, caplen, ns);
            }
        } else if (type == 3 && body >= 4) {  // simple packet: interface 0, no time stamp
            if (links.empty()) {
                ++c.frames;
                ++c.skipped;
            } else {
                add_packet(c, links[0], b + 4, std::min<std::size_t>(rd32(b, big), body - 4), 0);
            }
        } else if (type == 2) {  // obsolete packet block
            ++c.frames;
            ++c.skipped;
        }
        pos += len;
    }
}

}  // namespace

Capture read_capture(std::string_view file) {
    Capture c;
    if (file.size() >= 4) {
        const auto* p = reinterpret_cast<const unsigned char*>(file.data());
        const std::uint32_t m = rd32(p, false);
        if (m == 0xa1b2c3d4 || m == 0xd4c3b2a1 || m == 0xa1b23c4d || m == 0x4d3cb2a1) {
            c.format = CaptureFormat::pcap;
            read_pcap(file, c);
            return c;
        }
        if (m == 0x0A0D0D0A) {
            c.format = CaptureFormat::pcapng;
            read_pcapng(file, c);
            return c;
        }
    }
    // Concatenated data blocks: one payload per block, numbered from 1 as if each had come in a
    // datagram of its own. After a LEN that cannot be right the rest is one payload, so that the
    // decoder reports it.
    c.format = CaptureFormat::blocks;
    const auto* p = reinterpret_cast<const unsigned char*>(file.data());
    std::size_t pos = 0;
    while (pos < file.size()) {
        const std::size_t left = file.size() - pos;
        const std::size_t len = left >= 3 ? (std::size_t{p[pos + 1]} << 8 | p[pos + 2]) : 0;
        const std::size_t take = len >= 3 && len <= left ? len : left;
        ++c.frames;
        c.payloads.push_back({c.frames, file.substr(pos, take), 0, 0});
        pos += take;
    }
    return c;
}

}  // namespace picket::sensors::asterix
