// main() of picket_tests_store_pg: starts a throwaway PostgreSQL + PostGIS cluster
// (scripts/pg-cluster.sh), runs the Catch2 tests against it, stops it. Exits 77 (ctest's skip,
// with the reason on stderr) when the PostgreSQL server or PostGIS is not installed.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "src/store/pg_connection.hpp"
#include "tests/unit/store/pg_cluster.hpp"

namespace picket::store::testing {
namespace {

std::string g_conninfo;
int g_schemas = 0;

std::string run(const std::string& command, int& status) {
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    if (!p) throw std::runtime_error("cannot run " + command);
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    status = ::pclose(p);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

}  // namespace

const std::string& cluster_conninfo() { return g_conninfo; }

std::string fresh_schema() {
    const std::string name = "t" + std::to_string(++g_schemas);
    pg::Connection admin(g_conninfo);
    admin.exec("CREATE SCHEMA " + name);
    return g_conninfo + " options='-csearch_path=" + name + ",public'";
}

}  // namespace picket::store::testing

int main(int argc, char** argv) {
    using namespace picket::store::testing;
    const std::string script = std::string(PICKET_SOURCE_DIR) + "/scripts/pg-cluster.sh";
    std::string tmpl = (std::filesystem::temp_directory_path() / "picket-pg-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) {
        std::perror("mkdtemp");
        return 1;
    }
    const std::string dir = tmpl + "/cluster";
    int status = 0;
    g_conninfo = run("'" + script + "' start '" + dir + "' --fast", status);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
        std::fprintf(stderr, "SKIPPED: no PostgreSQL server or PostGIS to test against\n");
        std::filesystem::remove_all(tmpl);
        return 77;
    }
    int result = 1;
    if (status != 0) {
        std::fprintf(stderr, "cannot start the test cluster (%s)\n", script.c_str());
    } else {
        try {
            // PostGIS once, in public: every test schema's search_path reaches it.
            picket::store::pg::Connection admin(g_conninfo);
            admin.exec("CREATE EXTENSION IF NOT EXISTS postgis");
            result = Catch::Session().run(argc, argv);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "%s\n", e.what());
        }
    }
    int stop_status = 0;
    run("'" + script + "' stop '" + dir + "'", stop_status);
    std::filesystem::remove_all(tmpl);
    return result;
}
