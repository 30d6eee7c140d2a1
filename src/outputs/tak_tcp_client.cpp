#include "src/outputs/tak_tcp_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "core/log.hpp"
#include "core/stage_errors.hpp"
#include "core/thread_role.hpp"

namespace picket::outputs {
namespace {

/// connect(2) bounded by `timeout_ms`: a blackholed TAK address must not pin the worker (and
/// the destructor that joins it) for the kernel's two-minute SYN timeout.
bool connect_with_timeout(int fd, const sockaddr* addr, socklen_t len, int timeout_ms) {
    const int flags = fcntl(fd, F_GETFL, 0);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    int rc = ::connect(fd, addr, len);
    if (rc != 0 && errno == EINPROGRESS) {
        pollfd p{fd, POLLOUT, 0};
        if (::poll(&p, 1, timeout_ms) != 1) return false;
        int err = 0;
        socklen_t err_len = sizeof err;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len);
        rc = err == 0 ? 0 : -1;
    }
    fcntl(fd, F_SETFL, flags);  // back to blocking sends, bounded by SO_SNDTIMEO
    return rc == 0;
}

}  // namespace

TakTcpClient::TakTcpClient(TakTcpConfig config) : cfg_(std::move(config)) {
    if (cfg_.queue_capacity == 0) cfg_.queue_capacity = 1;
    worker_ = std::thread([this] {
        enter_thread_role(ThreadRole::tak);
        // The catch site of the TAK thread: an unexpected error is counted and logged, and the
        // client goes back to (re)connecting and sending.
        for (;;) {
            try {
                run();
                return;
            } catch (const std::exception& e) {
                report_stage_error("tak_client", e.what());
                if (!sleep_unless_stopped(1000)) return;
            }
        }
    });
}

TakTcpClient::~TakTcpClient() {
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    worker_.join();
}

std::size_t TakTcpClient::queued() const {
    std::lock_guard lock(mu_);
    return queue_.size();
}

void TakTcpClient::post(std::string xml, Kind kind) {
    {
        std::lock_guard lock(mu_);
        if (queue_.size() >= cfg_.queue_capacity) {
            auto oldest_position = std::find_if(queue_.begin(), queue_.end(), [](const Item& i) {
                return i.kind == Kind::position;
            });
            if (oldest_position != queue_.end()) {
                queue_.erase(oldest_position);
                ++tracks_dropped_;
            } else if (kind != Kind::position) {
                // Nothing but alerts and removals queued: the oldest of them goes.
                ++(queue_.front().kind == Kind::alert ? alerts_dropped_ : removals_dropped_);
                queue_.pop_front();
            } else {
                // Queue full of alerts and removals: the new track position is the one to lose.
                ++tracks_dropped_;
                return;
            }
        }
        queue_.push_back(Item{next_seq_++, kind, std::move(xml)});
    }
    cv_.notify_one();
}

bool TakTcpClient::sleep_unless_stopped(int ms) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stop_; });
    return !stop_;
}

int TakTcpClient::connect_once() {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    const std::string port = std::to_string(cfg_.port);
    if (getaddrinfo(cfg_.host.c_str(), port.c_str(), &hints, &res) != 0) return -1;
    int fd = -1;
    for (addrinfo* a = res; a != nullptr && fd < 0; a = a->ai_next) {
        fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) continue;
        timeval tv{cfg_.send_timeout_ms / 1000, (cfg_.send_timeout_ms % 1000) * 1000};
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (!connect_with_timeout(fd, a->ai_addr, a->ai_addrlen, cfg_.send_timeout_ms)) {
            ::close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    return fd;
}

void TakTcpClient::run() {
    int backoff_ms = 250;
    int fd = -1;
    for (;;) {
        if (fd < 0) {
            {
                std::lock_guard lock(mu_);
                if (stop_) return;
            }
            fd = connect_once();
            if (fd < 0) {
                if (!sleep_unless_stopped(backoff_ms)) return;
                backoff_ms = std::min(backoff_ms * 2, 8000);
                continue;
            }
            backoff_ms = 250;
            ++connects_;
            connected_ = true;
        }
        // Copy the head out and send without the lock, so posting never waits on the network.
        Item item;
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
            if (stop_) break;
            item = queue_.front();
        }
        std::size_t off = 0;
        bool ok = true;
        while (off < item.xml.size()) {
            const ssize_t n =
                ::send(fd, item.xml.data() + off, item.xml.size() - off, MSG_NOSIGNAL);
            if (n <= 0) {
                if (n < 0 && errno == EINTR) continue;
                ok = false;
                break;
            }
            off += static_cast<std::size_t>(n);
        }
        if (!ok) {
            // Keep the event queued: it is resent whole on the next connection (a partial
            // document died with the old stream).
            log::warn("tak: connection to " + cfg_.host + ":" + std::to_string(cfg_.port) +
                      " lost");
            ::close(fd);
            fd = -1;
            connected_ = false;
            continue;
        }
        ++sent_;
        std::lock_guard lock(mu_);
        // The event may have been dropped for space while we sent it; pop only if still there.
        if (!queue_.empty() && queue_.front().seq == item.seq) queue_.pop_front();
    }
    if (fd >= 0) ::close(fd);
    connected_ = false;
}

}  // namespace picket::outputs
