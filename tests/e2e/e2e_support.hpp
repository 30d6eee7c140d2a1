#pragma once
// Helpers for the end-to-end tests: temporary folders, free loopback ports, border layers
// written with GDAL, and a ZeroMQ subscriber that collects the server's messages.
#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/geodetic.hpp"

namespace picket::e2e {

/// A fresh directory under the system temp dir, removed at scope exit.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    [[nodiscard]] std::string file(const std::string& name) const {
        return (path_ / name).string();
    }

private:
    std::filesystem::path path_;
};

/// A TCP port on 127.0.0.1 that nothing listens on right now.
int free_port();
std::string loopback(int port);

/// Writes a GeoPackage with one polygon layer `layer`, a `name` field, one feature per (name, WKT).
void write_polygon_layer(const std::string& path, const std::string& layer,
                         const std::vector<std::pair<std::string, std::string>>& name_wkt);

void write_text(const std::string& path, const std::string& text);
/// The whole file (a server's log, a track log); empty if it cannot be read.
std::string read_text(const std::string& path);
/// `what` occurs in the file: a server logged it.
bool file_contains(const std::string& path, std::string_view what);

/// A SUB socket on the server's publish endpoint; collects (topic, JSON) pairs.
class Subscriber {
public:
    Subscriber(zmq::context_t& ctx, const std::string& endpoint);
    /// Receives for up to `wait` (or until nothing arrives for that long after the first message).
    void drain(std::chrono::milliseconds wait);
    /// The next (topic, JSON) pair, waiting up to `wait`; also appended to `messages`.
    std::optional<std::pair<std::string, nlohmann::json>> next(std::chrono::milliseconds wait);
    [[nodiscard]] std::vector<nlohmann::json> of_topic(const std::string& topic) const;
    std::vector<std::pair<std::string, nlohmann::json>> messages;

private:
    zmq::socket_t socket_;
};

}  // namespace picket::e2e
