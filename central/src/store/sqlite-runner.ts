import type { PreparedStatements } from './sqlite-prepared.js';
import { bindParams, type CompiledSql, SQLITE_DIALECT, type SqlParams } from './sql-dialect.js';
import type { Row, SqlRunner } from './sql-runner.js';

/** Runs statements on the connection at once: the runner a transaction's work is given. */
class SqliteExecutor implements SqlRunner {
  readonly dialect = SQLITE_DIALECT;

  constructor(protected readonly prepared: PreparedStatements) {}

  async all(statement: CompiledSql, params: SqlParams = {}): Promise<Row[]> {
    return this.prepared.get(statement.text).all(...bindParams(statement, params)) as Row[];
  }

  async get(statement: CompiledSql, params: SqlParams = {}): Promise<Row | undefined> {
    return this.prepared.get(statement.text).get(...bindParams(statement, params)) as Row | undefined;
  }

  async run(statement: CompiledSql, params: SqlParams = {}): Promise<number> {
    return this.prepared.get(statement.text).run(...bindParams(statement, params)).changes;
  }

  async exec(script: string): Promise<void> {
    this.prepared.db.exec(script);
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return work(this);
  }
}

/**
 * The SQLite store's runner on its one connection. better-sqlite3 runs each statement synchronously, so a
 * transaction's work (which awaits only this runner) finishes within one turn of the event loop; while it is
 * open, other callers of this runner wait, so nothing of theirs lands inside it. The ingest path's group commit
 * (`sqlite-group-commit.ts`) runs on a later turn and so never inside one either.
 */
export class SqliteRunner extends SqliteExecutor {
  private busy: Promise<void> | undefined;
  private readonly inTransaction: SqliteExecutor;

  constructor(prepared: PreparedStatements) {
    super(prepared);
    this.inTransaction = new SqliteExecutor(prepared);
  }

  override async all(statement: CompiledSql, params?: SqlParams): Promise<Row[]> {
    while (this.busy) await this.busy;
    return super.all(statement, params);
  }

  override async get(statement: CompiledSql, params?: SqlParams): Promise<Row | undefined> {
    while (this.busy) await this.busy;
    return super.get(statement, params);
  }

  override async run(statement: CompiledSql, params?: SqlParams): Promise<number> {
    while (this.busy) await this.busy;
    return super.run(statement, params);
  }

  override async exec(script: string): Promise<void> {
    while (this.busy) await this.busy;
    return super.exec(script);
  }

  override async transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    // Checked and taken with no await in between, or two waiters woken together would both begin.
    while (this.busy) await this.busy;
    let release = (): void => undefined;
    this.busy = new Promise<void>((resolve) => (release = resolve));
    const db = this.prepared.db;
    try {
      this.prepared.get('BEGIN').run();
      const result = await work(this.inTransaction);
      this.prepared.get('COMMIT').run();
      return result;
    } catch (err) {
      if (db.inTransaction) this.prepared.get('ROLLBACK').run();
      throw err;
    } finally {
      this.busy = undefined;
      release();
    }
  }
}
