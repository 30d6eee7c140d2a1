// docs/outputs.md lists the metric names the server exports; this test starts a real server with
// every output that has metrics of its own (web, CoT over UDP and to a TAK server, CAT062),
// scrapes GET /metrics over HTTP, and compares the names both ways: every exported family is
// documented and every documented name is exported.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "src/io/zap_handler.hpp"
#include "src/server.hpp"
#include "tests/e2e/e2e_support.hpp"

using namespace picket;
using namespace std::chrono_literals;

namespace {

/// GET `path` from 127.0.0.1:`port` over a plain socket; returns the whole response.
std::string http_get(std::uint16_t port, const std::string& path) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0);
    const std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                            "\r\nConnection: close\r\n\r\n";
    REQUIRE(::send(fd, req.data(), req.size(), 0) == static_cast<ssize_t>(req.size()));
    std::string out;
    char buf[8192];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, n);
    ::close(fd);
    return out;
}

/// Metric families in a Prometheus text exposition: the names on "# TYPE" lines.
std::set<std::string> exported_names(const std::string& text) {
    std::set<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line);
        std::string hash, type, name;
        if (words >> hash >> type >> name && hash == "#" && type == "TYPE") out.insert(name);
    }
    return out;
}

/// Names in the metrics table of docs/outputs.md: rows that start with "| `picket_...` |".
/// (No <regex>: GCC 12's trips -Wmaybe-uninitialized under the sanitizers.)
/// With `conditional_only`, only the rows that say their series exist once something has
/// happened ("only for rules with closed incidents"): a fresh server cannot export those.
std::set<std::string> documented_names(const std::string& path, bool conditional_only = false) {
    std::ifstream in(path);
    REQUIRE(in);
    std::set<std::string> out;
    const std::string open = "| `picket_";
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(open, 0) != 0) continue;
        const auto end = line.find("` |", open.size());
        if (end == std::string::npos) continue;
        if (conditional_only &&
            line.find("only for rules with closed incidents") == std::string::npos)
            continue;
        out.insert(line.substr(3, end - 3));  // between "| `" and "` |"
    }
    return out;
}

}  // namespace

TEST_CASE("the metric names in docs/outputs.md are exactly those a real server exports",
          "[e2e][metrics][docs]") {
    e2e::TempDir dir;
    const std::string cfg =
        "region:\n  name: metrics\n  origin: {lat: -9.0, lon: 125.0}\n"
        "feeds:\n  - id: ais-test\n    kind: ais\n    format: nmea-ais\n"
        "    endpoint: " +
        e2e::loopback(e2e::free_port()) +
        "\n    socket: sub\n"
        // CURVE on the feed and an opted-in command socket: the ZAP and command-socket metrics.
        "    curve: {server_secret_key: \"" +
        server::generate_curve_keypair().second + "\", allowed_clients: [\"" +
        server::generate_curve_keypair().first +
        "\"]}\n"
        "outputs:\n"
        "  publish: " +
        e2e::loopback(e2e::free_port()) + "\n  snapshot: " + e2e::loopback(e2e::free_port()) +
        "\n  commands: " + e2e::loopback(e2e::free_port()) +
        "\n  insecure_local_commands: true\n"
        "  http: {enabled: true, bind: 127.0.0.1, port: 0}\n"
        "  cot: {udp: \"127.0.0.1:" +
        std::to_string(e2e::free_port()) +
        "\", tak_server: \"127.0.0.1:" + std::to_string(e2e::free_port()) +
        "\"}\n"
        "  cat062: {udp: \"127.0.0.1:" +
        std::to_string(e2e::free_port()) + "\"}\ntick: 1s\n";
    e2e::write_text(dir.file("server.yaml"), cfg);
    server::Server srv(server::load_server_config(dir.file("server.yaml")), {});
    srv.start();
    std::string response;
    for (int i = 0; i < 50 && response.find("200 OK") == std::string::npos; ++i) {
        std::this_thread::sleep_for(100ms);
        response = http_get(srv.http_port(), "/metrics");
    }
    // The first scrape ran on the fusion thread as a piece of work: the second one counts it.
    const std::string second = http_get(srv.http_port(), "/metrics");
    srv.stop();
    REQUIRE(response.find("200 OK") != std::string::npos);
    const auto sample = [&](const std::string& series) {
        const auto at = second.find(series + " ");
        return at == std::string::npos ? -1.0 : std::stod(second.substr(at + series.size() + 1));
    };
    CHECK(sample(R"(picket_fusion_work_seconds_count{work="tasks"})") >= 1);
    CHECK(sample(R"(picket_fusion_work_max_seconds{work="tasks"})") > 0);
    CHECK(sample(R"(picket_fusion_work_seconds_count{work="rules_part"})") == 0);  // no rules

    const auto exported = exported_names(response);
    const auto documented = documented_names("docs/outputs.md");
    REQUIRE(exported.size() > 10);
    std::vector<std::string> undocumented, missing;
    for (const auto& n : exported)
        if (!documented.count(n)) undocumented.push_back(n);
    const auto conditional = documented_names("docs/outputs.md", true);
    CHECK(conditional.size() <= 2);  // the two rule-share gauges, no more escape hatches
    for (const auto& n : documented)
        if (!exported.count(n) && !conditional.count(n)) missing.push_back(n);
    INFO("exported but not in docs/outputs.md: " << Catch::Detail::stringify(undocumented));
    INFO("in docs/outputs.md but not exported: " << Catch::Detail::stringify(missing));
    CHECK(undocumented.empty());
    CHECK(missing.empty());
}
