import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { errors } from './errors.js';

const DAY_MS = 86_400_000;

/** Everything central can be told, validated once at start and then frozen. */
export const CentralConfigSchema = Type.Object(
  {
    /** Interface to listen on. Default `127.0.0.1`. */
    host: Type.String({ default: '127.0.0.1' }),
    /** TCP port. Default 8080; 0 picks a free port. */
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
    /** `postgres://…` selects the PostgreSQL store; absent = SQLite at `sqlitePath`. */
    databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
    /** SQLite database file. Default `./data/central.db`. */
    sqlitePath: Type.String({ minLength: 1, default: './data/central.db' }),
    /**
     * SQLite `synchronous` level. `NORMAL` (default) in WAL mode survives a crash of central but may lose the
     * last transactions on power loss; `FULL` fsyncs every commit.
     */
    sqliteSynchronous: Type.Union([Type.Literal('NORMAL'), Type.Literal('FULL')], { default: 'NORMAL' }),
    /** Connections in the PostgreSQL pool. Default 8. */
    pgPoolSize: Type.Integer({ minimum: 1, maximum: 200, default: 8 }),
    /** PEM certificate and key: when both are given central serves HTTPS only. */
    tlsCertPath: Type.Optional(Type.String({ minLength: 1 })),
    tlsKeyPath: Type.Optional(Type.String({ minLength: 1 })),
    /** Largest request body (bytes). Default 4 MiB. */
    bodyLimitBytes: Type.Integer({ minimum: 1024, default: 4 * 1024 * 1024 }),
    /**
     * Time a client has to send a whole request, headers and body (ms); a request still arriving after it gets 408
     * and its connection is closed (checked every second). Also the deadline for the headers alone. Default 30 s.
     */
    requestTimeoutMs: Type.Integer({ minimum: 1_000, default: 30_000 }),
    /** A connection on which nothing moves for this long is closed (ms). Default 60 s. */
    connectionTimeoutMs: Type.Integer({ minimum: 1_000, default: 60_000 }),
    /** How long an idle keep-alive connection is kept open for the client's next request (ms). Default 10 s. */
    keepAliveTimeoutMs: Type.Integer({ minimum: 1_000, default: 10_000 }),
    /** Connections open at once; beyond it a new connection is closed when accepted. Default 4096. */
    maxConnections: Type.Integer({ minimum: 2, default: 4096 }),
    /**
     * Connections one client address may hold open at once; beyond it its new connections are closed when accepted
     * (edges behind one NAT address count together: each holds one). Default 256.
     */
    maxConnectionsPerAddress: Type.Integer({ minimum: 1, default: 256 }),
    /**
     * Requests per client per minute: per verified edge (by edge id), per verified API key (by key id), and per
     * client address for everything else. Default 1200.
     */
    rateLimitPerMin: Type.Integer({ minimum: 1, default: 1200 }),
    /**
     * Failed logins (bad API key, unknown edge, wrong secret) per client address per minute; beyond it the address
     * gets 429 without a credential lookup until the minute is over (credentials already known good still pass).
     * Default 30.
     */
    failedLoginsPerMin: Type.Integer({ minimum: 1, default: 30 }),
    /** How long received sync batches are kept verbatim (ms). Default 7 days. */
    rawRetentionMs: Type.Integer({ minimum: 60_000, default: 7 * DAY_MS }),
    /** How long 1-minute count history is kept (ms). Default 400 days. */
    historyRetentionMs: Type.Integer({ minimum: 60_000, default: 400 * DAY_MS }),
    /** Counts older than this are published as status `unknown` (ms). Default 10 minutes. */
    staleAfterMs: Type.Integer({ minimum: 1_000, default: 600_000 }),
    /** A lot at or above this occupancy (%) is published as `almostFull`. Default 90. */
    almostFullPct: Type.Number({ minimum: 0, maximum: 100, default: 90 }),
    /** Country of the DATEX II publisher (`publicationCreator`), ISO 3166-1 alpha-2 in lower case. Default `gb`. */
    datexCountry: Type.String({ pattern: '^[a-z]{2}$', default: 'gb' }),
    /** The DATEX II publisher's identifier within its country (`nationalIdentifier`). Default `citybay`. */
    datexNationalIdentifier: Type.String({ minLength: 1, maxLength: 1024, default: 'citybay' }),
    /** YAML/JSON file of API keys (hashes) for hospital, engineer and operator APIs. */
    apiKeysPath: Type.Optional(Type.String({ minLength: 1 })),
    /**
     * A clock file (see `followClockFile` in @citybay/common) giving the calendar appointments are planned and
     * reservations held on: the demo's twin writes one, so a day simulated at 30× is central's day too. Absent: the
     * wall clock. Operational time (rate limits, staleness, retention) always follows the wall clock.
     */
    calendarClockFile: Type.Optional(Type.String({ minLength: 1 })),
    /** pino level. Default `info`. */
    logLevel: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { default: 'info' },
    ),
    /**
     * How often every site's appointments of today (site-local) are re-optimised (ms), undoing the drift of
     * event-by-event repairs. 0 turns it off; otherwise at least 1000. Default 15 minutes.
     */
    reoptimiseIntervalMs: Type.Integer({ minimum: 0, default: 15 * 60_000 }),
    /**
     * Site-days the allocator thread keeps planned between requests (least recently used beyond it are
     * forgotten and planned again from the store when next changed). Default 64.
     */
    allocatorDaysKept: Type.Integer({ minimum: 1, maximum: 10_000, default: 64 }),
    /**
     * Finished (done or failed) scenario jobs kept in the store, by submission, newest first; older finished ones
     * are deleted with their results. Shared by every instance on the store. Default 100.
     */
    scenarioJobsKept: Type.Integer({ minimum: 1, maximum: 100_000, default: 100 }),
    /**
     * How long a queued or running scenario job may go without a heartbeat from the instance running it before
     * every reader takes it as failed, abandoned (ms). That instance refreshes it on every finished run and at
     * least every fifth of this. Default 5 minutes.
     */
    scenarioJobLeaseMs: Type.Integer({ minimum: 10_000, default: 5 * 60_000 }),
    /**
     * On PostgreSQL (`databaseUrl`), scenario jobs go through sim's sweep queue (pg-boss) in this schema of the same
     * database, where `citybay-sim worker` processes on any host take their runs too. Default `citybay_sim_queue`.
     */
    scenarioQueueSchema: Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$', default: 'citybay_sim_queue' }),
    /**
     * On PostgreSQL: runs of queued scenario jobs this instance takes at a time on its own simulator pool; 0 leaves
     * them to `citybay-sim worker` processes. Default 1.
     */
    scenarioWorkerThreads: Type.Integer({ minimum: 0, maximum: 256, default: 1 }),
    /**
     * YAML/JSON file of the bay allocator's options (every cost and limit; see the sim README), the defaults for
     * every site; a site definition's `allocation:` wins key by key. Default: the allocator's own defaults.
     */
    allocationOptionsPath: Type.Optional(Type.String({ minLength: 1 })),
    /** Origin of the links sent to drivers (`https://park.example.org`); default the origin each request came to. */
    publicBaseUrl: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+$' })),
    /** How often a driver's page asks for changes to its plan and the lot's free count (s). Default 30. */
    driverPageRefreshS: Type.Integer({ minimum: 1, maximum: 3600, default: 30 }),
    /** How long graceful shutdown waits for requests in flight (ms). Default 10 s. */
    shutdownGraceMs: Type.Integer({ minimum: 0, default: 10_000 }),
  },
  { additionalProperties: false },
);
export type CentralConfig = Readonly<Static<typeof CentralConfigSchema>>;

