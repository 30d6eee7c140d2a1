#include "src/store/pg_alert_watch.hpp"

#include <poll.h>

#include <charconv>
#include <map>
#include <optional>
#include <stdexcept>

#include "src/store/pg_connection.hpp"
#include "src/store/pg_store.hpp"

namespace picket::store {
namespace {

std::optional<IncidentChange> change_named(std::string_view s) {
    for (int c = 0; c <= static_cast<int>(IncidentChange::restored); ++c)
        if (to_string(static_cast<IncidentChange>(c)) == s) return static_cast<IncidentChange>(c);
    return std::nullopt;
}

}  // namespace

std::string alert_notification(const Alert& a) {
    return std::to_string(a.id) + " " + std::string(to_string(a.change));
}

PgAlertWatch::PgAlertWatch(const std::string& conninfo, int own_site)
    : own_site_(own_site),
      listen_(std::make_unique<pg::Connection>(conninfo)),
      reader_(std::make_unique<PgStore>(conninfo,
                                        PgStore::Options{.site = own_site, .read_only = true})) {
    listen_->exec(std::string("LISTEN ") + kAlertChannel);
}

PgAlertWatch::~PgAlertWatch() = default;

void PgAlertWatch::take_notifications(std::map<AlertId, IncidentChange>& changes) {
    PGconn* c = listen_->raw();
    if (PQconsumeInput(c) != 1)
        throw std::runtime_error(std::string("store: alert watch: ") + PQerrorMessage(c));
    while (PGnotify* n = PQnotifies(c)) {
        // "<id> <change>" (alert_notification); anything else on the channel is not ours.
        const std::string_view payload = n->extra ? n->extra : "";
        AlertId id = 0;
        const auto r = std::from_chars(payload.data(), payload.data() + payload.size(), id);
        const auto change =
            r.ec == std::errc{} && r.ptr < payload.data() + payload.size() && *r.ptr == ' '
                ? change_named(payload.substr(static_cast<std::size_t>(r.ptr - payload.data()) + 1))
                : std::nullopt;
        if (change && static_cast<int>(id >> PgStore::kSiteShift) != own_site_)
            changes[id] = *change;  // the latest, in commit order
        PQfreemem(n);
    }
}

std::vector<Alert> PgAlertWatch::wait(std::chrono::milliseconds timeout) {
    std::map<AlertId, IncidentChange> changes;
    if (!started_) {
        // Listening already (the constructor): nothing committed from here on is missed.
        started_ = true;
        for (const Alert& a : reader_->others_not_closed())
            changes[a.id] = IncidentChange::restored;
    }
    take_notifications(changes);
    if (changes.empty()) {
        pollfd p{PQsocket(listen_->raw()), POLLIN, 0};
        if (p.fd < 0) throw std::runtime_error("store: alert watch: connection lost");
        if (::poll(&p, 1, static_cast<int>(timeout.count())) > 0) take_notifications(changes);
    }
    std::vector<Alert> out;
    out.reserve(changes.size());
    for (const auto& [id, change] : changes)
        if (auto a = reader_->find_alert(id)) {
            a->change = change;  // not a column: the store keeps the state, the audit the history
            out.push_back(std::move(*a));
        }
    return out;
}

}  // namespace picket::store
