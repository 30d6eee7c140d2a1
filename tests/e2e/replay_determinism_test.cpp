// Replay reproduces the live server's output byte for byte, every time and at any speed: the
// recording holds every input of the fusion engine (feed messages with their receive times,
// clock ticks, operator commands) in the order the engine saw them.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <thread>

#include "src/replay.hpp"
#include "src/server.hpp"
#include "tests/e2e/scenario_fixture.hpp"
#include "tests/e2e/voyage.hpp"

using namespace picket;
using namespace picket::e2e;
using namespace std::chrono_literals;

namespace {

class Collect final : public server::EngineOutput {
public:
    void publish(std::string_view topic, const std::string& json) override {
        text.append(topic).append(" ").append(json).append("\n");
    }
    std::string text;
};

std::string replay(const Deployment& d, double speed,
                   server::OutputThreading threading = server::OutputThreading::inline_) {
    Collect out;
    server::FusionEngine engine(server::load_server_config(d.config_path), out, threading);
    server::ReplayOptions options;
    options.speed = speed;
    server::ReplayControl control;
    const auto stats = server::run_replay(d.recording_dir, engine, options, control);
    CHECK(stats.corrupt == 0);
    CHECK(stats.messages > 0);
    return out.text;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("Replaying a recording gives the live output byte for byte, at any speed",
          "[e2e][replay]") {
    TempDir dir;
    const Deployment d = write_deployment(dir, true);
    {
        zmq::context_t ctx;
        zmq::socket_t feed(ctx, zmq::socket_type::pub);
        feed.bind(d.feed_endpoint);
        server::Server srv(server::load_server_config(d.config_path), e2e::voyage_server_options());
        srv.start();
        std::this_thread::sleep_for(300ms);
        sail(feed, {-9.0, 124.98}, 90.0, 44, srv.now());
        std::this_thread::sleep_for(300ms);
        // An operator acknowledges the crossing alert: a recorded input like any other.
        CHECK(srv.command(R"({"cmd":"ack","alert_id":1,"by":"op1"})", "test") == R"({"ok":true})");
        std::this_thread::sleep_for(100ms);
        srv.stop();
    }
    const std::string live = read_file(d.track_log);
    REQUIRE(live.find("\nalert ") != std::string::npos);  // the voyage raised its alert
    REQUIRE(live.find(R"("acknowledged_by":"op1")") != std::string::npos);

    const std::string fast = replay(d, 0);
    CHECK(fast == live);
    CHECK(replay(d, 0) == fast);
    CHECK(replay(d, 2000) == fast);  // paced: ~0.25 s for the ~8-minute recording
    // Rules and output on their own thread (what `picket replay` does): the same bytes.
    CHECK(replay(d, 0, server::OutputThreading::worker) == live);
    CHECK(replay(d, 2000, server::OutputThreading::worker) == live);
}