const ENV_KEYS: Record<string, keyof CentralConfig> = {
  CITYBAY_HOST: 'host',
  CITYBAY_PORT: 'port',
  DATABASE_URL: 'databaseUrl',
  CITYBAY_SQLITE_PATH: 'sqlitePath',
  CITYBAY_SQLITE_SYNCHRONOUS: 'sqliteSynchronous',
  CITYBAY_PG_POOL_SIZE: 'pgPoolSize',
  CITYBAY_TLS_CERT: 'tlsCertPath',
  CITYBAY_TLS_KEY: 'tlsKeyPath',
  CITYBAY_BODY_LIMIT_BYTES: 'bodyLimitBytes',
  CITYBAY_REQUEST_TIMEOUT_MS: 'requestTimeoutMs',
  CITYBAY_CONNECTION_TIMEOUT_MS: 'connectionTimeoutMs',
  CITYBAY_KEEP_ALIVE_TIMEOUT_MS: 'keepAliveTimeoutMs',
  CITYBAY_MAX_CONNECTIONS: 'maxConnections',
  CITYBAY_MAX_CONNECTIONS_PER_ADDRESS: 'maxConnectionsPerAddress',
  CITYBAY_RATE_LIMIT_PER_MIN: 'rateLimitPerMin',
  CITYBAY_FAILED_LOGINS_PER_MIN: 'failedLoginsPerMin',
  CITYBAY_RAW_RETENTION_MS: 'rawRetentionMs',
  CITYBAY_HISTORY_RETENTION_MS: 'historyRetentionMs',
  CITYBAY_STALE_AFTER_MS: 'staleAfterMs',
  CITYBAY_ALMOST_FULL_PCT: 'almostFullPct',
  CITYBAY_DATEX_COUNTRY: 'datexCountry',
  CITYBAY_DATEX_NATIONAL_IDENTIFIER: 'datexNationalIdentifier',
  CITYBAY_API_KEYS: 'apiKeysPath',
  CITYBAY_LOG_LEVEL: 'logLevel',
  CITYBAY_CALENDAR_CLOCK_FILE: 'calendarClockFile',
  CITYBAY_SHUTDOWN_GRACE_MS: 'shutdownGraceMs',
  CITYBAY_REOPTIMISE_INTERVAL_MS: 'reoptimiseIntervalMs',
  CITYBAY_ALLOCATOR_DAYS_KEPT: 'allocatorDaysKept',
  CITYBAY_SCENARIO_JOBS_KEPT: 'scenarioJobsKept',
  CITYBAY_SCENARIO_JOB_LEASE_MS: 'scenarioJobLeaseMs',
  CITYBAY_SCENARIO_QUEUE_SCHEMA: 'scenarioQueueSchema',
  CITYBAY_SCENARIO_WORKER_THREADS: 'scenarioWorkerThreads',
  CITYBAY_ALLOCATION_OPTIONS: 'allocationOptionsPath',
  CITYBAY_PUBLIC_URL: 'publicBaseUrl',
  CITYBAY_DRIVER_PAGE_REFRESH_S: 'driverPageRefreshS',
};

