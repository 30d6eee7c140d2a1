#pragma once
// The PostgreSQL benches' database: the CONNINFO given on the command line, or a throwaway
// cluster (fsync on, as a deployment runs) started by scripts/pg-cluster.sh in a temp dir and
// stopped, with the dir, when this goes. Needs PICKET_SOURCE_DIR defined by the bench's target.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>

namespace picket::bench {

/// What a shell command printed, trailing newlines cut; empty when it failed.
inline std::string command_output(const std::string& command) {
    std::string out;
    if (FILE* p = ::popen(command.c_str(), "r")) {
        char buf[512];
        while (std::fgets(buf, sizeof buf, p)) out += buf;
        if (::pclose(p) != 0) out.clear();
    }
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

class BenchCluster {
public:
    /// `conninfo` empty: starts a cluster under a temp dir named after `tag`; conninfo() is
    /// then empty if it could not (a message says so on stderr).
    BenchCluster(std::string conninfo, const std::string& tag) : conninfo_(std::move(conninfo)) {
        if (!conninfo_.empty()) return;
        std::string dir =
            (std::filesystem::temp_directory_path() / ("picket-" + tag + "-XXXXXX")).string();
        if (!::mkdtemp(dir.data())) return;
        cluster_ = dir + "/cluster";  // the script's stop removes it, then the dir goes
        conninfo_ = command_output("'" + script() + "' start '" + cluster_ + "'");
        if (conninfo_.empty())
            std::fprintf(stderr, "cannot start a cluster (PostgreSQL + PostGIS installed?)\n");
    }
    ~BenchCluster() {
        if (cluster_.empty()) return;
        command_output("'" + script() + "' stop '" + cluster_ + "'");
        std::error_code ec;
        std::filesystem::remove_all(std::filesystem::path(cluster_).parent_path(), ec);
    }
    BenchCluster(const BenchCluster&) = delete;
    BenchCluster& operator=(const BenchCluster&) = delete;

    [[nodiscard]] const std::string& conninfo() const { return conninfo_; }

private:
    static std::string script() {
        return std::string(PICKET_SOURCE_DIR) + "/scripts/pg-cluster.sh";
    }
    std::string conninfo_;
    std::string cluster_;
};

}  // namespace picket::bench
