#include "rules/alert_text.hpp"

#include <cmath>
#include <cstdio>

#include "rules/rule_book.hpp"

namespace picket::rules {

std::string describe_target(const Track& t) {
    char buf[96];
    if (t.identity) {  // tracks get one from an AIS report; an anomaly's may be MMSI 0
        if (!t.identity->name.empty()) {
            std::snprintf(buf, sizeof buf, "MMSI %09u '%s'",
                          static_cast<unsigned>(t.identity->mmsi), t.identity->name.c_str());
        } else {
            std::snprintf(buf, sizeof buf, "MMSI %09u", static_cast<unsigned>(t.identity->mmsi));
        }
        return buf;
    }
    std::snprintf(buf, sizeof buf, "dark track %llu", static_cast<unsigned long long>(t.id));
    return buf;
}

std::string describe_motion(const Track& t) {
    char buf[48];
    const int course = static_cast<int>(std::lround(t.course_deg())) % 360;
    std::snprintf(buf, sizeof buf, "%.1f kn, course %03d", t.speed_mps() / kMetresPerSecondPerKnot,
                  course);
    return buf;
}

std::string describe_distance(double metres) {
    char buf[32];
    if (metres < 10'000) {
        std::snprintf(buf, sizeof buf, "%.0f m", metres);
    } else {
        std::snprintf(buf, sizeof buf, "%.1f km", metres / 1000);
    }
    return buf;
}

std::string describe_duration(double seconds) {
    char buf[32];
    if (seconds < 120) {
        std::snprintf(buf, sizeof buf, "%.0f s", seconds);
    } else if (seconds < 7200) {
        std::snprintf(buf, sizeof buf, "%.0f min", seconds / 60);
    } else {
        std::snprintf(buf, sizeof buf, "%.1f h", seconds / 3600);
    }
    return buf;
}

}  // namespace picket::rules
