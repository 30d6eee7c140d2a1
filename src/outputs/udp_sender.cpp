#include "src/outputs/udp_sender.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace picket::outputs {
namespace {

sockaddr_in resolve_ipv4(const std::string& host, std::uint16_t port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) == 1) return addr;
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* res = nullptr;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0 || res == nullptr) {
        throw std::runtime_error("udp output: cannot resolve '" + host + "'");
    }
    addr.sin_addr = reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_addr;
    freeaddrinfo(res);
    return addr;
}

}  // namespace

UdpSender::UdpSender(const UdpTarget& target) {
    const std::string where = target.host + ":" + std::to_string(target.port);
    const sockaddr_in addr = resolve_ipv4(target.host, target.port);
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0)
        throw std::runtime_error("udp output " + where + ": socket: " + std::strerror(errno));
    auto fail = [&](const char* what) {
        const std::string msg = "udp output " + where + ": " + what + ": " + std::strerror(errno);
        ::close(fd_);
        fd_ = -1;
        throw std::runtime_error(msg);
    };
    if (IN_MULTICAST(ntohl(addr.sin_addr.s_addr))) {
        const unsigned char ttl = static_cast<unsigned char>(target.multicast_ttl);
        if (setsockopt(fd_, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl) != 0)
            fail("IP_MULTICAST_TTL");
        const unsigned char loop = target.multicast_loop ? 1 : 0;
        if (setsockopt(fd_, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop) != 0)
            fail("IP_MULTICAST_LOOP");
        if (!target.interface_ip.empty()) {
            in_addr ifaddr{};
            if (inet_pton(AF_INET, target.interface_ip.c_str(), &ifaddr) != 1) {
                errno = EINVAL;
                fail("interface_ip");
            }
            if (setsockopt(fd_, IPPROTO_IP, IP_MULTICAST_IF, &ifaddr, sizeof ifaddr) != 0)
                fail("IP_MULTICAST_IF");
        }
    }
    // connect() fixes the destination so send() needs no address; for UDP it sends nothing.
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) fail("connect");
}

UdpSender::~UdpSender() {
    if (fd_ >= 0) ::close(fd_);
}

bool UdpSender::send(std::string_view datagram) {
    const ssize_t n = ::send(fd_, datagram.data(), datagram.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n == static_cast<ssize_t>(datagram.size())) {
        ++sent_;
        return true;
    }
    ++dropped_;
    return false;
}

}  // namespace picket::outputs
