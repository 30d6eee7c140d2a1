#include "core/log.hpp"

#include <cstdio>
#include <mutex>

namespace picket::log {
namespace {

std::mutex g_mutex;
Level g_min = Level::info;

void default_sink(Level level, std::string_view m) {
    static constexpr const char* kNames[] = {"debug", "info", "warn", "error"};
    std::fprintf(stderr, "picket %s: %.*s\n", kNames[static_cast<int>(level)],
                 static_cast<int>(m.size()), m.data());
}

Sink g_sink = default_sink;

}  // namespace

void set_sink(Sink sink) {
    const std::lock_guard lock(g_mutex);
    g_sink = sink ? std::move(sink) : Sink(default_sink);
}

void set_min_level(Level level) {
    const std::lock_guard lock(g_mutex);
    g_min = level;
}

void write(Level level, std::string_view message) {
    const std::lock_guard lock(g_mutex);
    if (level < g_min) return;
    g_sink(level, message);
}

}  // namespace picket::log
