-- Engineers' scenario jobs, shared by every central instance on this database. `seq` orders them by submission
-- (eviction keeps the newest finished ones). The instance that took a job (`owner_id`) runs it and refreshes
-- `heartbeat_ms`; readers take a queued or running job with an old heartbeat as abandoned. The results are one
-- JSON document per job, in the last column so that status and list queries never read its overflow pages.
CREATE TABLE scenario_jobs (
  seq INTEGER PRIMARY KEY,
  job_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  runs_json TEXT NOT NULL,
  completed_runs INTEGER NOT NULL DEFAULT 0,
  owner_id TEXT NOT NULL,
  submitted_ms INTEGER NOT NULL,
  heartbeat_ms INTEGER NOT NULL,
  finished_ms INTEGER,
  error TEXT,
  results_json TEXT
);
CREATE INDEX scenario_jobs_status ON scenario_jobs (status, seq);
