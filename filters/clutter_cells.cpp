#include "filters/clutter_cells.hpp"

#include <bit>

namespace picket::filters {

int ClutterCells::shift_for(std::size_t capacity) {
    return capacity > 1 ? 64 - std::countr_zero(capacity) : 63;
}

ClutterCell& ClutterCells::operator[](std::uint64_t key) {
    if (ClutterCell* c = find(key)) return *c;
    // At most half full: probes stay short even where clutter fills a block of cells.
    if (2 * (size_ + 1) > slots_.size()) grow();
    return place(key, ClutterCell{});
}

void ClutterCells::grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    const std::size_t capacity = old.empty() ? kMinCapacity : 2 * old.size();
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    shift_ = shift_for(capacity);
    size_ = 0;
    for (const Slot& s : old)
        if (s.used) place(s.key, s.cell);
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
