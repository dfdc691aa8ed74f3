-- Which stored day holds each appointment of a site, kept with the day documents (same transaction): a submission
-- that moves an appointment to another day takes it out of the day it was in, and a driver's link follows it.
CREATE TABLE appointment_index (
  site_id TEXT NOT NULL,
  appointment_id TEXT NOT NULL,
  day_start_ms BIGINT NOT NULL,
  PRIMARY KEY (site_id, appointment_id)
);
-- Days saved before: an appointment that a move left in two documents is indexed under the one saved last.
INSERT INTO appointment_index (site_id, appointment_id, day_start_ms)
  SELECT DISTINCT ON (d.site_id, a.value ->> 'id') d.site_id, a.value ->> 'id', d.day_start_ms
  FROM appointment_days d, jsonb_array_elements(d.appointments_json::jsonb) a
  ORDER BY d.site_id, a.value ->> 'id', d.updated_ms DESC, d.day_start_ms DESC;
