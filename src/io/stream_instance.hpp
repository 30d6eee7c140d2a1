#pragma once
/// The track stream's instance id (docs/protocol.md): a random id a server picks when it starts,
/// carried by every message of its PUB socket and by its snapshot replies, right after `seq`:
/// `{"seq":41,"instance":"5f0c9e2a7b1d4c83",…`. `seq` starts again at 1 when a server restarts,
/// and a subscriber that reconnects late sees only a jump; a new instance id says "restarted"
/// whatever the numbers (a regional server re-binds the source's tracks, fusion/track_fuser.hpp).
/// Only the wire carries it: the track log and the web console keep the engine's own bytes, which
/// a replay reproduces exactly.
#include <optional>
#include <string>
#include <string_view>

namespace picket::server {

/// 16 lower-case hex digits from the system's random source.
std::string new_stream_instance();

/// `message` with `"instance":"<instance>"` inserted after its leading `{"seq":N,` (or after its
/// opening brace when it has no leading seq). Not an object: returned unchanged.
std::string with_instance(std::string_view message, std::string_view instance);

/// The instance id right after the leading seq (`{"seq":N,"instance":"…"`), if there is one.
std::optional<std::string_view> leading_instance(std::string_view message);

}  // namespace picket::server
