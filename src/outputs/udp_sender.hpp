#pragma once
/// Non-blocking UDP datagram sender for CoT (e.g. the SA multicast group 239.2.3.1:6969) and
/// ASTERIX CAT062 (unicast or multicast). Called from the fusion thread: send() never blocks;
/// when the kernel buffer is full the datagram is dropped and counted.
#include <cstdint>
#include <string>
#include <string_view>

namespace picket::outputs {

struct UdpTarget {
    std::string host;  ///< IPv4 address (dotted quad or resolvable name); multicast OK
    std::uint16_t port{0};
    int multicast_ttl{1};       ///< hops for multicast (1 = local subnet)
    std::string interface_ip;   ///< multicast egress interface (empty = kernel default)
    bool multicast_loop{true};  ///< deliver our multicast to listeners on this host too
};

class UdpSender {
public:
    /// Opens a socket for `target`. Throws std::runtime_error naming host:port when the address
    /// does not resolve or the socket cannot be configured (a config error: fail at startup).
    explicit UdpSender(const UdpTarget& target);
    ~UdpSender();
    UdpSender(const UdpSender&) = delete;
    UdpSender& operator=(const UdpSender&) = delete;

    /// Sends one datagram without blocking. Returns false (and counts a drop) when the kernel
    /// would block or refuses it (e.g. ICMP port unreachable reported on a connected socket).
    bool send(std::string_view datagram);

    [[nodiscard]] std::uint64_t sent() const { return sent_; }
    [[nodiscard]] std::uint64_t dropped() const { return dropped_; }

private:
    int fd_{-1};
    std::uint64_t sent_{0};
    std::uint64_t dropped_{0};
};

}  // namespace picket::outputs
