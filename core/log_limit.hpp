#pragma once
/// Log lines that outside input cannot blow up: text from a peer (a command body, a Host header,
/// a key) bounded and escaped before it reaches a log line, and refusal kinds that a hostile
/// client can trigger thousands of times a second logged at a bounded rate with a count of what
/// was left out.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "core/log.hpp"

namespace picket::log {

/// `text` made safe for one log line: bytes outside printable ASCII shown as \xNN (so a newline
/// in a label cannot forge a second log line), at most `max_bytes` of the input kept and the rest
/// summarised as "...(+N bytes)".
std::string bounded(std::string_view text, std::size_t max_bytes = 200);

/// One kind of log line written at most `burst` times per `period`. Lines over the limit are
/// counted, not written; the next line written says how many were left out. Thread-safe.
class RateLimited {
public:
    using Clock = std::chrono::steady_clock;

    RateLimited(Level level, int burst = 5,
                Clock::duration period = std::chrono::seconds(60)) noexcept
        : level_(level), burst_(burst), period_(period) {}

    /// Writes `message` if the budget allows; returns whether it was written.
    bool write(std::string_view message);
    /// Same with an explicit time (tests).
    bool write(std::string_view message, Clock::time_point now);
    /// Lines left out since the last one written.
    [[nodiscard]] std::uint64_t suppressed() const;

private:
    Level level_;
    int burst_;
    Clock::duration period_;
    mutable std::mutex mutex_;
    Clock::time_point window_start_{};
    int written_in_window_{0};
    std::uint64_t suppressed_{0};
};

}  // namespace picket::log
