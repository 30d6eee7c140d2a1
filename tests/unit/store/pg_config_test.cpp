// outputs.store in the server config: a location libpq cannot parse is a configuration error at
// its line; a database unreachable at startup stops `picket serve` with the config's file:line
// (exit 2); a reachable one is used, and two servers' site numbers keep their alert ids apart.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "config/yaml_reader.hpp"
#include "src/server_config.hpp"
#include "tests/unit/outputs/temp_dir.hpp"

using namespace picket;

namespace {

std::string config_with(const std::string& outputs) {
    return "region: {name: t, origin: {lat: -9, lon: 125}}\nfeeds:\n  - id: f1\n"
           "    kind: ais\n    format: nmea-ais\n    endpoint: tcp://127.0.0.1:1\n"
           "outputs:\n  http: {enabled: false}\n" +
           outputs;
}

}  // namespace

TEST_CASE("config: outputs.store takes a PostgreSQL URL or conninfo, checked at its line",
          "[store][pg][config]") {
    const auto ok = server::parse_server_config(
        config_with("  store: postgresql://picket@db.example/picket\n  store_site: 3\n"), "s.yaml",
        "/tmp");
    CHECK(ok.outputs.database == "postgresql://picket@db.example/picket");
    CHECK(ok.outputs.store_site == 3);
    CHECK(ok.outputs.store_file == "s.yaml");
    CHECK(ok.outputs.store_line == 9);
    CHECK_THROWS_WITH(server::parse_server_config(
                          config_with("  store: \"host=db dbname='picket\"\n"), "s.yaml", "/tmp"),
                      Catch::StartsWith("s.yaml:9:10: outputs.store:"));
    CHECK_THROWS_WITH(
        server::parse_server_config(config_with("  store: data/picket.db\n"), "s.yaml", "/tmp"),
        Catch::Contains("must be a PostgreSQL URL"));
    CHECK_THROWS_WITH(
        server::parse_server_config(
            config_with("  database: data/picket.db\n  store: postgresql://db/picket\n"), "s.yaml",
            "/tmp"),
        Catch::Contains("not both"));
    CHECK_THROWS_WITH(
        server::parse_server_config(
            config_with("  store: postgresql://db/picket\n  store_site: 5000\n"), "s.yaml", "/tmp"),
        Catch::StartsWith("s.yaml:10:") && Catch::Contains("store_site"));
}

TEST_CASE("serve: a store unreachable at startup stops the server with the config's line",
          "[store][pg][config]") {
    const char* binary = std::getenv("PICKET_BINARY");
    REQUIRE(binary);
    outputs::testing::TempDir dir;
    const std::string path = dir.file("s.yaml");
    // Its own ipc endpoints: the public sockets are bound before the store is opened.
    std::ofstream(path) << config_with(
        "  store: \"host=/nonexistent-picket-socket port=1 dbname=x connect_timeout=2\"\n"
        "  publish: ipc://" +
        dir.file("pub") + "\n  snapshot: ipc://" + dir.file("snap") + "\n");
    const std::string cmd = std::string(binary) + " serve --config " + path + " 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::string out;
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    const int status = ::pclose(p);
    INFO(out);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 2);
    CHECK(out.find("configuration error: " + path + ":9:") != std::string::npos);
    CHECK(out.find("cannot connect to PostgreSQL") != std::string::npos);
}
