#pragma once
// Several vessels sailing at once, their AIS reports sent from a background thread over a real
// ZeroMQ socket, so that a test can kill the server while alerts are still streaming.
#include <zmq.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "core/geodetic.hpp"
#include "core/ids.hpp"

namespace picket::e2e {

struct Vessel {
    Mmsi mmsi{0};
    LatLon start;
    double course_deg{90};
};

class Fleet {
public:
    /// `pub` is the feed socket the server subscribes to; only the fleet's thread uses it while
    /// a voyage runs.
    explicit Fleet(zmq::socket_t& pub) : pub_(pub) {}
    ~Fleet() { stop(); }
    Fleet(const Fleet&) = delete;
    Fleet& operator=(const Fleet&) = delete;

    /// Starts sending one report per vessel every 10 virtual seconds (at `clock_speed` virtual
    /// seconds per wall second: the server's), `reports` times, at kSpeedKn along each vessel's
    /// course. Stops a voyage still running first.
    void sail(std::vector<Vessel> vessels, int reports, double clock_speed);
    /// Stops sending (the vessels fall silent) and waits for the thread.
    void stop();
    [[nodiscard]] bool done() const { return done_; }

private:
    zmq::socket_t& pub_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::atomic<bool> done_{true};
};

}  // namespace picket::e2e
