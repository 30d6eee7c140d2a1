#include "tests/e2e/voyage.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "geo/local_frame.hpp"
#include "sensors/ais/ais_encoder.hpp"

namespace picket::e2e {

server::ServeOptions voyage_server_options() {
    server::ServeOptions opt;
    opt.clock_start = kT0;
    opt.clock_speed = kClockSpeed;
    opt.quiet = true;
    return opt;
}

namespace {

std::string encode_report(Mmsi mmsi, LatLon p, double course_deg,
                          std::optional<Timestamp> tag_time) {
    sensors::ais::PositionReportA r;
    r.mmsi = mmsi;
    r.nav_status = 0;
    r.sog_kn = kSpeedKn;
    r.cog_deg = course_deg;
    r.heading_deg = static_cast<int>(course_deg);
    r.high_accuracy = true;
    r.lat_deg = p.lat_deg;
    r.lon_deg = p.lon_deg;
    sensors::ais::EncodeOptions opt;
    opt.tag_time = tag_time;
    std::string message;
    for (const auto& s : sensors::ais::encode(r, opt)) message += s + "\r\n";
    return message;
}

}  // namespace

std::string position_report_message(Mmsi mmsi, LatLon p, double course_deg) {
    return encode_report(mmsi, p, course_deg, std::nullopt);
}

void sail(zmq::socket_t& pub, LatLon start, double course_deg, int reports, Timestamp t0) {
    const double v_mps = kSpeedKn * 1852.0 / 3600.0;
    const auto wall0 = std::chrono::steady_clock::now();
    for (int k = 0; k < reports; ++k) {
        const Timestamp t = t0 + Duration::from_seconds(10.0 * k);
        std::this_thread::sleep_until(wall0 +
                                      std::chrono::duration<double>(10.0 * k / kClockSpeed));
        const LatLon p = geo::geodesic_destination(start, course_deg, v_mps * 10.0 * k);
        std::string message = encode_report(kMmsi, p, course_deg, t);
        if (k % 7 == 3) {
            // Bad input in the same stream: wrong checksum, garbage, a truncated sentence.
            message += "!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*00\r\n";
            message += "\x01\x02 this is not NMEA\r\n";
            message += "!AIVDM,1,1,,B,15M6\r\n";
        }
        pub.send(zmq::buffer(message), zmq::send_flags::none);
    }
}

}  // namespace picket::e2e
