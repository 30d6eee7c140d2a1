#pragma once
/// Internal: one WebSocket client, either following the live picture (/ws) or a replay
/// (/ws/replay). Owns the client's backlog; lives on the I/O thread.
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "src/web/client_queue.hpp"
#include "src/web/server_state.hpp"

namespace picket::web::detail {

class WsSession : public std::enable_shared_from_this<WsSession> {
public:
    enum class Mode { live, replay };

    WsSession(boost::asio::ip::tcp::socket&& socket, ServerState& state, Mode mode,
              ReplayRequest replay_request);
    ~WsSession();

    /// Completes the upgrade of `request` and starts the session.
    void run(boost::beast::http::request<boost::beast::http::string_body> request);
    /// Live mode: queue one broadcast; on overflow drop the backlog and queue a fresh snapshot.
    void enqueue_live(const SharedText& message);
    /// Replay mode: queue one replayed message; pause the replay while the backlog is high.
    void enqueue_replay(SharedText message);
    /// Server shutdown: close the socket now.
    void shutdown();

private:
    void on_accept(boost::beast::error_code ec);
    /// A fresh snapshot envelope; remembers its size for the backlog limit.
    SharedText snapshot_message();
    void start_replay();
    void do_read();
    void on_read(boost::beast::error_code ec);
    void handle_control(const std::string& text);
    void send(SharedText message);
    void do_write();
    void on_write(boost::beast::error_code ec);
    void send_error_and_close(const std::string& message);

    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    ServerState& state_;
    Mode mode_;
    ReplayRequest replay_request_;
    ClientQueue queue_;
    SharedText in_flight_;
    std::size_t in_flight_count_{0};  ///< messages in the frame being written
    boost::beast::flat_buffer read_buffer_;
    std::unique_ptr<ReplayControl> replay_;
    bool writing_{false};
    bool registered_{false};
    bool closing_{false};
    bool close_when_drained_{false};
    bool paused_by_operator_{false};
    bool paused_by_backlog_{false};
};

}  // namespace picket::web::detail
