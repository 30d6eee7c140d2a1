#include "src/outputs/cat062_out.hpp"

#include <bit>

namespace picket::outputs {

namespace ax = sensors::asterix;

ax::Cat062Track cat062_track_for(const Track& track, Timestamp now, std::uint8_t sac,
                                 std::uint8_t sic) {
    ax::Cat062Track r;
    r.source = ax::DataSource{sac, sic};
    // Position and velocity are as of the last update (filters/tracker.hpp), so that is the
    // time of applicability; `now` only stands in for a track that was never updated.
    const Timestamp at = track.updated.ns != 0 ? track.updated : now;
    r.time_of_track_s = static_cast<double>((at - utc_midnight_before(at)).ns) * 1e-9;
    r.position = track.position;
    r.vx_mps = track.east_mps;
    r.vy_mps = track.north_mps;
    // I062/040 is 16 bits; picket ids grow without bound, so they wrap (documented).
    r.track_number = static_cast<std::uint16_t>(track.id & 0xFFFFu);
    r.mono_sensor = std::popcount(static_cast<unsigned>(track.seen_by.bits)) <= 1;
    r.tentative = track.status == TrackStatus::tentative;
    r.coasting = track.status == TrackStatus::coasting;
    r.track_end = track.status == TrackStatus::deleted;
    return r;
}

std::string cat062_datagram(std::span<const Track> tracks, Timestamp now, std::uint8_t sac,
                            std::uint8_t sic) {
    std::vector<ax::Cat062Track> records;
    records.reserve(tracks.size());
    for (const Track& t : tracks) {
        if (t.status == TrackStatus::deleted) continue;
        records.push_back(cat062_track_for(t, now, sac, sic));
    }
    if (records.empty()) return {};
    return ax::encode_cat062_block(records);
}

std::vector<std::string> cat062_pack(std::span<const ax::Cat062Track> records,
                                     std::size_t max_bytes) {
    std::vector<std::string> out;
    std::vector<ax::Cat062Track> batch;
    std::size_t batch_bytes = 3;  // CAT + LEN
    for (const ax::Cat062Track& rec : records) {
        // A record's size does not depend on its neighbours: measure it alone.
        const std::size_t rec_bytes = ax::encode_cat062_block(std::span(&rec, 1)).size() - 3;
        if (!batch.empty() && batch_bytes + rec_bytes > max_bytes) {
            out.push_back(ax::encode_cat062_block(batch));
            batch.clear();
            batch_bytes = 3;
        }
        batch.push_back(rec);
        batch_bytes += rec_bytes;
    }
    if (!batch.empty()) out.push_back(ax::encode_cat062_block(batch));
    return out;
}

std::vector<std::string> cat062_datagrams(std::span<const Track> tracks, Timestamp now,
                                          std::uint8_t sac, std::uint8_t sic,
                                          std::size_t max_bytes) {
    std::vector<ax::Cat062Track> records;
    records.reserve(tracks.size());
    for (const Track& t : tracks) {
        if (t.status == TrackStatus::deleted) continue;
        records.push_back(cat062_track_for(t, now, sac, sic));
    }
    return cat062_pack(records, max_bytes);
}

}  // namespace picket::outputs
