#pragma once
/// A replay for one control-room client: a fresh FusionEngine fed from a recording on its own
/// thread, its messages delivered to the client's WebSocket (web::ReplayControl).
#include <memory>
#include <string>

#include "src/server_config.hpp"
#include "src/web/web_server.hpp"

namespace picket::server {

/// Starts replaying `recording_dir` with `config` from `request.from_iso` at `request.speed`.
/// Throws std::invalid_argument when `request.name` is not the name list_recordings_json gives
/// this recording, or the time or speed is malformed. The sink first gets a snapshot (an empty
/// picture whose time is the start time), then every message, then "replay.end" (after
/// "replay.error" when the recording cannot be read).
std::unique_ptr<web::ReplayControl> start_web_replay(const ServerConfig& config,
                                                     const std::string& recording_dir,
                                                     const web::ReplayRequest& request,
                                                     web::ReplaySink sink);

/// The recordings the control room may replay, as JSON [{"name","from","to"}].
std::string list_recordings_json(const std::string& recording_dir);

}  // namespace picket::server
