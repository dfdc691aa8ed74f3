import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SyncRequest } from '@citybay/proto';
import Database from 'better-sqlite3';
import type { IngestResult } from '../core/sync-records.js';
import { migrateStore } from './migrations.js';
import { SqlStore } from './sql-store.js';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';
import { SqliteIngest } from './sqlite-ingest.js';
import { PreparedStatements } from './sqlite-prepared.js';
import { SqliteRunner } from './sqlite-runner.js';

export interface SqliteStoreOptions {
  /** Database file; `:memory:` for a private in-memory database. */
  path: string;
  /** `synchronous` pragma. Default `NORMAL` (WAL: durable across a crash of the process). */
  synchronous?: 'NORMAL' | 'FULL';
  /** Told when a background WAL checkpoint fails. Default: ignored (the writer's safety net still bounds the WAL). */
  onBackgroundError?: (message: string) => void;
}

function openDatabase(options: SqliteStoreOptions): Database.Database {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  return db;
}

/** The embedded store: one SQLite file in WAL mode, prepared statements, group commit of sync batches. */
export class SqliteStore extends SqlStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly ingests: SqliteIngest;
  private checkpointer: SqliteCheckpointer | undefined;

  constructor(options: SqliteStoreOptions) {
    const db = openDatabase(options);
    const prepared = new PreparedStatements(db);
    super(new SqliteRunner(prepared));
    this.db = db;
    this.ingests = new SqliteIngest(prepared, this.directivesCache);
    if (options.path !== ':memory:') {
      // Checkpoints run on a background thread; the writer's own automatic one is only a safety net
      // (80 MB of WAL) should that thread stall, because inside a commit it costs that request tens of ms.
      this.db.pragma('wal_autocheckpoint = 20000');
      this.checkpointer = new SqliteCheckpointer(options.path, options.onBackgroundError ?? (() => undefined));
    }
  }

  migrate(): Promise<number[]> {
    return migrateStore(this.runner, [], Date.now());
  }

  async close(): Promise<void> {
    await this.checkpointer?.close();
    this.checkpointer = undefined;
    if (this.db.open) this.db.close();
  }

  async ping(): Promise<boolean> {
    return this.db.open && this.db.prepare('SELECT 1 AS ok').get() !== undefined;
  }

  /** Batches arriving in the same turn of the event loop share one commit (`SqliteIngest`). */
  ingest(request: SyncRequest, rawBody: Uint8Array, receivedMs: number): Promise<IngestResult> {
    return this.ingests.ingest(request, rawBody, receivedMs);
  }
}
