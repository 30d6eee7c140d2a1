// libFuzzer target: what the control-room server does with the bytes of a connection — Beast's
// parser with the server's limits, the gate (version, Host allow-list, Origin), then the routes
// (API, metrics, static files, the command route into a real engine, the replay query), for
// every request pipelined on the connection. Never a crash, an exception out of the handling, or
// an answer that is not HTTP.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "src/web/http_routes.hpp"
#include "src/web/request_guard.hpp"
#include "src/web/server_state.hpp"
#include "tests/fuzz/fuzz_engine.hpp"

namespace http = boost::beast::http;
using namespace picket::web;

namespace {

struct Harness {
    Harness() : state(config(), hooks()) {}

    static WebConfig config() {
        const auto dir = std::filesystem::temp_directory_path() / "picket-fuzz-www";
        std::filesystem::create_directories(dir / "src");
        std::ofstream(dir / "index.html") << "<head><!--PICKET_TOKEN--></head>";
        std::ofstream(dir / "src" / "app.js") << "export {};";
        WebConfig c;
        c.static_dir = dir.string();
        c.token = "s3cret";
        c.allowed_hosts = {"picket.example"};
        return c;
    }
    Hooks hooks() {
        Hooks h;
        h.snapshot = [] { return std::string(R"({"seq":1,"tracks":[],"alerts":[]})"); };
        h.layers = [] { return std::string(R"({"type":"FeatureCollection","features":[]})"); };
        h.metrics = [] { return std::string("picket_tracks 1\n"); };
        h.assets = [] { return std::string("[]"); };
        h.command = [this](const std::string& json, const std::string&) {
            engine.command(json);
            return std::string(R"({"ok":true})");
        };
        return h;
    }

    picket::fuzz::EngineFixture engine;
    detail::ServerState state;
};

void check_response(const detail::Response& res) {
    const unsigned code = res.result_int();
    if (code < 100 || code > 599) std::abort();
}

/// One request from `in`; returns the bytes it used, 0 when no complete request header remains.
std::size_t handle_one(Harness& h, std::string_view in) {
    http::request_parser<http::string_body> p;
    p.header_limit(static_cast<std::uint32_t>(h.state.config.max_header_bytes));
    p.body_limit(h.state.config.max_body_bytes);
    p.eager(true);
    boost::beast::error_code ec;
    std::size_t used = p.put(boost::asio::buffer(in.data(), in.size()), ec);
    if (ec == http::error::need_more) {
        if (!p.is_header_done()) return 0;  // the connection would wait, then time out
        p.put_eof(ec);                      // the client closed mid-body
    }
    if (ec || !p.is_header_done()) return 0;  // answered 400/413/431 and closed
    const auto& req = p.get();
    std::vector<std::string_view> hosts, origins;
    for (auto [it, end] = req.equal_range(http::field::host); it != end; ++it)
        hosts.push_back(detail::to_std(it->value()));
    for (auto [it, end] = req.equal_range(http::field::origin); it != end; ++it)
        origins.push_back(detail::to_std(it->value()));
    if (const auto verdict = check_host_and_origin(h.state.hosts, hosts, origins)) {
        if (static_cast<unsigned>(verdict->status) < 400) std::abort();
        return 0;
    }
    if (!p.is_done()) return 0;
    if (boost::beast::websocket::is_upgrade(req)) {
        std::string error;
        (void)detail::parse_replay_query(detail::to_std(req.target()), error);
        return 0;  // the connection becomes a WebSocket
    }
    check_response(detail::route_request(h.state, req, true, "127.0.0.1"));
    if (!req.keep_alive()) return 0;
    return used;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Harness h;
    std::string_view in(reinterpret_cast<const char*>(data), size);
    // A keep-alive connection: requests one after another until one closes it.
    for (int i = 0; i < 8 && !in.empty(); ++i) {
        const std::size_t used = handle_one(h, in);
        if (used == 0) break;
        in.remove_prefix(used);
    }
    return 0;
}
