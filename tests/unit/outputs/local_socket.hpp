#pragma once
/// Real loopback sockets for the outputs tests: a listener on a kernel-chosen port, and reading
/// whatever datagrams arrive.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace picket::outputs::testing {

/// A socket bound to 127.0.0.1 on a kernel-chosen port.
struct LocalSocket {
    int fd{-1};
    std::uint16_t port{0};
    explicit LocalSocket(int type) {
        fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
        const int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        socklen_t len = sizeof a;
        getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
        if (type == SOCK_STREAM) REQUIRE(::listen(fd, 4) == 0);
    }
    ~LocalSocket() {
        if (fd >= 0) ::close(fd);
    }
    LocalSocket(const LocalSocket&) = delete;
    LocalSocket& operator=(const LocalSocket&) = delete;
};

inline bool readable(int fd, int timeout_ms) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, timeout_ms) == 1;
}

/// Every datagram that arrives until none has for `idle_ms` (0: those already queued; loopback
/// delivers a datagram before sendto returns).
inline std::vector<std::string> drain(int fd, int idle_ms = 200) {
    std::vector<std::string> out;
    while (readable(fd, idle_ms)) {
        std::string buf(65536, '\0');
        const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
        if (n <= 0) break;
        buf.resize(static_cast<std::size_t>(n));
        out.push_back(buf);
    }
    return out;
}

}  // namespace picket::outputs::testing
