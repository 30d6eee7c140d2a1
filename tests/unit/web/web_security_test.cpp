// The control-room server's gate, over real sockets on 127.0.0.1 (raw bytes where a well-behaved
// client library would refuse to send what an attacker sends): Host allow-list on every route and
// on the WebSocket (DNS rebinding), Origin on state-changing requests, request framing and size
// limits with their status codes, slow clients timed out, the connection limit, bounded command
// log lines, and a metric for every kind of refusal.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/log.hpp"
#include "src/web/request_guard.hpp"
#include "src/web/web_server.hpp"

using namespace picket::web;
using namespace std::chrono_literals;

namespace {

/// A raw TCP connection to 127.0.0.1:port.
class RawClient {
public:
    explicit RawClient(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    }
    ~RawClient() { ::close(fd_); }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    /// Sends as much as the server takes (it may stop reading after refusing).
    void send(const std::string& bytes) {
        std::size_t off = 0;
        while (off < bytes.size()) {
            const auto n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
            if (n <= 0) return;
            off += static_cast<std::size_t>(n);
        }
    }
    /// Reads until the server closes or `wait` passes without data; returns what arrived.
    std::string read_until_closed(std::chrono::milliseconds wait = 5s) {
        timeval tv{static_cast<long>(wait.count() / 1000),
                   static_cast<long>((wait.count() % 1000) * 1000)};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        std::string out;
        char buf[4096];
        for (;;) {
            const auto n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) {
                closed_ = n == 0 || errno == ECONNRESET;
                return out;
            }
            out.append(buf, static_cast<std::size_t>(n));
        }
    }
    /// True once read_until_closed() saw the server close the connection (not a timeout).
    [[nodiscard]] bool closed() const { return closed_; }

private:
    int fd_;
    bool closed_{false};
};

/// One request's answer: the status code of the first response line, 0 when none arrived.
int status_of(const std::string& response) {
    if (response.rfind("HTTP/1.1 ", 0) != 0) return 0;
    return std::stoi(response.substr(9, 3));
}

std::string get(const std::string& target, const std::string& host,
                const std::string& extra_headers = {}) {
    return "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n" + extra_headers +
           "Connection: close\r\n\r\n";
}

int status(std::uint16_t port, const std::string& request) {
    RawClient c(port);
    c.send(request);
    return status_of(c.read_until_closed());
}

std::uint64_t refused(std::uint16_t port, const std::string& reason) {
    RawClient c(port);
    c.send(get("/metrics", "127.0.0.1"));
    const auto text = c.read_until_closed();
    const std::string key = "picket_web_refused_total{reason=\"" + reason + "\"} ";
    const auto at = text.find(key);
    REQUIRE(at != std::string::npos);
    return std::stoull(text.substr(at + key.size()));
}

struct Server {
    explicit Server(WebConfig config = {}) {
        config.port = 0;
        config.token = "s3cret";
        Hooks hooks;
        hooks.snapshot = [] { return std::string(R"({"seq":1,"tracks":[],"alerts":[]})"); };
        hooks.layers = [] { return std::string(R"({"type":"FeatureCollection","features":[]})"); };
        hooks.assets = [] { return std::string("[]"); };
        hooks.metrics = [] { return std::string(); };
        hooks.command = [this](const std::string&, const std::string&) {
            std::lock_guard lock(mutex);
            ++commands;
            return std::string(R"({"ok":true})");
        };
        server = std::make_unique<WebServer>(config, hooks);
        server->start();
        port = server->port();
    }
    std::mutex mutex;
    int commands = 0;
    std::unique_ptr<WebServer> server;
    std::uint16_t port{0};
};

std::string command_request(const std::string& host, const std::string& origin,
                            const std::string& body = R"({"cmd":"ack","alert_id":1})") {
    std::string r = "POST /api/command HTTP/1.1\r\nHost: " + host +
                    "\r\nAuthorization: Bearer s3cret\r\nContent-Type: application/json\r\n";
    if (!origin.empty()) r += "Origin: " + origin + "\r\n";
    return r + "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
           body;
}

}  // namespace

