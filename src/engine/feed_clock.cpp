#include "src/engine/feed_clock.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace picket::server {
namespace {

/// a - b without overflow: a feed may send any time at all (year 2255, 1970).
std::int64_t saturating_sub(std::int64_t a, std::int64_t b) {
    std::int64_t r = 0;
    if (!__builtin_sub_overflow(a, b, &r)) return r;
    return b < 0 ? std::numeric_limits<std::int64_t>::max()
                 : std::numeric_limits<std::int64_t>::min();
}

/// A step back of the feed's own times by more than this is reported (`time_backwards`): small
/// disorder is normal (sectors, retries) and the tracker's out-of-sequence buffer copes with it.
constexpr std::int64_t kBackwardsToleranceNs = 5 * kNsPerSecond;
/// Once the window is full, the median is taken again every this many messages: it moves by at
/// most a few samples' worth in between, and a busy AIS feed need not sort per sentence.
constexpr std::size_t kEstimateEvery = 4;

}  // namespace

std::string_view to_string(ClockStatus s) {
    switch (s) {
        case ClockStatus::ok:
            return "ok";
        case ClockStatus::corrected:
            return "corrected";
        case ClockStatus::ahead:
            return "ahead";
        case ClockStatus::behind:
            return "behind";
    }
    return "ok";
}

FeedClock::FeedClock(FeedClockConfig config) : cfg_(config) {
    if (cfg_.offset_mode == FeedClockConfig::Offset::fixed) applied_ = cfg_.offset;
    update_status();
}

std::string_view FeedClock::offset_source() const {
    switch (cfg_.offset_mode) {
        case FeedClockConfig::Offset::fixed:
            return "configured";
        case FeedClockConfig::Offset::learn:
            return "learned";
        case FeedClockConfig::Offset::none:
            break;
    }
    return "none";
}

FeedClock::Judgement FeedClock::judge(Timestamp observed, Timestamp received) {
    const std::int64_t raw = saturating_sub(observed.ns, received.ns);
    message_max_ = message_max_ ? std::max(*message_max_, raw) : raw;
    const std::int64_t skew = saturating_sub(raw, applied_.ns);
    Judgement j;
    if (skew > cfg_.max_skew.ns) {
        j.verdict = Verdict::ahead;
        return j;
    }
    if (skew < -cfg_.max_skew.ns - cfg_.expected_latency.ns) {
        j.verdict = Verdict::behind;
        return j;
    }
    j.observed = received + Duration{skew};
    if (skew > cfg_.tolerance.ns) {
        j.verdict = Verdict::clamped;
        j.observed = received;
    }
    if (cfg_.check_backwards) {
        if (has_newest_ && j.observed.ns < newest_.ns - kBackwardsToleranceNs) {
            newest_ = j.observed;  // re-anchor: report a step back once, not every record after it
            j.stepped_back = true;
        } else if (!has_newest_ || j.observed > newest_) {
            newest_ = j.observed;
        }
        has_newest_ = true;
    }
    return j;
}

Timestamp FeedClock::bound(Timestamp observed, Timestamp received) const {
    const std::int64_t skew = saturating_sub(saturating_sub(observed.ns, received.ns), applied_.ns);
    if (skew > cfg_.tolerance.ns || skew < -cfg_.max_skew.ns - cfg_.expected_latency.ns)
        return received;
    return received + Duration{skew};
}

bool FeedClock::end_message() {
    if (!message_max_) return false;
    ring_[next_] = *message_max_;
    message_max_.reset();
    next_ = (next_ + 1) % kWindow;
    count_ = std::min(count_ + 1, kWindow);
    ++since_estimate_;
    if (count_ < kMinSamples || (count_ == kWindow && since_estimate_ < kEstimateEvery))
        return false;
    since_estimate_ = 0;
    estimate();
    const ClockStatus before = status_;
    update_status();
    return status_ != before;
}

void FeedClock::estimate() {
    std::array<std::int64_t, kWindow> v{};
    std::copy_n(ring_.begin(), count_, v.begin());
    const auto mid = v.begin() + static_cast<std::ptrdiff_t>(count_ / 2);
    std::nth_element(v.begin(), mid, v.begin() + static_cast<std::ptrdiff_t>(count_));
    measured_ = Duration{*mid};
    if (cfg_.offset_mode != FeedClockConfig::Offset::learn) return;
    // Learn only an offset that matters: beyond the tolerance ahead, or so far behind that the
    // data would be dropped as late. Let go once well back inside (half the limits), so a feed
    // near a limit does not switch at every estimate.
    const std::int64_t m = measured_->ns;
    const std::int64_t behind = cfg_.late_after.ns + cfg_.expected_latency.ns;
    if (!learned_engaged_ && (m > cfg_.tolerance.ns || m < -behind))
        learned_engaged_ = true;
    else if (learned_engaged_ && m < cfg_.tolerance.ns / 2 && m > -behind / 2)
        learned_engaged_ = false;
    applied_ = learned_engaged_ ? *measured_ : Duration{};
}

void FeedClock::update_status() {
    const std::int64_t ahead = cfg_.tolerance.ns;
    const std::int64_t behind = cfg_.late_after.ns + cfg_.expected_latency.ns;
    const bool corrected = std::abs(applied_.ns) > cfg_.tolerance.ns;
    const ClockStatus settled = corrected ? ClockStatus::corrected : ClockStatus::ok;
    if (!measured_) {
        status_ = settled;
        return;
    }
    const std::int64_t r = saturating_sub(measured_->ns, applied_.ns);
    // Hysteresis: flagged beyond a limit, cleared only back within half of it.
    switch (status_) {
        case ClockStatus::ahead:
            if (r < ahead / 2) status_ = r < -behind ? ClockStatus::behind : settled;
            break;
        case ClockStatus::behind:
            if (r > -behind / 2) status_ = r > ahead ? ClockStatus::ahead : settled;
            break;
        case ClockStatus::ok:
        case ClockStatus::corrected:
            status_ = r > ahead ? ClockStatus::ahead : r < -behind ? ClockStatus::behind : settled;
            break;
    }
}

}  // namespace picket::server
