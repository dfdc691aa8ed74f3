import type { ScenarioResult } from '@citybay/sim';
import type pg from 'pg';
import { queryOnce } from './postgres-query.js';
import { oldestLiveHeartbeatMs, SCENARIO_JOB_ABANDONED_ERROR, scenarioJobAsSeen } from '../core/scenario-job-lease.js';
import { SCENARIO_JOB_COLUMNS, scenarioJobFromRow } from './rows.js';
import type { NewScenarioJob, ScenarioJobLease, ScenarioJobRecord } from './store.js';

type Row = Record<string, unknown>;

// A write by the owner applies only while the job is live: queued or running with a heartbeat inside the lease.
// Once a reader may have seen the job as abandoned, nothing brings it back. $1 is the job id, $2 the oldest live
// heartbeat.
const IS_LIVE = `job_id = $1 AND status IN ('queued', 'running') AND heartbeat_ms >= $2`;

const SQL = {
  create: `INSERT INTO scenario_jobs
    (job_id, name, status, runs_json, completed_runs, owner_id, submitted_ms, heartbeat_ms)
    VALUES ($1, $2, 'queued', $3, 0, $4, $5, $5)`,
  progress: `UPDATE scenario_jobs SET status = 'running', completed_runs = GREATEST(completed_runs, $3),
    heartbeat_ms = GREATEST(heartbeat_ms, $4) WHERE ${IS_LIVE}`,
  finish: `UPDATE scenario_jobs SET status = 'done', results_json = $3, finished_ms = $4, completed_runs = $5,
    heartbeat_ms = GREATEST(heartbeat_ms, $4) WHERE ${IS_LIVE}`,
  fail: `UPDATE scenario_jobs SET status = 'failed', error = $3, finished_ms = $4 WHERE ${IS_LIVE}`,
  failOwned: `UPDATE scenario_jobs SET status = 'failed', error = $2, finished_ms = $3
    WHERE owner_id = $1 AND status IN ('queued', 'running')`,
  get: `SELECT ${SCENARIO_JOB_COLUMNS} FROM scenario_jobs WHERE job_id = $1`,
  list: `SELECT ${SCENARIO_JOB_COLUMNS} FROM scenario_jobs ORDER BY seq`,
  results: `SELECT results_json FROM scenario_jobs WHERE job_id = $1 AND status = 'done'`,
  failAbandoned: `UPDATE scenario_jobs SET status = 'failed', error = $1, finished_ms = heartbeat_ms
    WHERE status IN ('queued', 'running') AND heartbeat_ms < $2`,
  // Deletes the (keep + 1)-th newest finished job and every older finished one.
  deleteOldFinished: `DELETE FROM scenario_jobs WHERE status IN ('done', 'failed') AND seq <=
    (SELECT seq FROM scenario_jobs WHERE status IN ('done', 'failed') ORDER BY seq DESC LIMIT 1 OFFSET $1)`,
} as const;

/** The scenario-job half of the PostgreSQL store (see `CentralStore`), on the store's pool. */
export class PostgresScenarioJobs {
  constructor(private readonly connect: () => Promise<pg.PoolClient>) {}

  private query(sql: string, params: unknown[]): Promise<pg.QueryResult<Row>> {
    return queryOnce(this.connect, sql, params);
  }

  async create(job: NewScenarioJob, nowMs: number): Promise<ScenarioJobRecord> {
    await this.query(SQL.create, [job.id, job.name, JSON.stringify(job.runs), job.ownerId, nowMs]);
    return { ...job, status: 'queued', completedRuns: 0, submittedMs: nowMs, heartbeatMs: nowMs };
  }

  async recordProgress(id: string, completedRuns: number, lease: ScenarioJobLease): Promise<boolean> {
    const result = await this.query(SQL.progress, [id, oldestLiveHeartbeatMs(lease), completedRuns, lease.nowMs]);
    return result.rowCount === 1;
  }

  async finish(id: string, results: readonly ScenarioResult[], lease: ScenarioJobLease): Promise<boolean> {
    const json = Buffer.from(JSON.stringify(results), 'utf8');
    const result = await this.query(SQL.finish, [id, oldestLiveHeartbeatMs(lease), json, lease.nowMs, results.length]);
    return result.rowCount === 1;
  }

  async fail(id: string, error: string, lease: ScenarioJobLease): Promise<boolean> {
    const result = await this.query(SQL.fail, [id, oldestLiveHeartbeatMs(lease), error, lease.nowMs]);
    return result.rowCount === 1;
  }

  async failOwned(ownerId: string, error: string, nowMs: number): Promise<number> {
    return (await this.query(SQL.failOwned, [ownerId, error, nowMs])).rowCount ?? 0;
  }

  async get(id: string, lease: ScenarioJobLease): Promise<ScenarioJobRecord | undefined> {
    const row = (await this.query(SQL.get, [id])).rows[0];
    return row ? scenarioJobAsSeen(scenarioJobFromRow(row), lease) : undefined;
  }

  async list(lease: ScenarioJobLease): Promise<ScenarioJobRecord[]> {
    return (await this.query(SQL.list, [])).rows.map((row) => scenarioJobAsSeen(scenarioJobFromRow(row), lease));
  }

  async results(id: string): Promise<ScenarioResult[] | undefined> {
    const row = (await this.query(SQL.results, [id])).rows[0];
    return row ? (JSON.parse((row.results_json as Buffer).toString('utf8')) as ScenarioResult[]) : undefined;
  }

  async prune(keepFinished: number, lease: ScenarioJobLease): Promise<number> {
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      await client.query(SQL.failAbandoned, [SCENARIO_JOB_ABANDONED_ERROR, oldestLiveHeartbeatMs(lease)]);
      const deleted = await client.query(SQL.deleteOldFinished, [keepFinished]);
      await client.query('COMMIT');
      return deleted.rowCount ?? 0;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}
