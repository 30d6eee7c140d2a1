#include "src/web/http_routes.hpp"

#include <charconv>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/log_limit.hpp"
#include "src/web/page_token.hpp"
#include "src/web/static_files.hpp"

namespace picket::web::detail {

namespace http = boost::beast::http;

namespace {

Response make_response(const Request& request, http::status status, std::string_view type,
                       std::string body) {
    Response res{status, request.version()};
    res.set(http::field::server, "picket");
    res.set(http::field::content_type, boost::beast::string_view(type.data(), type.size()));
    // The page and the API change under the operator's feet: never serve a stale copy.
    res.set(http::field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
    res.keep_alive(request.keep_alive());
    res.body() = request.method() == http::verb::head ? std::string() : std::move(body);
    res.content_length(request.method() == http::verb::head ? body.size() : res.body().size());
    return res;
}

Response error_json(const Request& request, http::status status, std::string_view message) {
    std::string body = "{\"ok\":false,\"error\":";
    body += nlohmann::json(std::string(message)).dump();
    body += '}';
    return make_response(request, status, "application/json", std::move(body));
}

Response from_hook(const Request& request, const std::function<std::string()>& hook,
                   std::string_view type) {
    if (!hook) return error_json(request, http::status::service_unavailable, "not available");
    try {
        return make_response(request, http::status::ok, type, hook());
    } catch (const std::exception& e) {
        return error_json(request, http::status::internal_server_error, e.what());
    }
}

std::string_view path_of(std::string_view target) {
    const auto q = target.find('?');
    return q == std::string_view::npos ? target : target.substr(0, q);
}

Response run_command(ServerState& state, const Request& request, const std::string& peer) {
    if (state.config.token.empty()) {
        state.commands_refused.fetch_add(1);
        return error_json(request, http::status::forbidden,
                          "commands are disabled: the server has no token");
    }
    if (!bearer_matches(to_std(request[http::field::authorization]), state.config.token)) {
        state.commands_refused.fetch_add(1);
        auto res = error_json(request, http::status::unauthorized, "missing or wrong token");
        res.set(http::field::www_authenticate, "Bearer realm=\"picket\"");
        return res;
    }
    const auto body = nlohmann::json::parse(request.body(), nullptr, false);
    if (!body.is_object() || !body.contains("cmd") || !body["cmd"].is_string()) {
        return error_json(request, http::status::bad_request,
                          "body must be a JSON object with a string \"cmd\"");
    }
    if (!state.hooks.command) {
        return error_json(request, http::status::service_unavailable, "not available");
    }
    const std::string user = "web@" + peer;
    state.commands_accepted.fetch_add(1);
    // Bounded: a command's text comes from the client (a 100 kB label must not make a 100 kB
    // log line), and at a bounded rate (a script can send thousands a second).
    state.command_log.write("web command from " + user + ": " + log::bounded(body.dump(), 200));
    try {
        return make_response(request, http::status::ok, "application/json",
                             state.hooks.command(request.body(), user));
    } catch (const std::exception& e) {
        return error_json(request, http::status::internal_server_error, e.what());
    }
}

Response static_file(ServerState& state, const Request& request, bool peer_is_loopback) {
    auto target = to_std(request.target());
    // The map's tiles live outside the page's folder (data/, made at setup).
    const bool tile = target.starts_with("/tiles/");
    const auto path = tile ? resolve_static_path(state.config.tiles_dir, target.substr(6))
                           : resolve_static_path(state.config.static_dir, target);
    // GDAL writes no file for an empty tile: answer an empty tile (a valid, empty protobuf), not
    // a 404 that the browser would log as an error for every tile over open sea.
    if (!path && tile && target.ends_with(".pbf")) {
        return make_response(request, http::status::ok, "application/x-protobuf", std::string());
    }
    if (!path) return error_json(request, http::status::not_found, "not found");
    // Files are read whole into memory: web/node_modules holds data files of hundreds of MB
    // that the page never needs and that no request should make the server read.
    constexpr std::uintmax_t kMaxStaticBytes = 32u << 20;
    std::error_code size_error;
    if (std::filesystem::file_size(*path, size_error) > kMaxStaticBytes || size_error) {
        return error_json(request, http::status::not_found, "not found");
    }
    std::ifstream in(*path, std::ios::binary);
    if (!in) return error_json(request, http::status::not_found, "not found");
    std::ostringstream content;
    content << in.rdbuf();
    std::string body = content.str();
    const auto name = path->filename().string();
    if (!tile && name == "index.html" && peer_is_loopback &&
        is_loopback_host_header(to_std(request[http::field::host]))) {
        body = inject_token(body, state.config.token);
    }
    return make_response(request, http::status::ok, mime_type(name), std::move(body));
}

}  // namespace

Response route_request(ServerState& state, const Request& request, bool peer_is_loopback,
                       const std::string& peer) {
    state.http_requests.fetch_add(1);
    const auto path = path_of(to_std(request.target()));
    const bool get = request.method() == http::verb::get || request.method() == http::verb::head;
    if (path == "/api/command") {
        if (request.method() != http::verb::post) {
            return error_json(request, http::status::method_not_allowed, "use POST");
        }
        return run_command(state, request, peer);
    }
    if (!get) return error_json(request, http::status::method_not_allowed, "use GET");
    if (path == "/api/snapshot")
        return from_hook(request, state.hooks.snapshot, "application/json");
    if (path == "/api/layers") {
        return from_hook(request, state.hooks.layers, "application/geo+json");
    }
    if (path == "/api/assets") return from_hook(request, state.hooks.assets, "application/json");
    if (path == "/api/recordings") {
        return from_hook(request, state.hooks.recordings, "application/json");
    }
    if (path == "/metrics") {
        std::string text;
        if (state.hooks.metrics) {
            try {
                text = state.hooks.metrics();
            } catch (const std::exception& e) {
                return error_json(request, http::status::internal_server_error, e.what());
            }
        }
        text += web_metrics_text(state);
        return make_response(request, http::status::ok, "text/plain; version=0.0.4",
                             std::move(text));
    }
    return static_file(state, request, peer_is_loopback);
}

ReplayRequest parse_replay_query(std::string_view target, std::string& error) {
    ReplayRequest out;
    const auto q = target.find('?');
    std::string_view query =
        q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos) continue;
        std::string raw(pair.substr(eq + 1));
        for (char& c : raw) {
            if (c == '+') c = ' ';  // application/x-www-form-urlencoded, as URLSearchParams
        }
        const auto value = percent_decode(raw);
        if (!value) {
            error = "malformed query";
            return out;
        }
        const auto key = pair.substr(0, eq);
        if (key == "name") {
            out.name = *value;
        } else if (key == "from") {
            out.from_iso = *value;
        } else if (key == "speed") {
            double speed = 0.0;
            const auto* end = value->data() + value->size();
            const auto [ptr, ec] = std::from_chars(value->data(), end, speed);
            if (ec != std::errc() || ptr != end || !(speed > 0.0) || speed > 10000.0) {
                error = "speed must be a number in (0, 10000]";
                return out;
            }
            out.speed = speed;
        }
    }
    if (out.name.empty()) error = "name is required";
    return out;
}

}  // namespace picket::web::detail
