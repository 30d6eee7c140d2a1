#pragma once
/// The partner PUB sockets (docs/deployment.md, "Partners"): one CurveZMQ PUB per partner,
/// admitting only that partner's keys, carrying what its PartnerFilter lets through, and an
/// append-only audit log with one line per message sent: who got what, when.
///
/// Called where the CoT output is (src/server.cpp): tracks and ends as the engine publishes them,
/// flush() every tick. Never blocks: a PUB drops for a slow partner at its high-water mark (the
/// partner sees the gap in its `seq`).
#include <zmq.hpp>

#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "src/partners/partner_filter.hpp"

namespace picket::partners {

class PartnerOutput {
public:
    /// Binds every partner's socket (CURVE server, ZAP domain "partner:<name>"; a ZAP handler
    /// admitting their keys must run on `ctx`) and opens the audit log for appending. Throws
    /// std::runtime_error naming what failed (a config error: stops startup).
    PartnerOutput(zmq::context_t& ctx, std::vector<PartnerRules> partners,
                  const std::string& audit_log, std::string instance);
    ~PartnerOutput();
    PartnerOutput(const PartnerOutput&) = delete;
    PartnerOutput& operator=(const PartnerOutput&) = delete;

    void on_tracks(std::span<const Track> tracks, Timestamp now);
    void on_deleted(std::span<const TrackId> ids, Timestamp now);
    /// Sends what is due to each partner and audits it. `wall` dates the audit lines.
    void flush(Timestamp now, Timestamp wall);

    [[nodiscard]] std::size_t size() const { return partners_.size(); }
    [[nodiscard]] const PartnerFilter& filter(std::size_t i) const { return partners_[i]->filter; }
    /// The endpoint partner `i`'s socket is bound to (a "tcp://…:*" resolved).
    [[nodiscard]] std::string endpoint(std::size_t i) const {
        return partners_[i]->pub.get(zmq::sockopt::last_endpoint);
    }

private:
    struct Partner {
        PartnerFilter filter;
        zmq::socket_t pub;
    };
    void audit(const PartnerRules& who, const PartnerMessage& m, Timestamp wall);

    std::vector<std::unique_ptr<Partner>> partners_;
    std::FILE* audit_{nullptr};
    std::string instance_;
};

}  // namespace picket::partners
