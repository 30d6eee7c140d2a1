#include "fusion/regional_index.hpp"

#include <algorithm>
#include <cmath>

namespace picket::fusion {

RegionalIndex::RegionalIndex(double cell_m) : cell_m_(cell_m > 0 ? cell_m : 1000) {}

std::int64_t RegionalIndex::coordinate(double metres) const {
    return static_cast<std::int64_t>(std::floor(metres / cell_m_));
}

void RegionalIndex::put(TrackId id, const Eigen::Vector2d& position,
                        const Eigen::Vector2d& velocity, Timestamp time) {
    remove(id);
    const Entry e{cell_of(coordinate(position.x()), coordinate(position.y())), velocity.norm(),
                  time};
    entries_.emplace(id, e);
    cells_[e.cell].push_back(id);
    speeds_.insert(e.speed);
    times_.insert(e.time);
}

void RegionalIndex::remove(TrackId id) {
    const auto it = entries_.find(id);
    if (it == entries_.end()) return;
    const Entry& e = it->second;
    auto& ids = cells_.at(e.cell);
    ids.erase(std::find(ids.begin(), ids.end(), id));
    if (ids.empty()) cells_.erase(e.cell);
    speeds_.erase(speeds_.find(e.speed));
    times_.erase(times_.find(e.time));
    entries_.erase(it);
}

std::vector<TrackId> RegionalIndex::near(const Eigen::Vector2d& position, Timestamp time,
                                         double radius_m) const {
    std::vector<TrackId> out;
    if (entries_.empty()) return out;
    // The farthest any track can be from where it is filed: fastest speed × the largest time
    // between a track's own time and the query's (forwards or backwards).
    const double dt = std::max(std::abs((time - *times_.begin()).seconds()),
                               std::abs((time - *times_.rbegin()).seconds()));
    // (+1 m: rounding never leaves a track on the edge out.)
    const double reach = radius_m + *speeds_.rbegin() * dt + 1;
    const std::int64_t x0 = coordinate(position.x() - reach), x1 = coordinate(position.x() + reach);
    const std::int64_t y0 = coordinate(position.y() - reach), y1 = coordinate(position.y() + reach);
    const double visits = static_cast<double>(x1 - x0 + 1) * static_cast<double>(y1 - y0 + 1);
    if (!std::isfinite(reach) || visits >= static_cast<double>(entries_.size())) {
        out.reserve(entries_.size());
        for (const auto& [id, e] : entries_) out.push_back(id);
        return out;
    }
    for (std::int64_t ix = x0; ix <= x1; ++ix)
        for (std::int64_t iy = y0; iy <= y1; ++iy)
            if (const auto c = cells_.find(cell_of(ix, iy)); c != cells_.end())
                out.insert(out.end(), c->second.begin(), c->second.end());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace picket::fusion
