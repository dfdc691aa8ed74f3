import { randomUUID } from 'node:crypto';
import { errors } from '../errors.js';
import type { ResolvedScenario, ScenarioResult } from '../scenario/run-scenario.js';
import {
  decodeDocument,
  type EncodedRunResult,
  encodeDocument,
  KPI_COLUMNS,
  KPI_FIELDS,
  kpisFromRow,
  type RunSummary,
} from './result-codec.js';
import type { SimQueue, Sql } from './sim-queue.js';
import { RUN_QUEUE } from './sweep-tables.js';
import type {
  RunJobData,
  RunKpis,
  SweepRun,
  SweepRunOptions,
  SweepState,
  SweepStatus,
  SweepSubmission,
} from './sweep-types.js';

/** Default of {@link SweepSubmission.runTimeoutS}. */
export const DEFAULT_RUN_TIMEOUT_S = 300;
// Results are read this many runs at a time, so a 10,000-run sweep never sits in one query's reply.
const RESULT_PAGE = 200;
/** A sweep of this many runs or more refreshes the job table's statistics once submitted. */
const ANALYZE_AFTER_RUNS = 500;

function checkSubmission(submission: SweepSubmission): number {
  const timeoutS = submission.runTimeoutS ?? DEFAULT_RUN_TIMEOUT_S;
  // pg-boss refuses expirations of 24 h or more.
  if (!Number.isInteger(timeoutS) || timeoutS < 1 || timeoutS >= 24 * 3600) {
    throw errors.CB_QUEUE_CONFIG_INVALID(`runTimeoutS: expected whole seconds from 1 to 86399, got ${timeoutS}`, {
      path: 'runTimeoutS',
    });
  }
  if (submission.runs.length === 0) {
    throw errors.CB_QUEUE_CONFIG_INVALID('runs: a sweep needs at least one run', { path: 'runs' });
  }
  return timeoutS;
}

/**
 * Stores a sweep (its scenario once, a row per run) and queues one pg-boss job per run, in one transaction: workers
 * see all of it or none. Returns the sweep's id.
 */
export async function submitSweep(queue: SimQueue, submission: SweepSubmission): Promise<string> {
  const timeoutS = checkSubmission(submission);
  const id = randomUUID();
  const { bytes } = await encodeDocument(submission.scenario);
  const jobIds = submission.runs.map(() => randomUUID());
  await queue.transaction(async (sql, db) => {
    // The pool commits asynchronously (see SimQueue.open); a submission must be on disk before its id is returned.
    await sql('SET LOCAL synchronous_commit TO on');
    await sql(
      `INSERT INTO ${queue.schema}.sweep (id, name, state, run_count, scenario, run_options)
       VALUES ($1, $2, 'running', $3, $4, $5)`,
      [
        id,
        submission.name ?? submission.scenario.document.name,
        submission.runs.length,
        bytes,
        JSON.stringify(submission.options ?? {}),
      ],
    );
    await sql(
      `INSERT INTO ${queue.schema}.sweep_run (sweep_id, run_index, policy, seed, job_id, state)
       SELECT $1, i - 1, policy, seed, job_id, 'queued'
       FROM unnest($2::text[], $3::float8[], $4::uuid[]) WITH ORDINALITY AS r (policy, seed, job_id, i)`,
      [id, submission.runs.map((r) => r.policyName), submission.runs.map((r) => r.seed), jobIds],
    );
    await queue.boss.insert(
      submission.runs.map((_, index) => ({
        id: jobIds[index]!,
        name: RUN_QUEUE,
        data: { sweepId: id, index } satisfies RunJobData,
        // pg-boss takes higher priorities first: runs go in submission order, and a new sweep's first runs go
        // before an old sweep's last ones, so a short what-if does not wait behind a long sweep's tail.
        priority: -index,
        expireInSeconds: timeoutS,
      })),
      { db },
    );
  });
  if (submission.runs.length >= ANALYZE_AFTER_RUNS) {
    // The planner's statistics still say what autovacuum last saw (often: tables nearly empty), so pg-boss's fetch
    // would sort every waiting job instead of reading the first ones from the fetch-order index (sweep-tables.ts),
    // and storing a batch of results would scan the sweep's runs once per result (1.2 s for 50 results of a
    // 10,000-run sweep instead of 25 ms). Autovacuum catches up within a minute or so; this takes tens of ms.
    await queue.sql(`ANALYZE ${queue.schema}.job, ${queue.schema}.sweep_run`);
  }
  return id;
}

