import type { CompiledSql, Dialect, SqlParams } from './sql-dialect.js';

/** A result row: column name → value (numbers arrive as numbers from both engines). */
export type Row = Record<string, unknown>;

/**
 * What the aggregate repositories run their statements on: a connection (SQLite) or a pool (PostgreSQL), or a
 * transaction on either. One interface for both engines, so each repository is written once.
 */
export interface SqlRunner {
  readonly dialect: Dialect;
  all(statement: CompiledSql, params?: SqlParams): Promise<Row[]>;
  get(statement: CompiledSql, params?: SqlParams): Promise<Row | undefined>;
  /** Runs a write; how many rows it changed. */
  run(statement: CompiledSql, params?: SqlParams): Promise<number>;
  /** Runs a script of statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  /**
   * Runs `work` in one transaction, committed when it resolves and rolled back when it throws. Called on a
   * runner that is already a transaction, `work` joins it. `work` awaits only the runner it is given.
   */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
}
