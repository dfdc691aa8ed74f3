import { readdirSync, readFileSync } from 'node:fs';
import { errors } from '../errors.js';

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
