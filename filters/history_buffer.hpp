#pragma once
/// The per-track buffer of recent updates (out-of-sequence re-processing): appended at the back,
/// trimmed at the front as items leave the latency window. A vector whose front is dropped by
/// moving an offset: the live items are shifted down only when the dead prefix is as long as the
/// live part (or the storage is full), so a trim costs O(1) amortised instead of shifting every
/// remaining item (a track typically holds 2-4 items of ~700 bytes and trims one per update).
#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

namespace picket::filters {

template <typename T>
class HistoryBuffer {
public:
    using iterator = typename std::vector<T>::iterator;
    using const_iterator = typename std::vector<T>::const_iterator;

    [[nodiscard]] iterator begin() { return items_.begin() + offset(); }
    [[nodiscard]] iterator end() { return items_.end(); }
    [[nodiscard]] const_iterator begin() const { return items_.begin() + offset(); }
    [[nodiscard]] const_iterator end() const { return items_.end(); }
    [[nodiscard]] std::size_t size() const { return items_.size() - head_; }
    [[nodiscard]] bool empty() const { return size() == 0; }
    [[nodiscard]] T& operator[](std::size_t i) { return items_[head_ + i]; }
    [[nodiscard]] const T& operator[](std::size_t i) const { return items_[head_ + i]; }
    [[nodiscard]] T& back() { return items_.back(); }
    [[nodiscard]] const T& back() const { return items_.back(); }
    /// Storage held, in items (memory estimate).
    [[nodiscard]] std::size_t capacity() const { return items_.capacity(); }

    /// Constructs an item before position `k` (0 <= k <= size()); returns its position.
    template <typename... Args>
    std::size_t emplace(std::size_t k, Args&&... args) {
        if (k == size()) {
            // Reuse the dead prefix rather than let the vector grow.
            if (head_ > 0 && items_.size() == items_.capacity()) compact();
            items_.emplace_back(std::forward<Args>(args)...);
        } else {
            items_.emplace(items_.begin() + offset() + static_cast<std::ptrdiff_t>(k),
                           std::forward<Args>(args)...);
        }
        return k;
    }

    /// Drops the n oldest items (n <= size()).
    void drop_front(std::size_t n) {
        head_ += n;
        if (head_ == items_.size()) {
            clear();
        } else if (head_ >= size()) {
            compact();
        }
    }

    void clear() {
        items_.clear();
        head_ = 0;
    }

private:
    [[nodiscard]] std::ptrdiff_t offset() const { return static_cast<std::ptrdiff_t>(head_); }
    void compact() {
        items_.erase(items_.begin(), items_.begin() + offset());
        head_ = 0;
    }

    std::vector<T> items_;
    std::size_t head_{0};  ///< items_[0, head_) have been dropped
};

}  // namespace picket::filters
