// The control-room server over real sockets on 127.0.0.1 (ephemeral port), driven by a Beast
// client: HTTP endpoints, command authorisation, static files, live WebSocket ordering, slow
// clients, and the replay control channel.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "src/web/web_server.hpp"

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace fs = std::filesystem;
using tcp = net::ip::tcp;
using nlohmann::json;
using namespace picket::web;

namespace {

struct Header {
    http::field field;
    std::string value;
};

http::response<http::string_body> fetch(std::uint16_t port, http::verb verb, std::string target,
                                        std::string body = {}, std::vector<Header> headers = {},
                                        std::string host = "127.0.0.1") {
    net::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, host);
    for (auto& h : headers) req.set(h.field, h.value);
    req.body() = std::move(body);
    req.prepare_payload();
    http::write(socket, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    return res;
}

using Ws = websocket::stream<tcp::socket>;

/// Messages read from a frame but not yet returned, per client.
std::map<Ws*, std::deque<std::string>>& pending_messages() {
    static std::map<Ws*, std::deque<std::string>> pending;
    return pending;
}

std::unique_ptr<Ws> open_ws(net::io_context& ioc, std::uint16_t port, const std::string& target) {
    auto ws = std::make_unique<Ws>(ioc);
    // A new client may reuse the address of one an earlier test left with unread messages.
    pending_messages().erase(ws.get());
    ws->next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    ws->handshake("127.0.0.1:" + std::to_string(port), target);
    return ws;
}

/// The next message: a frame may carry several, separated by '\n'.
json read_json(Ws& ws) {
    auto& queue = pending_messages()[&ws];
    if (queue.empty()) {
        beast::flat_buffer buffer;
        ws.read(buffer);
        std::string frame = beast::buffers_to_string(buffer.data());
        std::size_t start = 0;
        while (start <= frame.size()) {
            auto end = frame.find('\n', start);
            if (end == std::string::npos) end = frame.size();
            queue.push_back(frame.substr(start, end - start));
            start = end + 1;
        }
    }
    auto text = std::move(queue.front());
    queue.pop_front();
    return json::parse(text);
}

/// Polls `condition` for up to 5 s; the wait is for another thread, not a timing assertion.
template <class F>
bool eventually(F condition) {
    for (int i = 0; i < 500; ++i) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return condition();
}

struct Recorder {
    std::mutex mutex;
    std::vector<std::pair<std::string, std::string>> commands;  // (json, user)
};

struct Fixture {
    explicit Fixture(WebConfig config = {}) {
        config.port = 0;
        if (config.token.empty()) config.token = "s3cret";
        hooks.snapshot = [this] {
            return "{\"seq\":" + std::to_string(seq.load()) + ",\"tracks\":[],\"alerts\":[]}";
        };
        hooks.layers = [] { return std::string(R"({"type":"FeatureCollection","features":[]})"); };
        hooks.metrics = [] { return std::string("picket_tracks 3\n"); };
        hooks.command = [this](const std::string& body, const std::string& user) {
            std::lock_guard lock(recorder.mutex);
            recorder.commands.emplace_back(body, user);
            return std::string(R"({"ok":true})");
        };
        server = std::make_unique<WebServer>(config, hooks);
        server->start();
    }
    std::atomic<std::uint64_t> seq{0};
    Recorder recorder;
    Hooks hooks;
    std::unique_ptr<WebServer> server;
};

}  // namespace

TEST_CASE("GET endpoints answer from the hooks") {
    Fixture f;
    f.seq = 41;
    const auto snap = fetch(f.server->port(), http::verb::get, "/api/snapshot");
    CHECK(snap.result() == http::status::ok);
    CHECK(snap[http::field::content_type] == "application/json");
    CHECK(json::parse(snap.body())["seq"] == 41);

    const auto layers = fetch(f.server->port(), http::verb::get, "/api/layers");
    CHECK(json::parse(layers.body())["type"] == "FeatureCollection");

    // No assets hook configured: the endpoint says so instead of inventing an empty list.
    CHECK(fetch(f.server->port(), http::verb::get, "/api/assets").result() ==
          http::status::service_unavailable);

    const auto metrics = fetch(f.server->port(), http::verb::get, "/metrics");
    CHECK(metrics.body().find("picket_tracks 3\n") == 0);
    CHECK(metrics.body().find("picket_web_http_requests_total ") != std::string::npos);
}

