#pragma once
/// Runs a shell command and captures its stdout (for tshark and ogrinfo in tests). Add "2>&1"
/// to the command to capture stderr too.
#include <cstdio>
#include <string>

namespace picket::outputs::testing {

struct CommandResult {
    int exit_code{-1};
    std::string out;
};

inline CommandResult run_command(const std::string& cmd) {
    CommandResult r;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
    const int status = ::pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

inline bool have_program(const std::string& name) {
    return run_command("command -v " + name + " >/dev/null").exit_code == 0;
}

}  // namespace picket::outputs::testing
