import type { SyncRequest } from '@citybay/proto';
import pg from 'pg';
import type { IngestResult } from '../core/sync-records.js';
import { errors } from '../errors.js';
import { migrateStore } from './migrations.js';
import { PostgresIngester } from './postgres-ingest.js';
import { PostgresRunner, runnerOn } from './postgres-runner.js';
import { SqlStore } from './sql-store.js';

export interface PostgresStoreOptions {
  /** `postgres://user@host:port/database`. */
  connectionString: string;
  /** Schema for every table (created by `migrate`). Default `public`. */
  schema?: string;
  /** Pool size. Default 8. */
  poolSize?: number;
}

const INT8_OID = 20;
// Every BIGINT here is ms since the epoch, a seq or a count: far below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};
const MIGRATION_LOCK_KEY = 7_420_311;

function schemaOf(options: PostgresStoreOptions): string {
  const schema = options.schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw errors.CB_CENTRAL_CONFIG_INVALID(`bad schema name "${schema}"`);
  return schema;
}

/** The shared store: many stateless central instances on one PostgreSQL database. */
export class PostgresStore extends SqlStore {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly schema: string;
  private readonly ingester: PostgresIngester;

  constructor(options: PostgresStoreOptions) {
    const schema = schemaOf(options);
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 8,
      options: `-c search_path=${schema}`,
      types,
      connectionTimeoutMillis: 5_000,
    });
    const runner = new PostgresRunner(pool);
    super(runner);
    this.pool = pool;
    this.schema = schema;
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.ingester = new PostgresIngester(
      () => runner.connect(),
      (client, siteId, version) => this.directives.docAt(runnerOn(client), siteId, version),
      Math.max(1, Math.floor((options.poolSize ?? 8) / 2)),
    );
  }

  migrate(): Promise<number[]> {
    const prologue = [
      `SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`,
      `CREATE SCHEMA IF NOT EXISTS ${this.schema}`,
    ];
    return migrateStore(this.runner, prologue, Date.now());
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async ping(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /** Drops this store's schema and everything in it (tests). */
  async dropSchema(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
  }

  /** See {@link PostgresIngester}: group commit over optimistic, two-round-trip batch writes. */
  ingest(request: SyncRequest, rawBody: Uint8Array, receivedMs: number): Promise<IngestResult> {
    return this.ingester.ingest(request, rawBody, receivedMs);
  }
}