TEST_CASE("commands need the bearer token") {
    Fixture f;
    const auto port = f.server->port();
    const std::string ack = R"({"cmd":"ack","alert_id":7,"by":"op1"})";

    const auto none = fetch(port, http::verb::post, "/api/command", ack);
    CHECK(none.result() == http::status::unauthorized);
    const auto wrong = fetch(port, http::verb::post, "/api/command", ack,
                             {{http::field::authorization, "Bearer s3cre"}});
    CHECK(wrong.result() == http::status::unauthorized);
    {
        std::lock_guard lock(f.recorder.mutex);
        CHECK(f.recorder.commands.empty());
    }

    const auto good = fetch(port, http::verb::post, "/api/command", ack,
                            {{http::field::authorization, "Bearer s3cret"}});
    CHECK(good.result() == http::status::ok);
    CHECK(json::parse(good.body())["ok"] == true);
    {
        std::lock_guard lock(f.recorder.mutex);
        REQUIRE(f.recorder.commands.size() == 1);
        CHECK(f.recorder.commands[0].first == ack);
        CHECK(f.recorder.commands[0].second == "web@127.0.0.1");
    }

    const auto junk = fetch(port, http::verb::post, "/api/command", "{not json",
                            {{http::field::authorization, "Bearer s3cret"}});
    CHECK(junk.result() == http::status::bad_request);
    CHECK(fetch(port, http::verb::get, "/api/command").result() ==
          http::status::method_not_allowed);
    const auto metrics = fetch(port, http::verb::get, "/metrics").body();
    CHECK(metrics.find("picket_web_commands_refused_total 2\n") != std::string::npos);
    CHECK(metrics.find("picket_web_commands_accepted_total 1\n") != std::string::npos);
}

TEST_CASE("a server without a token refuses every command") {
    WebConfig config;
    config.port = 0;
    Hooks hooks;
    bool called = false;
    hooks.command = [&](const std::string&, const std::string&) {
        called = true;
        return std::string("{}");
    };
    WebServer server(config, hooks);
    server.start();
    const auto res = fetch(server.port(), http::verb::post, "/api/command", R"({"cmd":"ack"})",
                           {{http::field::authorization, "Bearer "}});
    CHECK(res.result() == http::status::forbidden);
    CHECK_FALSE(called);
}

TEST_CASE("static files: token injected for loopback only, traversal refused") {
    const auto base = fs::temp_directory_path() / ("picket_web_" + std::to_string(::getpid()));
    fs::create_directories(base / "www");
    std::ofstream(base / "www" / "index.html") << "<head><!--PICKET_TOKEN--></head>";
    std::ofstream(base / "secret.txt") << "do not serve";
    WebConfig config;
    config.static_dir = (base / "www").string();
    Fixture f(config);
    const auto port = f.server->port();

    const auto page = fetch(port, http::verb::get, "/");
    CHECK(page.result() == http::status::ok);
    CHECK(page[http::field::content_type] == "text/html; charset=utf-8");
    CHECK(page.body() == "<head><meta name=\"picket-token\" content=\"s3cret\"></head>");

    // A page reached under another name (DNS rebinding) gets nothing at all (421), and a page
    // reached by an IP address that is not loopback must not learn the token either.
    const auto rebound = fetch(port, http::verb::get, "/index.html", {}, {}, "evil.example:80");
    CHECK(rebound.result() == http::status::misdirected_request);
    CHECK(rebound.body().find("PICKET_TOKEN") == std::string::npos);
    CHECK(rebound.body().find("s3cret") == std::string::npos);
    const auto by_address = fetch(port, http::verb::get, "/index.html", {}, {}, "10.0.0.5:80");
    CHECK(by_address.body() == "<head><!--PICKET_TOKEN--></head>");

    for (const char* target : {"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
                               "/www/../../secret.txt", "/..\\secret.txt"}) {
        INFO(target);
        const auto res = fetch(port, http::verb::get, target);
        CHECK(res.result() == http::status::not_found);
        CHECK(res.body().find("do not serve") == std::string::npos);
    }
    fs::remove_all(base);
}

