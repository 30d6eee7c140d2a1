#include "src/web/page_token.hpp"

#include <cstddef>

namespace picket::web {

namespace {

std::string_view strip_port(std::string_view host) {
    if (!host.empty() && host.front() == '[') {
        const auto close = host.find(']');
        return close == std::string_view::npos ? host : host.substr(0, close + 1);
    }
    const auto colon = host.rfind(':');
    return colon == std::string_view::npos ? host : host.substr(0, colon);
}

}  // namespace

bool is_loopback_host_header(std::string_view host) {
    const auto name = strip_port(host);
    if (name == "localhost" || name == "[::1]") return true;
    if (name.substr(0, 4) != "127.") return false;
    // Require a dotted quad of digits so "127.evil.example" does not pass.
    int dots = 0;
    for (char c : name) {
        if (c == '.') {
            ++dots;
        } else if (c < '0' || c > '9') {
            return false;
        }
    }
    return dots == 3;
}

std::string inject_token(std::string_view html, std::string_view token) {
    static constexpr std::string_view kMarker = "<!--PICKET_TOKEN-->";
    const auto at = html.find(kMarker);
    std::string out(html);
    if (at == std::string_view::npos) return out;
    std::string meta = "<meta name=\"picket-token\" content=\"";
    for (char c : token) {
        switch (c) {
            case '&':
                meta += "&amp;";
                break;
            case '"':
                meta += "&quot;";
                break;
            case '<':
                meta += "&lt;";
                break;
            case '>':
                meta += "&gt;";
                break;
            default:
                meta.push_back(c);
        }
    }
    meta += "\">";
    out.replace(at, kMarker.size(), meta);
    return out;
}

bool bearer_matches(std::string_view authorization, std::string_view token) {
    static constexpr std::string_view kPrefix = "Bearer ";
    if (token.empty() || authorization.substr(0, kPrefix.size()) != kPrefix) return false;
    const auto given = authorization.substr(kPrefix.size());
    // Compare every byte whatever the first mismatch so timing does not reveal a prefix.
    unsigned diff = given.size() == token.size() ? 0u : 1u;
    for (std::size_t i = 0; i < token.size(); ++i) {
        const char g = i < given.size() ? given[i] : '\0';
        diff |= static_cast<unsigned>(static_cast<unsigned char>(g) ^
                                      static_cast<unsigned char>(token[i]));
    }
    return diff == 0;
}

bool origin_allowed(std::string_view origin, std::string_view host) {
    if (origin.empty()) return true;  // not a browser, or a same-origin GET
    const auto scheme = origin.find("://");
    if (scheme == std::string_view::npos) return false;  // includes "null" (sandboxed pages)
    const auto name = origin.substr(0, scheme);
    if (name != "http" && name != "https") return false;
    return origin.substr(scheme + 3) == host;
}

}  // namespace picket::web
