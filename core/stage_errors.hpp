#pragma once
/// The catch sites of the server's stage threads (fusion, its output worker, recorder and store
/// writes, web server, TAK client, ZAP handler, feed receiver) report here. An exception that
/// reaches one of them is not allowed to end the process: it is counted per stage
/// (picket_stage_errors_total{stage}), logged at a bounded rate, and the thread carries on.
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace picket {

/// Counts one error of `stage` and logs "stage: what (carrying on)", rate-limited per stage.
/// Thread-safe; never throws.
void report_stage_error(std::string_view stage, std::string_view what) noexcept;

/// Every stage that reported so far, with its count (process lifetime), in first-report order.
std::vector<std::pair<std::string, std::uint64_t>> stage_error_counts();

/// The stages a server has, so that /metrics shows them at 0 before anything went wrong.
inline constexpr std::string_view kServerStages[] = {"fusion",        "recorder",     "store",
                                                     "output_worker", "web",          "tak_client",
                                                     "zap_handler",   "feed_receiver"};

}  // namespace picket
