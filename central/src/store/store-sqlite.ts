import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BayReservation, Directives, LotOverride, SignOverride, SyncRequest } from '@citybay/proto';
import type { ScenarioResult } from '@citybay/sim';
import Database from 'better-sqlite3';
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
import { historyPointsOf, mergeHistoryBucket, pointsByBucket } from '../core/history-bucket.js';
import { gapSeqCount, ingestResultOf, planIngest } from '../core/ingest-plan.js';
import type { SiteDefinition } from '../core/site-definition.js';
import { errors } from '../errors.js';
import { checkNotNewer, loadMigrations } from './migrations.js';
import { PreparedStatements } from './sqlite-prepared.js';
import { SqliteRunner } from './sqlite-runner.js';
import { appointmentDaysOf, saveAppointmentDayRow } from './sqlite-appointment-days.js';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';
import { SqlScenarioJobRepository } from './scenario-job-repository.js';
import { SqlDriverLinkRepository } from './driver-link-repository.js';
import { SqlWhatIfRepository } from './whatif-repository.js';
import { MAX_ROWS_PER_UPSERT, SQL, UPSERT, type UpsertSpec } from './sqlite-statements.js';
import {
  appointmentDayFromRow,
  deviceFromRow,
  edgeStatusFromRow,
  gateFromRow,
  historyRowFromRow,
  signFromRow,
  syncStateFromRow,
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

export interface SqliteStoreOptions {
  /** Database file; `:memory:` for a private in-memory database. */
  path: string;
  /** `synchronous` pragma. Default `NORMAL` (WAL: durable across a crash of the process). */
  synchronous?: 'NORMAL' | 'FULL';
  /** Told when a background WAL checkpoint fails. Default: ignored (the writer's safety net still bounds the WAL). */
  onBackgroundError?: (message: string) => void;
}

type Row = Record<string, unknown>;

/** Most sync batches committed together. */
const MAX_GROUP_COMMIT = 64;

interface IngestItem {
  request: SyncRequest;
  rawBody: Uint8Array;
  receivedMs: number;
}

/** The embedded store: one SQLite file in WAL mode, prepared statements, group commit of sync batches. */
export class SqliteStore implements CentralStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly prepared: PreparedStatements;
  // Parsed directives by site, reused while the stored version is unchanged.
  private readonly directivesCache = new Map<string, { version: number; doc: DirectivesDoc }>();
  private checkpointer: SqliteCheckpointer | undefined;
  private readonly scenarioJobs: SqlScenarioJobRepository;
  private readonly whatIf: SqlWhatIfRepository;
  private readonly driverLinks: SqlDriverLinkRepository;
  private readonly ingests: SqliteGroupCommit<IngestItem, IngestResult>;

  constructor(options: SqliteStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.prepared = new PreparedStatements(this.db);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('cache_size = -65536');
    this.db.pragma('temp_store = MEMORY');
    const runner = new SqliteRunner(this.prepared);
    this.scenarioJobs = new SqlScenarioJobRepository(runner);
    this.whatIf = new SqlWhatIfRepository(runner);
    this.driverLinks = new SqlDriverLinkRepository(runner);
    this.ingests = new SqliteGroupCommit(
      this.db,
      ({ request, rawBody, receivedMs }: IngestItem) => this.ingestOne(request, rawBody, receivedMs),
      MAX_GROUP_COMMIT,
    );
    if (options.path !== ':memory:') {
      // Checkpoints run on a background thread; the writer's own automatic one is only a safety net
      // (80 MB of WAL) should that thread stall, because inside a commit it costs that request tens of ms.
      this.db.pragma('wal_autocheckpoint = 20000');
      this.checkpointer = new SqliteCheckpointer(options.path, options.onBackgroundError ?? (() => undefined));
    }
  }

  private st(sql: string): Database.Statement {
    return this.prepared.get(sql);
  }

  private upsertMany(spec: UpsertSpec, rows: unknown[][]): void {
    for (let i = 0; i < rows.length; i += MAX_ROWS_PER_UPSERT) {
      const chunk = rows.slice(i, i + MAX_ROWS_PER_UPSERT);
      const values = Array.from({ length: chunk.length }, () => `(${Array(spec.width).fill('?').join(', ')})`);
      this.st(`${spec.head}${values.join(', ')} ${spec.tail}`).run(...chunk.flat());
    }
  }

  async migrate(): Promise<number[]> {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_ms INTEGER)',
    );
    const migrations = loadMigrations('sqlite');
    const applied = new Set(
      (this.db.prepare('SELECT version FROM schema_migrations').all() as Row[]).map((r) => Number(r.version)),
    );
    checkNotNewer('SQLite', Math.max(0, ...applied), migrations);
    const done: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      this.db.transaction(() => {
        this.db.exec(m.sql);
        this.db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
      })();
      done.push(m.version);
    }
    return done;
  }

  async close(): Promise<void> {
    await this.checkpointer?.close();
    this.checkpointer = undefined;
    if (this.db.open) this.db.close();
  }

  async ping(): Promise<boolean> {
    return this.db.open && this.db.prepare('SELECT 1 AS ok').get() !== undefined;
  }

  async putSite(site: SiteDefinition, nowMs: number): Promise<void> {
    this.db.transaction(() => {
      this.st(
        `INSERT INTO sites (site_id, definition_json, updated_ms) VALUES (?, ?, ?)
         ON CONFLICT (site_id) DO UPDATE SET definition_json = excluded.definition_json, updated_ms = excluded.updated_ms`,
      ).run(site.id, JSON.stringify(site), nowMs);
      this.saveDirectives(site.id, withConfigVersion(this.loadDirectives(site.id), site.configVersion ?? '', nowMs));
    })();
  }

  async getSite(siteId: string): Promise<SiteDefinition | undefined> {
    const row = this.st('SELECT definition_json FROM sites WHERE site_id = ?').get(siteId) as Row | undefined;
    return row ? (JSON.parse(String(row.definition_json)) as SiteDefinition) : undefined;
  }

  async listSites(): Promise<SiteDefinition[]> {
    return (this.st('SELECT definition_json FROM sites ORDER BY site_id').all() as Row[]).map(
      (r) => JSON.parse(String(r.definition_json)) as SiteDefinition,
    );
  }

  async listSiteVersions(): Promise<Array<{ siteId: string; updatedMs: number }>> {
    const rows = this.st('SELECT site_id, updated_ms FROM sites ORDER BY site_id').all() as Row[];
    return rows.map((r) => ({ siteId: String(r.site_id), updatedMs: Number(r.updated_ms) }));
  }

  async addEdge(siteId: string, edgeId: string, secretHash: string, nowMs: number): Promise<void> {
    this.db.transaction(() => {
      if (!this.st('SELECT 1 FROM sites WHERE site_id = ?').get(siteId)) {
        throw errors.CB_SITE_UNKNOWN(`site "${siteId}" is not known: add it first`);
      }
      if (this.st(SQL.edge).get(edgeId)) throw errors.CB_EDGE_EXISTS(`edge "${edgeId}" already exists`);
      this.st('INSERT INTO edges (edge_id, site_id, created_ms) VALUES (?, ?, ?)').run(edgeId, siteId, nowMs);
      this.st('INSERT INTO edge_secrets (edge_id, secret_hash, created_ms) VALUES (?, ?, ?)').run(
        edgeId,
        secretHash,
        nowMs,
      );
    })();
  }

  async addEdgeSecret(edgeId: string, secretHash: string, nowMs: number): Promise<void> {
    this.db.transaction(() => {
      if (!this.st(SQL.edge).get(edgeId)) throw errors.CB_EDGE_UNKNOWN(`edge "${edgeId}" is not known`);
      this.st('INSERT INTO edge_secrets (edge_id, secret_hash, created_ms) VALUES (?, ?, ?)').run(
        edgeId,
        secretHash,
        nowMs,
      );
      this.st(
        `DELETE FROM edge_secrets WHERE edge_id = ? AND secret_hash NOT IN
          (SELECT secret_hash FROM edge_secrets WHERE edge_id = ? ORDER BY created_ms DESC, rowid DESC LIMIT 2)`,
      ).run(edgeId, edgeId);
    })();
  }

  async dropOldEdgeSecrets(edgeId: string): Promise<void> {
    if (!this.st(SQL.edge).get(edgeId)) throw errors.CB_EDGE_UNKNOWN(`edge "${edgeId}" is not known`);
    this.st(
      `DELETE FROM edge_secrets WHERE edge_id = ? AND secret_hash NOT IN
        (SELECT secret_hash FROM edge_secrets WHERE edge_id = ? ORDER BY created_ms DESC, rowid DESC LIMIT 1)`,
    ).run(edgeId, edgeId);
  }

  async getEdge(edgeId: string): Promise<EdgeRecord | undefined> {
    const row = this.st(SQL.edge).get(edgeId) as Row | undefined;
    if (!row) return undefined;
    const secrets = this.st('SELECT secret_hash FROM edge_secrets WHERE edge_id = ? ORDER BY created_ms DESC').all(
      edgeId,
    ) as Row[];
    return {
      edgeId,
      siteId: String(row.site_id),
      secretHashes: secrets.map((r) => String(r.secret_hash)),
      createdMs: Number(row.created_ms),
    };
  }

  async listEdgeStatus(siteId: string) {
    const rows = this.st(
      `SELECT e.*, (SELECT count(*) FROM edge_secrets s WHERE s.edge_id = e.edge_id) AS secret_count
       FROM edges e WHERE site_id = ? ORDER BY edge_id`,
    ).all(siteId) as Row[];
    return rows.map((r) => edgeStatusFromRow(r, gapSeqCount(JSON.parse(String(r.gaps_json)))));
  }

  private loadDirectives(siteId: string): DirectivesDoc {
    const versionRow = this.st(SQL.directivesVersion).get(siteId) as Row | undefined;
    if (!versionRow) return emptyDirectivesDoc();
    const version = Number(versionRow.version);
    const cached = this.directivesCache.get(siteId);
    if (cached && cached.version === version) return cached.doc;
    const row = this.st(SQL.directivesDoc).get(siteId) as Row;
    const doc = JSON.parse(String(row.doc_json)) as DirectivesDoc;
    this.directivesCache.set(siteId, { version, doc });
    return doc;
  }

  private saveDirectives(siteId: string, doc: DirectivesDoc): void {
    this.st(SQL.directivesPut).run(siteId, doc.version, JSON.stringify(doc));
  }

  /** Batches arriving in the same turn of the event loop share one commit (`SqliteGroupCommit`). */
  ingest(request: SyncRequest, rawBody: Uint8Array, receivedMs: number): Promise<IngestResult> {
    return this.ingests.submit({ request, rawBody, receivedMs });
  }

  private ingestOne(request: SyncRequest, rawBody: Uint8Array, receivedMs: number): IngestResult {
    // Nested inside the group's transaction, this is a savepoint.
    return this.db.transaction((): IngestResult => {
      const siteId = request.siteId ?? '';
      const edgeId = request.edgeId ?? '';
      const row = this.st(SQL.edge).get(edgeId) as Row | undefined;
      if (!row || row.site_id !== siteId) {
        throw errors.CB_SYNC_FORBIDDEN(`edge "${edgeId}" does not belong to site "${siteId}"`);
      }
      const bayBlob = row.bay_states as Buffer | null;
      const plan = planIngest(syncStateFromRow(row), request);
      this.upsertMany(
        UPSERT.zone,
        plan.zoneStates.map((z) => [
          siteId,
          z.lotId,
          z.zoneId,
          JSON.stringify(z.kinds),
          z.free,
          z.occupied,
          z.unknown,
          z.windowEndMs,
          edgeId,
          z.seq,
        ]),
      );
      for (const [bucketMs, points] of pointsByBucket(plan.history)) {
        const before = this.st(SQL.historyGet).get(siteId, bucketMs, edgeId) as Row | undefined;
        const merged = mergeHistoryBucket(before ? JSON.parse(String(before.zones_json)) : undefined, points);
        this.st(SQL.historyPut).run(siteId, bucketMs, edgeId, JSON.stringify(merged));
      }
      this.upsertMany(
        UPSERT.device,
        plan.devices.map((d) => [
          siteId,
          d.deviceId,
          edgeId,
          d.status,
          d.okCount,
          d.timeoutCount,
          d.crcErrorCount,
          d.exceptionCount,
          d.lastGoodMs,
          d.reportedMs,
        ]),
      );
      this.upsertMany(
        UPSERT.sign,
        plan.signs.map((x) => [siteId, x.signId, edgeId, JSON.stringify(x.lines), x.isFallback ? 1 : 0, x.reportedMs]),
      );
      this.upsertMany(
        UPSERT.gate,
        plan.gates.map((g) => [siteId, g.lotId, g.gateId, g.entriesTotal, g.exitsTotal, g.reportedMs]),
      );
      if (plan.storedSeqRange) {
        this.st(SQL.batch).run(siteId, edgeId, plan.storedSeqRange[0], plan.storedSeqRange[1], receivedMs, rawBody);
      }
      const doc = this.loadDirectives(siteId);
      const directivesSent = Number(row.directives_sent);
      if (doc.version !== directivesSent) this.st(SQL.logInsert).run(siteId, edgeId, doc.version, receivedMs);
      const bays = plan.hasBayChange && plan.next.bayStates ? plan.next.bayStates : bayBlob;
      this.st(SQL.edgeUpdate).run(
        plan.next.ackedSeq,
        JSON.stringify(plan.next.gaps),
        bays,
        plan.next.baysSeq,
        plan.hasZoneTableChange ? JSON.stringify(plan.next.zoneTable) : row.zones_json,
        plan.next.zonesSeq,
        receivedMs,
        plan.softwareVersion ?? row.software_version,
        plan.configVersion ?? row.config_version,
        request.directivesVersion ?? 0,
        doc.version,
        edgeId,
      );
      return ingestResultOf(plan, siteId, doc, receivedMs);
    })();
  }

  async listZoneStates(siteId: string) {
    return (this.st('SELECT * FROM zone_state WHERE site_id = ? ORDER BY lot_id, zone_id').all(siteId) as Row[]).map(
      zoneStateFromRow,
    );
  }

  async listHistory(q: HistoryQuery) {
    const rows = this.st(
      `SELECT site_id, bucket_ms, zones_json FROM zone_history WHERE site_id = ? AND bucket_ms >= ? AND bucket_ms < ?
       ORDER BY bucket_ms, edge_id LIMIT ?`,
    ).all(q.siteId, q.fromMs, q.toMs, q.limit) as Row[];
    return historyPointsOf(rows.map(historyRowFromRow), q.lotId, q.zoneId, q.limit);
  }

  async listDevices(siteId: string) {
    return (this.st('SELECT * FROM device_health WHERE site_id = ? ORDER BY device_id').all(siteId) as Row[]).map(
      deviceFromRow,
    );
  }

  async listSigns(siteId: string) {
    return (this.st('SELECT * FROM sign_faces WHERE site_id = ? ORDER BY sign_id').all(siteId) as Row[]).map(
      signFromRow,
    );
  }

  async listGates(siteId: string) {
    return (this.st('SELECT * FROM gate_counts WHERE site_id = ? ORDER BY lot_id, gate_id').all(siteId) as Row[]).map(
      gateFromRow,
    );
  }

  async listRawBatches(edgeId: string): Promise<Array<[number, number]>> {
    const rows = this.st('SELECT first_seq, last_seq FROM sync_batches WHERE edge_id = ? ORDER BY id').all(
      edgeId,
    ) as Row[];
    return rows.map((r) => [Number(r.first_seq), Number(r.last_seq)]);
  }

  async getDirectives(siteId: string): Promise<Directives> {
    return directivesForWire(siteId, this.loadDirectives(siteId), 0);
  }

  private changeDirectives(siteId: string, change: (doc: DirectivesDoc) => DirectivesDoc): Directives {
    return this.db.transaction(() => {
      if (!this.st('SELECT 1 FROM sites WHERE site_id = ?').get(siteId)) {
        throw errors.CB_SITE_UNKNOWN(`site "${siteId}" is not known`);
      }
      const before = this.loadDirectives(siteId);
      const after = change(before);
      if (after !== before) this.saveDirectives(siteId, after);
      return directivesForWire(siteId, after, 0);
    })();
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
    const rows = this.st('SELECT * FROM directives_log WHERE site_id = ? ORDER BY id DESC LIMIT ?').all(
      siteId,
      limit,
    ) as Row[];
    return rows.map((r) => ({
      siteId: String(r.site_id),
      edgeId: String(r.edge_id),
      version: Number(r.version),
      sentMs: Number(r.sent_ms),
    }));
  }

  async getAppointmentDay(siteId: string, dayStartMs: number): Promise<AppointmentDay | undefined> {
    const row = this.st('SELECT * FROM appointment_days WHERE site_id = ? AND day_start_ms = ?').get(
      siteId,
      dayStartMs,
    ) as Row | undefined;
    return row ? appointmentDayFromRow(row) : undefined;
  }

  async appointmentDaysOf(siteId: string, appointmentIds: readonly string[]): Promise<Map<string, number>> {
    return appointmentDaysOf(this.st.bind(this), siteId, appointmentIds);
  }

  async saveAppointmentDays(
    siteId: string,
    days: readonly AppointmentDay[],
    reservations: { upsert: readonly BayReservation[]; removeIds: readonly string[] },
    nowMs: number,
  ): Promise<void> {
    this.db.transaction(() => {
      for (const day of days) saveAppointmentDayRow(this.st.bind(this), day, nowMs);
      this.changeDirectives(siteId, (doc) => withReservations(doc, reservations.upsert, reservations.removeIds, nowMs));
    })();
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
    return this.db.transaction(() => ({
      rawBatches: this.st('DELETE FROM sync_batches WHERE received_ms < ?').run(rawBeforeMs).changes,
      historyPoints: this.st('DELETE FROM zone_history WHERE bucket_ms < ?').run(historyBeforeMs).changes,
    }))();
  }
}
