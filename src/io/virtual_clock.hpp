#pragma once
/// The server's clock: wall time, or a virtual time that starts at a given instant and runs
/// `speed` times faster (training runs and the demo, where the simulator runs at --speed N).
/// The only place in picket that reads the system clock, apart from benchmarks and progress bars.
#include <chrono>

#include "core/time.hpp"

namespace picket::server {

class VirtualClock {
public:
    /// start: the virtual time at construction (nullopt: now). speed: virtual s per wall s.
    explicit VirtualClock(std::optional<Timestamp> start = std::nullopt, double speed = 1.0)
        : wall0_(std::chrono::steady_clock::now()),
          start_(start ? *start : wall_now()),
          speed_(speed) {}

    [[nodiscard]] Timestamp now() const {
        const auto elapsed = std::chrono::steady_clock::now() - wall0_;
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count();
        return start_ + Duration{static_cast<std::int64_t>(static_cast<double>(ns) * speed_)};
    }
    [[nodiscard]] double speed() const { return speed_; }
    /// Makes the virtual clock read `start` now (the server calls this when its threads start,
    /// so time spent loading layers does not put the clock ahead of a simulator started with it).
    void restart() { wall0_ = std::chrono::steady_clock::now(); }
    /// Makes the virtual clock read `now` from here on (a standby taking over the primary's
    /// clock, src/standby). Fusion thread, before anything else reads the clock concurrently.
    void set(Timestamp now) {
        wall0_ = std::chrono::steady_clock::now();
        start_ = now;
    }

    static Timestamp wall_now() {
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
        return Timestamp{static_cast<std::int64_t>(ns)};
    }

private:
    std::chrono::steady_clock::time_point wall0_;
    Timestamp start_;
    double speed_;
};

}  // namespace picket::server
