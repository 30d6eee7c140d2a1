#include "core/thread_role.hpp"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <string>

namespace picket {

namespace {
std::atomic<int> g_background_nice{0};
}  // namespace

std::string_view thread_name(ThreadRole role) {
    switch (role) {
        case ThreadRole::fusion:
            return "picket-fusion";
        case ThreadRole::feeds:
            return "picket-feeds";
        case ThreadRole::persistence:
            return "picket-persist";
        case ThreadRole::history:
            return "picket-history";
        case ThreadRole::web:
            return "picket-web";
        case ThreadRole::security:
            return "picket-zap";
        case ThreadRole::store_watch:
            return "picket-storewat";
        case ThreadRole::tak:
            return "picket-tak";
    }
    return "picket";
}

bool is_background(ThreadRole role) {
    return role == ThreadRole::persistence || role == ThreadRole::history;
}

void set_background_nice(int nice) { g_background_nice = std::clamp(nice, 0, 19); }
int background_nice() { return g_background_nice; }

void enter_thread_role(ThreadRole role) {
    const std::string name(thread_name(role));
    pthread_setname_np(pthread_self(), name.c_str());
    const int add = background_nice();
    if (!is_background(role) || add == 0) return;
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    errno = 0;
    const int now = ::getpriority(PRIO_PROCESS, tid);
    if (now == -1 && errno != 0) return;
    ::setpriority(PRIO_PROCESS, tid, std::min(now + add, 19));
}

}  // namespace picket
