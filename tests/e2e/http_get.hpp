#pragma once
// A plain HTTP/1.1 GET over a real socket to the server's web port (for /metrics), no library.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace picket::e2e {

/// The response body of GET `target` on 127.0.0.1:`port`; throws when nothing answers.
inline std::string http_get(std::uint16_t port, const std::string& target) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        throw std::runtime_error("http_get: cannot connect to port " + std::to_string(port));
    }
    const std::string req =
        "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    (void)::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
    std::string out;
    char buf[8192];
    for (;;) {
        const auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    const auto body = out.find("\r\n\r\n");
    if (body == std::string::npos) throw std::runtime_error("http_get: no response");
    return out.substr(body + 4);
}

/// The value of one Prometheus series line `series` ("name{labels}") in `text`; -1 when absent.
inline double metric_value(const std::string& text, const std::string& series) {
    const auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
}

}  // namespace picket::e2e
