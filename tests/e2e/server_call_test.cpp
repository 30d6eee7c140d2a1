// Server::call, the web server's way onto the fusion thread: once it has answered "server busy",
// the task it gave up on never runs, however long the fusion thread was held up.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <thread>

#include "src/server.hpp"
#include "tests/e2e/e2e_support.hpp"

using namespace picket;
using namespace std::chrono_literals;

TEST_CASE("a request answered 'busy' never runs later", "[e2e][process]") {
    server::ServeOptions opt;
    opt.quiet = true;
    opt.call_timeout = 200ms;
    server::Server srv(server::parse_server_config(
                           "region: {name: t, origin: {lat: 0, lon: 0}}\nfeeds: []\n"
                           "outputs:\n  publish: " +
                               e2e::loopback(e2e::free_port()) + "\n  snapshot: " +
                               e2e::loopback(e2e::free_port()) + "\n  http: {enabled: false}\n",
                           "s.yaml", "."),
                       opt);
    srv.start();

    // Hold the fusion thread for 1.5 s (a slow disk, a huge snapshot).
    std::promise<void> holding;
    auto blocker = std::async(std::launch::async, [&] {
        return srv.call([&] {
            holding.set_value();
            std::this_thread::sleep_for(1500ms);
            return std::string("slow");
        });
    });
    holding.get_future().wait();

    std::atomic<bool> ran{false};
    CHECK(srv.call([&] {
        ran = true;
        return std::string("late");
    }) == R"({"ok":false,"error":"server busy"})");
    // An operator command answered busy: it must not be acknowledged behind their back either.
    CHECK(srv.command(R"({"cmd":"label","track_id":1,"label":"x"})", "test") ==
          R"({"ok":false,"error":"server busy"})");
    // The blocker started before its deadline: it is answered with its own result, late.
    CHECK(blocker.get() == "slow");

    // The fusion thread is free again and has worked through its queue: nothing given up on ran.
    const auto status = nlohmann::json::parse(srv.status());
    CHECK_FALSE(ran);
    CHECK(status["engine"]["commands"] == 0);
    // A call made now runs, and its answer comes back.
    CHECK(srv.call([] { return std::string("now"); }) == "now");
    srv.stop();
}
