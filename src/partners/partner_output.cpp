#include "src/partners/partner_output.hpp"

#include <stdexcept>

#include "core/json_writer.hpp"
#include "src/io/stream_instance.hpp"
#include "src/io/zap_handler.hpp"

namespace picket::partners {

PartnerOutput::PartnerOutput(zmq::context_t& ctx, std::vector<PartnerRules> partners,
                             const std::string& audit_log, std::string instance)
    : instance_(std::move(instance)) {
    audit_ = std::fopen(audit_log.c_str(), "ae");
    if (!audit_) throw std::runtime_error("cannot open the partner audit log " + audit_log);
    for (PartnerRules& rules : partners) {
        auto p = std::make_unique<Partner>(
            Partner{PartnerFilter(rules), zmq::socket_t(ctx, zmq::socket_type::pub)});
        p->pub.set(zmq::sockopt::linger, 0);
        p->pub.set(zmq::sockopt::sndhwm, 100000);
        server::make_curve_server(p->pub, rules.server_secret_key, "partner:" + rules.name);
        try {
            p->pub.bind(rules.endpoint);
        } catch (const zmq::error_t& e) {
            throw std::runtime_error("partner " + rules.name + ": cannot bind " + rules.endpoint +
                                     ": " + e.what());
        }
        partners_.push_back(std::move(p));
    }
}

PartnerOutput::~PartnerOutput() {
    if (audit_) std::fclose(audit_);
}

void PartnerOutput::on_tracks(std::span<const Track> tracks, Timestamp now) {
    for (auto& p : partners_) p->filter.on_tracks(tracks, now);
}

void PartnerOutput::on_deleted(std::span<const TrackId> ids, Timestamp now) {
    for (auto& p : partners_) p->filter.on_deleted(ids, now);
}

void PartnerOutput::flush(Timestamp now, Timestamp wall) {
    bool wrote = false;
    for (auto& p : partners_) {
        for (const PartnerMessage& m : p->filter.due(now)) {
            const std::string json = server::with_instance(m.json, instance_);
            p->pub.send(zmq::buffer(m.topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
            p->pub.send(zmq::buffer(json), zmq::send_flags::dontwait);
            audit(p->filter.rules(), PartnerMessage{m.topic, m.track, m.made, json}, wall);
            wrote = true;
        }
    }
    // Once per tick: the log is append-only and line by line, never a half line at a crash.
    if (wrote) std::fflush(audit_);
}

void PartnerOutput::audit(const PartnerRules& who, const PartnerMessage& m, Timestamp wall) {
    std::string line;
    JsonWriter w(line);
    w.begin_object().field("time", to_iso8601(wall)).field("partner", who.name);
    w.field("topic", m.topic).field("track_id", static_cast<std::uint64_t>(m.track));
    w.field("made", to_iso8601(m.made)).key("message").raw(m.json).end_object();
    line.push_back('\n');
    std::fwrite(line.data(), 1, line.size(), audit_);
}

}  // namespace picket::partners
