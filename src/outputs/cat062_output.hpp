#pragma once
/// The CAT062 output as the server uses it: "host:port", SAC/SIC and an update period; the
/// fusion thread calls publish() every cycle and a picture goes out once per period, and
/// tracks_deleted() when tracks end.
///
/// Track numbers (I062/040, 16 bits) come from a TrackNumberPool: one per live track, a freed
/// one reused only after `number_hold_off`, never two live tracks with one number, whatever the
/// track ids (they grow without bound and wrapped every ~65,000 tracks when taken mod 65536).
/// A track's first record carries TSB (track begin) and its last TSE (track end, I062/080),
/// sent as soon as the track is deleted, with its last position; the number is then freed.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>

#include "core/time.hpp"
#include "core/track.hpp"
#include "sensors/asterix/cat062_encoder.hpp"
#include "src/outputs/cat062_track_numbers.hpp"
#include "src/outputs/udp_sender.hpp"

namespace picket::outputs {

struct Cat062OutputConfig {
    std::string udp;  ///< "host:port", unicast or multicast
    std::uint8_t sac{0};
    std::uint8_t sic{1};
    Duration period{Duration::from_seconds(1)};  ///< SDPS update rate; 0 = every call
    Duration number_hold_off{Duration::from_seconds(600)};
    std::uint16_t first_number{1};  ///< the pool's range (tests use a small one)
    std::uint16_t last_number{65535};
};

class Cat062Output {
public:
    /// Throws std::invalid_argument for a bad "host:port", std::runtime_error from the socket.
    explicit Cat062Output(const Cat062OutputConfig& config);
    /// Sends the live tracks (all of them: `tracks` is the whole picture) as CAT062 datagrams
    /// when a period has passed since the last picture; a track that held a number and is no
    /// longer in `tracks` gets its end-of-track record first. Returns the datagrams sent.
    std::size_t publish(std::span<const Track> tracks, Timestamp now);
    /// End-of-track records for the deleted tracks that were sent, at once; frees their numbers.
    std::size_t tracks_deleted(std::span<const TrackId> ids, Timestamp now);

    [[nodiscard]] const UdpSender& sender() const { return udp_; }
    [[nodiscard]] const TrackNumberPool& numbers() const { return numbers_; }
    /// Track records left out because no track number was free (counted per record).
    [[nodiscard]] std::uint64_t numbers_exhausted() const { return numbers_exhausted_; }
    [[nodiscard]] std::uint64_t tracks_ended() const { return tracks_ended_; }

private:
    struct Sent {
        sensors::asterix::Cat062Track last;  ///< the last record sent, for the end-of-track one
        std::uint64_t picture{0};            ///< the publish() that last saw the track
    };
    std::size_t send(std::span<const sensors::asterix::Cat062Track> records);
    void end_track(TrackId id, Timestamp now, std::vector<sensors::asterix::Cat062Track>& out);

    Cat062OutputConfig cfg_;
    UdpSender udp_;
    std::optional<Timestamp> last_;
    TrackNumberPool numbers_;
    std::unordered_map<TrackId, Sent> sent_;
    std::uint64_t picture_{0};
    std::uint64_t numbers_exhausted_{0};
    std::uint64_t tracks_ended_{0};
};

}  // namespace picket::outputs
