#pragma once
/// Who may talk to the control-room server at all (docs/control-room.md, "Security"): the Host
/// allow-list that defeats DNS rebinding, the Origin rule that defeats cross-site requests, and
/// the kinds of refusal the server counts (picket_web_refused_total{reason}).
///
/// DNS rebinding: a page on evil.example re-resolves its own name to 127.0.0.1 and then reads
/// http://evil.example:8080/api/snapshot "same-origin". Its requests reach us over loopback, but
/// they carry Host: evil.example:8080. So every request (every route and the WebSocket upgrade)
/// must name this server: a loopback name, an IP address literal (a browser sends the name it
/// resolved, so rebinding never produces an address), or a name the operator configured.
#include <cstdint>
#include <optional>
#include <ostream>  // before Boost: its string_view streams need the complete type
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http/status.hpp>

namespace picket::web {

/// Why the server refused a request or a connection before handling it.
enum class Refusal : std::uint8_t {
    host,                  ///< 421: the Host header names another site (DNS rebinding)
    origin,                ///< 403: the Origin header is another site
    bad_request,           ///< 400: no/duplicate Host, malformed or conflicting framing
    header_too_large,      ///< 431: request line + headers over the limit
    body_too_large,        ///< 413: body (or WebSocket message) over the limit
    timeout,               ///< a request not complete in time (slow client); closed
    too_many_connections,  ///< 503: the connection limit was reached
};
inline constexpr std::size_t kRefusalKinds = 7;
std::string_view refusal_name(Refusal r);

/// The names a Host header may carry.
class HostPolicy {
public:
    /// `extra_names`: host names (no port) besides loopback and IP literals, e.g. the name the
    /// operators type (outputs.http.allowed_hosts). Compared case-insensitively.
    explicit HostPolicy(const std::vector<std::string>& extra_names = {});
    /// `host`: a Host header value, "name[:port]".
    [[nodiscard]] bool allowed(std::string_view host) const;

private:
    std::vector<std::string> names_;  ///< lower case, no trailing dot
};

/// True for a syntactically valid "name[:port]" whose name is an IPv4 dotted quad or a
/// bracketed IPv6 literal.
bool is_ip_literal_host(std::string_view host);

/// A refusal with its status and the reason sent to the client (plain text, no input echoed).
struct Verdict {
    Refusal reason;
    boost::beast::http::status status;
    std::string message;
};

/// Checks the Host and Origin headers of a request (before its body is read): every value of
/// each present (HTTP/1.1 needs exactly one Host; Origin is optional, at most one). Returns
/// nullopt when the request may proceed.
std::optional<Verdict> check_host_and_origin(const HostPolicy& policy,
                                             const std::vector<std::string_view>& host_fields,
                                             const std::vector<std::string_view>& origin_fields);

}  // namespace picket::web
