#pragma once
/// Other servers' alert changes on a shared PostgreSQL store, as they commit (issue 16: an
/// operator's acknowledgement on server A reaching server B's control room).
///
/// Every PgStore transaction that writes an alert notifies its id on the channel
/// `picket_alerts` (NOTIFY, in the same transaction: PostgreSQL delivers it only if the
/// transaction commits, and in commit order). A watch LISTENs on a connection of its own and
/// hands back the alerts of the other sites that changed, read from the store as they are once
/// committed (so an alert changed twice between two waits comes back once, in its latest state).
///
/// The first wait() also hands back every other site's alert not closed when the watch started
/// listening (a server starting, or a watch opened again after a lost connection, misses no open
/// incident). Limits: a change notified while the watch's connection is down is lost
/// (PostgreSQL keeps no notification for absent listeners) unless the alert is still open when a
/// new watch starts. One thread at a time.
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/alert.hpp"

namespace picket::store {

namespace pg {
class Connection;
}
class PgStore;

/// The channel every PgStore notifies on.
inline constexpr const char* kAlertChannel = "picket_alerts";
/// A notification's payload: the alert id in decimal, a space, its change ("7 acknowledged"):
/// the store keeps an alert's state, not what its last update was.
std::string alert_notification(const Alert& a);

class PgAlertWatch {
public:
    /// Connects twice (one connection listens, one reads the alerts, read-only). `own_site`'s
    /// alerts are the caller's own and never handed back. Throws std::runtime_error with the
    /// reason (bad location, unreachable, no picket tables yet).
    PgAlertWatch(const std::string& conninfo, int own_site);
    ~PgAlertWatch();
    PgAlertWatch(const PgAlertWatch&) = delete;
    PgAlertWatch& operator=(const PgAlertWatch&) = delete;

    /// Waits up to `timeout` for notifications; returns the other sites' alerts notified since
    /// the last call (the first call: and those open), each once, by id, as committed, with
    /// the latest change notified (`restored` for the open ones of the first call). Empty when
    /// none came in time. Throws on a lost connection.
    std::vector<Alert> wait(std::chrono::milliseconds timeout);

private:
    /// The notifications libpq has read so far, other sites' only: id -> latest change.
    void take_notifications(std::map<AlertId, IncidentChange>& changes);

    int own_site_;
    bool started_{false};  ///< the first wait() handed back the open alerts
    std::unique_ptr<pg::Connection> listen_;
    std::unique_ptr<PgStore> reader_;
};

}  // namespace picket::store
