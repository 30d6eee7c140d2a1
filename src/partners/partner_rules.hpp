#pragma once
/// What one partner (a neighbour's centre across the border) may receive of our picture, from
/// the `partners:` config section (docs/configuration.md, docs/deployment.md "Partners").
#include <string>
#include <vector>

#include "core/track.hpp"

namespace picket::partners {

struct PartnerRules {
    std::string name;      ///< who: in the audit log, the ZAP domain "partner:<name>"
    std::string endpoint;  ///< its own PUB socket (bound; CURVE server)
    /// CurveZMQ: our secret key for this partner's socket and the partner's public key(s). Only
    /// those keys are admitted (ZAP domain "partner:<name>"): no share without encryption.
    std::string server_secret_key;
    std::vector<std::string> allowed_client_keys;
    std::vector<LatLon>
        area;  ///< polygon (lat, lon vertices, not closed): a track outside is not shared
    std::vector<TargetClass> classes;  ///< shared classes; empty: every class
    double min_delay_s{0};       ///< a track state reaches the partner this long after it was made
    bool redact_identity{true};  ///< MMSI, name, call sign, ship type and operator label removed
    double max_rate_per_s{0};    ///< track messages per second at most (0: no cap)
};

}  // namespace picket::partners
