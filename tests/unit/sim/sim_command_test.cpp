// `picket sim` and `picket score --alerts` as a user runs them (needs the built binary:
// PICKET_BINARY, set by ctest).
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

struct Run {
    int status;
    std::string output;
};

Run run(const std::string& command) {
    Run r{-1, {}};
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    if (!p) return r;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
    const int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

const char* binary() {
    const char* b = std::getenv("PICKET_BINARY");
    return b && std::filesystem::exists(b) ? b : nullptr;
}

}  // namespace

TEST_CASE("picket sim: runs a scenario fast, writes truth, and reports scenario errors by line") {
    const char* picket = binary();
    if (!picket) {
        WARN("PICKET_BINARY not built: CLI not checked");
        return;
    }
    const std::string dir = "/tmp/picket-sim-cli-" + std::to_string(::getpid());
    const std::string scenario = dir + ".yaml";
    {
        std::ofstream f(scenario);
        f << "name: cli\nstart: 2026-11-25T00:00:00Z\nduration: 2min\norigin: {lat: 0, lon: 0}\n"
             "ais_receivers:\n  - {id: ais, endpoint: \"ipc://"
          << dir
          << ".ipc\", lat: 0, lon: 0}\n"
             "targets:\n  - {name: a, kind: cargo, waypoints: [{lat: 0, lon: 0, speed_kn: 10}, "
             "{lat: 0, lon: 1}],\n"
             "     ais: {class: A, mmsi: 525000001}}\n";
    }
    const Run ok =
        run(std::string(picket) + " sim " + scenario + " --fast --wait 0 --quiet --truth " + dir);
    INFO(ok.output);
    CHECK(ok.status == 0);
    CHECK(ok.output.find("finished after") != std::string::npos);
    CHECK(std::filesystem::exists(dir + "/truth.csv"));
    CHECK(std::filesystem::exists(dir + "/events.jsonl"));

    {
        std::ofstream f(scenario);
        f << "name: cli\nstart: 2026-11-25T00:00:00Z\nduration: 2min\norigin: {lat: 0, lon: "
             "0}\nradar: []\n";
    }
    const Run bad = run(std::string(picket) + " sim " + scenario);
    CHECK(bad.status == 1);
    CHECK(bad.output.find(scenario + ":5:") != std::string::npos);
    CHECK(bad.output.find("unknown key 'radar'") != std::string::npos);
    std::filesystem::remove_all(dir);
    std::filesystem::remove(scenario);
}
