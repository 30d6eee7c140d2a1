#include <catch2/catch.hpp>

#include "src/persist/standby_writes.hpp"
#include "tests/unit/outputs/test_tracks.hpp"

using namespace picket;
using picket::persist::StandbyWrites;

namespace {

Alert version(AlertId id, std::uint32_t revision) {
    Alert a = outputs::testing::sample_alert(id);
    a.revision = revision;
    return a;
}

outputs::ActionRecord action(const std::string& json) {
    return {0, outputs::testing::sample_time(), "op", json, R"({"ok":true})"};
}

}  // namespace

SCENARIO("A standby on the primary's store keeps what the primary has not said it committed",
         "[persist][standby]") {
    StandbyWrites w;
    w.alert(3, version(1, 1));   // raised while applying record 3
    w.action(5, action("ack"));  // the ack command, record 5
    w.alert(5, version(1, 2));   // its effect
    w.alert(6, version(2, 1));
    w.action(7, action("label"));
    CHECK(w.size() == 5);

    w.stored_through(4);  // the primary committed records 1..4's effects
    CHECK(w.size() == 4);
    w.stored_through(5);
    CHECK(w.size() == 2);
    w.stored_through(5);  // said again: nothing more goes
    CHECK(w.size() == 2);

    const StandbyWrites::Left left = w.take();  // takeover: the rest, in order
    REQUIRE(left.alerts.size() == 1);
    CHECK(left.alerts[0].id == 2);
    REQUIRE(left.actions.size() == 1);
    CHECK(left.actions[0].command_json == "label");
    CHECK(w.size() == 0);
}
