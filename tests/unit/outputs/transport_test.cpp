#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "src/outputs/cot.hpp"
#include "src/outputs/tak_tcp_client.hpp"
#include "src/outputs/udp_sender.hpp"
#include "test_tracks.hpp"

using namespace picket;
using namespace picket::outputs;
using namespace picket::outputs::testing;

#include "local_socket.hpp"

namespace {

using picket::outputs::testing::LocalSocket;
using picket::outputs::testing::readable;

/// Reads from a stream socket until `text` has arrived `count` times (or 5 s pass).
std::string read_until(int fd, const std::string& text, int count) {
    std::string got;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    auto occurrences = [&] {
        int n = 0;
        for (auto p = got.find(text); p != std::string::npos; p = got.find(text, p + 1)) ++n;
        return n;
    };
    while (occurrences() < count && std::chrono::steady_clock::now() < deadline) {
        if (!readable(fd, 100)) continue;
        char buf[4096];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        got.append(buf, static_cast<std::size_t>(n));
    }
    return got;
}

int accept_within(int listen_fd, int timeout_ms) {
    if (!readable(listen_fd, timeout_ms)) return -1;
    return ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
}

}  // namespace

SCENARIO("CoT events arrive whole over UDP unicast", "[cot][udp]") {
    LocalSocket rx(SOCK_DGRAM);
    UdpSender tx(UdpTarget{"127.0.0.1", rx.port});
    const std::string event =
        cot_event_for_track(sample_vessel(), sample_time(), Duration::from_seconds(60));
    REQUIRE(tx.send(event));
    REQUIRE(readable(rx.fd, 2000));
    std::string buf(65536, '\0');
    const ssize_t n = ::recv(rx.fd, buf.data(), buf.size(), 0);
    REQUIRE(n > 0);
    buf.resize(static_cast<std::size_t>(n));
    CHECK(buf == event);
    CHECK(tx.sent() == 1);
    CHECK(tx.dropped() == 0);
}

