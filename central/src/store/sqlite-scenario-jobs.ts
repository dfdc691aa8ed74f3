import type { ScenarioResult } from '@citybay/sim';
import type Database from 'better-sqlite3';
import type { PreparedStatements } from './sqlite-prepared.js';
import { oldestLiveHeartbeatMs, SCENARIO_JOB_ABANDONED_ERROR, scenarioJobAsSeen } from '../core/scenario-job-lease.js';
import { SCENARIO_JOB_COLUMNS, scenarioJobFromRow } from './rows.js';
import type { NewScenarioJob, ScenarioJobLease, ScenarioJobRecord } from './store.js';

type Row = Record<string, unknown>;

// A write by the owner applies only while the job is live: queued or running with a heartbeat inside the lease.
// Once a reader may have seen the job as abandoned, nothing brings it back.
const IS_LIVE = `job_id = ? AND status IN ('queued', 'running') AND heartbeat_ms >= ?`;

const SQL = {
  create: `INSERT INTO scenario_jobs
    (job_id, name, status, runs_json, completed_runs, owner_id, submitted_ms, heartbeat_ms)
    VALUES (?, ?, 'queued', ?, 0, ?, ?, ?)`,
  progress: `UPDATE scenario_jobs SET status = 'running', completed_runs = max(completed_runs, ?),
    heartbeat_ms = max(heartbeat_ms, ?) WHERE ${IS_LIVE}`,
  finish: `UPDATE scenario_jobs SET status = 'done', completed_runs = ?, results_json = ?, finished_ms = ?,
    heartbeat_ms = max(heartbeat_ms, ?) WHERE ${IS_LIVE}`,
  fail: `UPDATE scenario_jobs SET status = 'failed', error = ?, finished_ms = ? WHERE ${IS_LIVE}`,
  failOwned: `UPDATE scenario_jobs SET status = 'failed', error = ?, finished_ms = ?
    WHERE owner_id = ? AND status IN ('queued', 'running')`,
  get: `SELECT ${SCENARIO_JOB_COLUMNS} FROM scenario_jobs WHERE job_id = ?`,
  list: `SELECT ${SCENARIO_JOB_COLUMNS} FROM scenario_jobs ORDER BY seq`,
  results: `SELECT results_json FROM scenario_jobs WHERE job_id = ? AND status = 'done'`,
  failAbandoned: `UPDATE scenario_jobs SET status = 'failed', error = ?, finished_ms = heartbeat_ms
    WHERE status IN ('queued', 'running') AND heartbeat_ms < ?`,
  // Deletes the (keep + 1)-th newest finished job and every older finished one.
  deleteOldFinished: `DELETE FROM scenario_jobs WHERE status IN ('done', 'failed') AND seq <=
    (SELECT seq FROM scenario_jobs WHERE status IN ('done', 'failed') ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
} as const;

/** The scenario-job half of the SQLite store (see `CentralStore`), on the store's database connection. */
export class SqliteScenarioJobs {
  private readonly db: Database.Database;

  constructor(private readonly prepared: PreparedStatements) {
    this.db = prepared.db;
  }

  private st(sql: string): Database.Statement {
    return this.prepared.get(sql);
  }

  create(job: NewScenarioJob, nowMs: number): ScenarioJobRecord {
    this.st(SQL.create).run(job.id, job.name, JSON.stringify(job.runs), job.ownerId, nowMs, nowMs);
    return { ...job, status: 'queued', completedRuns: 0, submittedMs: nowMs, heartbeatMs: nowMs };
  }

  recordProgress(id: string, completedRuns: number, lease: ScenarioJobLease): boolean {
    return this.st(SQL.progress).run(completedRuns, lease.nowMs, id, oldestLiveHeartbeatMs(lease)).changes === 1;
  }

  finish(id: string, results: readonly ScenarioResult[], lease: ScenarioJobLease): boolean {
    const json = JSON.stringify(results);
    const live = [id, oldestLiveHeartbeatMs(lease)];
    return this.st(SQL.finish).run(results.length, json, lease.nowMs, lease.nowMs, ...live).changes === 1;
  }

  fail(id: string, error: string, lease: ScenarioJobLease): boolean {
    return this.st(SQL.fail).run(error, lease.nowMs, id, oldestLiveHeartbeatMs(lease)).changes === 1;
  }

  failOwned(ownerId: string, error: string, nowMs: number): number {
    return this.st(SQL.failOwned).run(error, nowMs, ownerId).changes;
  }

  get(id: string, lease: ScenarioJobLease): ScenarioJobRecord | undefined {
    const row = this.st(SQL.get).get(id) as Row | undefined;
    return row ? scenarioJobAsSeen(scenarioJobFromRow(row), lease) : undefined;
  }

  list(lease: ScenarioJobLease): ScenarioJobRecord[] {
    return (this.st(SQL.list).all() as Row[]).map((row) => scenarioJobAsSeen(scenarioJobFromRow(row), lease));
  }

  results(id: string): ScenarioResult[] | undefined {
    const row = this.st(SQL.results).get(id) as Row | undefined;
    return row ? (JSON.parse(String(row.results_json)) as ScenarioResult[]) : undefined;
  }

  prune(keepFinished: number, lease: ScenarioJobLease): number {
    return this.db.transaction(() => {
      this.st(SQL.failAbandoned).run(SCENARIO_JOB_ABANDONED_ERROR, oldestLiveHeartbeatMs(lease));
      return this.st(SQL.deleteOldFinished).run(keepFinished).changes;
    })();
  }
}
