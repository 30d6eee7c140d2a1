#pragma once
/// An incursion alert: what a rule raised, about which track, where and when, with the evidence,
/// and where it stands in the operator's workflow.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/geodetic.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "core/track.hpp"

namespace picket {

enum class AlertKind : std::uint8_t {
    zone_entry,
    zone_exit,
    zone_presence,
    border_crossing,
    approach,
    speeding,
    dark_target,
    ais_gap,
    loitering,
    rendezvous,
    ais_anomaly,
    ground_detection,
};
inline constexpr int kAlertKindCount = 12;
std::string_view to_string(AlertKind k);
std::optional<AlertKind> alert_kind_from_string(std::string_view s);

enum class Severity : std::uint8_t { info, low, medium, high, critical };
std::string_view to_string(Severity s);
std::optional<Severity> severity_from_string(std::string_view s);

/// Lifecycle: open (new) -> acknowledged -> closed. Escalation marks an open alert that was not
/// acknowledged in time; it stays open.
enum class AlertState : std::uint8_t { open, acknowledged, closed };
std::string_view to_string(AlertState s);

struct Alert {
    AlertId id{0};
    AlertKind kind{AlertKind::zone_entry};
    Severity severity{Severity::medium};
    std::string rule;  ///< rule name from the rule file
    std::string zone;  ///< zone or border name (empty when not zonal)
    TrackId track{0};
    std::optional<TrackId> other_track;  ///< rendezvous partner
    LatLon where;
    Timestamp when;
    std::string message;  ///< one line for the operator, e.g. "crossed TLS -> IDN heading 012°"
    Track evidence;       ///< the track state that triggered the alert
    AlertState state{AlertState::open};
    bool escalated{false};
    std::string acknowledged_by;
    std::optional<Timestamp> acknowledged_at;
    std::optional<Timestamp> closed_at;
    std::string closed_by;  ///< operator who closed it (empty while open)
};

}  // namespace picket
