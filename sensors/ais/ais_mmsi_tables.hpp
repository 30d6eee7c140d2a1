#pragma once
/// The AIS feed's per-MMSI state (ais_feed.cpp): the last position of each MMSI, for the
/// impossible-jump check, and the identity merged from its static reports. Both are
/// open-addressing tables over power-of-two arrays instead of node-based maps: a lookup is one
/// probe into a compact array, and the feed prefetches that probe as soon as it knows the MMSI,
/// so the cache miss overlaps the decoding instead of stalling it. Both are bounded.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/geodetic.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "core/track.hpp"

namespace picket::sensors::ais {

/// A busy coastal receiver hears a few thousand ships; the tables allow two orders of
/// magnitude more before entries are evicted.
inline constexpr std::size_t kMaxTrackedMmsis = 200'000;
/// At the bound, last positions older than this are dropped first.
inline constexpr Duration kLastPositionStaleAfter = Duration::from_seconds(3600);

struct LastPosition {
    LatLon where;
    Timestamp when;
};

/// Last position per MMSI, linear probing. At kMaxTrackedMmsis entries stale ones are dropped,
/// then everything.
class LastPositions {
public:
    static constexpr std::int64_t kEmpty = INT64_MIN;

    /// The entry for `mmsi`, inserting an empty one (when.ns == kEmpty) if absent.
    LastPosition& find_or_insert(Mmsi mmsi, Timestamp now) {
        if ((size_ + 1) * 2 > slots_.size()) grow(now);
        std::size_t i = hash(mmsi) & (slots_.size() - 1);
        for (;;) {
            Slot& s = slots_[i];
            if (s.mmsi == mmsi && s.used) return s.last;
            if (!s.used) {
                s.used = true;
                s.mmsi = mmsi;
                s.last.when = Timestamp{kEmpty};
                ++size_;
                return s.last;
            }
            i = (i + 1) & (slots_.size() - 1);
        }
    }
    /// Starts loading the slot where `mmsi`'s lookup begins (a hint: no effect on the contents).
    void prefetch(Mmsi mmsi) const {
        if (!slots_.empty()) __builtin_prefetch(&slots_[hash(mmsi) & (slots_.size() - 1)]);
    }

private:
    struct Slot {
        Mmsi mmsi{0};
        bool used{false};
        LastPosition last;
    };
    static std::size_t hash(Mmsi m) { return static_cast<std::size_t>((m * 0x9E3779B1u) >> 7); }
    void grow(Timestamp now);

    std::vector<Slot> slots_;
    std::size_t size_{0};
};

/// Identity per MMSI: an index (MMSI -> position in `entries_`) probed linearly, the identities
/// themselves in a vector. Cleared entirely at kMaxTrackedMmsis entries (bounded memory).
class IdentityTable {
public:
    /// The identity of `mmsi`, a new one (only `mmsi` set) if absent.
    Identity& find_or_insert(Mmsi mmsi) {
        if (!slots_.empty()) {
            std::size_t i = hash(mmsi) & (slots_.size() - 1);
            for (; slots_[i].index != kFree; i = (i + 1) & (slots_.size() - 1))
                if (slots_[i].mmsi == mmsi) return entries_[slots_[i].index];
        }
        return insert(mmsi);
    }
    /// Starts loading the slot where `mmsi`'s lookup begins (a hint: no effect on the contents).
    void prefetch(Mmsi mmsi) const {
        if (!slots_.empty()) __builtin_prefetch(&slots_[hash(mmsi) & (slots_.size() - 1)]);
    }
    [[nodiscard]] std::size_t size() const { return entries_.size(); }

private:
    static constexpr std::uint32_t kFree = UINT32_MAX;
    struct Slot {
        Mmsi mmsi{0};
        std::uint32_t index{kFree};
    };
    static std::size_t hash(Mmsi m) { return static_cast<std::size_t>((m * 0x9E3779B1u) >> 7); }
    Identity& insert(Mmsi mmsi);
    void place(Mmsi mmsi, std::uint32_t index);

    std::vector<Slot> slots_;
    std::vector<Identity> entries_;
};

}  // namespace picket::sensors::ais
