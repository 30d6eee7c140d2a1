#pragma once
/// The CAT062 output as the server uses it: "host:port", SAC/SIC and an update period; the
/// fusion thread calls publish() every cycle and a picture goes out once per period.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "core/time.hpp"
#include "core/track.hpp"
#include "src/outputs/udp_sender.hpp"

namespace picket::outputs {

struct Cat062OutputConfig {
    std::string udp;  ///< "host:port", unicast or multicast
    std::uint8_t sac{0};
    std::uint8_t sic{1};
    Duration period{Duration::from_seconds(1)};  ///< SDPS update rate; 0 = every call
};

class Cat062Output {
public:
    /// Throws std::invalid_argument for a bad "host:port", std::runtime_error from the socket.
    explicit Cat062Output(const Cat062OutputConfig& config);
    /// Sends the tracks as CAT062 datagrams when a period has passed since the last picture.
    /// Returns the number of datagrams sent.
    std::size_t publish(std::span<const Track> tracks, Timestamp now);
    [[nodiscard]] const UdpSender& sender() const { return udp_; }

private:
    Cat062OutputConfig cfg_;
    UdpSender udp_;
    std::optional<Timestamp> last_;
};

}  // namespace picket::outputs