TEST_CASE("map tiles: served under /tiles/ from their own folder, traversal refused") {
    const auto base = fs::temp_directory_path() / ("picket_tiles_" + std::to_string(::getpid()));
    fs::create_directories(base / "www");
    fs::create_directories(base / "tiles" / "3" / "4");
    std::ofstream(base / "www" / "index.html") << "page";
    std::ofstream(base / "tiles" / "3" / "4" / "5.pbf") << "tile";
    std::ofstream(base / "tiles" / "metadata.json") << R"({"maxzoom":"10"})";
    std::ofstream(base / "secret.txt") << "do not serve";
    WebConfig config;
    config.static_dir = (base / "www").string();
    config.tiles_dir = (base / "tiles").string();
    Fixture f(config);
    const auto port = f.server->port();

    const auto tile = fetch(port, http::verb::get, "/tiles/3/4/5.pbf");
    CHECK(tile.result() == http::status::ok);
    CHECK(tile[http::field::content_type] == "application/x-protobuf");
    CHECK(tile.body() == "tile");
    CHECK(fetch(port, http::verb::get, "/tiles/metadata.json").body() == R"({"maxzoom":"10"})");
    // A tile GDAL did not write (nothing in it) is an empty tile, not an error.
    const auto empty = fetch(port, http::verb::get, "/tiles/3/4/6.pbf");
    CHECK(empty.result() == http::status::ok);
    CHECK(empty.body().empty());
    CHECK(fetch(port, http::verb::get, "/tiles/3/4/6.json").result() == http::status::not_found);
    // The page's folder is not reachable through /tiles/, nor anything above the tiles.
    for (const char* target :
         {"/tiles/../www/index.html", "/tiles/%2e%2e/secret.txt", "/tiles/../../secret.txt",
          "/tiles/..\\secret.txt", "/tiles/../secret.pbf"}) {
        INFO(target);
        const auto res = fetch(port, http::verb::get, target);
        CHECK(res.body().find("do not serve") == std::string::npos);
        CHECK(res.body().find("page") == std::string::npos);
    }
    fs::remove_all(base);
}

TEST_CASE("static files larger than the limit are not read") {
    const auto base = fs::temp_directory_path() / ("picket_big_" + std::to_string(::getpid()));
    fs::create_directories(base);
    {
        std::ofstream big(base / "big.json", std::ios::binary);
        big.seekp((32 << 20) + 1);
        big.put('x');
    }
    std::ofstream(base / "small.json") << "{}";
    WebConfig config;
    config.static_dir = base.string();
    Fixture f(config);
    CHECK(fetch(f.server->port(), http::verb::get, "/big.json").result() ==
          http::status::not_found);
    CHECK(fetch(f.server->port(), http::verb::get, "/small.json").result() == http::status::ok);
    fs::remove_all(base);
}

TEST_CASE("WebSocket: snapshot first, then broadcasts in order") {
    Fixture f;
    f.seq = 10;
    net::io_context ioc;
    auto ws = open_ws(ioc, f.server->port(), "/ws");
    const auto first = read_json(*ws);
    CHECK(first["topic"] == "snapshot");
    CHECK(first["data"]["seq"] == 10);
    for (int i = 11; i <= 13; ++i) {
        f.server->broadcast("track", R"({"seq":)" + std::to_string(i) + R"(,"type":"Feature"})");
    }
    for (int i = 11; i <= 13; ++i) {
        const auto m = read_json(*ws);
        CHECK(m["topic"] == "track");
        CHECK(m["data"]["seq"] == i);
    }
    f.server->broadcast("alert", R"({"seq":14})");
    CHECK(read_json(*ws)["topic"] == "alert");
}

TEST_CASE("clients joining while updates stream in miss nothing after their snapshot") {
    // Broadcasts reach the I/O thread in batches (one handler per batch): a client registered
    // between two batches must still get every update newer than its snapshot, in order.
    // The stream runs until every client has joined and 2,000 more messages have gone out, and
    // the first client joins only once it has started: on a loaded machine a fixed-length stream
    // could end before the first client joined (or not have started), and then no client joined
    // mid-stream (seen in the fast suite at load 10).
    Fixture f;
    constexpr std::uint64_t kAfterJoins = 2000;
    constexpr std::uint64_t kMaxMessages = 2000000;
    std::atomic<bool> all_joined{false};
    std::atomic<std::uint64_t> last{0};
    std::thread producer([&] {
        std::uint64_t stop_at = kMaxMessages;
        for (std::uint64_t i = 1; i <= stop_at; ++i) {
            f.seq = i;  // published, then broadcast: as the server does
            f.server->broadcast("track", R"({"seq":)" + std::to_string(i) + "}");
            if (all_joined && stop_at == kMaxMessages) stop_at = i + kAfterJoins;
            if (i % 64 == 0) std::this_thread::yield();
        }
        last = stop_at;
    });
    while (f.seq == 0) std::this_thread::yield();
    net::io_context ioc;
    std::vector<decltype(open_ws(ioc, 0, ""))> clients;
    std::vector<std::uint64_t> snapshot_seq;
    for (int client = 0; client < 5; ++client) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        clients.push_back(open_ws(ioc, f.server->port(), "/ws"));
        const auto snapshot = read_json(*clients.back());
        REQUIRE(snapshot["topic"] == "snapshot");
        snapshot_seq.push_back(snapshot["data"]["seq"].get<std::uint64_t>());
    }
    all_joined = true;
    producer.join();
    const std::uint64_t messages = last;
    int joined_mid_stream = 0;
    for (std::size_t client = 0; client < clients.size(); ++client) {
        std::uint64_t current = snapshot_seq[client];
        if (current > 0 && current < messages) ++joined_mid_stream;
        bool no_gap = true;
        while (current < messages) {
            const auto m = read_json(*clients[client]);
            const auto seq = m["data"]["seq"].get<std::uint64_t>();
            if (m["topic"] == "snapshot") {
                current = std::max(current, seq);  // resynced: allowed, nothing lost
            } else if (seq > current) {
                no_gap = no_gap && seq == current + 1;
                current = seq;
            }
        }
        INFO("client " << client << " joined at seq " << snapshot_seq[client]);
        CHECK(no_gap);
    }
    CHECK(messages < kMaxMessages);
    CHECK(joined_mid_stream == static_cast<int>(clients.size()));  // every client joined mid-stream
}

