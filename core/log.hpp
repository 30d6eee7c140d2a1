#pragma once
/// Logging without a clock: libraries report through a sink the application installs
/// (src/ adds wall time and writes to stderr). The default sink writes to stderr untimed.
#include <functional>
#include <string_view>

namespace picket::log {

enum class Level { debug, info, warn, error };

using Sink = std::function<void(Level, std::string_view message)>;

/// Replaces the sink; not thread-safe against concurrent logging (call at startup).
void set_sink(Sink sink);
void set_min_level(Level level);
void write(Level level, std::string_view message);

inline void debug(std::string_view m) { write(Level::debug, m); }
inline void info(std::string_view m) { write(Level::info, m); }
inline void warn(std::string_view m) { write(Level::warn, m); }
inline void error(std::string_view m) { write(Level::error, m); }

}  // namespace picket::log
