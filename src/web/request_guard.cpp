#include "src/web/request_guard.hpp"

#include <algorithm>
#include <cctype>

#include "src/web/page_token.hpp"

namespace picket::web {

namespace http = boost::beast::http;

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Splits "name[:port]" / "[v6][:port]"; nullopt when the port part is not a number.
std::optional<std::string_view> host_name(std::string_view host) {
    if (!host.empty() && host.front() == '[') {
        const auto close = host.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        const auto rest = host.substr(close + 1);
        if (!rest.empty() && (rest.front() != ':' || !all_digits(rest.substr(1))))
            return std::nullopt;
        return host.substr(0, close + 1);
    }
    const auto colon = host.find(':');
    if (colon == std::string_view::npos) return host;
    if (!all_digits(host.substr(colon + 1))) return std::nullopt;
    return host.substr(0, colon);
}

bool is_ipv4(std::string_view name) {
    int parts = 0;
    while (true) {
        const auto dot = name.find('.');
        const auto part = name.substr(0, dot);
        if (!all_digits(part) || part.size() > 3 || std::stoi(std::string(part)) > 255)
            return false;
        ++parts;
        if (dot == std::string_view::npos) break;
        name = name.substr(dot + 1);
    }
    return parts == 4;
}

bool is_ipv6_bracketed(std::string_view name) {
    if (name.size() < 4 || name.front() != '[' || name.back() != ']') return false;
    const auto inner = name.substr(1, name.size() - 2);
    return inner.find(':') != std::string_view::npos &&
           std::all_of(inner.begin(), inner.end(), [](char c) {
               return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
           });
}

}  // namespace

std::string_view refusal_name(Refusal r) {
    switch (r) {
        case Refusal::host:
            return "host";
        case Refusal::origin:
            return "origin";
        case Refusal::bad_request:
            return "bad_request";
        case Refusal::header_too_large:
            return "header_too_large";
        case Refusal::body_too_large:
            return "body_too_large";
        case Refusal::timeout:
            return "timeout";
        case Refusal::too_many_connections:
            return "too_many_connections";
    }
    return "unknown";
}

HostPolicy::HostPolicy(const std::vector<std::string>& extra_names) {
    for (const auto& n : extra_names) {
        std::string name = lower(n);
        if (!name.empty() && name.back() == '.') name.pop_back();
        if (!name.empty()) names_.push_back(std::move(name));
    }
}

bool is_ip_literal_host(std::string_view host) {
    const auto name = host_name(host);
    return name && (is_ipv4(*name) || is_ipv6_bracketed(*name));
}

bool HostPolicy::allowed(std::string_view host) const {
    const auto name_part = host_name(host);
    if (!name_part || name_part->empty()) return false;
    if (is_loopback_host_header(host) || is_ip_literal_host(host)) return true;
    std::string name = lower(*name_part);
    if (!name.empty() && name.back() == '.') name.pop_back();  // "localhost." is localhost
    if (name == "localhost") return true;
    return std::find(names_.begin(), names_.end(), name) != names_.end();
}

std::optional<Verdict> check_host_and_origin(const HostPolicy& policy,
                                             const std::vector<std::string_view>& host_fields,
                                             const std::vector<std::string_view>& origin_fields) {
    if (host_fields.size() != 1 || host_fields.front().empty())
        return Verdict{Refusal::bad_request, http::status::bad_request,
                       "a request needs exactly one Host header"};
    if (origin_fields.size() > 1)
        return Verdict{Refusal::bad_request, http::status::bad_request,
                       "a request has at most one Origin header"};
    const auto host = host_fields.front();
    const auto origin = origin_fields.empty() ? std::string_view() : origin_fields.front();
    if (!policy.allowed(host))
        return Verdict{Refusal::host, http::status::misdirected_request,
                       "this server does not answer to that host name "
                       "(outputs.http.allowed_hosts)"};
    // Browsers send Origin with every cross-site request that could change state, and with every
    // WebSocket handshake; non-browser clients (curl, scripts) send none and are let through: the
    // command token, not the Origin, is what authorises them.
    if (!origin.empty() && !origin_allowed(origin, host))
        return Verdict{Refusal::origin, http::status::forbidden, "cross-origin request refused"};
    return std::nullopt;
}

}  // namespace picket::web
