#include "sensors/tracks/track_stream_decoder.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <vector>

namespace picket::sensors {
namespace {

constexpr double kDefaultSigmaVelocityMps = 2.0;

bool is_topic_frame(std::string_view m) {
    // The PUB socket's first frame: "track", "track.deleted", "alert", "feed", "rules.shares".
    return !m.empty() && m.size() <= 32 && m.front() != '{' && m.front() != ' ' &&
           m.front() != '\n';
}

}  // namespace

TrackStreamDecoder::TrackStreamDecoder(const FeedParams& params)
    : fast_(!params.reference_decoder) {
    defaults_.sigma_velocity_mps =
        params.sigma_velocity_mps > 0 ? params.sigma_velocity_mps : kDefaultSigmaVelocityMps;
    defaults_.feed_id = params.id;
}

void TrackStreamDecoder::restart(Timestamp received, DecodeSink& sink) {
    sink.anomaly("source_restart", std::nullopt, {}, received);
    // A restarted picket holds none of its old tracks and will reuse their ids; the fuser
    // re-binds what it sends next to the regional tracks by state.
    sink.source_restarted(received);
    seen_.clear();
    ended_.clear();
    stale_since_snapshot_ = 0;
    applied_ = 0;
}

bool TrackStreamDecoder::accept_instance(const nlohmann::json& j, Timestamp received,
                                         DecodeSink& sink) {
    const auto it = j.find("instance");
    if (it == j.end()) return true;  // a picket from before instance ids: seq tells restarts
    if (!it->is_string() || it->get_ref<const std::string&>().empty() ||
        it->get_ref<const std::string&>().size() > 64) {
        sink.rejected(DecodeError{"bad_value", "instance"});
        return false;
    }
    return accept_instance_id(it->get_ref<const std::string&>(), received, sink);
}

bool TrackStreamDecoder::accept_instance_id(std::string_view id, Timestamp received,
                                            DecodeSink& sink) {
    if (id == instance_) return true;
    if (std::find(retired_.begin(), retired_.end(), id) != retired_.end()) {
        // A snapshot reply of the instance before, overtaken by the new one's stream.
        sink.quirk("old_instance");
        return false;
    }
    if (!instance_.empty() || applied_ != 0) {
        if (!instance_.empty()) retired_.push_back(instance_);
        if (retired_.size() > 8) retired_.pop_front();
        restart(received, sink);
    }
    instance_ = std::string(id);
    return true;
}

bool TrackStreamDecoder::accept_seq(std::uint64_t seq, Timestamp received, DecodeSink& sink) {
    if (instance_.empty() && applied_ != 0 && seq == 1) {
        // No instance id (an older picket): seq starting again at 1 is the restart we can see.
        restart(received, sink);
        applied_ = seq;
        return true;
    }
    if (applied_ != 0 && seq <= applied_) {
        // Queued before the snapshot that already holds it, or (without instance ids) a
        // restarted source: either way the snapshot the I/O thread asks for brings it in.
        sink.quirk("stale_seq");
        ++stale_since_snapshot_;
        return false;
    }
    if (applied_ != 0 && seq > applied_ + 1) sink.anomaly("seq_gap", std::nullopt, {}, received);
    applied_ = seq;
    return true;
}

void TrackStreamDecoder::deliver_track(SourceTrack t, std::uint64_t seq, DecodeSink& sink) {
    seen_[t.id] = seq;
    sink.source_track(std::move(t));
}

void TrackStreamDecoder::deliver_ended(std::uint64_t id, std::uint64_t seq, Timestamp received,
                                       DecodeSink& sink) {
    seen_.erase(id);
    ended_.emplace_back(id, seq);
    // Enough for the messages a snapshot reply can race; not a history.
    if (ended_.size() > 4096) ended_.pop_front();
    sink.source_track_ended(id, received);
}

void TrackStreamDecoder::decode(std::string_view message, Timestamp received, DecodeSink& sink) {
    if (is_topic_frame(message)) return;
    if (fast_) {
        if (auto m = fast_decode_track_message(message, defaults_)) {
            // What the reference does with the same message, in the same order.
            ++fast_decoded_;
            if (m->instance && !accept_instance_id(*m->instance, received, sink)) return;
            if (!accept_seq(m->seq, received, sink)) return;
            if (m->kind == FastTrackMessage::Kind::track)
                deliver_track(std::move(m->track), m->seq, sink);
            else
                deliver_ended(m->ended_id, m->seq, received, sink);
            return;
        }
    }
    decode_reference(message, received, sink);
}

void TrackStreamDecoder::decode_reference(std::string_view message, Timestamp received,
                                          DecodeSink& sink) {
    ++reference_decoded_;
    const auto j = nlohmann::json::parse(message, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        sink.rejected(DecodeError{"bad_json", {}});
        return;
    }
    const auto seq_it = j.find("seq");
    if (seq_it == j.end() || !seq_it->is_number_unsigned()) {
        sink.rejected(DecodeError{"missing_field", "seq"});
        return;
    }
    const std::uint64_t seq = seq_it->get<std::uint64_t>();
    if (!accept_instance(j, received, sink)) return;

    if (const auto tracks = j.find("tracks"); tracks != j.end()) {
        // A snapshot: the whole picture after message `seq`, applied whatever came before.
        if (!tracks->is_array()) {
            sink.rejected(DecodeError{"missing_field", "tracks"});
            return;
        }
        // Behind the stream: either it raced the stream's newer messages (keep what they said)
        // or, for a source without instance ids, it restarted and its stream was dropped as
        // stale meanwhile (start over).
        const bool restarted = instance_.empty() && seq < applied_ && stale_since_snapshot_ > 0;
        if (restarted) restart(received, sink);
        stale_since_snapshot_ = 0;
        std::vector<std::uint64_t> live;
        live.reserve(tracks->size());
        const auto ended_after = [&](std::uint64_t id) {
            for (const auto& [e, at] : ended_)
                if (e == id && at > seq) return true;
            return false;
        };
        for (const auto& [id, at] : seen_)
            if (at > seq) live.push_back(id);  // started or updated by the stream since
        for (const auto& f : *tracks) {
            if (f.is_object() && f.contains("id") && f["id"].is_number_unsigned() &&
                (ended_after(f["id"].get<std::uint64_t>()) ||
                 (seen_.count(f["id"].get<std::uint64_t>()) &&
                  seen_.at(f["id"].get<std::uint64_t>()) > seq)))
                continue;  // the stream already said something newer about it
            auto t = source_track_from_feature(f, defaults_);
            if (!t) {
                sink.rejected(t.error());
                // Still live at the source: not ended because one record was bad.
                if (const auto* p = f.is_object() ? &f : nullptr;
                    p && p->contains("id") && (*p)["id"].is_number_unsigned())
                    live.push_back((*p)["id"].get<std::uint64_t>());
                continue;
            }
            live.push_back(t->id);
            sink.source_track(std::move(*t));
        }
        sink.source_picture(live, received);
        applied_ = restarted ? seq : std::max(applied_, seq);
        return;
    }
    if (!accept_seq(seq, received, sink)) return;
    if (j.contains("type")) {
        if (j["type"] != "Feature") return;
        const auto props = j.find("properties");
        if (props == j.end() || !props->is_object() || !props->contains("track_id"))
            return;  // an incident (`alert`): the regional server runs its own rules
        auto t = source_track_from_feature(j, defaults_);
        if (!t) {
            sink.rejected(t.error());
            return;
        }
        deliver_track(std::move(*t), seq, sink);
        return;
    }
    if (const auto id = j.find("track_id"); id != j.end() && !j.contains("properties")) {
        if (!id->is_number_unsigned()) {
            sink.rejected(DecodeError{"missing_field", "track_id"});
            return;
        }
        deliver_ended(id->get<std::uint64_t>(), seq, received, sink);
    }
    // `feed`, `rules.shares`: the source's own business.
}

}  // namespace picket::sensors
