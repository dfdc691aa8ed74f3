import type { ScenarioResult } from '@citybay/sim';
import type { NewScenarioJob, ScenarioJobLease, ScenarioJobRecord } from '../core/scenario-job-record.js';
import { oldestLiveHeartbeatMs, SCENARIO_JOB_ABANDONED_ERROR, scenarioJobAsSeen } from '../core/scenario-job-lease.js';
import { SCENARIO_JOB_COLUMNS, scenarioJobFromRow, textOf } from './rows.js';
import { compileStatements, type Dialect } from './sql-dialect.js';
import type { SqlRunner } from './sql-runner.js';
import type { ScenarioJobRepository } from './store.js';

// A write by the owner applies only while the job is live: queued or running with a heartbeat inside the lease.
// Once a reader may have seen the job as abandoned, nothing brings it back.
const IS_LIVE = `job_id = :id AND status IN ('queued', 'running') AND heartbeat_ms >= :oldestLiveMs`;

const statements = (d: Dialect) => ({
  create: `INSERT INTO scenario_jobs
    (job_id, name, status, runs_json, completed_runs, owner_id, submitted_ms, heartbeat_ms)
    VALUES (:id, :name, 'queued', :runsJson, 0, :ownerId, :nowMs, :nowMs)`,
  progress: `UPDATE scenario_jobs SET status = 'running',
    completed_runs = ${d.greatest('completed_runs', ':completedRuns')},
    heartbeat_ms = ${d.greatest('heartbeat_ms', ':nowMs')} WHERE ${IS_LIVE}`,
  finish: `UPDATE scenario_jobs SET status = 'done', completed_runs = :completedRuns, results_json = :resultsJson,
    finished_ms = :nowMs, heartbeat_ms = ${d.greatest('heartbeat_ms', ':nowMs')} WHERE ${IS_LIVE}`,
  fail: `UPDATE scenario_jobs SET status = 'failed', error = :error, finished_ms = :nowMs WHERE ${IS_LIVE}`,
  failOwned: `UPDATE scenario_jobs SET status = 'failed', error = :error, finished_ms = :nowMs
    WHERE owner_id = :ownerId AND status IN ('queued', 'running')`,
  get: `SELECT ${SCENARIO_JOB_COLUMNS} FROM scenario_jobs WHERE job_id = :id`,
  list: `SELECT ${SCENARIO_JOB_COLUMNS} FROM scenario_jobs ORDER BY seq`,
  results: `SELECT results_json FROM scenario_jobs WHERE job_id = :id AND status = 'done'`,
  failAbandoned: `UPDATE scenario_jobs SET status = 'failed', error = :error, finished_ms = heartbeat_ms
    WHERE status IN ('queued', 'running') AND heartbeat_ms < :oldestLiveMs`,
  // Deletes the (keep + 1)-th newest finished job and every older finished one.
  deleteOldFinished: `DELETE FROM scenario_jobs WHERE status IN ('done', 'failed') AND seq <=
    (SELECT seq FROM scenario_jobs WHERE status IN ('done', 'failed') ORDER BY seq DESC LIMIT 1 OFFSET :keep)`,
});

/** Scenario jobs (see `ScenarioJobRepository`), written once for both engines. */
export class SqlScenarioJobRepository implements ScenarioJobRepository {
  private readonly sql;

  constructor(private readonly db: SqlRunner) {
    this.sql = compileStatements(statements, db.dialect);
  }

  async createScenarioJob(job: NewScenarioJob, nowMs: number): Promise<ScenarioJobRecord> {
    const { id, name, ownerId } = job;
    await this.db.run(this.sql.create, { id, name, runsJson: JSON.stringify(job.runs), ownerId, nowMs });
    return { ...job, status: 'queued', completedRuns: 0, submittedMs: nowMs, heartbeatMs: nowMs };
  }

  async recordScenarioJobProgress(id: string, completedRuns: number, lease: ScenarioJobLease): Promise<boolean> {
    const live = { id, oldestLiveMs: oldestLiveHeartbeatMs(lease), nowMs: lease.nowMs };
    return (await this.db.run(this.sql.progress, { ...live, completedRuns })) === 1;
  }

  async finishScenarioJob(id: string, results: readonly ScenarioResult[], lease: ScenarioJobLease): Promise<boolean> {
    const live = { id, oldestLiveMs: oldestLiveHeartbeatMs(lease), nowMs: lease.nowMs };
    const resultsJson = this.db.dialect.bytes(JSON.stringify(results));
    return (await this.db.run(this.sql.finish, { ...live, completedRuns: results.length, resultsJson })) === 1;
  }

  async failScenarioJob(id: string, error: string, lease: ScenarioJobLease): Promise<boolean> {
    const live = { id, oldestLiveMs: oldestLiveHeartbeatMs(lease), nowMs: lease.nowMs };
    return (await this.db.run(this.sql.fail, { ...live, error })) === 1;
  }

  async failOwnedScenarioJobs(ownerId: string, error: string, nowMs: number): Promise<number> {
    return this.db.run(this.sql.failOwned, { ownerId, error, nowMs });
  }

  async getScenarioJob(id: string, lease: ScenarioJobLease): Promise<ScenarioJobRecord | undefined> {
    const row = await this.db.get(this.sql.get, { id });
    return row ? scenarioJobAsSeen(scenarioJobFromRow(row), lease) : undefined;
  }

  async listScenarioJobs(lease: ScenarioJobLease): Promise<ScenarioJobRecord[]> {
    return (await this.db.all(this.sql.list)).map((row) => scenarioJobAsSeen(scenarioJobFromRow(row), lease));
  }

  async getScenarioJobResults(id: string): Promise<ScenarioResult[] | undefined> {
    const row = await this.db.get(this.sql.results, { id });
    return row ? (JSON.parse(textOf(row.results_json)) as ScenarioResult[]) : undefined;
  }

  async pruneScenarioJobs(keepFinished: number, lease: ScenarioJobLease): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.run(this.sql.failAbandoned, {
        error: SCENARIO_JOB_ABANDONED_ERROR,
        oldestLiveMs: oldestLiveHeartbeatMs(lease),
      });
      return tx.run(this.sql.deleteOldFinished, { keep: keepFinished });
    });
  }
}
