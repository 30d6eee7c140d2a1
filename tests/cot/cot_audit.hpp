#pragma once
/// What a TAK client was shown, checked against what the server knew: CoT events as a UDP
/// listener received them, beside the server's own ZeroMQ messages (track, track.deleted,
/// alert). Used by the end-to-end test tests/e2e/cot_picture_test.cpp (the demo, and by hand the
/// busy coast). It counts the issue-15 failures:
///  - track uids sent to TAK that the server never had confirmed (clutter);
///  - tracks the server deleted whose marker TAK was never told to remove (lingering), and
///    markers still on the CoT picture at the end that the server no longer has;
///  - alert events linking to a track uid TAK does not hold at that moment (never sent, or
///    already deleted), and links to "picket-track-0";
///  - open alerts whose last CoT event is stale at the end.
/// Events are parsed by attribute lookup: enough for picket's own, well-formed XML.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/time.hpp"

namespace picket::cot_audit {

/// The value of attribute `name` in the first `element` tag of `xml` (nullopt if absent).
inline std::optional<std::string> attribute(std::string_view xml, std::string_view element,
                                            std::string_view name) {
    const std::string open = "<" + std::string(element) + " ";
    const auto at = xml.find(open);
    if (at == std::string_view::npos) return std::nullopt;
    const auto end = xml.find('>', at);
    const std::string key = " " + std::string(name) + "=\"";
    const auto k = xml.substr(at, end - at).find(key);
    if (k == std::string_view::npos) return std::nullopt;
    const auto v = at + k + key.size();
    return std::string(xml.substr(v, xml.find('"', v) - v));
}

struct Summary {
    std::uint64_t cot_events{0};
    std::map<std::string, std::uint64_t> types;  ///< CoT event type -> count
    std::uint64_t track_uids{0};                 ///< distinct track uids with a position event
    std::uint64_t track_uids_never_confirmed{0};
    std::uint64_t tracks_deleted_on_server{0};  ///< ... that had been on the CoT picture
    std::uint64_t tracks_removed_on_cot{0};     ///< delete tasks received for track uids
    std::uint64_t lingering_deleted{0};         ///< deleted on the server, never removed on CoT
    std::uint64_t on_picture_not_on_server{0};  ///< at the end
    std::uint64_t positions_after_delete{0};    ///< a track event for a uid already deleted
    std::uint64_t alert_events{0};
    std::uint64_t alert_events_linked{0};
    std::uint64_t links_to_missing_tracks{0};
    std::uint64_t links_to_track_0{0};
    std::uint64_t emergencies_without_emergency_element{0};
    std::uint64_t open_alerts_at_end{0};
    std::uint64_t open_alerts_stale_at_end{0};
    std::uint64_t open_alerts_missing_on_cot{0};
    std::uint64_t server_alerts{0};  ///< distinct alert ids on ZeroMQ
    std::uint64_t server_alerts_with_track_0{0};

    [[nodiscard]] nlohmann::json json() const {
        return {{"cot_events", cot_events},
                {"types", types},
                {"track_uids", track_uids},
                {"track_uids_never_confirmed", track_uids_never_confirmed},
                {"tracks_deleted_on_server", tracks_deleted_on_server},
                {"tracks_removed_on_cot", tracks_removed_on_cot},
                {"lingering_deleted", lingering_deleted},
                {"on_picture_not_on_server", on_picture_not_on_server},
                {"positions_after_delete", positions_after_delete},
                {"alert_events", alert_events},
                {"alert_events_linked", alert_events_linked},
                {"links_to_missing_tracks", links_to_missing_tracks},
                {"links_to_track_0", links_to_track_0},
                {"emergencies_without_emergency_element", emergencies_without_emergency_element},
                {"server_alerts", server_alerts},
                {"server_alerts_with_track_0", server_alerts_with_track_0},
                {"open_alerts_at_end", open_alerts_at_end},
                {"open_alerts_stale_at_end", open_alerts_stale_at_end},
                {"open_alerts_missing_on_cot", open_alerts_missing_on_cot}};
    }
};

class Audit {
public:
    /// One CoT event as received.
    void on_cot(std::string_view xml) {
        ++s_.cot_events;
        const std::string uid = attribute(xml, "event", "uid").value_or("");
        const std::string type = attribute(xml, "event", "type").value_or("");
        ++s_.types[type];
        if (auto t = attribute(xml, "event", "time"))
            if (auto ts = parse_iso8601(*t); ts && *ts > latest_) latest_ = *ts;
        if (type == "t-x-d-d") {
            const std::string target = attribute(xml, "link", "uid").value_or("");
            if (is_track(target)) {
                if (on_picture_.erase(target) > 0) ++s_.tracks_removed_on_cot;
                removed_.insert(target);
            } else {
                alerts_on_cot_.erase(target);
            }
            return;
        }
        if (type.rfind("a-", 0) == 0 && is_track(uid)) {
            if (!sent_.count(uid)) ++s_.track_uids;
            sent_.insert(uid);
            if (removed_.count(uid)) ++s_.positions_after_delete;
            on_picture_.insert(uid);
            return;
        }
        if (uid.rfind("picket-alert-", 0) != 0) return;
        if (type == "b-a-o-can") {
            alerts_on_cot_.erase(uid);
            return;
        }
        ++s_.alert_events;
        if (type == "b-a-g" && xml.find("<emergency ") == std::string_view::npos)
            ++s_.emergencies_without_emergency_element;
        if (auto stale = attribute(xml, "event", "stale")) alerts_on_cot_[uid] = *stale;
        if (auto link = attribute(xml, "link", "uid")) {
            ++s_.alert_events_linked;
            if (*link == "picket-track-0") ++s_.links_to_track_0;
            if (!on_picture_.count(*link)) ++s_.links_to_missing_tracks;
        }
    }