interface SweepRow {
  id: string;
  name: string;
  /** As stored: a sweep is stored `running` from its submission; `queued` is derived from `started_at`. */
  state: Exclude<SweepState, 'queued'>;
  run_count: number;
  done_count: number;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const STATUS_COLUMNS = 'id, name, state, run_count, done_count, error, created_at, started_at, finished_at';

function statusOf(row: SweepRow): SweepStatus {
  return {
    id: row.id,
    name: row.name,
    state: row.state === 'running' && row.started_at === null ? 'queued' : row.state,
    runCount: row.run_count,
    doneCount: row.done_count,
    error: row.error,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The sweep's state and progress, or `CB_SWEEP_UNKNOWN`. */
export async function getSweep(queue: SimQueue, id: string): Promise<SweepStatus> {
  const rows = UUID.test(id)
    ? await queue.sql<SweepRow>(`SELECT ${STATUS_COLUMNS} FROM ${queue.schema}.sweep WHERE id = $1`, [id])
    : [];
  if (rows[0] === undefined) throw errors.CB_SWEEP_UNKNOWN(`no sweep "${id}"`, { path: 'id' });
  return statusOf(rows[0]);
}

/** The ids of the sweeps still running (queued ones included). */
export async function runningSweepIds(queue: SimQueue): Promise<string[]> {
  const rows = await queue.sql<{ id: string }>(`SELECT id FROM ${queue.schema}.sweep WHERE state = 'running'`);
  return rows.map((row) => row.id);
}

/** Every sweep, oldest first. */
export async function listSweeps(queue: SimQueue): Promise<SweepStatus[]> {
  const rows = await queue.sql<SweepRow>(`SELECT ${STATUS_COLUMNS} FROM ${queue.schema}.sweep ORDER BY created_at, id`);
  return rows.map(statusOf);
}

/** The scenario and run settings of a sweep, as a worker needs them. */
export async function loadSweepInput(
  queue: SimQueue,
  id: string,
): Promise<{ scenario: ResolvedScenario; options: SweepRunOptions }> {
  const rows = await queue.sql<{ scenario: Buffer; run_options: SweepRunOptions }>(
    `SELECT scenario, run_options FROM ${queue.schema}.sweep WHERE id = $1`,
    [id],
  );
  if (rows[0] === undefined) throw errors.CB_SWEEP_UNKNOWN(`no sweep "${id}"`, { path: 'id' });
  return { scenario: await decodeDocument<ResolvedScenario>(rows[0].scenario), options: rows[0].run_options };
}

/** A run marked taken by a worker: its policy and seed. */
export interface TakenRun {
  policyName: string;
  seed: number;
}

/**
 * Marks runs of one sweep taken by `worker` and returns each one's policy and seed by run index; runs missing from
 * the answer are not to be run (their sweep failed, was cancelled or deleted, or the run is done): the worker drops
 * their jobs. The sweep's first runs taken also mark it started (no longer queued). Runs inside the transaction that
 * fetched their jobs (see `QueueWorker`).
 */
export async function startRuns(
  sql: Sql,
  schema: string,
  sweepId: string,
  indexes: readonly number[],
  worker: string,
): Promise<Map<number, TakenRun>> {
  const rows = await sql<{ run_index: number; policy: string; seed: number }>(
    `WITH run AS (
       UPDATE ${schema}.sweep_run r
       SET state = 'running', worker = $3, attempts = attempts + 1, started_at = now()
       FROM ${schema}.sweep s
       WHERE r.sweep_id = $1 AND r.run_index = ANY($2::int[]) AND s.id = r.sweep_id AND s.state = 'running'
         AND r.state <> 'done'
       RETURNING r.run_index, r.policy, r.seed
     ), started AS (
       UPDATE ${schema}.sweep SET started_at = now()
       WHERE id = $1 AND started_at IS NULL AND EXISTS (SELECT 1 FROM run)
     )
     SELECT run_index, policy, seed FROM run`,
    [sweepId, indexes, worker],
  );
  return new Map(rows.map((row) => [row.run_index, { policyName: row.policy, seed: row.seed }]));
}

/** A finished run of a sweep, ready to store. */
export interface FinishedRun {
  index: number;
  encoded: EncodedRunResult;
}

/**
 * Stores finished runs of one sweep and counts them, in one statement; the last runs' results finish the sweep. A
 * run stored twice (its worker was taken for gone and another ran it too) counts once: runs are deterministic, so
 * both results are the same. Runs of a sweep that failed or was cancelled meanwhile stay as they were ended.
 */
export async function finishRuns(
  sql: Sql,
  schema: string,
  sweepId: string,
  runs: readonly FinishedRun[],
): Promise<void> {
  const kpiSet = KPI_FIELDS.map((field, i) => `${KPI_COLUMNS[field]} = v.k${i}`).join(', ');
  const kpiArrays = KPI_FIELDS.map((_, i) => `$${i + 6}::float8[]`).join(', ');
  const kpiNames = KPI_FIELDS.map((_, i) => `k${i}`).join(', ');
  await sql(
    `WITH v AS (
       SELECT * FROM unnest($2::int[], $3::bytea[], $4::int[], $5::json[], ${kpiArrays})
         AS v (run_index, result, json_length, summary, ${kpiNames})
     ), run AS (
       UPDATE ${schema}.sweep_run r
       SET state = 'done', finished_at = now(), result = v.result, result_json_length = v.json_length,
         summary = v.summary, ${kpiSet}
       FROM v
       WHERE r.sweep_id = $1 AND r.run_index = v.run_index AND r.state IN ('queued', 'running')
       RETURNING r.run_index
     ), counted AS (SELECT count(*)::int AS n FROM run)
     UPDATE ${schema}.sweep
     SET done_count = done_count + counted.n,
       state = CASE WHEN state = 'running' AND done_count + counted.n = run_count THEN 'done' ELSE state END,
       finished_at = CASE WHEN state = 'running' AND done_count + counted.n = run_count THEN now() ELSE finished_at END
     FROM counted
     WHERE id = $1 AND counted.n > 0`,
    [
      sweepId,
      runs.map((r) => r.index),
      runs.map((r) => r.encoded.bytes),
      runs.map((r) => r.encoded.jsonLength),
      runs.map((r) => r.encoded.summaryJson),
      ...KPI_FIELDS.map((_, i) => runs.map((r) => r.encoded.kpiValues[i])),
    ],
  );
}

/**
 * Ends a running sweep as failed (a run failed: `failedIndex`) or cancelled, and cancels the pg-boss jobs of its
 * runs not yet done, so no worker takes them; runs already under way finish but count for nothing.
 * Returns false when the sweep had already ended.
 */
export async function endSweep(
  queue: SimQueue,
  id: string,
  end: { state: 'failed'; error: string; failedIndex?: number } | { state: 'cancelled'; error: string },
): Promise<boolean> {
  return queue.transaction(async (sql, db) => {
    const ended = await sql(
      `UPDATE ${queue.schema}.sweep SET state = $2, error = $3, finished_at = now()
       WHERE id = $1 AND state = 'running' RETURNING id`,
      [id, end.state, end.error],
    );
    if (ended.length === 0) return false;
    const failedIndex = end.state === 'failed' ? (end.failedIndex ?? -1) : -1;
    const open = await sql<{ job_id: string }>(
      `UPDATE ${queue.schema}.sweep_run
       SET state = CASE WHEN run_index = $2 THEN 'failed' ELSE 'cancelled' END, finished_at = now()
       WHERE sweep_id = $1 AND state <> 'done' RETURNING job_id`,
      [id, failedIndex],
    );
    if (open.length > 0)
      await queue.boss.cancel(
        RUN_QUEUE,
        open.map((r) => r.job_id),
        { db },
      );
    return true;
  });
}

/** The results of a finished sweep in run order, read and decoded a page at a time. */
export async function readSweepResults(queue: SimQueue, id: string): Promise<ScenarioResult[]> {
  const sweep = await getSweep(queue, id);
  if (sweep.state !== 'done') {
    throw errors.CB_SWEEP_FAILED(`sweep ${id} is ${sweep.state}${sweep.error === null ? '' : `: ${sweep.error}`}`);
  }
  const results: ScenarioResult[] = [];
  for (let from = 0; from < sweep.runCount; from += RESULT_PAGE) {
    const rows = await queue.sql<{ result: Buffer }>(
      `SELECT result FROM ${queue.schema}.sweep_run
       WHERE sweep_id = $1 AND run_index >= $2 AND run_index < $3 ORDER BY run_index`,
      [id, from, from + RESULT_PAGE],
    );
    for (const row of rows) results.push(await decodeDocument<ScenarioResult>(row.result));
  }
  return results;
}

/** The scalar KPIs of a sweep's finished runs from their columns, in run order. */
export async function readSweepKpis(queue: SimQueue, id: string): Promise<RunKpis[]> {
  const columns = Object.values(KPI_COLUMNS).join(', ');
  const rows = await queue.sql<Record<string, unknown>>(
    `SELECT run_index, policy, seed, ${columns} FROM ${queue.schema}.sweep_run
     WHERE sweep_id = $1 AND state = 'done' ORDER BY run_index`,
    [id],
  );
  return rows.map((row) => ({
    index: row.run_index as number,
    policy: row.policy as string,
    seed: row.seed as number,
    kpis: kpisFromRow(row),
  }));
}

/** The summaries (results without series and cars) of a sweep's finished runs, in run order; no result is read. */
export async function readSweepSummaries(queue: SimQueue, id: string): Promise<RunSummary[]> {
  const rows = await queue.sql<{ summary: RunSummary }>(
    `SELECT summary FROM ${queue.schema}.sweep_run WHERE sweep_id = $1 AND state = 'done' ORDER BY run_index`,
    [id],
  );
  return rows.map((row) => row.summary);
}

/** The runs (policy, seed) of each of the sweeps, in run order. */
export async function readSweepRuns(queue: SimQueue, ids: readonly string[]): Promise<Map<string, SweepRun[]>> {
  const rows = await queue.sql<{ sweep_id: string; policy: string; seed: number }>(
    `SELECT sweep_id, policy, seed FROM ${queue.schema}.sweep_run
     WHERE sweep_id = ANY($1::uuid[]) ORDER BY sweep_id, run_index`,
    [ids.filter((id) => UUID.test(id))],
  );
  const byId = new Map<string, SweepRun[]>();
  for (const row of rows) {
    const runs = byId.get(row.sweep_id) ?? [];
    runs.push({ policyName: row.policy, seed: row.seed });
    byId.set(row.sweep_id, runs);
  }
  return byId;
}

/** Deletes finished sweeps beyond the newest `keep` (their runs go with them). Returns how many were deleted. */
export async function pruneSweeps(queue: SimQueue, keep: number): Promise<number> {
  const rows = await queue.sql(
    `DELETE FROM ${queue.schema}.sweep WHERE id IN (
       SELECT id FROM ${queue.schema}.sweep WHERE state <> 'running' ORDER BY created_at DESC, id OFFSET $1
     ) RETURNING id`,
    [keep],
  );
  return rows.length;
}
