#include "src/io/zap_handler.hpp"

#include <array>
#include <stdexcept>
#include <vector>

#include "core/log.hpp"

namespace picket::server {

ZapHandler::ZapHandler(zmq::context_t& ctx, AllowList allow)
    : socket_(ctx, zmq::socket_type::rep), allow_(std::move(allow)) {
    // The ZAP endpoint is fixed by RFC 27; only one handler may bind it per context.
    socket_.bind("inproc://zeromq.zap.01");
    socket_.set(zmq::sockopt::rcvtimeo, 100);
    thread_ = std::thread([this] { run(); });
}

ZapHandler::~ZapHandler() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

void ZapHandler::run() {
    while (!stop_) {
        // Request frames: version, request id, domain, address, identity, mechanism, credentials.
        std::vector<zmq::message_t> frames;
        try {
            zmq::message_t part;
            if (!socket_.recv(part, zmq::recv_flags::none)) continue;
            frames.push_back(std::move(part));
            while (frames.back().more()) {
                zmq::message_t next;
                if (!socket_.recv(next, zmq::recv_flags::none)) break;
                frames.push_back(std::move(next));
            }
        } catch (const zmq::error_t&) {
            break;  // context terminated
        }
        if (frames.size() < 6) continue;
        const std::string version = frames[0].to_string();
        const std::string request_id = frames[1].to_string();
        const std::string domain = frames[2].to_string();
        const std::string mechanism = frames[5].to_string();
        bool ok = false;
        std::string user;
        if (version == "1.0" && mechanism == "CURVE" && frames.size() >= 7 &&
            frames[6].size() == 32) {
            char z85[41];
            zmq_z85_encode(z85, static_cast<const std::uint8_t*>(frames[6].data()), 32);
            user = z85;
            const auto it = allow_.find(domain);
            ok = it != allow_.end() && it->second.count(user) > 0;
        }
        (ok ? admitted_ : refused_)++;
        if (!ok) log::warn("ZAP: refused a " + mechanism + " client on domain '" + domain + "'");
        const std::array<std::string, 6> reply{
            "1.0",          request_id, ok ? "200" : "400", ok ? "OK" : "client key not allowed",
            ok ? user : "", ""};
        for (std::size_t i = 0; i < reply.size(); ++i) {
            socket_.send(zmq::buffer(reply[i]),
                         i + 1 < reply.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
        }
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
