#pragma once
/// The recording tests' scratch folder (removed at scope exit) and their start time.
#include <filesystem>
#include <random>
#include <string>

#include "core/time.hpp"

namespace picket::record::testing {

struct TempRecording {
    TempRecording() {
        std::random_device rd;
        dir = std::filesystem::temp_directory_path() / ("picket-rec-" + std::to_string(rd()));
    }
    ~TempRecording() { std::filesystem::remove_all(dir); }
    std::filesystem::path dir;
};

inline const Timestamp kT0{1'795'564'800LL * kNsPerSecond};

}  // namespace picket::record::testing
