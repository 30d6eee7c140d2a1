// String names of core enums: the spelling used in config files, JSON and the database.
#include <array>
#include <cmath>

#include "core/alert.hpp"
#include "core/anomaly.hpp"
#include "core/measurement.hpp"
#include "core/track.hpp"

namespace picket {
namespace {

template <class E, std::size_t N>
std::optional<E> lookup(const std::array<std::string_view, N>& names, std::string_view s) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == s) return static_cast<E>(i);
    return std::nullopt;
}

constexpr std::array<std::string_view, 4> kSensorKinds{"ais", "radar", "camera", "ugs"};
constexpr std::array<std::string_view, 6> kClasses{"unknown", "vessel",  "fast_boat",
                                                   "person",  "vehicle", "aircraft"};
constexpr std::array<std::string_view, 4> kTrackStatus{"tentative", "confirmed", "coasting",
                                                       "deleted"};
constexpr std::array<std::string_view, 5> kStandings{"unknown", "friendly", "neutral", "suspect",
                                                     "hostile"};
constexpr std::array<std::string_view, kAlertKindCount> kAlertKinds{
    "zone_entry", "zone_exit",  "zone_presence", "border_crossing",
    "approach",   "speeding",   "dark_target",   "ais_gap",
    "loitering",  "rendezvous", "ais_anomaly",   "ground_detection"};
constexpr std::array<std::string_view, 5> kSeverities{"info", "low", "medium", "high", "critical"};
constexpr std::array<std::string_view, 3> kAlertStates{"open", "acknowledged", "closed"};
constexpr std::array<std::string_view, 5> kDispositions{"none", "confirmed", "false_alarm",
                                                        "duplicate", "exercise"};
constexpr std::array<std::string_view, 11> kIncidentChanges{
    "raised",   "evidence", "repeated", "escalated", "acknowledged", "reopened",
    "resolved", "assigned", "noted",    "closed",    "restored"};
constexpr std::array<std::string_view, kAnomalyReasonCount> kAnomalyReasons{
    "invalid_mmsi",  "impossible_jump", "position_disagrees_with_track",
    "position_jump", "clock_off",       "time_backwards"};

}  // namespace

std::string_view to_string(SensorKind k) { return kSensorKinds[static_cast<std::size_t>(k)]; }
std::optional<SensorKind> sensor_kind_from_string(std::string_view s) {
    return lookup<SensorKind>(kSensorKinds, s);
}
std::string_view to_string(TargetClass c) { return kClasses[static_cast<std::size_t>(c)]; }
std::optional<TargetClass> target_class_from_string(std::string_view s) {
    return lookup<TargetClass>(kClasses, s);
}
std::string_view to_string(TrackStatus s) { return kTrackStatus[static_cast<std::size_t>(s)]; }
std::string_view to_string(Standing s) { return kStandings[static_cast<std::size_t>(s)]; }
std::optional<Standing> standing_from_string(std::string_view s) {
    return lookup<Standing>(kStandings, s);
}
std::string_view to_string(AlertKind k) { return kAlertKinds[static_cast<std::size_t>(k)]; }
std::optional<AlertKind> alert_kind_from_string(std::string_view s) {
    return lookup<AlertKind>(kAlertKinds, s);
}
std::string_view to_string(Severity s) { return kSeverities[static_cast<std::size_t>(s)]; }
std::optional<Severity> severity_from_string(std::string_view s) {
    return lookup<Severity>(kSeverities, s);
}
std::string_view to_string(AlertState s) { return kAlertStates[static_cast<std::size_t>(s)]; }
std::optional<AlertState> alert_state_from_string(std::string_view s) {
    return lookup<AlertState>(kAlertStates, s);
}
std::string_view to_string(Disposition d) { return kDispositions[static_cast<std::size_t>(d)]; }
std::optional<Disposition> disposition_from_string(std::string_view s) {
    return lookup<Disposition>(kDispositions, s);
}
std::string_view to_string(IncidentChange c) {
    return kIncidentChanges[static_cast<std::size_t>(c)];
}
std::string_view to_string(AnomalyReason r) { return kAnomalyReasons[static_cast<std::size_t>(r)]; }
std::optional<AnomalyReason> anomaly_reason_from_string(std::string_view s) {
    return lookup<AnomalyReason>(kAnomalyReasons, s);
}

double Track::speed_mps() const { return std::hypot(east_mps, north_mps); }

double Track::speed_sigma_mps() const {
    const double v = speed_mps();
    if (!(v > 0)) return 0;
    const double ue = east_mps / v;
    const double un = north_mps / v;
    const double var = ue * ue * cov(2, 2) + 2 * ue * un * cov(2, 3) + un * un * cov(3, 3);
    return std::isfinite(var) && var > 0 ? std::sqrt(var) : 0;
}

double Track::course_deg() const {
    double c = std::atan2(east_mps, north_mps) * 180.0 / M_PI;
    if (c < 0) c += 360.0;
    if (c >= 360.0) c -= 360.0;
    return c;
}

}  // namespace picket
