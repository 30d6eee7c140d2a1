#pragma once
/// The one interface between a feed's bytes and the fusion: the server owns one FeedDecoder per
/// feed, hands it every ZeroMQ message with the time it was received, and the decoder reports
/// what it found to a DecodeSink. Decoders are pure (no I/O, no clock): all time comes in as
/// arguments, so a recording replays identically. They never throw on bad input: they report
/// `rejected` with a stable reason code and carry on. They report each record's own time as the
/// sensor stamped it; the server judges it against its clock (src/engine/feed_clock.hpp).
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/geodetic.hpp"
#include "core/ids.hpp"
#include "core/measurement.hpp"
#include "core/source_track.hpp"
#include "core/time.hpp"
#include "core/track.hpp"

namespace picket::sensors {

/// Receives what a decoder found in one message. One message may yield many calls.
class DecodeSink {
public:
    virtual ~DecodeSink() = default;
    /// A measurement ready for the tracker (SI units, covariance, both times set).
    virtual void measurement(Measurement m) = 0;
    /// Static identity data (AIS types 5, 19, 24): merge into the identity table.
    virtual void identity(const Identity& id, Timestamp observed) = 0;
    /// A sanity check failed on otherwise well-formed data (invalid MMSI, impossible jump, clock
    /// off): not fused blindly, but surfaced (counted, and for AIS raised as an anomaly alert).
    /// `reason` is the name of an AnomalyReason (core/anomaly.hpp: to_string(reason)), the list
    /// the tracker and the rules share.
    virtual void anomaly(std::string_view reason, std::optional<Mmsi> mmsi, LatLon where,
                         Timestamp observed) = 0;
    /// Radar scan information (ASTERIX CAT034 north marker): scan period in seconds.
    virtual void scan(double period_s, Timestamp observed) {
        (void)period_s;
        (void)observed;
    }
    /// The sensor ended one of its own tracks (ASTERIX I048/170 TRE: the radar's last report of
    /// track `source_object_id`). The object it followed is gone: the tracker ends the track that
    /// this sensor alone kept alive. Not a reject, whether or not the record has a position.
    virtual void source_track_ended(std::uint64_t source_object_id, Timestamp observed) {
        (void)source_object_id;
        (void)observed;
    }
    /// Another system's track (a `tracks` feed: a sector picket's track stream, ASTERIX CAT062),
    /// for the track-to-track fusion. Ended by source_track_ended with its `id`.
    virtual void source_track(SourceTrack t) { (void)t; }
    /// The source's whole picture (a snapshot after joining, a gap or its restart): `live` lists
    /// every track it holds now, in any order; its other tracks are gone.
    virtual void source_picture(std::span<const std::uint64_t> live, Timestamp observed) {
        (void)live;
        (void)observed;
    }
    /// The source restarted (a new instance id in its track stream): its track ids mean nothing
    /// any more and it will reuse them. Its old tracks are gone; the targets are not.
    virtual void source_restarted(Timestamp observed) { (void)observed; }
    /// The message, or one record/sentence in it, was rejected. `reason` is a static code.
    virtual void rejected(const DecodeError& error) = 0;
    /// A sentence or record was decoded despite a vendor quirk: a deviation from its standard
    /// that real sources send and the reference decoders accept (e.g. an AIS tag block whose
    /// checksum is the literal "*00"). Not a reject. `kind` is a static code, counted per feed.
    virtual void quirk(std::string_view kind) { (void)kind; }
};

/// Everything a decoder needs to know about its feed, from the server config.
struct FeedParams {
    FeedIndex index{0};
    std::string id;  ///< feed id from the config, e.g. "radar-dili"
    SensorKind kind{SensorKind::ais};
    /// A `tracks` feed: another tracking system's tracks (SourceTrack), not a sensor's data;
    /// `kind` is then unused.
    bool tracks{false};
    std::string format;  ///< wire format: see make_feed_decoder
    SensorSite site;     ///< sensor position (radar, camera, ugs; AIS receiver)
    // Noise figures (1 sigma). Zero means "use the format's / message's own figure".
    double sigma_range_m{0};
    double sigma_bearing_deg{0};
    double sigma_position_m{0};
    double sigma_velocity_mps{0};
    /// How far the sensor detects a target (a camera's detection range from its datasheet, `site.
    /// range_m`); 0: not stated. A bearing-only frame is then of a target within it (Tracker::
    /// in_feed_range).
    double range_m{0};
    /// Tests and benchmarks: decode with the plain reference parser alone, never a fast path
    /// (`format: picket` track streams: sensors/tracks/fast_track_message.hpp). Not a config key.
    bool reference_decoder{false};
};

class FeedDecoder {
public:
    virtual ~FeedDecoder() = default;
    /// Decodes one ZeroMQ message (one or more sentences / records / JSON lines).
    virtual void decode(std::string_view message, Timestamp received, DecodeSink& sink) = 0;
};

/// Wire formats, by config name:
///   "nmea-ais"     NMEA 0183 AIVDM/AIVDO sentences, one per line (sensors/ais)
///   "asterix"      EUROCONTROL ASTERIX CAT048 + CAT034 data blocks (sensors/asterix)
///   "nmea-arpa"    NMEA 0183 TTM / TLL ARPA targets (sensors/nmea)
///   "json-plot"    picket's JSON radar plot lines (sensors/json)
///   "camera-json"  picket's JSON camera detections (sensors/json)
///   "ugs-json"     picket's JSON ground-sensor events (sensors/json)
/// and for `kind: tracks` feeds (sensors/tracks, make_tracks_feed_decoder):
///   "picket"       another picket's track stream (docs/protocol.md), snapshot included
///   "asterix"      ASTERIX CAT062 system tracks
/// Returns nullptr for an unknown format (the config loader reports it).
/// A `tracks` feed's formats, by config name: see make_tracks_feed_decoder.
std::unique_ptr<FeedDecoder> make_feed_decoder(const FeedParams& params);

/// The format names make_feed_decoder accepts, for config validation and --help.
std::vector<std::string_view> feed_formats();

}  // namespace picket::sensors