TEST_CASE("Host allow-list: loopback names, IP literals and configured names only") {
    HostPolicy policy({"Picket.Ops.Example"});
    for (const char* ok : {"localhost", "localhost:8080", "LOCALHOST.:80", "127.0.0.1:8080",
                           "127.1.2.3", "[::1]:8080", "10.0.0.5:8080", "[fe80::1]",
                           "picket.ops.example:8080", "PICKET.OPS.EXAMPLE."}) {
        INFO(ok);
        CHECK(policy.allowed(ok));
    }
    for (const char* bad :
         {"evil.example", "evil.example:8080", "localhost.evil.example", "127.0.0.1.evil.example",
          "picket.ops.example.evil", "10.0.0.256", "1.2.3", "localhost:80x", "[::1", "", ":8080"}) {
        INFO(bad);
        CHECK_FALSE(policy.allowed(bad));
    }
}

TEST_CASE("a foreign Host is refused on every route and on the WebSocket (DNS rebinding)") {
    WebConfig config;
    config.allowed_hosts = {"picket.ops.example"};
    Server s(config);
    for (const char* target : {"/api/snapshot", "/api/layers", "/api/assets", "/metrics", "/",
                               "/api/recordings", "/index.html"}) {
        INFO(target);
        CHECK(status(s.port, get(target, "evil.example:" + std::to_string(s.port))) == 421);
    }
    CHECK(status(s.port, get("/api/snapshot", "127.0.0.1:" + std::to_string(s.port))) == 200);
    CHECK(status(s.port, get("/api/snapshot", "localhost")) == 200);
    CHECK(status(s.port, get("/api/snapshot", "picket.ops.example:8080")) == 200);

    const std::string upgrade =
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    {
        RawClient c(s.port);
        c.send("GET /ws HTTP/1.1\r\nHost: evil.example\r\n" + upgrade + "\r\n");
        const auto answer = c.read_until_closed();
        CHECK(status_of(answer) == 421);
        CHECK(c.closed());
    }
    {
        RawClient c(s.port);
        c.send("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n" + upgrade + "\r\n");
        // The same handshake with our own name upgrades (and then stays open: read briefly).
        CHECK(status_of(c.read_until_closed(500ms)) == 101);
    }
    CHECK(refused(s.port, "host") == 8);
}

TEST_CASE("a request with no Host, or two, is refused with 400") {
    Server s;
    CHECK(status(s.port, "GET /api/snapshot HTTP/1.1\r\nConnection: close\r\n\r\n") == 400);
    CHECK(status(s.port,
                 "GET /api/snapshot HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n"
                 "Connection: close\r\n\r\n") == 400);
    CHECK(refused(s.port, "bad_request") == 2);
}

