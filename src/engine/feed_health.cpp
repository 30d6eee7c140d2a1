#include "src/engine/feed_health.hpp"

#include <utility>

namespace picket::server {
namespace {

template <class Map>
void bump(Map& m, std::string_view key, std::uint64_t n = 1) {
    auto it = m.find(key);
    if (it == m.end()) it = m.emplace(std::string(key), 0).first;
    it->second += n;
}

}  // namespace

std::uint64_t LogLimiter::note(Timestamp now, std::uint64_t n) {
    pending += n;
    return flush(now);
}

std::uint64_t LogLimiter::flush(Timestamp now) {
    if (pending == 0) return 0;
    if (last_line && now - *last_line < interval) return 0;
    last_line = now;
    return std::exchange(pending, 0);
}

void FeedHealth::on_message(Timestamp received, std::size_t size) {
    // Rate over one-second windows, smoothed across windows: per-message intervals would be
    // dominated by bursts (a radar sends a sector's datagrams back to back).
    if (!window_start) window_start = received;
    ++window_messages;
    const double window_s = (received - *window_start).seconds();
    if (window_s >= 1.0) {
        const double rate = static_cast<double>(window_messages) / window_s;
        rate_per_s = rate_per_s == 0 ? rate : 0.7 * rate_per_s + 0.3 * rate;
        window_start = received;
        window_messages = 0;
    }
    ++messages;
    bytes += size;
    last_message = received;
}

void FeedHealth::on_rejected(std::string_view reason, std::uint64_t n) {
    bump(rejected, reason, n);
}

std::uint64_t FeedHealth::rejected_total() const {
    std::uint64_t total = 0;
    for (const auto& [reason, n] : rejected) total += n;
    return total;
}

void FeedHealth::on_anomaly(std::string_view reason) { bump(anomalies, reason); }

void FeedHealth::on_quirk(std::string_view kind) { bump(quirks, kind); }

bool FeedHealth::check_silence(Timestamp now) {
    if (expected_interval_s <= 0) return false;
    // Silent after three expected intervals without a message (one missed message is normal).
    if (!watch_start) watch_start = now;  // a feed gets the same grace at startup
    const Timestamp since = last_message ? std::max(*last_message, *watch_start) : *watch_start;
    const bool now_silent = (now - since).seconds() > 3.0 * expected_interval_s;
    const bool changed = now_silent != silent;
    silent = now_silent;
    return changed;
}

}  // namespace picket::server