/** Shortest re-optimisation interval other than 0 (off): each run re-solves every site's day. */
const MIN_REOPTIMISE_INTERVAL_MS = 1_000;

/**
 * The numeric settings, read as JavaScript reads a number: TypeBox's own conversion cuts `1500.5` to 1500 and
 * `9e5` to 9 without a word. Text that is no number is left out, for the schema check to name.
 */
function numbersOf(raw: Record<string, unknown>): Record<string, number> {
  const numbers: Record<string, number> = {};
  for (const [key, value] of Object.entries(raw)) {
    const type = (CentralConfigSchema.properties as Record<string, { type?: string }>)[key]?.type;
    if (type !== 'integer' && type !== 'number') continue;
    if (typeof value === 'number') numbers[key] = value;
    else if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
      numbers[key] = Number(value);
    }
  }
  return numbers;
}

/**
 * Builds the configuration from environment variables (`DATABASE_URL`, `CITYBAY_*`) and explicit overrides
 * (which win), validates it and freezes it. The only place in central that reads the environment.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<Record<keyof CentralConfig, unknown>> = {},
): CentralConfig {
  const raw: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  Object.assign(raw, Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)));
  // TypeBox's conversion would also round a fraction given for a whole number; the numbers are put back over it.
  const numbers = numbersOf(raw);
  const convertedRaw = Value.Convert(CentralConfigSchema, raw) as object;
  const converted = Value.Default(CentralConfigSchema, { ...convertedRaw, ...numbers });
  const first = [...Value.Errors(CentralConfigSchema, converted)][0];
  if (first) {
    const key = first.path.replace(/^\//, '').replace(/\//g, '.');
    const envName = Object.entries(ENV_KEYS).find(([, k]) => k === key)?.[0];
    throw errors.CB_CENTRAL_CONFIG_INVALID(
      `central config: ${key || '(root)'}${envName ? ` (${envName})` : ''}: ${first.message}, got ${JSON.stringify(first.value)}`,
      { path: key },
    );
  }
  const config = converted as CentralConfig;
  if ((config.tlsCertPath === undefined) !== (config.tlsKeyPath === undefined)) {
    throw errors.CB_CENTRAL_CONFIG_INVALID('central config: tlsCertPath and tlsKeyPath must be given together', {
      path: config.tlsCertPath === undefined ? 'tlsCertPath' : 'tlsKeyPath',
    });
  }
  if (config.reoptimiseIntervalMs > 0 && config.reoptimiseIntervalMs < MIN_REOPTIMISE_INTERVAL_MS) {
    throw errors.CB_CENTRAL_CONFIG_INVALID(
      `central config: reoptimiseIntervalMs (CITYBAY_REOPTIMISE_INTERVAL_MS): expected 0 (off) or at least ${MIN_REOPTIMISE_INTERVAL_MS}, got ${config.reoptimiseIntervalMs}`,
      { path: 'reoptimiseIntervalMs' },
    );
  }
  return Object.freeze(config);
}
