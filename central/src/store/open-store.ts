import type { Logger } from 'pino';
import type { CentralConfig } from '../config.js';
import type { CentralStore } from './store.js';
import { PostgresStore } from './store-postgres.js';
import { SqliteStore } from './store-sqlite.js';

/** The store the configuration selects: PostgreSQL when `databaseUrl` is set, else the SQLite file. */
export function openStore(config: CentralConfig, logger?: Logger): CentralStore {
  return config.databaseUrl
    ? new PostgresStore({ connectionString: config.databaseUrl, poolSize: config.pgPoolSize })
    : new SqliteStore({
        path: config.sqlitePath,
        synchronous: config.sqliteSynchronous,
        onBackgroundError: (message) => logger?.warn({ message }, 'SQLite background checkpoint failed'),
      });
}
