// A primary whose standby shares its store (PostgreSQL): an alert or action goes to the store
// only once the standby acked the record that produced it (ServerPersistence::
// store_after_standby), so the database never holds what the standby's engine lacks. Shown
// here on SQLite: the ordering is the persistence's, whatever the store.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "src/outputs/alert_store.hpp"
#include "src/persist/server_persistence.hpp"
#include "tests/unit/outputs/temp_dir.hpp"
#include "tests/unit/outputs/test_tracks.hpp"

using namespace picket;
using namespace picket::persist;
using namespace std::chrono_literals;
using outputs::testing::TempDir;

namespace {

/// Lets the persistence thread commit and the gate hear of it, for at most 5 s.
template <class Done>
bool settle(ServerPersistence& p, Done done) {
    const auto until = std::chrono::steady_clock::now() + 5s;
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(2ms);
        p.on_wake();
    }
    return true;
}

}  // namespace

SCENARIO("With a standby on the same store, the store commits only what the standby acked",
         "[persist][standby]") {
    for (const bool after_standby : {false, true}) {
        INFO((after_standby ? "store after the standby" : "store and standby independent"));
        TempDir dir;
        ServerPersistence p(std::make_unique<outputs::SqliteStore>(dir.file("picket.db")), nullptr,
                            nullptr, PersistenceSettings{});
        if (after_standby) p.store_after_standby();
        p.start();
        // Record 7 raised an alert; the standby has acked up to record 6.
        p.standby_acked(6);
        p.hold_for_standby(7);
        p.alert(outputs::testing::sample_alert(11));
        p.end_of_wakeup();
        std::this_thread::sleep_for(200ms);
        const auto saved = [&] { return p.report().stage.alerts_saved; };
        p.on_wake();
        CHECK(saved() == (after_standby ? 0u : 1u));
        CHECK_FALSE(p.gate().open());  // publishing waits either way

        p.standby_acked(7);  // the standby has record 7: now the store
        REQUIRE(settle(p, [&] { return p.gate().open(); }));
        CHECK(saved() == 1);

        // A standby lost (its lease ran out): nothing waits for it, the store neither.
        p.hold_for_standby(9);
        p.alert(outputs::testing::sample_alert(12));
        p.standby_lost();
        REQUIRE(settle(p, [&] { return p.gate().open(); }));
        CHECK(saved() == 2);
        p.stop();
    }
}
