/// Test helper for store_crash_test: writes alerts, acknowledgements, operator actions and track
/// history to the store in a loop, reporting on stdout each write that Store returned from:
///   "saved <id>", "acked <id>", "action <id>"
/// The parent kills it with SIGKILL at a random moment and checks that everything reported is
/// in the database. Alert ids continue from Store::restore(), as the server's ledger does.
#include <unistd.h>

#include <cstdio>
#include <string>

#include "src/store/open_store.hpp"

using namespace picket;

namespace {

void report(const char* what, AlertId id) {
    char line[64];
    const int n =
        std::snprintf(line, sizeof line, "%s %llu\n", what, static_cast<unsigned long long>(id));
    // write(2) straight to the pipe: no stdio buffer that a SIGKILL would lose.
    if (::write(STDOUT_FILENO, line, static_cast<std::size_t>(n)) != n) _exit(3);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s DB|POSTGRESQL-CONNINFO\n", argv[0]);
        return 2;
    }
    // An SQLite file or a PostgreSQL conninfo (tests/unit/store/pg_crash_test.cpp).
    const auto opened = store::open_store(argv[1]);
    outputs::Store& store = *opened;
    AlertId id = store.restore().next_alert_id;
    Track t;
    t.status = TrackStatus::confirmed;
    t.position = {-8.5, 125.5};
    t.east_mps = 5;
    for (int i = 0; i < 200000; ++i, ++id) {
        const Timestamp now{1'790'000'000'000'000'000 +
                            static_cast<std::int64_t>(id) * kNsPerSecond};
        Alert a;
        a.id = id;
        a.kind = AlertKind::zone_entry;
        a.track = id % 17;
        a.where = {-8.5, 125.5};
        a.when = now;
        a.message = "entered zone";
        store.save_alert(a);
        report("saved", id);

        a.state = AlertState::acknowledged;
        a.acknowledged_by = "op1";
        a.acknowledged_at = now + Duration::from_seconds(1);
        store.save_alert(a);
        report("acked", id);

        store.record_action(now, "op1", R"({"cmd":"ack","alert_id":)" + std::to_string(id) + "}",
                            R"({"ok":true})");
        report("action", id);

        Track cycle[8];
        for (int k = 0; k < 8; ++k) {
            cycle[k] = t;
            cycle[k].id = static_cast<TrackId>(k + 1);
            cycle[k].updated = now;
        }
        store.save_track_points(cycle);
    }
    return 0;
}
