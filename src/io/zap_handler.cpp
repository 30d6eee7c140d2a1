#include "src/io/zap_handler.hpp"

#include <array>
#include <exception>
#include <stdexcept>
#include <vector>

#include "core/stage_errors.hpp"
#include "core/thread_role.hpp"

namespace picket::server {

ZapHandler::ZapHandler(zmq::context_t& ctx, AllowList allow, outputs::Registry& metrics)
    : socket_(ctx, zmq::socket_type::rep), allow_(std::move(allow)) {
    auto counters_for = [&metrics](const std::string& domain) {
        const outputs::Labels labels{{"domain", domain}};
        return DomainCounters{
            &metrics.counter("picket_zap_admitted_total", "CURVE clients admitted per ZAP domain",
                             labels),
            &metrics.counter("picket_zap_refused_total",
                             "CURVE clients refused per ZAP domain (key not on the allow-list)",
                             labels)};
    };
    for (const auto& [domain, keys] : allow_) counters_.emplace(domain, counters_for(domain));
    other_ = counters_for("other");
    // The ZAP endpoint is fixed by RFC 27; only one handler may bind it per context.
    socket_.bind("inproc://zeromq.zap.01");
    socket_.set(zmq::sockopt::rcvtimeo, 100);
    thread_ = std::thread([this] {
        enter_thread_role(ThreadRole::security);
        run();
    });
}

ZapHandler::~ZapHandler() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

void ZapHandler::run() {
    while (!stop_) {
        // The catch site of this thread: a failure answering one request is counted and logged;
        // the handler keeps answering (libzmq would otherwise wait on it for every handshake).
        try {
            answer_one();
        } catch (const zmq::error_t& e) {
            if (e.num() == ETERM) break;  // context terminated: shutting down
            report_stage_error("zap_handler", e.what());
        } catch (const std::exception& e) {
            report_stage_error("zap_handler", e.what());
        }
    }
}

void ZapHandler::answer_one() {
    // Request frames: version, request id, domain, address, identity, mechanism, credentials.
    std::vector<zmq::message_t> frames;
    zmq::message_t part;
    if (!socket_.recv(part, zmq::recv_flags::none)) return;  // timeout: check stop_
    frames.push_back(std::move(part));
    while (frames.back().more()) {
        zmq::message_t next;
        if (!socket_.recv(next, zmq::recv_flags::none)) break;
        frames.push_back(std::move(next));
    }
    if (frames.size() < 6) return;
    const std::string version = frames[0].to_string();
    const std::string request_id = frames[1].to_string();
    const std::string domain = frames[2].to_string();
    const std::string address = frames[3].to_string();
    const std::string mechanism = frames[5].to_string();
    bool ok = false;
    std::string user;
    if (version == "1.0" && mechanism == "CURVE" && frames.size() >= 7 && frames[6].size() == 32) {
        char z85[41];
        zmq_z85_encode(z85, static_cast<const std::uint8_t*>(frames[6].data()), 32);
        user = z85;
        const auto it = allow_.find(domain);
        ok = it != allow_.end() && it->second.count(user) > 0;
    }
    (ok ? admitted_ : refused_)++;
    const auto c = counters_.find(domain);
    const DomainCounters& counters = c == counters_.end() ? other_ : c->second;
    (ok ? counters.admitted : counters.refused)->inc();
    if (!ok) {
        refusal_log_.write("ZAP: refused a " + log::bounded(mechanism, 16) + " client from " +
                           log::bounded(address, 64) + " on domain '" + log::bounded(domain, 64) +
                           "'" + (user.empty() ? "" : " (key " + user + " is not allowed)"));
    }
    const std::array<std::string, 6> reply{
        "1.0",          request_id, ok ? "200" : "400", ok ? "OK" : "client key not allowed",
        ok ? user : "", ""};
    for (std::size_t i = 0; i < reply.size(); ++i) {
        socket_.send(zmq::buffer(reply[i]),
                     i + 1 < reply.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
    }
}

void make_curve_server(zmq::socket_t& socket, const std::string& secret_key_z85,
                       const std::string& zap_domain) {
    socket.set(zmq::sockopt::curve_server, 1);
    socket.set(zmq::sockopt::curve_secretkey, secret_key_z85);
    socket.set(zmq::sockopt::zap_domain, zap_domain);
}

std::pair<std::string, std::string> generate_curve_keypair() {
    char pub[41], sec[41];
    if (zmq_curve_keypair(pub, sec) != 0)
        throw std::runtime_error("zmq_curve_keypair failed (libzmq without CURVE?)");
    return {pub, sec};
}

}  // namespace picket::server
