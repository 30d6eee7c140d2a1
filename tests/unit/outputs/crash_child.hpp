#pragma once
/// Runs tests/unit/outputs/store_crash_child.cpp on a store location, SIGKILLs it after it
/// reported some writes, and returns what it reported (store_crash_test.cpp for SQLite,
/// tests/unit/store/pg_crash_test.cpp for PostgreSQL).
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "core/ids.hpp"

namespace picket::outputs::testing {

struct ChildReport {
    std::set<AlertId> saved, acked, actions;
};

/// Runs the writer child `child` on `location`, lets it report `lines_before_kill` lines, waits
/// a further `extra_us`, then SIGKILLs it. Returns what it reported before it died.
inline ChildReport run_and_kill(const char* child, const std::string& location,
                                int lines_before_kill, int extra_us) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(fds[1], STDOUT_FILENO);
        ::close(fds[0]);
        ::close(fds[1]);
        ::execl(child, child, location.c_str(), nullptr);
        _exit(127);
    }
    ::close(fds[1]);
    std::string text;
    int lines = 0;
    char buf[4096];
    while (lines < lines_before_kill) {
        const ssize_t n = ::read(fds[0], buf, sizeof buf);
        if (n <= 0) break;
        for (ssize_t i = 0; i < n; ++i) lines += buf[i] == '\n';
        text.append(buf, static_cast<std::size_t>(n));
    }
    std::this_thread::sleep_for(std::chrono::microseconds(extra_us));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);
    // What the child wrote before it died is still in the pipe.
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
        text.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);

    ChildReport r;
    std::istringstream in(text);
    std::string what;
    AlertId id = 0;
    while (in >> what >> id) {
        if (what == "saved")
            r.saved.insert(id);
        else if (what == "acked")
            r.acked.insert(id);
        else if (what == "action")
            r.actions.insert(id);
    }
    return r;
}

}  // namespace picket::outputs::testing
