#include "tests/e2e/fleet.hpp"

#include <chrono>

#include "geo/local_frame.hpp"
#include "tests/e2e/voyage.hpp"

namespace picket::e2e {

void Fleet::sail(std::vector<Vessel> vessels, int reports, double clock_speed) {
    stop();
    stop_ = false;
    done_ = false;
    thread_ = std::thread([this, vessels = std::move(vessels), reports, clock_speed] {
        const double v_mps = kSpeedKn * 1852.0 / 3600.0;
        const auto wall0 = std::chrono::steady_clock::now();
        for (int k = 0; k < reports && !stop_; ++k) {
            std::this_thread::sleep_until(wall0 +
                                          std::chrono::duration<double>(10.0 * k / clock_speed));
            for (const Vessel& v : vessels) {
                const LatLon p = geo::geodesic_destination(v.start, v.course_deg, v_mps * 10.0 * k);
                pub_.send(zmq::buffer(position_report_message(v.mmsi, p, v.course_deg)),
                          zmq::send_flags::none);
            }
        }
        done_ = true;
    });
}

void Fleet::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

}  // namespace picket::e2e
