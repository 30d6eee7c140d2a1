#pragma once
/// How the page learns the command token, and how a request proves it has it.
///
/// Choice (docs/control-room.md): the server writes the token into index.html only when the
/// page is fetched over loopback *and* the Host header names a loopback host. An operator on
/// the same machine gets a working page with no typing; anyone else (and a DNS-rebinding page,
/// whose Host is its own name) gets a page that asks for the token.
#include <string>
#include <string_view>

namespace picket::web {

/// True for "localhost", "127.0.0.1" (any 127/8) and "[::1]", with or without ":port".
bool is_loopback_host_header(std::string_view host);

/// Replaces the marker `<!--PICKET_TOKEN-->` in `html` by a <meta name="picket-token"> element
/// carrying `token` (HTML-escaped). Returns the page unchanged when the marker is absent.
std::string inject_token(std::string_view html, std::string_view token);

/// Constant-time check of an Authorization header value against "Bearer TOKEN". False when
/// `token` is empty (commands disabled).
bool bearer_matches(std::string_view authorization, std::string_view token);

/// True when an Origin header (if any) names the same host as Host: refuses cross-site
/// WebSocket hijacking from a page served elsewhere.
bool origin_allowed(std::string_view origin, std::string_view host);

}  // namespace picket::web
