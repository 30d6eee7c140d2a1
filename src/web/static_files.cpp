#include "src/web/static_files.hpp"

#include <array>
#include <system_error>
#include <utility>

namespace picket::web {
namespace fs = std::filesystem;

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// True when `inner` is `outer` or below it; both must already be canonical.
bool is_within(const fs::path& outer, const fs::path& inner) {
    auto o = outer.begin();
    auto i = inner.begin();
    for (; o != outer.end(); ++o, ++i) {
        if (i == inner.end() || *o != *i) return false;
    }
    return true;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            const int hi = hex_value(text[i + 1]);
            const int lo = hex_value(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            c = static_cast<char>(hi * 16 + lo);
            i += 2;
        }
        if (c == '\0') return std::nullopt;
        out.push_back(c);
    }
    return out;
}

std::optional<fs::path> resolve_static_path(const fs::path& root, std::string_view target) {
    if (root.empty()) return std::nullopt;
    const auto query = target.find_first_of("?#");
    if (query != std::string_view::npos) target = target.substr(0, query);
    if (target.empty() || target.front() != '/') return std::nullopt;
    const auto decoded = percent_decode(target);
    if (!decoded) return std::nullopt;
    // Reject anything that could climb or switch roots before touching the file system, so the
    // canonical-path check below is a second wall, not the only one.
    if (decoded->find('\\') != std::string::npos) return std::nullopt;
    std::string relative;
    std::size_t start = 1;
    while (start <= decoded->size()) {
        auto end = decoded->find('/', start);
        if (end == std::string::npos) end = decoded->size();
        const std::string_view segment(decoded->data() + start, end - start);
        if (segment == "..") return std::nullopt;
        if (!segment.empty() && segment != ".") {
            if (!relative.empty()) relative.push_back('/');
            relative.append(segment);
        }
        start = end + 1;
    }

    std::error_code ec;
    const fs::path canonical_root = fs::canonical(root, ec);
    if (ec) return std::nullopt;
    fs::path candidate = relative.empty() ? canonical_root : canonical_root / relative;
    if (fs::is_directory(candidate, ec)) candidate /= "index.html";
    const fs::path canonical = fs::canonical(candidate, ec);
    if (ec) return std::nullopt;
    if (canonical == canonical_root || !is_within(canonical_root, canonical)) return std::nullopt;
    if (!fs::is_regular_file(canonical, ec)) return std::nullopt;
    return canonical;
}

std::string_view mime_type(std::string_view file_name) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 13> kTypes{{
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".geojson", "application/geo+json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".wav", "audio/wav"},
        {".txt", "text/plain; charset=utf-8"},
        {".map", "application/json"},
        {".pbf", "application/x-protobuf"},  // vector tiles (uncompressed)
    }};
    const auto dot = file_name.rfind('.');
    if (dot == std::string_view::npos) return "application/octet-stream";
    const auto ext = file_name.substr(dot);
    for (const auto& [e, type] : kTypes) {
        if (e == ext) return type;
    }
    return "application/octet-stream";
}

}  // namespace picket::web
