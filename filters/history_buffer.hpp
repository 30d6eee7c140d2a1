#pragma once
/// The per-track buffer of recent updates (out-of-sequence re-processing): appended at the back,
/// trimmed at the front as items leave the latency window. A ring: a trim moves the head, an
/// append fills the slot after the tail, and no live item moves unless one is inserted before
/// it (late data). The storage grows to what the track's updates in one window need and stays:
/// a track seen every 2 s with a 5 s window holds 3 items in 3 slots.
///
/// It was a vector whose front was dropped by moving an offset, compacted when full: at 3 live
/// items in 4 slots (the vector's doubling) every append of a steady track moved the 3 items,
/// ~2.3 kB, and a quarter of the storage was never live (docs/benchmarks.md, "The tracker at
/// 100,000 targets, faster"). `std::vector` with insert and front erase is its reference in
/// components_test.
#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace picket::filters {

template <typename T>
class HistoryBuffer {
public:
    [[nodiscard]] std::size_t size() const { return size_; }
    [[nodiscard]] bool empty() const { return size_ == 0; }
    /// The i-th live item, oldest first (i < size()).
    [[nodiscard]] T& operator[](std::size_t i) { return slots_[slot(i)]; }
    [[nodiscard]] const T& operator[](std::size_t i) const { return slots_[slot(i)]; }
    [[nodiscard]] T& back() { return (*this)[size_ - 1]; }
    [[nodiscard]] const T& back() const { return (*this)[size_ - 1]; }
    /// Storage held, in items (memory estimate).
    [[nodiscard]] std::size_t capacity() const { return slots_.size(); }

    /// Puts `item` before position `k` (0 <= k <= size()); returns k.
    std::size_t emplace(std::size_t k, T item) {
        if (size_ == slots_.size()) grow();
        // Later items (late data goes before them) each move one slot toward the tail.
        for (std::size_t j = size_; j > k; --j) slots_[slot(j)] = std::move(slots_[slot(j - 1)]);
        slots_[slot(k)] = std::move(item);
        ++size_;
        return k;
    }

    /// Drops the n oldest items (n <= size()).
    void drop_front(std::size_t n) {
        size_ -= n;
        head_ = size_ == 0 ? 0 : (head_ + n) % slots_.size();
    }

    /// Drops every item; the storage stays.
    void clear() {
        head_ = 0;
        size_ = 0;
    }

private:
    [[nodiscard]] std::size_t slot(std::size_t i) const {
        const std::size_t s = head_ + i;
        return s < slots_.size() ? s : s - slots_.size();
    }
    /// By half (at least one slot): a steady track's buffer reaches its size in a few updates,
    /// without the doubling's unused half.
    void grow() {
        std::vector<T> next(slots_.size() + std::max<std::size_t>(1, slots_.size() / 2));
        for (std::size_t i = 0; i < size_; ++i) next[i] = std::move(slots_[slot(i)]);
        slots_.swap(next);
        head_ = 0;
    }

    std::vector<T> slots_;  ///< every slot constructed; live: size_ of them from head_, wrapping
    std::size_t head_{0};
    std::size_t size_{0};
};

}  // namespace picket::filters
