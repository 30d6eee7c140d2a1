#pragma once
/// A fresh temporary directory for a test, removed with its content at scope exit. Every test that
/// writes files (or binds ipc:// sockets, which leave a socket file) uses one: a fixed per-pid
/// directory outlives the run, and hundreds of them piled up in /tmp.
#include <cstdlib>
#include <filesystem>
#include <string>

namespace picket::outputs::testing {

class TempDir {
public:
    explicit TempDir(const std::string& prefix = "picket-outputs") {
        std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
        path_ = ::mkdtemp(tmpl.data()) ? tmpl : std::string();
    }
    ~TempDir() {
        std::error_code ec;
        if (!path_.empty()) std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

}  // namespace picket::outputs::testing
