#include "src/store/pg_alert_watch.hpp"

#include <poll.h>

#include <algorithm>
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
    return std::to_string(a.id) + " " + std::string(to_string(a.change)) + " " +
           std::to_string(a.revision);
}

PgAlertWatch::PgAlertWatch(const std::string& conninfo, int own_site)
    : own_site_(own_site),
      listen_(std::make_unique<pg::Connection>(conninfo)),
      reader_(std::make_unique<PgStore>(conninfo,
                                        PgStore::Options{.site = own_site, .read_only = true})) {
    listen_->exec(std::string("LISTEN ") + kAlertChannel);
}

PgAlertWatch::~PgAlertWatch() = default;

void PgAlertWatch::take_notifications(std::map<AlertId, Notified>& changes) {
    PGconn* c = listen_->raw();
    if (PQconsumeInput(c) != 1)
        throw std::runtime_error(std::string("store: alert watch: ") + PQerrorMessage(c));
    while (PGnotify* n = PQnotifies(c)) {
        // "<id> <change> <revision>" (alert_notification; a server of the version before sends
        // no revision); anything else on the channel is not ours.
        const std::string_view payload = n->extra ? n->extra : "";
        const char* end = payload.data() + payload.size();
        AlertId id = 0;
        const auto r = std::from_chars(payload.data(), end, id);
        std::optional<Notified> note;
        if (r.ec == std::errc{} && r.ptr < end && *r.ptr == ' ') {
            std::string_view rest(r.ptr + 1, static_cast<std::size_t>(end - r.ptr - 1));
            std::uint32_t revision = 0;
            if (const auto space = rest.find(' '); space != std::string_view::npos) {
                const auto rr = std::from_chars(rest.data() + space + 1, end, revision);
                if (rr.ec != std::errc{} || rr.ptr != end) revision = 0;
                rest = rest.substr(0, space);
            }
            if (const auto change = change_named(rest)) note = Notified{*change, revision};
        }
        if (note && static_cast<int>(id >> PgStore::kSiteShift) != own_site_) {
            // The latest in commit order; an older revision coming later is a repeat.
            auto [it, added] = changes.try_emplace(id, *note);
            if (!added && (note->revision == 0 || note->revision >= it->second.revision))
                it->second = *note;
        }
        PQfreemem(n);
    }
}

bool PgAlertWatch::is_new(const Alert& a) const {
    const auto it = delivered_.find(a.id);
    return it == delivered_.end() || a.revision > it->second;
}

std::vector<Alert> PgAlertWatch::wait(std::chrono::milliseconds timeout) {
    std::map<AlertId, Notified> changes;
    std::vector<Alert> out;
    // Hands `a` back (as read now) under `change`, once per revision.
    const auto hand_back = [&](Alert a, IncidentChange change) {
        if (!is_new(a)) return;
        a.change = change;  // not a column: the store keeps the state, the audit the history
        if (a.state == AlertState::closed)
            delivered_.erase(a.id);
        else
            delivered_[a.id] = a.revision;
        out.push_back(std::move(a));
    };
    take_notifications(changes);
    if (!started_) {
        // Listening already (the constructor): nothing committed from here on is missed. An
        // open alert whose latest change was notified meanwhile comes back under that change.
        started_ = true;
        for (Alert& a : reader_->others_not_closed()) {
            const auto it = changes.find(a.id);
            const bool named = it != changes.end() && it->second.revision == a.revision;
            hand_back(std::move(a), named ? it->second.change : IncidentChange::restored);
        }
    }
    if (changes.empty() && out.empty()) {
        pollfd p{PQsocket(listen_->raw()), POLLIN, 0};
        if (p.fd < 0) throw std::runtime_error("store: alert watch: connection lost");
        if (::poll(&p, 1, static_cast<int>(timeout.count())) > 0) take_notifications(changes);
    }
    for (const auto& [id, note] : changes) {
        auto a = reader_->find_alert(id);
        if (!a) continue;
        // Read after a later commit than the one notified: that commit's own notification is
        // on its way (delivered in commit order) and names the change of what was read.
        if (note.revision != 0 && a->revision > note.revision) continue;
        hand_back(std::move(*a), note.change);
    }
    std::sort(out.begin(), out.end(), [](const Alert& x, const Alert& y) { return x.id < y.id; });
    return out;
}

}  // namespace picket::store
