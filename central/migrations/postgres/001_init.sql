-- citybay central schema v1 (PostgreSQL). Times are ms since the epoch.
CREATE TABLE sites (
  site_id TEXT PRIMARY KEY,
  definition_json TEXT NOT NULL,
  updated_ms BIGINT NOT NULL
);

CREATE TABLE edges (
  edge_id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites (site_id),
  created_ms BIGINT NOT NULL,
  acked_seq BIGINT NOT NULL DEFAULT 0,
  gaps_json TEXT NOT NULL DEFAULT '[]',
  bay_states BYTEA,
  bays_seq BIGINT NOT NULL DEFAULT 0,
  zones_json TEXT,
  zones_seq BIGINT NOT NULL DEFAULT 0,
  last_seen_ms BIGINT NOT NULL DEFAULT 0,
  software_version TEXT NOT NULL DEFAULT '',
  config_version TEXT NOT NULL DEFAULT '',
  directives_applied BIGINT NOT NULL DEFAULT 0,
  directives_sent BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX edges_site ON edges (site_id);

CREATE TABLE edge_secrets (
  edge_id TEXT NOT NULL REFERENCES edges (edge_id),
  secret_hash TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  PRIMARY KEY (edge_id, secret_hash)
);

CREATE TABLE zone_state (
  site_id TEXT NOT NULL,
  lot_id TEXT NOT NULL,
  zone_id TEXT NOT NULL,
  kinds_json TEXT NOT NULL,
  free BIGINT NOT NULL,
  occupied BIGINT NOT NULL,
  unknown BIGINT NOT NULL,
  window_end_ms BIGINT NOT NULL,
  edge_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  PRIMARY KEY (site_id, lot_id, zone_id)
);

-- One row per site, minute and edge: every zone's counts that minute (last value, free min/max, samples),
-- so a batch writes one row instead of one per zone.
CREATE TABLE zone_history (
  site_id TEXT NOT NULL,
  bucket_ms BIGINT NOT NULL,
  edge_id TEXT NOT NULL,
  zones_json TEXT NOT NULL,
  PRIMARY KEY (site_id, bucket_ms, edge_id)
);
CREATE INDEX zone_history_bucket ON zone_history (bucket_ms);

CREATE TABLE device_health (
  site_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  edge_id TEXT NOT NULL,
  status TEXT NOT NULL,
  ok_count BIGINT NOT NULL,
  timeout_count BIGINT NOT NULL,
  crc_error_count BIGINT NOT NULL,
  exception_count BIGINT NOT NULL,
  last_good_ms BIGINT NOT NULL,
  reported_ms BIGINT NOT NULL,
  PRIMARY KEY (site_id, device_id)
);

CREATE TABLE sign_faces (
  site_id TEXT NOT NULL,
  sign_id TEXT NOT NULL,
  edge_id TEXT NOT NULL,
  lines_json TEXT NOT NULL,
  is_fallback BIGINT NOT NULL,
  reported_ms BIGINT NOT NULL,
  PRIMARY KEY (site_id, sign_id)
);

CREATE TABLE gate_counts (
  site_id TEXT NOT NULL,
  lot_id TEXT NOT NULL,
  gate_id TEXT NOT NULL,
  entries_total BIGINT NOT NULL,
  exits_total BIGINT NOT NULL,
  reported_ms BIGINT NOT NULL,
  PRIMARY KEY (site_id, lot_id, gate_id)
);

CREATE TABLE sync_batches (
  id BIGSERIAL PRIMARY KEY,
  site_id TEXT NOT NULL,
  edge_id TEXT NOT NULL,
  first_seq BIGINT NOT NULL,
  last_seq BIGINT NOT NULL,
  received_ms BIGINT NOT NULL,
  body BYTEA NOT NULL
);
CREATE INDEX sync_batches_received ON sync_batches (received_ms);

CREATE TABLE site_directives (
  site_id TEXT PRIMARY KEY,
  version BIGINT NOT NULL,
  doc_json TEXT NOT NULL
);

CREATE TABLE directives_log (
  id BIGSERIAL PRIMARY KEY,
  site_id TEXT NOT NULL,
  edge_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  sent_ms BIGINT NOT NULL
);
CREATE INDEX directives_log_site ON directives_log (site_id, id);
