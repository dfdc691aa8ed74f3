import { readdirSync, readFileSync } from 'node:fs';
import { errors } from '../errors.js';
import { compileSql } from './sql-dialect.js';
import type { SqlRunner } from './sql-runner.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Reads `central/migrations/<kind>/NNN_name.sql`, in version order. */
export function loadMigrations(kind: 'sqlite' | 'postgres'): Migration[] {
  // Same relative place from src/store and dist/store.
  const dir = new URL(`../../migrations/${kind}/`, import.meta.url);
  return readdirSync(dir)
    .filter((f) => /^\d+_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, f.indexOf('_'))), name: f, sql: readFileSync(new URL(f, dir), 'utf8') }));
}

/** Refuses to run against a schema written by a newer build. */
export function checkNotNewer(kind: string, appliedMax: number, migrations: Migration[]): void {
  const known = migrations.at(-1)?.version ?? 0;
  if (appliedMax > known) {
    throw errors.CB_STORE_MIGRATION(
      `${kind} schema is at version ${appliedMax} but this build knows only up to ${known}: upgrade central`,
    );
  }
}
/**
 * Applies the engine's pending migrations (`central/migrations/<kind>/`) in one transaction, after `prologue`
 * (PostgreSQL: an advisory lock, so instances starting together take turns, and the schema); returns the versions
 * applied now. Refuses a schema written by a newer build.
 */
export async function migrateStore(db: SqlRunner, prologue: readonly string[], nowMs: number): Promise<number[]> {
  const kind = db.dialect.kind;
  const migrations = loadMigrations(kind);
  const applied = compileSql('SELECT version FROM schema_migrations', db.dialect);
  const record = compileSql('INSERT INTO schema_migrations VALUES (:version, :name, :nowMs)', db.dialect);
  return db.transaction(async (tx) => {
    for (const statement of prologue) await tx.exec(statement);
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_ms BIGINT)',
    );
    const done = new Set((await tx.all(applied)).map((r) => Number(r.version)));
    checkNotNewer(kind === 'sqlite' ? 'SQLite' : 'PostgreSQL', Math.max(0, ...done), migrations);
    const now: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.run(record, { version: m.version, name: m.name, nowMs });
      now.push(m.version);
    }
    return now;
  });
}
