import pg from 'pg';
import PgBoss from 'pg-boss';
import { errors } from '../errors.js';
import {
  checkSchemaName,
  DEAD_RUN_QUEUE,
  DEFAULT_QUEUE_SCHEMA,
  fetchOrderIndexSql,
  RUN_QUEUE,
  sweepTablesSql,
} from './sweep-tables.js';

export interface SimQueueOptions {
  /** `postgres://user@host:port/db` */
  databaseUrl: string;
  /** Schema of pg-boss's tables and the sweep tables. Default `citybay_sim_queue`. */
  schema?: string;
  /** Connections this process keeps to PostgreSQL. Default 4. */
  maxConnections?: number;
  /**
   * How often this process's pg-boss looks for runs whose worker vanished (active past their timeout) and requeues
   * them (s). Any process on the queue may do it; pg-boss makes sure one does per interval. Default 10.
   */
  maintenanceIntervalS?: number;
  /** Told about errors the queue recovers from (a connection lost while PostgreSQL restarts). Default: ignored. */
  onError?: (err: Error) => void;
}

/** A run's retries after a failure that is not the scenario's fault (a worker thread or process died). */
export const RUN_RETRY_LIMIT = 3;

/** Times a transaction is tried when PostgreSQL aborts it as a deadlock victim or serialization failure. */
const TRANSACTION_ATTEMPTS = 5;

/** 40P01 deadlock_detected, 40001 serialization_failure: the transaction did nothing and may simply run again. */
export function isTransientConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/** A database round trip, on the queue's pool or inside a transaction. */
export type Sql = <R extends object = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<R[]>;

/**
 * One process's connection to the sweep queue: pg-boss (the job queue: one job per run, with retries, expiry of
 * runs whose worker vanished, and a dead letter queue) and the sweep tables beside it, on one connection pool.
 * Release it with `close()`.
 */
export class SimQueue {
  private constructor(
    readonly boss: PgBoss,
    private readonly pool: pg.Pool,
    readonly schema: string,
    /** Where the queue is; a worker opens its liveness connection there. */
    readonly databaseUrl: string,
    private readonly onError: (err: Error) => void,
  ) {}

  static async open(options: SimQueueOptions): Promise<SimQueue> {
    const schema = checkSchemaName(options.schema ?? DEFAULT_QUEUE_SCHEMA);
    if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
      throw errors.CB_QUEUE_CONFIG_INVALID(`database URL: expected postgres://…, got "${options.databaseUrl}"`, {
        path: 'databaseUrl',
      });
    }
    const onError = options.onError ?? (() => undefined);
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.maxConnections ?? 4,
      connectionTimeoutMillis: 10_000,
      // A worker host's connection must notice a PostgreSQL host that vanished without closing it.
      keepAlive: true,
      // Progress commits without waiting for the WAL flush (a run taken, a run's result with its job's completion):
      // a PostgreSQL crash may forget the last moments of progress, never half of a step, and those runs are run
      // again (runs are deterministic). This saves 2–3 disk flushes per run. A submission still waits for its flush
      // (submitSweep), so a sweep whose id was returned is never lost.
      options: '-c synchronous_commit=off',
    });
    // Idle connections break when PostgreSQL restarts; the pool replaces them on the next query.
    pool.on('error', onError);
    const boss = new PgBoss({
      schema,
      db: { executeSql: (text: string, values: unknown[]) => pool.query(text, values) },
      maintenanceIntervalSeconds: options.maintenanceIntervalS ?? 10,
      // Scheduling (cron) is not used; its timers would only poll.
      schedule: false,
    });
    boss.on('error', onError);
    // Processes opening a new queue at once deadlock in pg-boss's installation and queue creation (its partitions):
    // one at a time, under a session advisory lock on a connection of its own.
    const setupLock = await pool.connect();
    setupLock.on('error', onError);
    try {
      await setupLock.query('SELECT pg_advisory_lock(hashtext($1))', [`citybay-sim-queue:${schema}`]);
      await boss.start();
      await pool.query(sweepTablesSql(schema));
      await boss.createQueue(DEAD_RUN_QUEUE, { name: DEAD_RUN_QUEUE });
      await boss.createQueue(RUN_QUEUE, {
        name: RUN_QUEUE,
        retryLimit: RUN_RETRY_LIMIT,
        retryDelay: 1,
        deadLetter: DEAD_RUN_QUEUE,
      });
      await pool.query(fetchOrderIndexSql(schema));
    } catch (err) {
      setupLock.off('error', onError);
      setupLock.release(true);
      await boss.stop({ graceful: false, close: false }).catch(() => undefined);
      await pool.end().catch(() => undefined);
      throw err;
    }
    // Ending the session would release the lock too; unlocking keeps the connection for the pool.
    await setupLock.query('SELECT pg_advisory_unlock(hashtext($1))', [`citybay-sim-queue:${schema}`]);
    setupLock.off('error', onError);
    setupLock.release();
    return new SimQueue(boss, pool, schema, options.databaseUrl, onError);
  }

  /**
   * Completes run jobs inside a transaction (`db` from `transaction`), so they complete with it or not at all. pg-boss
   * 10 reads `complete(name, ids, data, options)` at run time although its types offer `complete(name, ids, options)`
   * for several ids: `{ db }` passed there became the jobs' output and the completion ran on a connection of its own,
   * committed even when the transaction storing the results was rolled back (a deadlock victim run again).
   */
  async completeRunJobs(ids: readonly string[], db: PgBoss.Db): Promise<void> {
    const complete = this.boss.complete.bind(this.boss) as unknown as (
      name: string,
      ids: readonly string[],
      data: null,
      options: PgBoss.ConnectionOptions,
    ) => Promise<unknown>;
    await complete(RUN_QUEUE, ids, null, { db });
  }

  /** A query on the pool. */
  readonly sql: Sql = async (text, values) => (await this.pool.query(text, values)).rows;

  /**
   * `work` inside one transaction on one connection; `db` lets pg-boss calls join it. A transaction PostgreSQL aborts
   * as a deadlock victim or a serialization failure is run again from the start (PostgreSQL's advice for both): a
   * worker storing results while a sweep is cancelled locks the run rows and the sweep row in the other order, and
   * without the retry one side's error failed the batch or the cancellation. `work` must touch only the database.
   */
  async transaction<T>(work: (sql: Sql, db: PgBoss.Db) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transactionOnce(work);
      } catch (err) {
        if (!isTransientConflict(err) || attempt >= TRANSACTION_ATTEMPTS) throw err;
        // Only the victim is aborted; the other transaction goes on, so a short wait lets it finish first.
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      }
    }
  }

  private async transactionOnce<T>(work: (sql: Sql, db: PgBoss.Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let isBroken = false;
    // The pool listens for errors only on idle connections; one that breaks while checked out between two
    // statements (PostgreSQL restarting) would otherwise be an unhandled 'error' event. The next statement fails.
    const onError = (err: Error) => {
      isBroken = true;
      this.onError(err);
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const sql: Sql = async (text, values) => (await client.query(text, values)).rows;
      const result = await work(sql, { executeSql: (text, values) => client.query(text, values) });
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        isBroken = true;
      });
      throw err;
    } finally {
      client.off('error', onError);
      client.release(isBroken);
    }
  }

  /** Stops pg-boss's maintenance and closes the connections. */
  async close(): Promise<void> {
    await this.boss.stop({ graceful: false, close: false, wait: true });
    await this.pool.end();
  }
}
