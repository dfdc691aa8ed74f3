import type { BayReservation, Directives, LotOverride, SignOverride, SyncRequest } from '@citybay/proto';
import type { ScenarioResult } from '@citybay/sim';
import pg from 'pg';
import {
  type DirectivesDoc,
  directivesForWire,
  emptyDirectivesDoc,
  withConfigVersion,
  withLotOverride,
  withoutLotOverride,
  withoutSignOverride,
  withReservations,
  withSignOverride,
} from '../core/directives-doc.js';
import { historyPointsOf } from '../core/history-bucket.js';
import { gapSeqCount } from '../core/ingest-plan.js';
import type { SiteDefinition } from '../core/site-definition.js';
import { errors } from '../errors.js';
import { checkNotNewer, loadMigrations } from './migrations.js';
import { PostgresIngester } from './postgres-ingest.js';
import { PostgresRunner } from './postgres-runner.js';
import { appointmentDaysOf, saveAppointmentDayRow } from './postgres-appointment-days.js';
import { SqlScenarioJobRepository } from './scenario-job-repository.js';
import { SqlDriverLinkRepository } from './driver-link-repository.js';
import { SqlWhatIfRepository } from './whatif-repository.js';
import {
  appointmentDayFromRow,
  deviceFromRow,
  edgeStatusFromRow,
  gateFromRow,
  historyRowFromRow,
  signFromRow,
  zoneStateFromRow,
} from './rows.js';
import type {
  AppointmentDay,
  CentralStore,
  EdgeRecord,
  HistoryQuery,
  IngestResult,
  NewScenarioJob,
  ScenarioJobLease,
  WhatIfScenario,
} from './store.js';

export interface PostgresStoreOptions {
  /** `postgres://user@host:port/database`. */
  connectionString: string;
  /** Schema for every table (created by `migrate`). Default `public`. */
  schema?: string;
  /** Pool size. Default 8. */
  poolSize?: number;
}

type Row = Record<string, unknown>;
const INT8_OID = 20;
// Every BIGINT here is ms since the epoch, a seq or a count: far below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};
const MIGRATION_LOCK_KEY = 7_420_311;

/** The shared store: many stateless central instances on one PostgreSQL database. */
export class PostgresStore implements CentralStore {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly schema: string;
  private readonly directivesCache = new Map<string, { version: number; doc: DirectivesDoc }>();
  private readonly ingester: PostgresIngester;
  private readonly scenarioJobs: SqlScenarioJobRepository;
  private readonly whatIf: SqlWhatIfRepository;
  private readonly driverLinks: SqlDriverLinkRepository;

