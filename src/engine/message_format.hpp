#pragma once
/// The JSON of every message picket publishes (docs/protocol.md). One place, so the ZeroMQ
/// PUB socket, the web socket, the track log and replay all say exactly the same bytes.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/alert.hpp"
#include "core/track.hpp"

namespace picket::server {

/// A track as a GeoJSON Feature with a top-level "seq".
void append_track_feature(std::string& out, const Track& t, std::uint64_t seq);
/// An alert as a GeoJSON Feature (Point at the alert's position) with a top-level "seq".
void append_alert_feature(std::string& out, const Alert& a, std::uint64_t seq);

std::string track_message(const Track& t, std::uint64_t seq);
std::string track_deleted_message(TrackId id, Timestamp when, std::uint64_t seq);
std::string alert_message(const Alert& a, std::uint64_t seq);

/// The whole picture valid at `seq`: tracks and alerts that are not closed, and, when given,
/// `feeds`: a JSON array of the feeds' health (as the `feed` topic says it, without seq and time).
std::string snapshot_message(std::span<const Track> tracks, std::span<const Alert> alerts,
                             std::uint64_t seq, Timestamp now, std::string_view feeds = {});

}  // namespace picket::server
