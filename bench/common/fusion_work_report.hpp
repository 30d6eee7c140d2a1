#pragma once
/// Where the fusion thread's time went, from a server's /metrics text
/// (`picket_fusion_work_seconds` and `picket_fusion_work_max_seconds`, docs/outputs.md): per kind
/// of work, how many pieces, their mean, the longest, and how many took over 5 and 20 ms. A
/// message waits for the piece running when it arrives, so this names what sets the tail.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <string_view>

namespace picket::bench {

struct FusionWorkFigures {
    double count = 0, sum_s = 0, max_s = 0;
    double at_most_5ms = 0, at_most_20ms = 0;  ///< cumulative bucket counts
};

/// Parses the two families out of Prometheus text; kinds never seen are left out.
inline std::map<std::string, FusionWorkFigures> parse_fusion_work(std::string_view metrics) {
    std::map<std::string, FusionWorkFigures> out;
    std::istringstream in{std::string(metrics)};
    std::string line;
    const auto label = [](const std::string& l, std::string_view key) -> std::string {
        const std::string k = std::string(key) + "=\"";
        const auto at = l.find(k);
        if (at == std::string::npos) return {};
        const auto end = l.find('"', at + k.size());
        return l.substr(at + k.size(), end - at - k.size());
    };
    while (std::getline(in, line)) {
        if (line.rfind("picket_fusion_work_", 0) != 0) continue;
        const auto space = line.rfind(' ');
        if (space == std::string::npos) continue;
        const double v = std::strtod(line.c_str() + space + 1, nullptr);
        FusionWorkFigures& f = out[label(line, "work")];
        if (line.rfind("picket_fusion_work_max_seconds", 0) == 0) {
            f.max_s = v;
        } else if (line.rfind("picket_fusion_work_seconds_count", 0) == 0) {
            f.count = v;
        } else if (line.rfind("picket_fusion_work_seconds_sum", 0) == 0) {
            f.sum_s = v;
        } else if (line.rfind("picket_fusion_work_seconds_bucket", 0) == 0) {
            const std::string le = label(line, "le");
            if (le == "0.005") f.at_most_5ms = v;
            if (le == "0.02") f.at_most_20ms = v;
        }
    }
    std::erase_if(out, [](const auto& kv) { return kv.second.count == 0; });
    return out;
}

inline void print_fusion_work(std::string_view metrics) {
    const auto work = parse_fusion_work(metrics);
    if (work.empty()) return;
    std::printf(
        "fusion thread, per kind of work: count, mean, max, pieces over 5 / 20 ms, "
        "share of the run's busy time\n");
    double busy = 0;
    for (const auto& [kind, f] : work) busy += f.sum_s;
    for (const auto& [kind, f] : work)
        std::printf(
            "  %-13s %9.0f  mean %8.3f ms  max %8.2f ms  >5ms %6.0f  >20ms %5.0f  %5.1f %%\n",
            kind.c_str(), f.count, 1e3 * f.sum_s / f.count, 1e3 * f.max_s, f.count - f.at_most_5ms,
            f.count - f.at_most_20ms, busy > 0 ? 100.0 * f.sum_s / busy : 0.0);
}

}  // namespace picket::bench
