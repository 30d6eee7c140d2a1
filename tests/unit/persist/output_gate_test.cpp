#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "src/persist/output_gate.hpp"

using picket::persist::OutputGate;

namespace {

/// Sends through the gate as the server does: at once when open, else held.
void emit(OutputGate& gate, std::vector<std::string>& wire, std::string msg, bool droppable) {
    if (gate.open()) {
        wire.push_back(msg);
    } else {
        gate.hold([&wire, msg] { wire.push_back(msg); }, droppable);
    }
}

}  // namespace

SCENARIO("Messages after an alert wait for its ticket and go out in order", "[persist]") {
    OutputGate gate;
    std::vector<std::string> wire;
    emit(gate, wire, "track 1", true);
    CHECK(wire == std::vector<std::string>{"track 1"});  // open: sent at once

    gate.hold_until(1);  // an alert handed over with ticket 1
    emit(gate, wire, "alert 7", false);
    emit(gate, wire, "track 2", true);
    gate.hold_until(2);  // an acknowledgement with ticket 2
    emit(gate, wire, "alert 7 acked", false);
    emit(gate, wire, "reply ok", false);
    CHECK(wire.size() == 1);
    CHECK(gate.held() == 4);

    gate.release(1);  // the alert is stored; the ack not yet
    CHECK(wire == std::vector<std::string>{"track 1", "alert 7", "track 2"});
    CHECK_FALSE(gate.open());
    emit(gate, wire, "track 3", true);  // behind the ack: still held
    CHECK(wire.size() == 3);

    gate.release(2);
    CHECK(wire == std::vector<std::string>{"track 1", "alert 7", "track 2", "alert 7 acked",
                                           "reply ok", "track 3"});
    CHECK(gate.open());
    emit(gate, wire, "track 4", true);
    CHECK(wire.back() == "track 4");
}

SCENARIO("A gate held too long drops track updates but never alerts or replies", "[persist]") {
    OutputGate gate(/*max_held=*/3);
    std::vector<std::string> wire;
    gate.hold_until(1);
    emit(gate, wire, "alert", false);
    for (int i = 0; i < 10; ++i) emit(gate, wire, "track " + std::to_string(i), true);
    emit(gate, wire, "reply", false);
    emit(gate, wire, "alert 2", false);
    CHECK(gate.dropped() == 8);  // tracks 2..9: the gate held 3 when they came
    gate.release(1);
    CHECK(wire == std::vector<std::string>{"alert", "track 0", "track 1", "reply", "alert 2"});
}

SCENARIO("With a hot standby, an alert also waits for the standby's ack of its record",
         "[persist][standby]") {
    OutputGate gate;
    std::vector<std::string> wire;
    gate.hold_until(1);         // stored with ticket 1...
    gate.hold_until_acked(40);  // ...raised by record 40
    emit(gate, wire, "alert 3", false);
    emit(gate, wire, "track 9", true);
    gate.release(1);  // in the store, the standby not there yet
    CHECK(wire.empty());
    gate.release_acked(39);
    CHECK(wire.empty());
    gate.release_acked(40);
    CHECK(wire == std::vector<std::string>{"alert 3", "track 9"});
    CHECK(gate.open());

    // The standby goes silent: what waits for it goes out, the store still rules.
    gate.hold_until(2);
    gate.hold_until_acked(55);
    emit(gate, wire, "reply ok", false);
    gate.release(2);
    CHECK(wire.size() == 2);
    gate.stop_waiting_for_acks();
    CHECK(wire.back() == "reply ok");
    CHECK(gate.open());
}
