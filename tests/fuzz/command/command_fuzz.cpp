// libFuzzer target: operator commands (docs/protocol.md) through FusionEngine::on_command, the
// parser both the ZeroMQ command socket and the web's POST /api/command end in. Any bytes must
// give a JSON reply {"ok": bool, ...}; never a crash, an exception or undefined behaviour (a
// mute of 1e300 seconds overflowed the clock).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/fuzz_engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static picket::fuzz::EngineFixture fixture;
    fixture.command(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
