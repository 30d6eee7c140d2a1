#pragma once
/// Receiving one whole ZeroMQ multipart message without blocking for its first frame: the
/// server's snapshot and command ROUTERs and the standby link read their requests this way.
#include <vector>
#include <zmq.hpp>

namespace picket::io {

/// All frames of one multipart message, or none when no message is waiting.
inline std::vector<zmq::message_t> receive_multipart(zmq::socket_t& s) {
    std::vector<zmq::message_t> frames;
    zmq::message_t m;
    if (!s.recv(m, zmq::recv_flags::dontwait)) return frames;
    frames.push_back(std::move(m));
    while (frames.back().more()) {
        zmq::message_t next;
        if (!s.recv(next, zmq::recv_flags::none)) break;
        frames.push_back(std::move(next));
    }
    return frames;
}

}  // namespace picket::io
