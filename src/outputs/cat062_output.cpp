#include "src/outputs/cat062_output.hpp"

#include <stdexcept>
#include <vector>

#include "core/log.hpp"
#include "src/outputs/cat062_out.hpp"
#include "src/outputs/cot_output.hpp"

namespace picket::outputs {
namespace {

namespace ax = sensors::asterix;

UdpTarget target_of(const std::string& text) {
    const auto hp = parse_host_port(text);
    if (!hp) throw std::invalid_argument("cat062 udp: expected host:port, got '" + text + "'");
    return UdpTarget{hp->first, hp->second};
}

}  // namespace

Cat062Output::Cat062Output(const Cat062OutputConfig& config)
    : cfg_(config),
      udp_(target_of(config.udp)),
      numbers_(config.number_hold_off, config.first_number, config.last_number) {}

std::size_t Cat062Output::send(std::span<const ax::Cat062Track> records) {
    std::size_t sent = 0;
    for (const std::string& d : cat062_pack(records)) sent += udp_.send(d) ? 1 : 0;
    return sent;
}

void Cat062Output::end_track(TrackId id, Timestamp now, std::vector<ax::Cat062Track>& out) {
    auto it = sent_.find(id);
    if (it == sent_.end()) return;  // never sent: no receiver knows it
    ax::Cat062Track last = it->second.last;
    last.track_end = true;
    last.track_begin = false;
    out.push_back(last);
    sent_.erase(it);
    numbers_.release(id, now);
    ++tracks_ended_;
}

std::size_t Cat062Output::tracks_deleted(std::span<const TrackId> ids, Timestamp now) {
    std::vector<ax::Cat062Track> ends;
    for (TrackId id : ids) end_track(id, now, ends);
    return ends.empty() ? 0 : send(ends);
}

std::size_t Cat062Output::publish(std::span<const Track> tracks, Timestamp now) {
    if (last_ && now - *last_ < cfg_.period) return 0;
    last_ = now;
    ++picture_;
    std::vector<ax::Cat062Track> records;
    records.reserve(tracks.size());
    std::uint64_t exhausted = 0;
    for (const Track& t : tracks) {
        if (t.status == TrackStatus::deleted) continue;
        const auto number = numbers_.acquire(t.id, now);
        if (!number) {
            ++exhausted;
            continue;
        }
        ax::Cat062Track r = cat062_track_for(t, now, cfg_.sac, cfg_.sic);
        r.track_number = *number;
        auto [it, first] = sent_.try_emplace(t.id);
        r.track_begin = first;
        it->second.last = r;
        it->second.picture = picture_;
        records.push_back(r);
    }
    // A track that held a number and is gone from the picture ended without a deletion notice
    // (tracks_deleted() not called): end it here, so its number is never left dangling.
    std::vector<ax::Cat062Track> ends;
    std::vector<TrackId> gone;
    for (const auto& [id, s] : sent_)
        if (s.picture != picture_) gone.push_back(id);
    for (TrackId id : gone) end_track(id, now, ends);
    if (exhausted > 0 && numbers_exhausted_ == 0)
        log::warn("cat062: no free track number for " + std::to_string(exhausted) +
                  " tracks: left out (more live tracks than numbers, or numbers held off)");
    numbers_exhausted_ += exhausted;
    records.insert(records.begin(), ends.begin(), ends.end());
    return records.empty() ? 0 : send(records);
}

}  // namespace picket::outputs
