-- The what-if page's scenario catalogue (`PUT /v1/dashboard/scenarios/:id`), shared by every central instance on
-- this database and kept across restarts. `seq` orders it by offering: a scenario offered again under the same id
-- takes a new `seq` (the newest), and the catalogue keeps only the newest few. The bundle (scenario file and the
-- files it names, up to megabytes) is the JSON text as offered, as text rather than jsonb: jsonb would reorder
-- the keys (the files) and parse what is only ever read back whole. TOAST keeps it out of the row, so listing the
-- catalogue never reads it.
CREATE TABLE whatif_scenarios (
  seq BIGSERIAL PRIMARY KEY,
  scenario_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  description TEXT,
  policies_json TEXT NOT NULL,
  bundle_json TEXT NOT NULL
);