TEST_CASE("a message with raw newlines still arrives as one message") {
    Fixture f;
    net::io_context ioc;
    auto ws = open_ws(ioc, f.server->port(), "/ws");
    CHECK(read_json(*ws)["topic"] == "snapshot");
    f.server->broadcast("alert", "{\n  \"seq\": 1,\n  \"message\": \"a\\nb\"\n}");
    const auto m = read_json(*ws);
    CHECK(m["data"]["seq"] == 1);
    CHECK(m["data"]["message"] == "a\nb");
}

TEST_CASE("a WebSocket from another origin is refused") {
    Fixture f;
    net::io_context ioc;
    Ws ws(ioc);
    ws.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), f.server->port()));
    ws.set_option(websocket::stream_base::decorator(
        [](websocket::request_type& req) { req.set(http::field::origin, "http://evil.example"); }));
    CHECK_THROWS(ws.handshake("127.0.0.1:" + std::to_string(f.server->port()), "/ws"));
}

TEST_CASE("a client that stops reading does not hold up broadcast or other clients") {
    WebConfig config;
    config.queue_max_messages = 64;
    Fixture f(config);
    net::io_context ioc;
    auto slow = open_ws(ioc, f.server->port(), "/ws");  // never reads until the end
    auto fast = open_ws(ioc, f.server->port(), "/ws");
    CHECK(read_json(*fast)["topic"] == "snapshot");

    // 20,000 x 4 kB = 80 MB: far beyond what the kernel buffers for the slow socket, so if
    // broadcast or the fast client waited on it this test would hang, not pass.
    constexpr int kMessages = 20000;
    const std::string padding(4000, 'p');
    std::thread producer([&] {
        for (int i = 1; i <= kMessages; ++i) {
            f.seq = static_cast<std::uint64_t>(i);
            f.server->broadcast("track",
                                R"({"seq":)" + std::to_string(i) + R"(,"pad":")" + padding + "\"}");
        }
    });
    // The reader applies messages as the page does: a snapshot sets the picture at its seq, an
    // update applies when its seq is newer. Nothing may be lost: every applied update is exactly
    // the next seq (the fast reader may itself be resynced, which is fine if nothing is lost).
    std::uint64_t current = 0;
    bool no_gap = true;
    while (current < kMessages) {
        const auto m = read_json(*fast);
        const auto seq = m["data"]["seq"].get<std::uint64_t>();
        if (m["topic"] == "snapshot") {
            current = std::max(current, seq);
        } else if (seq > current) {
            no_gap = no_gap && seq == current + 1;
            current = seq;
        }
    }
    producer.join();
    CHECK(no_gap);

    const auto metrics = fetch(f.server->port(), http::verb::get, "/metrics").body();
    CHECK(metrics.find("picket_web_backlogs_dropped_total 0\n") == std::string::npos);

    // The slow client now catches up: it got a fresh snapshot instead of the whole backlog,
    // and still ends on the last message.
    int snapshots = 0;
    int messages = 0;
    current = 0;
    bool slow_no_gap = true;
    while (current < kMessages) {
        const auto m = read_json(*slow);
        ++messages;
        const auto seq = m["data"]["seq"].get<std::uint64_t>();
        if (m["topic"] == "snapshot") {
            ++snapshots;
            current = std::max(current, seq);
        } else if (seq > current) {
            slow_no_gap = slow_no_gap && seq == current + 1;
            current = seq;
        }
    }
    CHECK(slow_no_gap);
    CHECK(snapshots >= 2);  // the first one plus at least one resync
    CHECK(messages < kMessages);
}

