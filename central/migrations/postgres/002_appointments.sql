-- Hospital appointments and their current assignments, one document per site and day, versioned so
-- concurrent writers (several central instances) never overwrite each other.
CREATE TABLE appointment_days (
  site_id TEXT NOT NULL,
  day_start_ms BIGINT NOT NULL,
  version BIGINT NOT NULL,
  appointments_json TEXT NOT NULL,
  assignments_json TEXT NOT NULL,
  updated_ms BIGINT NOT NULL,
  PRIMARY KEY (site_id, day_start_ms)
);
