#pragma once
/// The JSON of every message picket publishes (docs/protocol.md). One place, so the ZeroMQ
/// PUB socket, the web socket, the track log and replay all say exactly the same bytes.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/alert.hpp"
#include "core/source_track.hpp"
#include "core/track.hpp"
#include "rules/incident_ledger.hpp"

namespace picket::server {

/// The `alert` topic's format version (docs/protocol.md): 2 since incidents, with a timeline;
/// 3 since groups, with each timeline entry's `targets`.
inline constexpr int kAlertProtocolVersion = 3;

/// A track as a GeoJSON Feature with a top-level "seq". `feed_names` (the config's feed ids, by
/// FeedIndex) name the feeds behind it (`origin.feeds` -> "feeds") and a regional track's sources
/// (`origin.lineage` -> "sources", and its sensors as "feeds").
void append_track_feature(std::string& out, const Track& t, std::uint64_t seq,
                          std::span<const std::string> feed_names = {},
                          const TrackOrigin& origin = {});
/// An incident as a GeoJSON Feature (Point where its latest evidence was found) with a
/// top-level "seq", its timeline and notes (docs/protocol.md, version 2).
void append_alert_feature(std::string& out, const Alert& a, std::uint64_t seq);
/// The false-alarm share per rule as a JSON array [{"rule","closed","false_alarms","share"}].
void append_rule_shares(std::string& out, std::span<const rules::RuleShare> shares);

std::string track_message(const Track& t, std::uint64_t seq,
                          std::span<const std::string> feed_names = {},
                          const TrackOrigin& origin = {});
std::string track_deleted_message(TrackId id, Timestamp when, std::uint64_t seq);
std::string alert_message(const Alert& a, std::uint64_t seq);

/// The whole picture valid at `seq`: tracks (with `origins`, parallel to them, when given),
/// incidents that are not closed, the false-alarm share per rule and, when given, `feeds`: a JSON
/// array of the feeds' health (as the `feed` topic says it, without seq and time).
std::string snapshot_message(std::span<const Track> tracks, std::span<const Alert> alerts,
                             std::uint64_t seq, Timestamp now,
                             std::span<const rules::RuleShare> shares = {},
                             std::string_view feeds = {},
                             std::span<const std::string> feed_names = {},
                             std::span<const TrackOrigin> origins = {});
/// The `rules.shares` topic: {"seq","time","rule_shares":[...]}, sent when a close changes it.
std::string rule_shares_message(std::span<const rules::RuleShare> shares, std::uint64_t seq,
                                Timestamp now);

}  // namespace picket::server
