-- Drivers' links (`/d/<token>`): one unguessable token per appointment of a site-day, made the first time the
-- appointment is planned and kept as long as the day, so the link a patient was sent keeps showing the plan as
-- it changes. The token is the only key a driver's page is opened by.
CREATE TABLE driver_links (
  token TEXT PRIMARY KEY,
  site_id TEXT NOT NULL,
  day_start_ms INTEGER NOT NULL,
  appointment_id TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  UNIQUE (site_id, day_start_ms, appointment_id)
);