    /// One message from the server's PUB socket.
    void on_server(std::string_view topic, const nlohmann::json& j) {
        if (topic == "track") {
            const auto& p = j["properties"];
            const std::string uid =
                "picket-track-" + std::to_string(p["track_id"].get<std::uint64_t>());
            const std::string status = p["status"].get<std::string>();
            server_live_.insert(uid);
            if (status == "confirmed" || status == "coasting") confirmed_.insert(uid);
        } else if (topic == "track.deleted") {
            const std::string uid =
                "picket-track-" + std::to_string(j["track_id"].get<std::uint64_t>());
            server_live_.erase(uid);
            server_deleted_.insert(uid);
        } else if (topic == "alert") {
            const auto& p = j["properties"];
            const std::uint64_t id = p["alert_id"].get<std::uint64_t>();
            server_alerts_[id] = p["state"].get<std::string>();
            if (p["track_id"].get<std::uint64_t>() == 0) track0_alerts_.insert(id);
        }
    }

    /// The figures. The end of the run, for staleness, is the server's clock as the last CoT
    /// event stamped it (the server's clock may run faster than the wall's).
    [[nodiscard]] Summary finish() const {
        const Timestamp now = latest_;
        Summary s = s_;
        for (const auto& uid : sent_)
            if (!confirmed_.count(uid)) ++s.track_uids_never_confirmed;
        for (const auto& uid : server_deleted_) {
            if (!sent_.count(uid)) continue;
            ++s.tracks_deleted_on_server;
            if (!removed_.count(uid)) ++s.lingering_deleted;
        }
        for (const auto& uid : on_picture_)
            if (!server_live_.count(uid)) ++s.on_picture_not_on_server;
        s.server_alerts = server_alerts_.size();
        s.server_alerts_with_track_0 = track0_alerts_.size();
        for (const auto& [id, state] : server_alerts_) {
            if (state == "closed") continue;
            ++s.open_alerts_at_end;
            auto it = alerts_on_cot_.find("picket-alert-" + std::to_string(id));
            if (it == alerts_on_cot_.end()) {
                ++s.open_alerts_missing_on_cot;
                continue;
            }
            const auto stale = parse_iso8601(it->second);
            if (!stale || *stale <= now) ++s.open_alerts_stale_at_end;
        }
        return s;
    }

private:
    static bool is_track(const std::string& uid) { return uid.rfind("picket-track-", 0) == 0; }

    Summary s_;
    Timestamp latest_{};
    std::set<std::string> sent_;                        ///< track uids with a position event on CoT
    std::set<std::string> on_picture_;                  ///< ... not removed since
    std::set<std::string> removed_;                     ///< track uids with a delete task
    std::map<std::string, std::string> alerts_on_cot_;  ///< alert uid -> last stale time
    std::set<std::string> server_live_, confirmed_, server_deleted_;
    std::map<std::uint64_t, std::string> server_alerts_;  ///< id -> last state
    std::set<std::uint64_t> track0_alerts_;
};

}  // namespace picket::cot_audit
