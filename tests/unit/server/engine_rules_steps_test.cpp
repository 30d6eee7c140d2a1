// The live server runs each tick's rules in parts between messages (RulesCycle::stepped,
// FusionEngine::rules_step) and records where each part ran. With nothing in between, a stepped
// tick publishes exactly what a whole tick publishes, inline or with the output half on its
// worker (replay); a cycle left unfinished is finished by the next tick, in the same order.
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>
#include <string>

#include "src/engine/fusion_engine.hpp"
#include "tests/unit/server/box_deployment.hpp"
#include "tests/unit/server/engine_transcript.hpp"

using namespace picket;
using testing::at;
using testing::Transcript;

namespace {

struct Deployment : testing::BoxDeployment {
    Deployment() : BoxDeployment("engine_rules_steps") {}
};

/// 2,400 vessels on a grid over the box (in-box zone presence) and around it: more than two
/// parts of kRulesPartTracks.
std::vector<std::string> reports(double t) {
    std::vector<std::string> out;
    for (int i = 0; i < 2400; ++i) out.push_back(testing::grid_report(525'100'000, i, t));
    return out;
}

/// Runs 4 ticks of the scene; `steps`: how a tick's rules run (whole, all parts at once, or
/// parts left for the next tick to finish).
enum class Steps { whole, run_all, leave_to_next_tick };

std::string run(Steps steps, server::OutputThreading threading, int* parts_seen = nullptr) {
    Deployment d;
    Transcript out;
    server::FusionEngine engine(d.config, out, threading);
    int parts = 0;
    for (int k = 0; k < 4; ++k) {
        const double t = 10.0 * k;
        for (const auto& r : reports(t)) engine.on_message(0, at(t), r);
        if (steps == Steps::whole) {
            engine.on_tick(at(t + 1));
            continue;
        }
        engine.on_tick(at(t + 1), server::RulesCycle::stepped);
        CHECK(engine.rules_pending());
        if (steps == Steps::run_all)
            for (bool more = true; more; ++parts) more = engine.rules_step();
    }
    while (engine.rules_step()) {
    }
    engine.drain();
    if (parts_seen) *parts_seen = parts;
    return out.text;
}

/// The alert messages of a transcript, in order, without their sequence numbers.
std::string alerts_without_seq(const std::string& transcript) {
    static const std::regex seq(R"("seq":[0-9]+,)");
    std::istringstream in(transcript);
    std::string out, line;
    while (std::getline(in, line))
        if (line.starts_with("alert ")) out += std::regex_replace(line, seq, "") + "\n";
    return out;
}

}  // namespace

TEST_CASE("A tick's rules in parts publish what the whole tick publishes", "[server][rules]") {
    const std::string whole = run(Steps::whole, server::OutputThreading::inline_);
    REQUIRE(whole.find("\nalert ") != std::string::npos);  // the box raises incidents
    int parts = 0;
    CHECK(run(Steps::run_all, server::OutputThreading::inline_, &parts) == whole);
    CHECK(parts == 4 * 3);  // 2,400 tracks: parts of 1,000, 1,000 and 400 per tick
    CHECK(run(Steps::run_all, server::OutputThreading::worker) == whole);
    // Left to the next tick, a cycle's incidents come out after the next messages' tracks
    // (other sequence numbers), but they are the same incidents.
    CHECK(alerts_without_seq(run(Steps::leave_to_next_tick, server::OutputThreading::inline_)) ==
          alerts_without_seq(whole));
}
