#pragma once
/// The clutter map's cells (FeedLooks): cell key -> the decayed count of unexplained plots and
/// the time it refers to, in one flat open-addressing table (linear probing, Fibonacci hashing,
/// at most half full). A lookup is one hash and, nearly always, one cache line; the
/// std::unordered_map it replaces divided by a prime and followed two dependent pointers into
/// scattered nodes for every plot and every tentative track's look, 7.7 % of bench_tracking's
/// 10,000-target run (docs/benchmarks.md, "The clutter map's cost"). std::unordered_map is the
/// reference: clutter_map_test runs both through the same random inserts, finds and prunes.
#include <cstdint>
#include <vector>

#include "core/time.hpp"

namespace picket::filters {

struct ClutterCell {
    double count{0};  ///< decayed count of unexplained plots (never negative)
    Timestamp t{};    ///< the time `count` refers to
};

class ClutterCells {
public:
    [[nodiscard]] const ClutterCell* find(std::uint64_t key) const {
        if (size_ == 0) return nullptr;
        for (std::size_t i = home(key);; i = (i + 1) & mask_) {
            const Slot& s = slots_[i];
            if (!s.used) return nullptr;
            if (s.key == key) return &s.cell;
        }
    }
    ClutterCell* find(std::uint64_t key) {
        return const_cast<ClutterCell*>(static_cast<const ClutterCells*>(this)->find(key));
    }
    /// The cell of `key`; a new, empty one if there was none.
    ClutterCell& operator[](std::uint64_t key);
    [[nodiscard]] std::size_t size() const { return size_; }
    /// Removes every cell for which drop(cell) is true (rebuilds the table: a rare pass).
    template <class Drop>
    void erase_if(Drop drop) {
        rebuild(slots_.size(), [&](const ClutterCell& c) { return !drop(c); });
    }

private:
    struct Slot {
        std::uint64_t key{0};
        ClutterCell cell;
        bool used{false};
    };
    static constexpr std::size_t kMinCapacity = 64;
    [[nodiscard]] std::size_t home(std::uint64_t key) const {
        // Fibonacci hashing: the cell key's two 32-bit indices mixed into the top bits.
        return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_);
    }
    [[nodiscard]] static int shift_for(std::size_t capacity);
    /// The table at `capacity` slots with the cells `keep` keeps (growing and pruning alike).
    template <class Keep>
    void rebuild(std::size_t capacity, Keep keep) {
        std::vector<Slot> old;
        old.swap(slots_);
        slots_.assign(capacity, Slot{});
        mask_ = capacity > 0 ? capacity - 1 : 0;
        shift_ = shift_for(capacity);
        size_ = 0;
        for (const Slot& s : old)
            if (s.used && keep(s.cell)) place(s.key, s.cell);
    }
    ClutterCell& place(std::uint64_t key, const ClutterCell& cell);
    std::vector<Slot> slots_;
    std::size_t size_{0};
    std::size_t mask_{0};
    int shift_{64};
};

}  // namespace picket::filters
