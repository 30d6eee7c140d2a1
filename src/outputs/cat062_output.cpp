#include "src/outputs/cat062_output.hpp"

#include <stdexcept>

#include "src/outputs/cat062_out.hpp"
#include "src/outputs/cot_output.hpp"

namespace picket::outputs {
namespace {

UdpTarget target_of(const std::string& text) {
    const auto hp = parse_host_port(text);
    if (!hp) throw std::invalid_argument("cat062 udp: expected host:port, got '" + text + "'");
    return UdpTarget{hp->first, hp->second};
}

}  // namespace

Cat062Output::Cat062Output(const Cat062OutputConfig& config)
    : cfg_(config), udp_(target_of(config.udp)) {}

std::size_t Cat062Output::publish(std::span<const Track> tracks, Timestamp now) {
    if (last_ && now - *last_ < cfg_.period) return 0;
    last_ = now;
    std::size_t sent = 0;
    for (const std::string& d : cat062_datagrams(tracks, now, cfg_.sac, cfg_.sic)) {
        sent += udp_.send(d) ? 1 : 0;
    }
    return sent;
}

}  // namespace picket::outputs
