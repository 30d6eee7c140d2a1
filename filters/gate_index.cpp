#include "filters/gate_index.hpp"

#include <algorithm>

#include "filters/pre_gate.hpp"

namespace picket::filters {

void GateIndex::start_epoch(const GateEpoch& epoch) {
    clear();
    epoch_ = epoch;
    active_ = true;
}

void GateIndex::clear() {
    if (!active_ && env_.empty()) return;
    active_ = false;
    env_.clear();
    // The cells' vectors keep their capacity: the next epoch fills mostly the same cells.
    for (auto& [k, v] : cells_) v.clear();
    wide_.clear();
    touched_.clear();
}

void GateIndex::set(std::uint32_t i, const GateEnvelope& env) {
    if (i == env_.size()) {
        env_.emplace_back();
    } else {
        erase(i);
    }
    env_[i] = Placed{env};
    insert(i);
}

void GateIndex::insert(std::uint32_t i) {
    Placed& p = env_[i];
    const GateEnvelope& v = p.env;
    if (v.r < 0) return;  // dead: in no cell
    const double fx0 = std::floor((v.e - v.r) / cell_m_);
    const double fx1 = std::floor((v.e + v.r) / cell_m_);
    const double fy0 = std::floor((v.n - v.r) / cell_m_);
    const double fy1 = std::floor((v.n + v.r) / cell_m_);
    // Not finite, or over too many cells (a track coasting for long): tested for every plot.
    const double cells = (fx1 - fx0 + 1) * (fy1 - fy0 + 1);
    if (!(cells <= static_cast<double>(kMaxCellsPerDisc))) {
        p.wide = true;
        wide_.push_back(i);
        return;
    }
    p.x0 = static_cast<std::int32_t>(fx0);
    p.x1 = static_cast<std::int32_t>(fx1);
    p.y0 = static_cast<std::int32_t>(fy0);
    p.y1 = static_cast<std::int32_t>(fy1);
    for (std::int64_t x = p.x0; x <= p.x1; ++x)
        for (std::int64_t y = p.y0; y <= p.y1; ++y) cells_[key(x, y)].push_back(i);
}

void GateIndex::erase(std::uint32_t i) {
    Placed& p = env_[i];
    auto drop = [i](std::vector<std::uint32_t>& v) {
        const auto it = std::find(v.begin(), v.end(), i);
        if (it == v.end()) return;
        *it = v.back();
        v.pop_back();
    };
    if (p.wide) {
        drop(wide_);
    } else {
        for (std::int64_t x = p.x0; x <= p.x1; ++x)
            for (std::int64_t y = p.y0; y <= p.y1; ++y) {
                const auto it = cells_.find(key(x, y));
                if (it != cells_.end()) drop(it->second);
            }
    }
    p = Placed{};
}

void GateIndex::compact(const std::vector<std::int64_t>& new_index) {
    if (!active_) return;
    // Renumber in place: cells and the wide list hold indices, the envelopes move down.
    auto renumber = [&](std::vector<std::uint32_t>& v) {
        std::size_t out = 0;
        for (std::uint32_t i : v) {
            const std::int64_t to = i < new_index.size() ? new_index[i] : -1;
            if (to >= 0) v[out++] = static_cast<std::uint32_t>(to);
        }
        v.resize(out);
    };
    for (auto& [k, v] : cells_) renumber(v);
    renumber(wide_);
    renumber(touched_);
    std::size_t out = 0;
    for (std::size_t i = 0; i < env_.size(); ++i) {
        const std::int64_t to = i < new_index.size() ? new_index[i] : -1;
        if (to < 0) continue;
        env_[out++] = env_[i];
    }
    env_.resize(out);
}

}  // namespace picket::filters
