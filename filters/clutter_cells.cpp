#include "filters/clutter_cells.hpp"

#include <bit>

namespace picket::filters {

int ClutterCells::shift_for(std::size_t capacity) {
    return capacity > 1 ? 64 - std::countr_zero(capacity) : 63;
}

ClutterCell& ClutterCells::operator[](std::uint64_t key) {
    if (ClutterCell* c = find(key)) return *c;
    // At most half full: probes stay short even where clutter fills a block of cells.
    if (2 * (size_ + 1) > slots_.size())
        rebuild(slots_.empty() ? kMinCapacity : 2 * slots_.size(),
                [](const ClutterCell&) { return true; });
    return place(key, ClutterCell{});
}

ClutterCell& ClutterCells::place(std::uint64_t key, const ClutterCell& cell) {
    std::size_t i = home(key);
    while (slots_[i].used) i = (i + 1) & mask_;
    slots_[i].used = true;
    slots_[i].key = key;
    slots_[i].cell = cell;
    ++size_;
    return slots_[i].cell;
}

}  // namespace picket::filters
