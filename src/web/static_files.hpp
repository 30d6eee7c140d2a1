#pragma once
/// Mapping a request target to a file under the static folder, safely: no way out of the folder
/// ("..", encoded "%2e%2e", backslashes, NUL, absolute paths, symlinks pointing outside).
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace picket::web {

/// Decodes %XX escapes (RFC 3986 section 2.1); nullopt on a malformed escape or a decoded NUL.
std::optional<std::string> percent_decode(std::string_view text);

/// The file that `target` (request-target, query allowed) names under `root`, or nullopt when it
/// is not a regular file strictly inside `root` once every symlink is resolved. "/" and folder
/// targets map to their index.html.
std::optional<std::filesystem::path> resolve_static_path(const std::filesystem::path& root,
                                                         std::string_view target);

/// Content-Type for a file name by extension; "application/octet-stream" when unknown.
std::string_view mime_type(std::string_view file_name);

}  // namespace picket::web