namespace {

struct FakeReplay : ReplayControl {
    explicit FakeReplay(std::shared_ptr<std::vector<std::string>> log_) : log(std::move(log_)) {}
    void pause() override { push("pause"); }
    void resume() override { push("resume"); }
    void set_speed(double speed) override { push("speed " + std::to_string(speed)); }
    void stop() override { push("stop"); }
    void push(std::string s) {
        std::lock_guard lock(*mutex);
        log->push_back(std::move(s));
    }
    std::shared_ptr<std::vector<std::string>> log;
    std::shared_ptr<std::mutex> mutex = std::make_shared<std::mutex>();
};

}  // namespace

TEST_CASE("replay WebSocket: request parsed, messages relayed, controls forwarded") {
    auto log = std::make_shared<std::vector<std::string>>();
    std::shared_ptr<std::mutex> mutex;
    ReplayRequest seen;
    WebConfig config;
    config.port = 0;
    Hooks hooks;
    hooks.replay = [&](const ReplayRequest& req,
                       ReplaySink sink) -> std::unique_ptr<ReplayControl> {
        if (req.name == "missing") throw std::runtime_error("no recording named missing");
        seen = req;
        sink("snapshot", R"({"seq":5,"tracks":[],"alerts":[]})");
        sink("track", R"({"seq":6})");
        auto control = std::make_unique<FakeReplay>(log);
        mutex = control->mutex;
        return control;
    };
    WebServer server(config, hooks);
    server.start();
    net::io_context ioc;
    {
        auto ws = open_ws(ioc, server.port(),
                          "/ws/replay?name=day%201&from=2026-11-25T00%3A00%3A00Z&speed=20");
        CHECK(read_json(*ws)["topic"] == "snapshot");
        CHECK(read_json(*ws)["data"]["seq"] == 6);
        CHECK(seen.name == "day 1");
        CHECK(seen.from_iso == "2026-11-25T00:00:00Z");
        CHECK(seen.speed == 20.0);
        ws->write(net::buffer(std::string(R"({"op":"pause"})")));
        ws->write(net::buffer(std::string(R"({"op":"speed","speed":4})")));
        ws->write(net::buffer(std::string(R"({"op":"resume"})")));
        REQUIRE(eventually([&] {
            std::lock_guard lock(*mutex);
            return log->size() == 3;
        }));
        ws->close(websocket::close_code::normal);
    }
    REQUIRE(eventually([&] {
        std::lock_guard lock(*mutex);
        return log->size() == 4;
    }));
    std::lock_guard lock(*mutex);
    CHECK(*log == std::vector<std::string>{"pause", "speed 4.000000", "resume", "stop"});

    // An unknown recording: the page gets the reason, then the socket closes.
    auto bad = open_ws(ioc, server.port(), "/ws/replay?name=missing");
    const auto err = read_json(*bad);
    CHECK(err["topic"] == "error");
    CHECK(err["data"]["error"] == "no recording named missing");
    // A malformed request is refused at the handshake.
    Ws no_name(ioc);
    no_name.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()));
    CHECK_THROWS(no_name.handshake("127.0.0.1", "/ws/replay?speed=-1"));
}

TEST_CASE("stopping the server stops a running replay") {
    auto log = std::make_shared<std::vector<std::string>>();
    std::shared_ptr<std::mutex> mutex;
    std::atomic<bool> started{false};
    WebConfig config;
    config.port = 0;
    Hooks hooks;
    hooks.replay = [&](const ReplayRequest&, ReplaySink sink) -> std::unique_ptr<ReplayControl> {
        sink("snapshot", R"({"seq":1,"tracks":[],"alerts":[]})");
        auto control = std::make_unique<FakeReplay>(log);
        mutex = control->mutex;
        started = true;
        return control;
    };
    auto server = std::make_unique<WebServer>(config, hooks);
    server->start();
    net::io_context ioc;
    auto ws = open_ws(ioc, server->port(), "/ws/replay?name=x");
    CHECK(read_json(*ws)["topic"] == "snapshot");
    REQUIRE(started);
    server.reset();  // with the client still connected
    std::lock_guard lock(*mutex);
    CHECK(*log == std::vector<std::string>{"stop"});
}
