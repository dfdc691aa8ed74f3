import { errors } from '../errors.js';
import { KPI_COLUMNS } from './result-codec.js';

/** pg-boss queue of sweep runs: one job per run. */
export const RUN_QUEUE = 'citybay-sim-run';
/** Runs whose retries ran out land here (pg-boss's dead letter), so that their sweep is failed. */
export const DEAD_RUN_QUEUE = 'citybay-sim-run-dead';
/** Default PostgreSQL schema of the queue: pg-boss's tables and the sweep tables beside them. */
export const DEFAULT_QUEUE_SCHEMA = 'citybay_sim_queue';
/** Version of the sweep tables below; bumped with a migration step when they change. */
export const SWEEP_TABLES_VERSION = 2;

/** Checks a schema name before it is spliced into SQL (identifiers cannot be bound parameters). */
export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw errors.CB_QUEUE_CONFIG_INVALID(
      `queue schema "${schema}": expected lower-case letters, digits and _ (at most 63, not starting with a digit)`,
      { path: 'schema' },
    );
  }
  return schema;
}

/**
 * The sweep tables, created once by whichever process opens the queue first (`SimQueue.open` holds an advisory lock
 * around it; the statements run as one transaction). `sweep` holds the scenario (gzipped JSON) once for all its
 * runs, and when a worker took its first run (`started_at`: a running sweep without it is still queued);
 * `sweep_run` one row per run with its KPIs in columns, its summary (the result without series and cars; `json`,
 * not `jsonb`, so that its keys keep their order) and its full result gzipped.
 */
export function sweepTablesSql(schema: string): string {
  const kpiColumns = Object.values(KPI_COLUMNS)
    .map((column) => `  ${column} double precision,`)
    .join('\n');
  return `
CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE TABLE IF NOT EXISTS ${schema}.sweep_version (version integer NOT NULL);
INSERT INTO ${schema}.sweep_version (version)
  SELECT ${SWEEP_TABLES_VERSION} WHERE NOT EXISTS (SELECT 1 FROM ${schema}.sweep_version);
CREATE TABLE IF NOT EXISTS ${schema}.sweep (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  state text NOT NULL CHECK (state IN ('running', 'done', 'failed', 'cancelled')),
  run_count integer NOT NULL,
  done_count integer NOT NULL DEFAULT 0,
  scenario bytea NOT NULL,
  run_options jsonb NOT NULL,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX IF NOT EXISTS sweep_created_at ON ${schema}.sweep (created_at);
CREATE TABLE IF NOT EXISTS ${schema}.sweep_run (
  sweep_id uuid NOT NULL REFERENCES ${schema}.sweep (id) ON DELETE CASCADE,
  run_index integer NOT NULL,
  policy text NOT NULL,
  seed double precision NOT NULL,
  job_id uuid NOT NULL,
  state text NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0,
  worker text,
  started_at timestamptz,
  finished_at timestamptz,
${kpiColumns}
  summary json,
  result bytea,
  result_json_length integer,
  PRIMARY KEY (sweep_id, run_index)
);
-- Version 2: when a worker took the sweep's first run (before it, the sweep is still queued).
ALTER TABLE ${schema}.sweep ADD COLUMN IF NOT EXISTS started_at timestamptz;
UPDATE ${schema}.sweep s SET started_at = (SELECT min(r.started_at) FROM ${schema}.sweep_run r WHERE r.sweep_id = s.id)
  WHERE s.started_at IS NULL AND (SELECT version FROM ${schema}.sweep_version) < 2;
UPDATE ${schema}.sweep_version SET version = ${SWEEP_TABLES_VERSION} WHERE version < ${SWEEP_TABLES_VERSION};`;
}

/**
 * An index on pg-boss's jobs in the order its fetch takes them (priority, then age). pg-boss's own (job_i5) is by
 * start time, so each fetch read and sorted every waiting job of the queue: a 10,000-run sweep's first fetches took
 * ~10 ms each, its whole run of fetches quadratic in its runs. Created on the partitioned table, so PostgreSQL adds it
 * to each queue's partition.
 */
export function fetchOrderIndexSql(schema: string): string {
  return `CREATE INDEX IF NOT EXISTS citybay_job_fetch_order ON ${schema}.job (name, priority DESC, created_on, id)
    INCLUDE (start_after) WHERE state < 'active'`;
}
