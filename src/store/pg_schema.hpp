#pragma once
/// The PostgreSQL store's tables (docs/deployment.md "Shared store"). Every table with a place
/// has a PostGIS `geom geometry(Point,4326)` column kept by the database from lat/lon
/// (generated), a GiST index on it and a `time timestamptz` column, so QGIS opens the tables
/// directly (Layer > Add PostGIS layers) and its temporal controller can play them.
///
/// Several servers share one database: alert ids carry the server's `site` in their top bits
/// (pg_store.hpp), track history and actions carry it in a column.
#include <cstdint>

namespace picket::store {

/// Bumped when the schema changes incompatibly; checked on open (table picket_schema).
constexpr int kPgSchemaVersion = 1;

/// One UTC day in ns: track history's partitions hold [day, day + 1).
constexpr std::int64_t kNsPerDay = 86'400'000'000'000;

constexpr const char* kPgSchema = R"sql(
CREATE TABLE IF NOT EXISTS picket_schema(version integer NOT NULL);
CREATE TABLE IF NOT EXISTS alerts(
  id bigint PRIMARY KEY,
  kind text NOT NULL, severity text NOT NULL, rule text NOT NULL, zone text NOT NULL,
  track_id bigint NOT NULL, other_track_id bigint,
  lat double precision NOT NULL, lon double precision NOT NULL, time_ns bigint NOT NULL,
  message text NOT NULL, state text NOT NULL, escalated boolean NOT NULL,
  acknowledged_by text NOT NULL, acknowledged_at_ns bigint, closed_at_ns bigint,
  evidence_json text NOT NULL,
  time timestamptz GENERATED ALWAYS AS (to_timestamp(time_ns::float8 / 1e9::float8)) STORED,
  geom geometry(Point, 4326)
    GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED);
CREATE INDEX IF NOT EXISTS alerts_time ON alerts(time_ns);
CREATE INDEX IF NOT EXISTS alerts_state ON alerts(state);
CREATE INDEX IF NOT EXISTS alerts_geom ON alerts USING gist(geom);
CREATE TABLE IF NOT EXISTS actions(
  seq bigserial PRIMARY KEY, site integer NOT NULL,
  time_ns bigint NOT NULL, "user" text NOT NULL, command_json text NOT NULL, result text NOT NULL);
CREATE INDEX IF NOT EXISTS actions_time ON actions(time_ns);
CREATE TABLE IF NOT EXISTS incident_state(
  incident_id bigint PRIMARY KEY, revision bigint NOT NULL, updated_ns bigint NOT NULL,
  active boolean NOT NULL, reopened bigint NOT NULL, disposition text NOT NULL,
  assigned_to text NOT NULL, closed_by text NOT NULL, tracks_json text NOT NULL);
CREATE TABLE IF NOT EXISTS incident_evidence(
  incident_id bigint NOT NULL, seq bigint NOT NULL, kind text NOT NULL, severity text NOT NULL,
  rule text NOT NULL, zone text NOT NULL, track_id bigint NOT NULL, other_track_id bigint,
  mmsi bigint, lat double precision NOT NULL, lon double precision NOT NULL,
  first_ns bigint NOT NULL, last_ns bigint NOT NULL, count bigint NOT NULL, message text NOT NULL,
  geom geometry(Point, 4326)
    GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
  PRIMARY KEY(incident_id, seq));
ALTER TABLE incident_evidence ADD COLUMN IF NOT EXISTS targets_json text NOT NULL DEFAULT '[]';
CREATE INDEX IF NOT EXISTS incident_evidence_rule ON incident_evidence(rule);
CREATE INDEX IF NOT EXISTS incident_evidence_geom ON incident_evidence USING gist(geom);
CREATE TABLE IF NOT EXISTS incident_notes(
  seq bigserial PRIMARY KEY, incident_id bigint NOT NULL, time_ns bigint NOT NULL,
  "user" text NOT NULL, text text NOT NULL);
CREATE INDEX IF NOT EXISTS incident_notes_id ON incident_notes(incident_id);
CREATE TABLE IF NOT EXISTS incident_audit(
  seq bigserial PRIMARY KEY, incident_id bigint NOT NULL, time_ns bigint NOT NULL,
  change text NOT NULL, "user" text NOT NULL, state text NOT NULL, detail text NOT NULL);
CREATE INDEX IF NOT EXISTS incident_audit_id ON incident_audit(incident_id);
CREATE TABLE IF NOT EXISTS track_points(
  site integer NOT NULL, track_id bigint NOT NULL, time_ns bigint NOT NULL,
  lat double precision NOT NULL, lon double precision NOT NULL,
  east_mps double precision NOT NULL, north_mps double precision NOT NULL,
  sigma_m double precision NOT NULL, status text NOT NULL, class text NOT NULL,
  standing text NOT NULL, mmsi bigint, name text NOT NULL, label text NOT NULL,
  time timestamptz GENERATED ALWAYS AS (to_timestamp(time_ns::float8 / 1e9::float8)) STORED,
  geom geometry(Point, 4326)
    GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED)
  PARTITION BY RANGE (time_ns);
CREATE INDEX IF NOT EXISTS track_points_track ON track_points(site, track_id, time_ns);
CREATE INDEX IF NOT EXISTS track_points_geom ON track_points USING gist(geom);
)sql";

}  // namespace picket::store
