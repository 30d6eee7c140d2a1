#include "sensors/ais/ais_mmsi_tables.hpp"

namespace picket::sensors::ais {

void LastPositions::grow(Timestamp now) {
    std::vector<Slot> old;
    old.swap(slots_);
    const bool full = size_ >= kMaxTrackedMmsis;
    slots_.assign(full || old.empty() ? (old.empty() ? 4096 : old.size()) : old.size() * 2, Slot{});
    size_ = 0;
    for (const Slot& s : old) {
        // At the bound, keep only entries heard from within the stale limit.
        if (!s.used || (full && now - s.last.when > kLastPositionStaleAfter)) continue;
        std::size_t i = hash(s.mmsi) & (slots_.size() - 1);
        while (slots_[i].used) i = (i + 1) & (slots_.size() - 1);
        slots_[i] = s;
        ++size_;
    }
    if ((size_ + 1) * 2 > slots_.size()) {  // nothing stale to drop: start afresh
        slots_.assign(slots_.size(), Slot{});
        size_ = 0;
    }
}

Identity& IdentityTable::insert(Mmsi mmsi) {
    if (entries_.size() >= kMaxTrackedMmsis) {  // bounded memory: start afresh
        entries_.clear();
        slots_.assign(slots_.size(), Slot{});
    }
    if ((entries_.size() + 1) * 2 > slots_.size()) {  // keep the load factor <= 1/2
        slots_.assign(slots_.empty() ? 4096 : slots_.size() * 2, Slot{});
        for (std::size_t k = 0; k < entries_.size(); ++k)
            place(entries_[k].mmsi, static_cast<std::uint32_t>(k));
    }
    const auto index = static_cast<std::uint32_t>(entries_.size());
    Identity& id = entries_.emplace_back();
    id.mmsi = mmsi;
    place(mmsi, index);
    return id;
}

void IdentityTable::place(Mmsi mmsi, std::uint32_t index) {
    std::size_t i = hash(mmsi) & (slots_.size() - 1);
    while (slots_[i].index != kFree) i = (i + 1) & (slots_.size() - 1);
    slots_[i] = Slot{mmsi, index};
}

}  // namespace picket::sensors::ais
