#pragma once
/// How an alert's evidence track and its states are written as text in a store (SQLite's and
/// PostgreSQL's alike), so that a restored alert equals the one saved.
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/alert.hpp"
#include "core/track.hpp"

namespace picket::outputs {

std::optional<TrackStatus> track_status_from(std::string_view s);
std::optional<AlertState> alert_state_from(std::string_view s);
/// The evidence track, complete (covariance, identity, flags).
nlohmann::json track_to_json(const Track& t);
/// The inverse; missing fields take their defaults (a hand-edited row must not crash a restart).
Track track_from_json(const nlohmann::json& j);

}  // namespace picket::outputs
