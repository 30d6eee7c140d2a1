#pragma once
/// The server's threads by role: each names itself (so `top -H`, `ps -L`, perf and gdb say
/// which thread is which) and the background ones give way to the fusion thread.
///
/// Why: on a small machine the fusion thread shares the cores with the store's writer, the
/// recorder's compression and the track history. Those have bounded queues and a documented
/// way to degrade (docs/outputs.md), the fusion thread has a latency goal: when both want a
/// core, the scheduler should run the fusion thread first. A higher nice value does that with
/// no privilege (CFS weighs a nice-5 thread about a third of a nice-0 one and lets a waking
/// nice-0 thread preempt it sooner), and without starving the writers on an idle core.
#include <cstdint>
#include <string_view>

namespace picket {

enum class ThreadRole : std::uint8_t {
    fusion,       ///< decode, track, rules, publish: the latency-bound thread
    feeds,        ///< receives and time-stamps the feeds' messages
    persistence,  ///< store transactions and the recording (background)
    history,      ///< track history writes (background)
    web,          ///< HTTP and WebSocket clients
    security,     ///< ZeroMQ authentication (ZAP)
    store_watch,  ///< a shared store's notifications
    tak,          ///< the TAK server connection
};

/// The thread's name as the system shows it ("picket-fusion"; at most 15 characters).
[[nodiscard]] std::string_view thread_name(ThreadRole role);
/// Whether the role runs below the fusion thread's priority.
[[nodiscard]] bool is_background(ThreadRole role);

/// How much nicer than the process the background roles run (0..19; 0 = equal). Set once at
/// startup, before the threads start (outputs.background_nice).
void set_background_nice(int nice);
[[nodiscard]] int background_nice();

/// Names the calling thread for its role and, for a background role, raises its nice value by
/// background_nice() (per thread: Linux's setpriority on the thread id). Never fails the
/// caller: a system that refuses leaves the thread as it was.
void enter_thread_role(ThreadRole role);

}  // namespace picket
