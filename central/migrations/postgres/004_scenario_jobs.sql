-- Engineers' scenario jobs, shared by every central instance on this database. `seq` orders them by submission
-- (eviction keeps the newest finished ones). The instance that took a job (`owner_id`) runs it and refreshes
-- `heartbeat_ms`; readers take a queued or running job with an old heartbeat as abandoned. The results are one
-- JSON document per job, kept as UTF-8 bytes rather than jsonb: jsonb would reorder object keys (the lots of a
-- run's series, and so the report's order) and parse megabytes that are only ever read back whole. TOAST keeps
-- it out of the row, so status and list queries never read it.
CREATE TABLE scenario_jobs (
  seq BIGSERIAL PRIMARY KEY,
  job_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  runs_json TEXT NOT NULL,
  completed_runs INTEGER NOT NULL DEFAULT 0,
  owner_id TEXT NOT NULL,
  submitted_ms BIGINT NOT NULL,
  heartbeat_ms BIGINT NOT NULL,
  finished_ms BIGINT,
  error TEXT,
  results_json BYTEA
);
CREATE INDEX scenario_jobs_status ON scenario_jobs (status, seq);
