#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "src/web/static_files.hpp"

namespace fs = std::filesystem;
using picket::web::mime_type;
using picket::web::percent_decode;
using picket::web::resolve_static_path;

namespace {

/// A throw-away tree: root/index.html, root/src/app.js, and secret.txt beside root.
struct Tree {
    Tree() {
        base = fs::temp_directory_path() / ("picket_static_" + std::to_string(::getpid()));
        fs::remove_all(base);
        fs::create_directories(base / "root" / "src");
        std::ofstream(base / "root" / "index.html") << "<html>";
        std::ofstream(base / "root" / "src" / "app.js") << "1";
        std::ofstream(base / "secret.txt") << "secret";
        fs::create_symlink(base / "secret.txt", base / "root" / "link.txt");
    }
    ~Tree() { fs::remove_all(base); }
    fs::path root() const { return base / "root"; }
    fs::path base;
};

}  // namespace

TEST_CASE("percent_decode follows RFC 3986 escapes and refuses NUL") {
    CHECK(percent_decode("a%2Fb%2e") == std::optional<std::string>("a/b."));
    CHECK_FALSE(percent_decode("%2"));
    CHECK_FALSE(percent_decode("%zz"));
    CHECK_FALSE(percent_decode("a%00b"));
}

TEST_CASE("static files resolve inside the root only") {
    Tree t;
    const auto root = fs::canonical(t.root());
    CHECK(resolve_static_path(t.root(), "/") == root / "index.html");
    CHECK(resolve_static_path(t.root(), "/index.html?x=1") == root / "index.html");
    CHECK(resolve_static_path(t.root(), "/src/app.js") == root / "src" / "app.js");
    CHECK(resolve_static_path(t.root(), "/src/./app.js") == root / "src" / "app.js");
    CHECK_FALSE(resolve_static_path(t.root(), "/missing.js"));
}

TEST_CASE("path traversal is refused in every spelling") {
    Tree t;
    for (const char* target :
         {"/../secret.txt", "/src/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
          "/src/..%2f..%2fsecret.txt", "/..\\secret.txt", "/src%5c..%5c..%5csecret.txt",
          "//etc/passwd", "/link.txt", "secret.txt", "/%00", "/.."}) {
        INFO(target);
        CHECK_FALSE(resolve_static_path(t.root(), target));
    }
}

TEST_CASE("mime types by extension") {
    CHECK(mime_type("app.js") == "text/javascript; charset=utf-8");
    CHECK(mime_type("index.html") == "text/html; charset=utf-8");
    CHECK(mime_type("x.bin") == "application/octet-stream");
    CHECK(mime_type("Makefile") == "application/octet-stream");
}
