#include "tests/e2e/server_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

extern char** environ;

namespace picket::e2e {

std::string picket_binary() {
    const char* b = std::getenv("PICKET_BINARY");
    if (!b || !std::filesystem::exists(b))
        throw std::runtime_error(
            "PICKET_BINARY is not set or does not exist: run this test through ctest "
            "after building the `picket` target");
    return b;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv_in, const std::string& log_path) {
    std::vector<std::string> args = argv_in;
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + args[0] + ": " + std::strerror(rc));
    pid_ = pid;
}

ChildProcess::~ChildProcess() { kill9(); }

void ChildProcess::kill9() {
    if (reaped_) return;
    ::kill(pid_, SIGKILL);
    wait();
}

int ChildProcess::terminate() {
    if (reaped_) return -1;
    ::kill(pid_, SIGTERM);
    return wait();
}

int ChildProcess::wait() {
    if (reaped_) return -1;
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

namespace {

double time_scale() {
    static const double scale = [] {
        const char* v = std::getenv("PICKET_TEST_TIME_SCALE");
        const double s = v && *v ? std::strtod(v, nullptr) : 1.0;
        if (!(s >= 1.0 && s <= 100.0))
            throw std::runtime_error("PICKET_TEST_TIME_SCALE must be a number from 1 to 100");
        return s;
    }();
    return scale;
}

}  // namespace

std::chrono::milliseconds scaled(std::chrono::milliseconds timeout) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(timeout.count() * time_scale()));
}

double scaled_clock_speed(double speed) { return speed / time_scale(); }

namespace {

/// One request on a fresh REQ socket, waiting exactly `timeout`.
std::optional<std::string> request_once(zmq::context_t& ctx, const std::string& endpoint,
                                        const std::string& body,
                                        std::chrono::milliseconds timeout) {
    zmq::socket_t req(ctx, zmq::socket_type::req);
    req.set(zmq::sockopt::linger, 0);
    req.set(zmq::sockopt::rcvtimeo, static_cast<int>(timeout.count()));
    req.connect(endpoint);
    req.send(zmq::buffer(body), zmq::send_flags::none);
    zmq::message_t reply;
    if (!req.recv(reply)) return std::nullopt;
    return reply.to_string();
}

}  // namespace

std::optional<std::string> request(zmq::context_t& ctx, const std::string& endpoint,
                                   const std::string& body, std::chrono::milliseconds timeout) {
    return request_once(ctx, endpoint, body, scaled(timeout));
}

std::string wait_for_snapshot(zmq::context_t& ctx, const std::string& endpoint,
                              std::chrono::milliseconds timeout) {
    using namespace std::chrono;
    const auto deadline = steady_clock::now() + scaled(timeout);
    // Short first attempts find a server that is still starting; each later one waits twice as
    // long, so a busy server whose answer takes more than 200 ms (thousands of tracks on a
    // loaded machine) is still heard: a fixed 200 ms gave up on every answer and failed after 5 s.
    milliseconds attempt(200);
    for (auto now = steady_clock::now(); now < deadline; now = steady_clock::now()) {
        const auto left = duration_cast<milliseconds>(deadline - now);
        if (auto s = request_once(ctx, endpoint, "snapshot", std::min(attempt, left))) return *s;
        attempt *= 2;
    }
    throw std::runtime_error("the server's snapshot socket did not answer at " + endpoint);
}

}  // namespace picket::e2e
