#pragma once
// Real picket processes for the end-to-end tests that must kill the server (SIGKILL) and start it
// again on the same files; and one request to a ROUTER socket with a timeout.
#include <zmq.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace picket::e2e {

/// The picket executable ctest names in PICKET_BINARY; throws when it is unset or missing.
std::string picket_binary();

/// A child process (posix_spawn), stdout and stderr appended to a log file.
class ChildProcess {
public:
    /// Starts `argv[0]` with `argv`.
    ChildProcess(const std::vector<std::string>& argv, const std::string& log_path);
    /// Kills the child (SIGKILL) if it is still running, and reaps it.
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    /// SIGKILL: the process gets no chance to flush or close anything.
    void kill9();
    /// SIGTERM (a clean stop) and waits; returns the exit code (-1 if killed by a signal).
    int terminate();
    /// Waits for the process to end by itself; returns the exit code (-1 if killed by a signal).
    int wait();

private:
    int pid_{-1};
    bool reaped_{false};
};

/// `timeout` times PICKET_TEST_TIME_SCALE (1 when unset). The tsan test preset sets it: a server
/// built with ThreadSanitizer runs 5-15 times slower, and waits for an answer that must come
/// (a reply, a snapshot, an alert) stretch with it. The release tests wait what they say.
std::chrono::milliseconds scaled(std::chrono::milliseconds timeout);

/// A virtual clock's `speed` (virtual seconds per wall second) divided by
/// PICKET_TEST_TIME_SCALE: the same virtual timeline, at a wall pace an instrumented server keeps
/// up with. A test that runs its server 100x fast would otherwise send it 10x more than it can
/// read under ThreadSanitizer, and the data would be late before it is decoded.
double scaled_clock_speed(double speed);

/// Sends `body` on a fresh REQ socket and waits up to scaled(`timeout`) for the reply; nullopt
/// on timeout.
/// A fresh socket each time: a REQ whose peer died mid-request is stuck in its state machine.
std::optional<std::string> request(zmq::context_t& ctx, const std::string& endpoint,
                                   const std::string& body, std::chrono::milliseconds timeout);

/// Asks the snapshot socket until it answers (the server is up and its fusion loop runs); returns
/// the snapshot. Throws after scaled(`timeout`).
std::string wait_for_snapshot(zmq::context_t& ctx, const std::string& endpoint,
                              std::chrono::milliseconds timeout);

}  // namespace picket::e2e
