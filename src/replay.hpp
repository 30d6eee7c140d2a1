#pragma once
/// Replay: feeds a recording's input events through a fresh FusionEngine, in the recorded order,
/// so the output is the live server's output again, byte for byte. Pacing is the caller's choice
/// (as fast as possible, or N times real time); the engine sees only recorded times.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "src/engine/fusion_engine.hpp"
#include "src/record/recording_reader.hpp"

namespace picket::server {

struct ReplayOptions {
    std::optional<Timestamp> from;
    std::optional<Timestamp> to;
    double speed{0};  ///< 0 = as fast as possible; otherwise N x real time
};

struct ReplayStats {
    std::uint64_t messages{0};
    std::uint64_t ticks{0};
    std::uint64_t commands{0};
    std::uint64_t corrupt{0};
    std::uint64_t bytes{0};
    std::optional<Timestamp> first;
    std::optional<Timestamp> last;
    double wall_s{0};
};

/// Hooks the caller can watch: progress (bytes done, bytes total, current time) and pause state.
struct ReplayControl {
    std::atomic<bool> stop{false};
    std::atomic<bool> paused{false};
    std::atomic<double> speed{0};
    std::function<void(std::uint64_t done, std::uint64_t total, Timestamp t)> progress;
};

/// A recorded tick's payload says how the live server ran the rules (FusionEngine::on_tick):
/// empty, a whole cycle; kTickRulesStepped, a tick whose cycle ran in parts, each part a tick
/// record kTickRulesStep where it ran between the messages.
inline constexpr std::string_view kTickRulesStepped = "rules-stepped";
inline constexpr std::string_view kTickRulesStep = "rules-step";

/// Gives a recorded tick to the engine as the live server gave it. Returns false for a part of
/// a rules cycle (not a tick of the clock).
bool apply_tick(FusionEngine& engine, Timestamp time, std::string_view payload);

/// Runs the replay to the end (or `to`, or until control.stop). Throws on an unreadable recording.
ReplayStats run_replay(const std::string& recording_dir, FusionEngine& engine,
                       const ReplayOptions& options, ReplayControl& control);

/// Where the server wrote the path of the config it ran with (replay's default --config).
std::string recorded_config_path(const std::string& recording_dir);

}  // namespace picket::server