  constructor(options: PostgresStoreOptions) {
    this.schema = options.schema ?? 'public';

    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.schema))
      throw errors.CB_CENTRAL_CONFIG_INVALID(`bad schema name "${this.schema}"`);
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 8,
      options: `-c search_path=${this.schema}`,
      types,
      connectionTimeoutMillis: 5_000,
    });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.ingester = new PostgresIngester(
      () => this.connect(),
      (client, siteId, version) => this.directivesAt(client, siteId, version),
      Math.max(1, Math.floor((options.poolSize ?? 8) / 2)),
    );
    const runner = new PostgresRunner(this.pool);
    this.scenarioJobs = new SqlScenarioJobRepository(runner);
    this.whatIf = new SqlWhatIfRepository(runner);
    this.driverLinks = new SqlDriverLinkRepository(runner);
  }

  private async tx<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (cause) {
      throw errors.CB_STORE_UNAVAILABLE(`PostgreSQL is unreachable (${(cause as Error).message})`, { cause });
    }
  }

  private async rows(sql: string, params: unknown[] = []): Promise<Row[]> {
    const client = await this.connect();
    try {
      return (await client.query(sql, params)).rows as Row[];
    } finally {
      client.release();
    }
  }

  async migrate(): Promise<number[]> {
    const migrations = loadMigrations('postgres');
    return this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await c.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_ms BIGINT)',
      );
      const applied = new Set(
        (await c.query('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)),
      );
      checkNotNewer('PostgreSQL', Math.max(0, ...applied), migrations);
      const done: number[] = [];
      for (const m of migrations) {
        if (applied.has(m.version)) continue;
        await c.query(m.sql);
        await c.query('INSERT INTO schema_migrations VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
        done.push(m.version);
      }
      return done;
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async ping(): Promise<boolean> {
    try {
      await this.rows('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /** Drops this store's schema and everything in it (tests). */
  async dropSchema(): Promise<void> {
    await this.rows(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
  }

  private async loadDirectives(c: pg.PoolClient, siteId: string, lock = false): Promise<DirectivesDoc> {
    const r = await c.query(`SELECT version FROM site_directives WHERE site_id = $1${lock ? ' FOR UPDATE' : ''}`, [
      siteId,
    ]);
    if (r.rows.length === 0) return emptyDirectivesDoc();
    return this.directivesAt(c, siteId, Number(r.rows[0].version));
  }

  private async directivesAt(c: pg.PoolClient, siteId: string, version: number): Promise<DirectivesDoc> {
    const cached = this.directivesCache.get(siteId);
    if (cached && cached.version === version) return cached.doc;
    const r = await c.query('SELECT doc_json FROM site_directives WHERE site_id = $1', [siteId]);
    const doc = r.rows.length === 0 ? emptyDirectivesDoc() : (JSON.parse(String(r.rows[0].doc_json)) as DirectivesDoc);
    this.directivesCache.set(siteId, { version: doc.version, doc });
    return doc;
  }

  private async saveDirectives(c: pg.PoolClient, siteId: string, doc: DirectivesDoc): Promise<void> {
    await c.query(
      `INSERT INTO site_directives (site_id, version, doc_json) VALUES ($1, $2, $3)
       ON CONFLICT (site_id) DO UPDATE SET version = excluded.version, doc_json = excluded.doc_json`,
      [siteId, doc.version, JSON.stringify(doc)],
    );
  }

  async putSite(site: SiteDefinition, nowMs: number): Promise<void> {
    await this.tx(async (c) => {
      await c.query(
        `INSERT INTO sites (site_id, definition_json, updated_ms) VALUES ($1, $2, $3)
         ON CONFLICT (site_id) DO UPDATE SET definition_json = excluded.definition_json, updated_ms = excluded.updated_ms`,
        [site.id, JSON.stringify(site), nowMs],
      );
      const doc = await this.loadDirectives(c, site.id, true);
      const next = withConfigVersion(doc, site.configVersion ?? '', nowMs);
      if (next !== doc || doc.version === 0) await this.saveDirectives(c, site.id, next);
    });
  }

  async getSite(siteId: string): Promise<SiteDefinition | undefined> {
    const rows = await this.rows('SELECT definition_json FROM sites WHERE site_id = $1', [siteId]);
    return rows[0] ? (JSON.parse(String(rows[0].definition_json)) as SiteDefinition) : undefined;
  }

  async listSites(): Promise<SiteDefinition[]> {
    const rows = await this.rows('SELECT definition_json FROM sites ORDER BY site_id');
    return rows.map((r) => JSON.parse(String(r.definition_json)) as SiteDefinition);
  }

  async listSiteVersions(): Promise<Array<{ siteId: string; updatedMs: number }>> {
    const rows = await this.rows('SELECT site_id, updated_ms FROM sites ORDER BY site_id');
    return rows.map((r) => ({ siteId: String(r.site_id), updatedMs: Number(r.updated_ms) }));
  }

  async addEdge(siteId: string, edgeId: string, secretHash: string, nowMs: number): Promise<void> {
    await this.tx(async (c) => {
      if ((await c.query('SELECT 1 FROM sites WHERE site_id = $1', [siteId])).rows.length === 0) {
        throw errors.CB_SITE_UNKNOWN(`site "${siteId}" is not known: add it first`);
      }
      const inserted = await c.query(
        'INSERT INTO edges (edge_id, site_id, created_ms) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [edgeId, siteId, nowMs],
      );
      if (inserted.rowCount === 0) throw errors.CB_EDGE_EXISTS(`edge "${edgeId}" already exists`);
      await c.query('INSERT INTO edge_secrets (edge_id, secret_hash, created_ms) VALUES ($1, $2, $3)', [
        edgeId,
        secretHash,
        nowMs,
      ]);
    });
  }

  private async keepNewestSecrets(c: pg.PoolClient, edgeId: string, keep: number): Promise<void> {
    await c.query(
      `DELETE FROM edge_secrets WHERE edge_id = $1 AND secret_hash NOT IN
        (SELECT secret_hash FROM edge_secrets WHERE edge_id = $1 ORDER BY created_ms DESC, ctid DESC LIMIT $2)`,
      [edgeId, keep],
    );
  }

  async addEdgeSecret(edgeId: string, secretHash: string, nowMs: number): Promise<void> {
    await this.tx(async (c) => {
      if ((await c.query('SELECT 1 FROM edges WHERE edge_id = $1 FOR UPDATE', [edgeId])).rows.length === 0) {
        throw errors.CB_EDGE_UNKNOWN(`edge "${edgeId}" is not known`);
      }
      await c.query('INSERT INTO edge_secrets (edge_id, secret_hash, created_ms) VALUES ($1, $2, $3)', [
        edgeId,
        secretHash,
        nowMs,
      ]);
      await this.keepNewestSecrets(c, edgeId, 2);
    });
  }

  async dropOldEdgeSecrets(edgeId: string): Promise<void> {
    await this.tx(async (c) => {
      if ((await c.query('SELECT 1 FROM edges WHERE edge_id = $1 FOR UPDATE', [edgeId])).rows.length === 0) {
        throw errors.CB_EDGE_UNKNOWN(`edge "${edgeId}" is not known`);
      }
      await this.keepNewestSecrets(c, edgeId, 1);
    });
  }

  async getEdge(edgeId: string): Promise<EdgeRecord | undefined> {
    const rows = await this.rows(
      `SELECT e.site_id, e.created_ms, s.secret_hash FROM edges e LEFT JOIN edge_secrets s ON s.edge_id = e.edge_id
       WHERE e.edge_id = $1 ORDER BY s.created_ms DESC`,
      [edgeId],
    );
    const first = rows[0];
    if (!first) return undefined;
    return {
      edgeId,
      siteId: String(first.site_id),
      createdMs: Number(first.created_ms),
      secretHashes: rows.filter((r) => r.secret_hash !== null).map((r) => String(r.secret_hash)),
    };
  }

  async listEdgeStatus(siteId: string) {
    const rows = await this.rows(
      `SELECT e.*, (SELECT count(*) FROM edge_secrets s WHERE s.edge_id = e.edge_id) AS secret_count
       FROM edges e WHERE site_id = $1 ORDER BY edge_id`,
      [siteId],
    );
    return rows.map((r) => edgeStatusFromRow(r, gapSeqCount(JSON.parse(String(r.gaps_json)))));
  }

  /** See {@link PostgresIngester}: group commit over optimistic, two-round-trip batch writes. */
  ingest(request: SyncRequest, rawBody: Uint8Array, receivedMs: number): Promise<IngestResult> {
    return this.ingester.ingest(request, rawBody, receivedMs);
  }

  async listZoneStates(siteId: string) {
    return (await this.rows('SELECT * FROM zone_state WHERE site_id = $1 ORDER BY lot_id, zone_id', [siteId])).map(
      zoneStateFromRow,
    );
  }

  async listHistory(q: HistoryQuery) {
    const rows = await this.rows(
      `SELECT site_id, bucket_ms, zones_json FROM zone_history WHERE site_id = $1 AND bucket_ms >= $2 AND bucket_ms < $3
       ORDER BY bucket_ms, edge_id LIMIT $4`,
      [q.siteId, q.fromMs, q.toMs, q.limit],
    );
    return historyPointsOf(rows.map(historyRowFromRow), q.lotId, q.zoneId, q.limit);
  }

  async listDevices(siteId: string) {
    return (await this.rows('SELECT * FROM device_health WHERE site_id = $1 ORDER BY device_id', [siteId])).map(
      deviceFromRow,
    );
  }

  async listSigns(siteId: string) {
    return (await this.rows('SELECT * FROM sign_faces WHERE site_id = $1 ORDER BY sign_id', [siteId])).map(signFromRow);
  }

  async listGates(siteId: string) {
    return (await this.rows('SELECT * FROM gate_counts WHERE site_id = $1 ORDER BY lot_id, gate_id', [siteId])).map(
      gateFromRow,
    );
  }

  async listRawBatches(edgeId: string): Promise<Array<[number, number]>> {
    const rows = await this.rows('SELECT first_seq, last_seq FROM sync_batches WHERE edge_id = $1 ORDER BY id', [
      edgeId,
    ]);
    return rows.map((r) => [Number(r.first_seq), Number(r.last_seq)]);
  }

  async getDirectives(siteId: string): Promise<Directives> {
    const client = await this.connect();
    try {
      return directivesForWire(siteId, await this.loadDirectives(client, siteId), 0);
    } finally {
      client.release();
    }
  }

  private changeDirectives(siteId: string, change: (doc: DirectivesDoc) => DirectivesDoc): Promise<Directives> {
    return this.tx((c) => this.changeDirectivesOn(c, siteId, change));
  }

  private async changeDirectivesOn(
    c: pg.PoolClient,
    siteId: string,
    change: (doc: DirectivesDoc) => DirectivesDoc,
  ): Promise<Directives> {
    if ((await c.query('SELECT 1 FROM sites WHERE site_id = $1', [siteId])).rows.length === 0) {
      throw errors.CB_SITE_UNKNOWN(`site "${siteId}" is not known`);
    }
    const before = await this.loadDirectives(c, siteId, true);
    const after = change(before);
    if (after !== before) await this.saveDirectives(c, siteId, after);
    return directivesForWire(siteId, after, 0);
  }

  async putLotOverride(siteId: string, override: LotOverride, nowMs: number) {
    return this.changeDirectives(siteId, (doc) => withLotOverride(doc, override, nowMs));
  }
  async removeLotOverride(siteId: string, lotId: string, zoneId: string, nowMs: number) {
    return this.changeDirectives(siteId, (doc) => withoutLotOverride(doc, lotId, zoneId, nowMs));
  }
  async putSignOverride(siteId: string, override: SignOverride, nowMs: number) {
    return this.changeDirectives(siteId, (doc) => withSignOverride(doc, override, nowMs));
  }
  async removeSignOverride(siteId: string, signId: string, nowMs: number) {
    return this.changeDirectives(siteId, (doc) => withoutSignOverride(doc, signId, nowMs));
  }
  async updateReservations(
    siteId: string,
    upsert: readonly BayReservation[],
    removeIds: readonly string[],
    nowMs: number,
  ) {
    return this.changeDirectives(siteId, (doc) => withReservations(doc, upsert, removeIds, nowMs));
  }

  async listDirectivesLog(siteId: string, limit: number) {
    const rows = await this.rows('SELECT * FROM directives_log WHERE site_id = $1 ORDER BY id DESC LIMIT $2', [
      siteId,
      limit,
    ]);
    return rows.map((r) => ({
      siteId: String(r.site_id),
      edgeId: String(r.edge_id),
      version: Number(r.version),
      sentMs: Number(r.sent_ms),
    }));
  }

  async getAppointmentDay(siteId: string, dayStartMs: number): Promise<AppointmentDay | undefined> {
    const rows = await this.rows('SELECT * FROM appointment_days WHERE site_id = $1 AND day_start_ms = $2', [
      siteId,
      dayStartMs,
    ]);
    return rows[0] ? appointmentDayFromRow(rows[0]) : undefined;
  }

  async appointmentDaysOf(siteId: string, appointmentIds: readonly string[]): Promise<Map<string, number>> {
    return appointmentDaysOf((sql, values) => this.rows(sql, values), siteId, appointmentIds);
  }

  async saveAppointmentDays(
    siteId: string,
    days: readonly AppointmentDay[],
    reservations: { upsert: readonly BayReservation[]; removeIds: readonly string[] },
    nowMs: number,
  ): Promise<void> {
    await this.tx(async (c) => {
      for (const day of days) await saveAppointmentDayRow(c, day, nowMs);
      await this.changeDirectivesOn(c, siteId, (doc) =>
        withReservations(doc, reservations.upsert, reservations.removeIds, nowMs),
      );
    });
  }

  async createScenarioJob(job: NewScenarioJob, nowMs: number) {
    return this.scenarioJobs.createScenarioJob(job, nowMs);
  }
  async recordScenarioJobProgress(id: string, completedRuns: number, lease: ScenarioJobLease) {
    return this.scenarioJobs.recordScenarioJobProgress(id, completedRuns, lease);
  }
  async finishScenarioJob(id: string, results: readonly ScenarioResult[], lease: ScenarioJobLease) {
    return this.scenarioJobs.finishScenarioJob(id, results, lease);
  }
  async failScenarioJob(id: string, error: string, lease: ScenarioJobLease) {
    return this.scenarioJobs.failScenarioJob(id, error, lease);
  }
  async failOwnedScenarioJobs(ownerId: string, error: string, nowMs: number) {
    return this.scenarioJobs.failOwnedScenarioJobs(ownerId, error, nowMs);
  }
  async getScenarioJob(id: string, lease: ScenarioJobLease) {
    return this.scenarioJobs.getScenarioJob(id, lease);
  }
  async listScenarioJobs(lease: ScenarioJobLease) {
    return this.scenarioJobs.listScenarioJobs(lease);
  }
  async getScenarioJobResults(id: string) {
    return this.scenarioJobs.getScenarioJobResults(id);
  }
  async pruneScenarioJobs(keepFinished: number, lease: ScenarioJobLease) {
    return this.scenarioJobs.pruneScenarioJobs(keepFinished, lease);
  }

  async putWhatIfScenario(scenario: WhatIfScenario, keepNewest: number) {
    return this.whatIf.putWhatIfScenario(scenario, keepNewest);
  }
  async listWhatIfScenarios() {
    return this.whatIf.listWhatIfScenarios();
  }
  async getWhatIfScenario(id: string) {
    return this.whatIf.getWhatIfScenario(id);
  }

  async ensureDriverLinks(
    siteId: string,
    dayStartMs: number,
    appointmentIds: readonly string[],
    makeToken: () => string,
    nowMs: number,
  ) {
    return this.driverLinks.ensureDriverLinks(siteId, dayStartMs, appointmentIds, makeToken, nowMs);
  }
  async getDriverLink(token: string) {
    return this.driverLinks.getDriverLink(token);
  }

  async prune(rawBeforeMs: number, historyBeforeMs: number) {
    return this.tx(async (c) => ({
      rawBatches: (await c.query('DELETE FROM sync_batches WHERE received_ms < $1', [rawBeforeMs])).rowCount ?? 0,
      historyPoints: (await c.query('DELETE FROM zone_history WHERE bucket_ms < $1', [historyBeforeMs])).rowCount ?? 0,
    }));
  }
}
