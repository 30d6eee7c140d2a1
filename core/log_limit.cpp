#include "core/log_limit.hpp"

#include <cstdio>

namespace picket::log {

std::string bounded(std::string_view text, std::size_t max_bytes) {
    const std::size_t keep = text.size() < max_bytes ? text.size() : max_bytes;
    std::string out;
    out.reserve(keep + 24);
    for (std::size_t i = 0; i < keep; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out.push_back(static_cast<char>(c));
        } else {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        }
    }
    if (keep < text.size()) out += "...(+" + std::to_string(text.size() - keep) + " bytes)";
    return out;
}

bool RateLimited::write(std::string_view message) { return write(message, Clock::now()); }

bool RateLimited::write(std::string_view message, Clock::time_point now) {
    std::uint64_t left_out = 0;
    {
        const std::lock_guard lock(mutex_);
        if (written_in_window_ == 0 || now - window_start_ >= period_) {
            window_start_ = now;
            written_in_window_ = 0;
        }
        if (written_in_window_ >= burst_) {
            ++suppressed_;
            return false;
        }
        ++written_in_window_;
        left_out = suppressed_;
        suppressed_ = 0;
    }
    if (left_out == 0) {
        log::write(level_, message);
    } else {
        std::string line(message);
        line += " (" + std::to_string(left_out) + " similar lines left out)";
        log::write(level_, line);
    }
    return true;
}

std::uint64_t RateLimited::suppressed() const {
    const std::lock_guard lock(mutex_);
    return suppressed_;
}

}  // namespace picket::log