TEST_CASE("a foreign Origin is refused on commands and WebSockets; our own is let through") {
    Server s;
    const std::string host = "127.0.0.1:" + std::to_string(s.port);
    CHECK(status(s.port, command_request(host, "http://evil.example")) == 403);
    CHECK(status(s.port, command_request(host, "null")) == 403);
    {
        std::lock_guard lock(s.mutex);
        CHECK(s.commands == 0);
    }
    CHECK(status(s.port, command_request(host, "http://" + host)) == 200);
    CHECK(status(s.port, command_request(host, "")) == 200);  // curl: no Origin, token decides
    {
        std::lock_guard lock(s.mutex);
        CHECK(s.commands == 2);
    }
    RawClient ws(s.port);
    ws.send("GET /ws HTTP/1.1\r\nHost: " + host +
            "\r\nOrigin: http://evil.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    CHECK(status_of(ws.read_until_closed()) == 403);
    CHECK(refused(s.port, "origin") == 3);
}

TEST_CASE("conflicting or malformed framing is answered 400, not just dropped") {
    Server s;
    const std::string host = "Host: 127.0.0.1\r\nAuthorization: Bearer s3cret\r\n";
    // Both Content-Length and chunked: the classic request-smuggling ambiguity.
    CHECK(status(s.port, "POST /api/command HTTP/1.1\r\n" + host +
                             "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "0\r\n\r\n") == 400);
    CHECK(status(s.port, "POST /api/command HTTP/1.1\r\n" + host +
                             "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n"
                             "0\r\n\r\n") == 400);
    CHECK(status(s.port, "POST /api/command HTTP/1.1\r\n" + host +
                             "Content-Length: 2\r\nContent-Length: 20\r\n\r\n{}") == 400);
    // Beast's parser takes HTTP/1.0 and HTTP/1.1 only.
    CHECK(status(s.port, "GET /api/snapshot HTTP/9.9\r\n" + host + "\r\n") == 400);
    CHECK(status(s.port, "GET /api/snapshot HTTP/1.5\r\n" + host + "\r\n") == 400);
    CHECK(status(s.port, "G@T /api/snapshot HTTP/1.1\r\n" + host + "\r\n") == 400);
    {
        std::lock_guard lock(s.mutex);
        CHECK(s.commands == 0);
    }
    CHECK(refused(s.port, "bad_request") == 6);
}

TEST_CASE("oversized headers get 431 and oversized bodies 413") {
    WebConfig config;
    config.max_header_bytes = 4096;
    config.max_body_bytes = 1024;
    Server s(config);
    CHECK(status(s.port, get("/api/snapshot", "127.0.0.1",
                             "X-Filler: " + std::string(8000, 'x') + "\r\n")) == 431);
    // Announced too large: refused before a byte of the body is read.
    const std::string big(100'000, 'x');
    CHECK(status(s.port, command_request("127.0.0.1", "", big)) == 413);
    // Chunked, with no length announced: refused when the limit is crossed.
    RawClient c(s.port);
    c.send(
        "POST /api/command HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer s3cret\r\n"
        "Transfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 8; ++i) c.send("200\r\n" + std::string(0x200, 'x') + "\r\n");
    CHECK(status_of(c.read_until_closed()) == 413);
    CHECK(refused(s.port, "header_too_large") == 1);
    CHECK(refused(s.port, "body_too_large") == 2);
    std::lock_guard lock(s.mutex);
    CHECK(s.commands == 0);
}

TEST_CASE("slow clients are closed after the header timeout, many at once") {
    WebConfig config;
    config.header_timeout = 300ms;
    config.body_timeout = 300ms;
    Server s(config);
    // Slowloris: 50 connections, each with half a request, and one with nothing at all.
    std::vector<std::unique_ptr<RawClient>> slow;
    for (int i = 0; i < 50; ++i) {
        slow.push_back(std::make_unique<RawClient>(s.port));
        slow.back()->send("GET /api/snapshot HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    }
    RawClient silent(s.port);
    // A body that never finishes.
    RawClient half_body(s.port);
    half_body.send(command_request("127.0.0.1", "").substr(0, 150));
    const auto started = std::chrono::steady_clock::now();
    for (auto& c : slow) {
        c->read_until_closed(5s);
        CHECK(c->closed());
    }
    silent.read_until_closed(5s);
    CHECK(silent.closed());
    half_body.read_until_closed(5s);
    CHECK(half_body.closed());
    // All closed by the server's timeouts, not by the 5 s read wait above.
    CHECK(std::chrono::steady_clock::now() - started < 4s);
    CHECK(refused(s.port, "timeout") == 52);
    // And the server still answers.
    CHECK(status(s.port, get("/api/snapshot", "127.0.0.1")) == 200);
}

TEST_CASE("past the connection limit a client gets 503, and the server recovers") {
    WebConfig config;
    config.max_connections = 4;
    Server s(config);
    std::vector<std::unique_ptr<RawClient>> held;
    for (int i = 0; i < 4; ++i) {
        held.push_back(std::make_unique<RawClient>(s.port));
        held.back()->send("GET /api/snapshot HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        CHECK(status_of(held.back()->read_until_closed(300ms)) == 200);  // kept alive
    }
    CHECK(status(s.port, get("/api/snapshot", "127.0.0.1")) == 503);
    held.clear();
    // The server notices the closed connections when it next reads them.
    bool recovered = false;
    for (int i = 0; i < 50 && !recovered; ++i) {
        recovered = status(s.port, get("/api/snapshot", "127.0.0.1")) == 200;
        if (!recovered) std::this_thread::sleep_for(20ms);
    }
    CHECK(recovered);
    CHECK(refused(s.port, "too_many_connections") >= 1);
}

TEST_CASE("a 100 kB command label makes one bounded log line") {
    std::mutex mutex;
    std::vector<std::string> lines;
    picket::log::set_sink([&](picket::log::Level, std::string_view m) {
        std::lock_guard lock(mutex);
        lines.emplace_back(m);
    });
    {
        Server s;
        const std::string body =
            R"({"cmd":"label","track_id":1,"label":")" + std::string(60'000, 'L') + "\"}";
        CHECK(status(s.port, command_request("127.0.0.1", "", body)) == 200);
    }
    picket::log::set_sink(nullptr);
    std::lock_guard lock(mutex);
    bool seen = false;
    for (const auto& l : lines) {
        if (l.find("web command from web@127.0.0.1") == std::string::npos) continue;
        seen = true;
        CHECK(l.size() < 400);
        CHECK(l.find("bytes)") != std::string::npos);
    }
    CHECK(seen);
}
