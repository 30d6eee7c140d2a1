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
/// A notification's payload: the alert id in decimal, its change and its revision ("7
/// acknowledged 2"): the store keeps an alert's state, not what its last update was, and the
/// revision says which committed state the change belongs to.
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
    /// the last call (the first call: and those open), by id, as committed, with the change
    /// that made the revision read (`restored` for an open one of the first call whose change
    /// was not notified). Each revision comes back once: a notification older than what was
    /// already handed back, or than the state read, is left out (the newer one's notification
    /// follows). Empty when none came in time. Throws on a lost connection.
    std::vector<Alert> wait(std::chrono::milliseconds timeout);

private:
    /// A notified change: what it was and the revision it made (0: a payload without one).
    struct Notified {
        IncidentChange change{IncidentChange::restored};
        std::uint32_t revision{0};
    };
    /// The notifications libpq has read so far, other sites' only: id -> the latest.
    void take_notifications(std::map<AlertId, Notified>& changes);
    /// Whether `a` (as read now) is news: a revision not handed back yet.
    bool is_new(const Alert& a) const;

    int own_site_;
    bool started_{false};  ///< the first wait() handed back the open alerts
    /// The revision last handed back, per alert not closed (closed ones are dropped: a stale
    /// repeat of a closing is harmless). A notification can arrive after a read that already
    /// saw a later revision, or after the first wait() handed the alert back as open: without
    /// this the alert came back twice, the second time in its later state under the earlier
    /// change's name (seen under load: an acknowledged alert labelled "raised").
    std::map<AlertId, std::uint32_t> delivered_;
    std::unique_ptr<pg::Connection> listen_;
    std::unique_ptr<PgStore> reader_;
};

}  // namespace picket::store
