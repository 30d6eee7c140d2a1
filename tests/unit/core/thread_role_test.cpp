// Threads say what they are, and the background writers give way to the fusion thread
// (issue 18: a store or recorder busy on the same core must not stretch fusion's latency).
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>

#include "core/thread_role.hpp"

using namespace picket;

namespace {

struct Seen {
    std::string name;
    int nice{0};
};

/// Starts a thread that enters `role` and reports what the system says about it.
Seen run_as(ThreadRole role) {
    Seen seen;
    std::thread t([&] {
        enter_thread_role(role);
        const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
        std::ifstream comm("/proc/self/task/" + std::to_string(tid) + "/comm");
        std::getline(comm, seen.name);
        seen.nice = ::getpriority(PRIO_PROCESS, tid);
    });
    t.join();
    return seen;
}

}  // namespace

TEST_CASE("a thread names itself for its role; background roles run nicer", "[core][threads]") {
    const int base = ::getpriority(PRIO_PROCESS, 0);
    set_background_nice(5);
    const Seen fusion = run_as(ThreadRole::fusion);
    CHECK(fusion.name == "picket-fusion");
    CHECK(fusion.nice == base);
    const Seen persist = run_as(ThreadRole::persistence);
    CHECK(persist.name == "picket-persist");
    CHECK(persist.nice == std::min(base + 5, 19));
    CHECK(run_as(ThreadRole::history).nice == std::min(base + 5, 19));
    CHECK(run_as(ThreadRole::web).nice == base);

    set_background_nice(0);  // outputs.background_nice: 0 keeps them level
    CHECK(run_as(ThreadRole::persistence).nice == base);
    set_background_nice(40);  // clamped to the system's range
    CHECK(background_nice() == 19);
    set_background_nice(5);

    for (auto role :
         {ThreadRole::fusion, ThreadRole::feeds, ThreadRole::persistence, ThreadRole::history,
          ThreadRole::web, ThreadRole::security, ThreadRole::store_watch, ThreadRole::tak})
        CHECK(thread_name(role).size() <= 15);  // the kernel's limit, or the name is refused
}
