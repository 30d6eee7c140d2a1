#include "src/replay.hpp"

#include <chrono>
#include <fstream>
#include <thread>

namespace picket::server {

std::string recorded_config_path(const std::string& recording_dir) {
    std::ifstream in(recording_dir + "/config-path.txt");
    std::string path;
    std::getline(in, path);
    return path;
}

bool apply_tick(FusionEngine& engine, Timestamp time, std::string_view payload) {
    if (payload == kTickRulesStep) {
        engine.rules_step();
        return false;
    }
    engine.on_tick(time, payload == kTickRulesStepped ? RulesCycle::stepped : RulesCycle::whole);
    return true;
}

ReplayStats run_replay(const std::string& recording_dir, FusionEngine& engine,
                       const ReplayOptions& options, ReplayControl& control) {
    record::RecordingReader reader(recording_dir);
    if (options.from) reader.seek(*options.from);
    ReplayStats stats;
    const std::uint64_t total = reader.total_bytes();
    const auto wall0 = std::chrono::steady_clock::now();
    // Pacing anchor: (wall, recorded time) at the last speed change or pause.
    auto anchor_wall = wall0;
    Timestamp anchor_t{};
    bool anchored = false;
    double anchor_speed = control.speed.load() > 0 ? control.speed.load() : options.speed;
    std::uint64_t since_progress = 0;
    while (!control.stop) {
        while (control.paused && !control.stop) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            anchored = false;
        }
        auto rec = reader.next();
        if (!rec) break;
        if (options.to && rec->time > *options.to) break;
        if (!stats.first) stats.first = rec->time;
        stats.last = rec->time;
        const double speed = control.speed.load() > 0 ? control.speed.load() : options.speed;
        if (speed > 0) {
            if (!anchored || speed != anchor_speed) {
                anchored = true;
                anchor_t = rec->time;
                anchor_wall = std::chrono::steady_clock::now();
                anchor_speed = speed;
            }
            const double due_s = (rec->time - anchor_t).seconds() / speed;
            const auto due =
                anchor_wall + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                  std::chrono::duration<double>(due_s));
            std::this_thread::sleep_until(due);
        }
        switch (rec->type) {
            case record::RecordType::message:
                ++stats.messages;
                engine.on_message(rec->feed, rec->time, rec->payload);
                break;
            case record::RecordType::tick:
                if (apply_tick(engine, rec->time, rec->payload)) ++stats.ticks;
                break;
            case record::RecordType::command: {
                ++stats.commands;
                const auto nl = rec->payload.find('\n');
                const std::string_view user = rec->payload.substr(0, nl);
                const std::string_view json =
                    nl == std::string_view::npos ? "" : rec->payload.substr(nl + 1);
                engine.on_command(json, user, rec->time);
                break;
            }
            case record::RecordType::alert:
                break;  // an output kept beside the inputs: replay makes its own
        }
        if (control.progress && ++since_progress >= 2048) {
            since_progress = 0;
            control.progress(reader.bytes_read(), total, rec->time);
        }
    }
    engine.drain();  // the output half may still be behind: the run ends when its output is out
    if (control.progress)
        control.progress(reader.bytes_read(), total, stats.last.value_or(Timestamp{}));
    stats.corrupt = reader.corrupt();
    stats.bytes = reader.bytes_read();
    stats.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    return stats;
}

}  // namespace picket::server
