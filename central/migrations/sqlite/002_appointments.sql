-- Hospital appointments and their current assignments, one document per site and day, versioned so
-- concurrent writers (several central instances) never overwrite each other.
CREATE TABLE appointment_days (
  site_id TEXT NOT NULL,
  day_start_ms INTEGER NOT NULL,
  version INTEGER NOT NULL,
  appointments_json TEXT NOT NULL,
  assignments_json TEXT NOT NULL,
  updated_ms INTEGER NOT NULL,
  PRIMARY KEY (site_id, day_start_ms)
);
