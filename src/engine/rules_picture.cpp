#include "src/engine/rules_picture.hpp"

#include <algorithm>

namespace picket::server {

namespace {

// Past this share of the picture changed, a fresh copy is cheaper than copying the changed tracks
// one by one into the old one: assigning a track over an old one (its strings, its cold memory)
// measured ~1.7x the cost of constructing it in a fresh vector (docs/benchmarks.md, issue 18).
constexpr std::size_t kFreshCopyShare = 4;  // one changed track in four

/// The first track of `v` (in TrackId order) whose id is not below `id`.
template <class Tracks>
auto by_id(Tracks& v, TrackId id) {
    return std::lower_bound(v.begin(), v.end(), id,
                            [](const Track& t, TrackId x) { return t.id < x; });
}

void sort_unique(std::vector<TrackId>& ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

}  // namespace

void RulesPicture::note(const std::vector<TrackId>& updated, const std::vector<TrackId>& deleted) {
    if (stale_) return;  // the next refresh copies afresh: nothing to remember until then
    updated_.insert(updated_.end(), updated.begin(), updated.end());
    deleted_.insert(deleted_.end(), deleted.begin(), deleted.end());
}

void RulesPicture::refresh(std::vector<Track>& copy, const std::vector<Track>& live) {
    // Repeats counted, the notes over-count the changed tracks: many more notes than tracks means
    // a fresh copy without sorting them (10,000 tracks at 20,000 reports a second).
    if (stale_ || copy.empty() || updated_.size() > 2 * live.size())
        return refresh_reference(copy, live);
    sort_unique(updated_);
    sort_unique(deleted_);
    if (updated_.size() * kFreshCopyShare > live.size()) return refresh_reference(copy, live);
    last_full_ = false;
    // Deletions: one pass over the copy from the first deleted track on.
    if (!deleted_.empty()) {
        const auto first = by_id(copy, deleted_.front());
        const auto kept = std::remove_if(first, copy.end(), [this](const Track& t) {
            return std::binary_search(deleted_.begin(), deleted_.end(), t.id);
        });
        copy.erase(kept, copy.end());
    }
    // Changed tracks copied, new ones inserted (at the end: track ids only grow). A track changed
    // and then deleted since is in neither.
    for (const TrackId id : updated_) {
        const auto src = by_id(live, id);
        if (src == live.end() || src->id != id) continue;
        const auto dst = by_id(copy, id);
        if (dst != copy.end() && dst->id == id)
            *dst = *src;
        else
            copy.insert(dst, *src);
    }
    forget();
    // Every birth and death goes through the tracker's changes; if one did not, the sizes say so
    // and the copy is taken afresh rather than let the rules see a wrong picture.
    if (copy.size() != live.size()) refresh_reference(copy, live);
}

void RulesPicture::refresh_reference(std::vector<Track>& copy, const std::vector<Track>& live) {
    // Constructed afresh, not assigned over the old copy: assignment measured ~1.7x slower.
    std::vector<Track> fresh(live);
    copy.swap(fresh);
    last_full_ = true;
    stale_ = false;
    forget();
}

void RulesPicture::discard() {
    stale_ = true;
    forget();
}

void RulesPicture::forget() {
    updated_.clear();
    deleted_.clear();
}

}  // namespace picket::server