SCENARIO("CoT events reach a multicast group member (SA group 239.2.3.1)", "[cot][udp]") {
    // Receiver: bound to the group on a kernel-chosen port, joined on the loopback interface.
    const int rx = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    inet_pton(AF_INET, "239.2.3.1", &a.sin_addr);
    REQUIRE(::bind(rx, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    getsockname(rx, reinterpret_cast<sockaddr*>(&a), &len);
    ip_mreq join{};
    inet_pton(AF_INET, "239.2.3.1", &join.imr_multiaddr);
    inet_pton(AF_INET, "127.0.0.1", &join.imr_interface);
    if (setsockopt(rx, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join) != 0) {
        ::close(rx);
        WARN("this host cannot join a multicast group on loopback: delivery not checked");
        return;
    }
    UdpTarget t{"239.2.3.1", ntohs(a.sin_port)};
    t.multicast_ttl = 1;
    t.interface_ip = "127.0.0.1";
    UdpSender tx(t);
    const std::string event =
        cot_event_for_alert(sample_alert(), sample_time(), Duration::from_seconds(60));
    REQUIRE(tx.send(event));
    REQUIRE(readable(rx, 2000));
    std::string buf(65536, '\0');
    const ssize_t n = ::recv(rx, buf.data(), buf.size(), 0);
    ::close(rx);
    REQUIRE(n > 0);
    buf.resize(static_cast<std::size_t>(n));
    CHECK(buf == event);

    t.interface_ip = "not-an-ip";
    CHECK_THROWS_WITH(UdpSender(t), Catch::Contains("239.2.3.1:"));
}

SCENARIO("The TAK TCP client streams events and reconnects after the server drops it",
         "[cot][tcp]") {
    LocalSocket server(SOCK_STREAM);
    TakTcpClient client(TakTcpConfig{"127.0.0.1", server.port, 64, 1000});
    const std::string e1 =
        cot_event_for_track(sample_vessel(), sample_time(), Duration::from_seconds(60));
    const std::string a1 =
        cot_event_for_alert(sample_alert(), sample_time(), Duration::from_seconds(60));
    client.post_track(e1);
    client.post_alert(a1);

    int conn = accept_within(server.fd, 5000);
    REQUIRE(conn >= 0);
    const std::string first = read_until(conn, "</event>", 2);
    CHECK(first == e1 + a1);  // concatenated XML documents, in order, unframed
    ::close(conn);            // the TAK server goes away...

    // ...and the client must notice on a later send and connect again. Events posted into a
    // connection the peer already closed can be lost in the kernel (TCP has no application
    // ack); keep posting until the new connection shows up.
    int conn2 = -1;
    const std::string a2 =
        cot_event_for_alert(sample_alert(8), sample_time(), Duration::from_seconds(60));
    for (int i = 0; i < 50 && conn2 < 0; ++i) {
        client.post_alert(a2);
        conn2 = accept_within(server.fd, 100);
    }
    REQUIRE(conn2 >= 0);
    client.post_alert(a2);
    const std::string second = read_until(conn2, "picket-alert-8", 1);
    CHECK(second.find("picket-alert-8") != std::string::npos);
    CHECK(client.connects() == 2);
    CHECK(client.alerts_dropped() == 0);
    ::close(conn2);
}

SCENARIO("Under backpressure the TAK queue drops the oldest tracks, never alerts silently",
         "[cot][tcp]") {
    // Port of a listener that never accepts and is closed at once: nothing to connect to.
    std::uint16_t dead_port = 0;
    {
        LocalSocket s(SOCK_DGRAM);
        dead_port = s.port;
    }
    TakTcpClient client(TakTcpConfig{"127.0.0.1", dead_port, 3, 100});
    client.post_track("t1");
    client.post_alert("a1");
    client.post_track("t2");
    client.post_track("t3");  // full: t1 (oldest track) goes
    client.post_alert("a2");  // full: t2 goes
    CHECK(client.queued() == 3);
    CHECK(client.tracks_dropped() == 2);
    CHECK(client.alerts_dropped() == 0);
    client.post_alert("a3");  // full: t3 goes; now all alerts
    client.post_track("t4");  // no room and no track to evict: the new track is lost
    CHECK(client.tracks_dropped() == 4);
    client.post_alert("a4");  // only alerts left: the oldest alert goes, and it is counted
    CHECK(client.alerts_dropped() == 1);
    CHECK(client.queued() == 3);
    CHECK(client.sent() == 0);
}

SCENARIO("A TAK delete task outlives track positions in a full queue", "[cot][tcp]") {
    std::uint16_t dead_port = 0;
    {
        LocalSocket s(SOCK_DGRAM);
        dead_port = s.port;
    }
    TakTcpClient client(TakTcpConfig{"127.0.0.1", dead_port, 2, 100});
    client.post_removal("d1");
    client.post_track("t1");
    client.post_track("t2");  // full: t1 goes, never the removal
    client.post_alert("a1");  // full: t2 goes
    CHECK(client.tracks_dropped() == 2);
    client.post_removal("d2");  // only an alert and a removal left: the oldest (d1) goes
    CHECK(client.removals_dropped() == 1);
    CHECK(client.alerts_dropped() == 0);
    client.post_alert("a2");  // now a1 is the oldest
    CHECK(client.alerts_dropped() == 1);
    CHECK(client.queued() == 2);
}

#include "src/outputs/cat062_output.hpp"
#include "src/outputs/cot_output.hpp"

using picket::outputs::testing::drain;

SCENARIO("host:port strings are parsed strictly", "[cot]") {
    CHECK(parse_host_port("239.2.3.1:6969") ==
          std::pair<std::string, std::uint16_t>{"239.2.3.1", 6969});
    CHECK(parse_host_port("[::1]:8087") == std::pair<std::string, std::uint16_t>{"::1", 8087});
    CHECK_FALSE(parse_host_port("tak.local"));
    CHECK_FALSE(parse_host_port(":8087"));
    CHECK_FALSE(parse_host_port("host:0"));
    CHECK_FALSE(parse_host_port("host:70000"));
    CHECK_FALSE(parse_host_port("host:80x"));
    CHECK_THROWS_WITH(CotOutput(CotOutputConfig{"nohost", "", {}, {}, {}}),
                      Catch::Contains("nohost"));
}

SCENARIO("The CoT output rate-limits each track and retires deleted ones", "[cot][udp]") {
    LocalSocket rx(SOCK_DGRAM);
    CotOutputConfig cfg;
    cfg.udp = "127.0.0.1:" + std::to_string(rx.port);
    cfg.min_track_interval = Duration::from_seconds(1);
    CotOutput out(cfg);
    Track a = sample_vessel(1), b = sample_dark_boat(2);
    const Timestamp t0 = sample_time();
    const Track both[] = {a, b};
    out.publish_tracks(both, t0);
    out.publish_tracks(both, t0 + Duration::from_seconds(0.5));  // too soon: nothing
    CHECK(drain(rx.fd).size() == 2);
    b.standing = Standing::hostile;  // a change goes out at once
    const Track changed[] = {a, b};
    out.publish_tracks(changed, t0 + Duration::from_seconds(0.6));
    auto got = drain(rx.fd);
    REQUIRE(got.size() == 1);
    CHECK(got[0].find(R"(type="a-h-S")") != std::string::npos);
    a.status = TrackStatus::deleted;
    out.publish_tracks(std::span(&a, 1), t0 + Duration::from_seconds(2));
    got = drain(rx.fd);
    REQUIRE(got.size() == 1);  // a delete task for its marker
    CHECK(got[0].find(R"(uid="picket-track-1" type="t-x-d-d")") != std::string::npos);
    out.publish_tracks(std::span(&a, 1), t0 + Duration::from_seconds(3));
    CHECK(drain(rx.fd).empty());  // forgotten
    CHECK(out.tracks_on_picture() == 1);
}

SCENARIO("The CAT062 output sends one picture per period over UDP", "[cat062][udp]") {
    LocalSocket rx(SOCK_DGRAM);
    Cat062Output out(Cat062OutputConfig{"127.0.0.1:" + std::to_string(rx.port), 25, 7,
                                        Duration::from_seconds(4)});
    const Track tracks[] = {sample_vessel(1), sample_dark_boat(2)};
    CHECK(out.publish(tracks, sample_time()) == 1);
    CHECK(out.publish(tracks, sample_time() + Duration::from_seconds(1)) == 0);
    CHECK(out.publish(tracks, sample_time() + Duration::from_seconds(4)) == 1);
    const auto got = drain(rx.fd);
    REQUIRE(got.size() == 2);
    CHECK(static_cast<std::uint8_t>(got[0][0]) == 62);
}
