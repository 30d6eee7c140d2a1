#include "core/stage_errors.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>

#include "core/log_limit.hpp"

namespace picket {
namespace {

struct Stage {
    std::string name;
    std::uint64_t count{0};
    std::unique_ptr<log::RateLimited> log;
};

std::mutex g_mutex;
std::vector<Stage>& stages() {
    static std::vector<Stage> s;
    return s;
}

}  // namespace

void report_stage_error(std::string_view stage, std::string_view what) noexcept {
    try {
        log::RateLimited* limiter = nullptr;
        {
            const std::lock_guard lock(g_mutex);
            auto& all = stages();
            auto it = std::find_if(all.begin(), all.end(),
                                   [&](const Stage& s) { return s.name == stage; });
            if (it == all.end()) {
                all.push_back(Stage{std::string(stage), 0,
                                    std::make_unique<log::RateLimited>(log::Level::error)});
                it = all.end() - 1;
            }
            ++it->count;
            limiter = it->log.get();  // stable: owned by unique_ptr, entries never removed
        }
        limiter->write(std::string(stage) + ": " + log::bounded(what, 300) + " (carrying on)");
    } catch (...) {
        // Out of memory while reporting an error: nothing better to do than carry on.
    }
}

std::vector<std::pair<std::string, std::uint64_t>> stage_error_counts() {
    const std::lock_guard lock(g_mutex);
    std::vector<std::pair<std::string, std::uint64_t>> out;
    for (const Stage& s : stages()) out.emplace_back(s.name, s.count);
    return out;
}

}  // namespace picket
