// kill -9 of a server writing to the shared PostgreSQL store loses no committed alert,
// acknowledgement or action, and the restarted writer continues the ids (issue 16 item 3).
// The writer is the SQLite crash test's child (tests/unit/outputs/store_crash_child.cpp), which
// opens whatever store its argument names.
#include <catch2/catch.hpp>

#include <random>

#include "src/store/pg_store.hpp"
#include "tests/unit/outputs/crash_child.hpp"
#include "tests/unit/store/pg_cluster.hpp"

using namespace picket;
using namespace picket::outputs::testing;

SCENARIO("pg store: after kill -9 no reported alert or acknowledgement is lost", "[store][pg]") {
    const std::string conninfo = store::testing::fresh_schema();
    const auto seed = std::random_device{}();
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> lines(3, 600), extra_us(0, 3000);
    AlertId max_seen = 0;
    std::size_t actions_reported = 0;
    for (int round = 0; round < 3; ++round) {
        INFO("round " << round);
        const ChildReport r =
            run_and_kill(PICKET_STORE_CRASH_CHILD, conninfo, lines(rng), extra_us(rng));
        REQUIRE_FALSE(r.saved.empty());
        CHECK(*r.saved.begin() > max_seen);  // ids continue after the previous run's
        max_seen = std::max(max_seen, *r.saved.rbegin());
        actions_reported += r.actions.size();

        store::PgStore st(conninfo);
        for (AlertId id : r.saved) REQUIRE(st.find_alert(id));
        for (AlertId id : r.acked) {
            const auto a = st.find_alert(id);
            REQUIRE(a);
            CHECK(a->state == AlertState::acknowledged);
            CHECK(a->acknowledged_by == "op1");
        }
        CHECK(st.restore().next_alert_id > max_seen);
        CHECK(st.actions_between(Timestamp{0}, Timestamp{INT64_MAX}).size() >= actions_reported);
    }
}
