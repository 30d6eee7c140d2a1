#pragma once
/// ZeroMQ Authentication Protocol (RFC 27) handler for CurveZMQ: admits a client only when its
/// public key is on the allow-list of the socket's ZAP domain (one domain per feed, plus one for
/// operator commands), so a radar site cannot be impersonated by someone who merely knows the
/// server's public key. Runs on its own thread with its own socket.
///
/// Every decision is counted per domain (picket_zap_admitted_total, picket_zap_refused_total)
/// and every refusal logged with the peer address and key (rate-limited).
#include <zmq.hpp>

#include <atomic>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "core/log_limit.hpp"
#include "src/outputs/metrics.hpp"

namespace picket::server {

class ZapHandler {
public:
    /// domain -> allowed client public keys (Z85)
    using AllowList = std::map<std::string, std::set<std::string>>;

    /// Counters are registered in `metrics`, one series per domain of `allow`.
    ZapHandler(zmq::context_t& ctx, AllowList allow, outputs::Registry& metrics);
    ~ZapHandler();
    ZapHandler(const ZapHandler&) = delete;
    ZapHandler& operator=(const ZapHandler&) = delete;

    [[nodiscard]] std::uint64_t admitted() const { return admitted_; }
    [[nodiscard]] std::uint64_t refused() const { return refused_; }

private:
    struct DomainCounters {
        outputs::Counter* admitted;
        outputs::Counter* refused;
    };
    void run();
    void answer_one();

    zmq::socket_t socket_;
    AllowList allow_;
    std::map<std::string, DomainCounters, std::less<>> counters_;
    DomainCounters other_;  ///< a domain not on the allow-list (a socket misconfigured)
    log::RateLimited refusal_log_{log::Level::warn};
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> admitted_{0};
    std::atomic<std::uint64_t> refused_{0};
    std::thread thread_;
};

/// Applies CURVE server options to a socket (secret key, ZAP domain).
void make_curve_server(zmq::socket_t& socket, const std::string& secret_key_z85,
                       const std::string& zap_domain);

/// A fresh key pair as Z85 (public, secret).
std::pair<std::string, std::string> generate_curve_keypair();

}  // namespace picket::server
