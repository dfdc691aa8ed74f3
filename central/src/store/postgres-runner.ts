import { isCitybayError } from '@citybay/common';
import pg from 'pg';
import { errors } from '../errors.js';
import { bindParams, type CompiledSql, POSTGRES_DIALECT, type SqlParams } from './sql-dialect.js';
import type { Row, SqlRunner } from './sql-runner.js';

/**
 * An error of one statement (a constraint, a syntax error: a bug or a conflict to handle) stays as it is. The
 * database out of reach becomes `CB_STORE_UNAVAILABLE`: a connection refused, timed out or lost, and what the
 * server says when it takes no session (severity FATAL: starting up or shutting down, too many connections, no
 * such database), as a failed `pool.connect()` always did.
 */
function asStoreError(cause: unknown): unknown {
  if (isCitybayError(cause) || cause instanceof TypeError || cause instanceof RangeError) return cause;
  if (cause instanceof pg.DatabaseError && cause.severity !== 'FATAL' && cause.severity !== 'PANIC') return cause;
  return errors.CB_STORE_UNAVAILABLE(`PostgreSQL is unreachable (${(cause as Error).message})`, { cause });
}

/** Runs statements on a pool (each on whichever connection is free) or on one transaction's connection. */
class PostgresExecutor implements SqlRunner {
  readonly dialect = POSTGRES_DIALECT;

  constructor(private readonly target: pg.Pool | pg.PoolClient) {}

  protected async query(statement: CompiledSql, params: SqlParams): Promise<pg.QueryResult<Row>> {
    try {
      return await this.target.query<Row>(statement.text, bindParams(statement, params));
    } catch (err) {
      throw asStoreError(err);
    }
  }

  async all(statement: CompiledSql, params: SqlParams = {}): Promise<Row[]> {
    return (await this.query(statement, params)).rows;
  }

  async get(statement: CompiledSql, params: SqlParams = {}): Promise<Row | undefined> {
    return (await this.query(statement, params)).rows[0];
  }

  async run(statement: CompiledSql, params: SqlParams = {}): Promise<number> {
    return (await this.query(statement, params)).rowCount ?? 0;
  }

  async exec(script: string): Promise<void> {
    try {
      await this.target.query(script);
    } catch (err) {
      throw asStoreError(err);
    }
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return work(this);
  }
}

/** Connections that already have the runner's error listener (a pooled connection is handed out many times). */
const heardClients = new WeakSet<pg.PoolClient>();

/** The PostgreSQL store's runner: single statements on the pool (`pg.Pool.query`), transactions on a client. */
export class PostgresRunner extends PostgresExecutor {
  constructor(private readonly pool: pg.Pool) {
    super(pool);
  }

  /** A connection of the pool, for work that needs one (the ingest path); release it. */
  async connect(): Promise<pg.PoolClient> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (cause) {
      throw errors.CB_STORE_UNAVAILABLE(`PostgreSQL is unreachable (${(cause as Error).message})`, { cause });
    }
    // The pool listens for errors only on idle connections. A held one whose session ends between statements
    // emits 'error' with no query to take it, which unheard would end the process; the next statement on it
    // fails as unreachable instead, and the pool drops it on release.
    if (!heardClients.has(client)) {
      client.on('error', () => undefined);
      heardClients.add(client);
    }
    return client;
  }

  override async transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      const result = await work(new PostgresExecutor(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}

/** A runner on a connection the caller holds (the ingest path's), for the repositories' shared reads. */
export function runnerOn(client: pg.PoolClient): SqlRunner {
  return new PostgresExecutor(client);
}
