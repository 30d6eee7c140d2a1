// The output stage runs every job once, in submission order, inline or on its worker thread; a
// job's exception reaches the caller at drain(), and the worker keeps going after it.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <thread>
#include <vector>

#include "src/engine/output_stage.hpp"

using picket::server::OutputStage;
using picket::server::OutputThreading;

TEST_CASE("OutputStage runs jobs in order, on one thread, inline or on its worker", "[server]") {
    for (const auto threading : {OutputThreading::inline_, OutputThreading::worker}) {
        OutputStage stage(threading);
        std::vector<int> seen;
        std::vector<std::thread::id> threads;
        // More than many batches, so the bounded queue makes the submitter wait.
        constexpr int n = 100'000;
        for (int i = 0; i < n; ++i)
            stage.run([&seen, &threads, i] {
                seen.push_back(i);
                if (threads.empty() || threads.back() != std::this_thread::get_id())
                    threads.push_back(std::this_thread::get_id());
            });
        stage.drain();
        REQUIRE(seen.size() == static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) REQUIRE(seen[static_cast<std::size_t>(i)] == i);
        REQUIRE(threads.size() == 1);
        CHECK((threads[0] == std::this_thread::get_id()) ==
              (threading == OutputThreading::inline_));
        CHECK(stage.threaded() == (threading == OutputThreading::worker));
    }
}

TEST_CASE("OutputStage hands a worker job's exception to drain() and goes on", "[server]") {
    OutputStage stage(OutputThreading::worker);
    int after = 0;
    stage.run([] { throw std::runtime_error("rule file gone"); });
    stage.run([&after] { ++after; });
    CHECK_THROWS_WITH(stage.drain(), "rule file gone");
    CHECK(after == 1);
    stage.run([&after] { ++after; });
    CHECK_NOTHROW(stage.drain());
    CHECK(after == 2);
}

TEST_CASE("OutputStage's destructor runs what is still queued", "[server]") {
    int ran = 0;
    {
        OutputStage stage(OutputThreading::worker);
        for (int i = 0; i < 1000; ++i) stage.run([&ran] { ++ran; });
    }
    CHECK(ran == 1000);
}
