import { isCitybayError } from '@citybay/common';
import type { BayReservation, Directives, LotOverride, SignOverride, SyncRequest } from '@citybay/proto';
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
import { type HistoryBucket, historyPointsOf, mergeHistoryBucket, pointsByBucket } from '../core/history-bucket.js';
import { gapSeqCount, HISTORY_BUCKET_MS, type IngestPlan, missingSeqsOf, planIngest } from '../core/ingest-plan.js';
import type { SiteDefinition } from '../core/site-definition.js';
import { errors } from '../errors.js';
import { checkNotNewer, loadMigrations } from './migrations.js';
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
import type { AppointmentDay, CentralStore, EdgeRecord, HistoryQuery, IngestResult } from './store.js';

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

const INGEST_READ_SQL = `SELECT e.*, d.version AS directives_version,
    (SELECT json_agg(json_build_array(h.bucket_ms, h.zones_json)) FROM zone_history h
      WHERE h.site_id = e.site_id AND h.edge_id = e.edge_id AND h.bucket_ms = ANY($2::bigint[])) AS history
  FROM edges e LEFT JOIN site_directives d ON d.site_id = e.site_id WHERE e.edge_id = $1`;
/** Most batches committed in one transaction. */
const MAX_GROUP_COMMIT = 32;

interface PendingIngest {
  request: SyncRequest;
  rawBody: Uint8Array;
  receivedMs: number;
  resolve: (result: IngestResult) => void;
  reject: (error: unknown) => void;
}

/** Times a batch is planned again when other instances keep storing batches of the same edge meanwhile. */
const INGEST_ATTEMPTS = 5;

/** Collects query parameters and hands out typed placeholders, so the big ingest statement stays readable. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}


/**
 * One round trip writes everything a batch changes: each data-modifying CTE runs exactly once, and the
 * edge row (locked by the caller) is updated last.
 */
function ingestStatement(p: Params, siteId: string, edgeId: string, plan: IngestPlan, extra: IngestExtra): string {
  const site = p.add(siteId, 'text');
  const edge = p.add(edgeId, 'text');
  const z = plan.zoneStates;
  const d = plan.devices;
  const s = plan.signs;
  const g = plan.gates;
  // Rows travel as one JSON document per table: cheaper to build than typed arrays, and PostgreSQL unpacks them.
  const rows = (values: unknown[], columns: string) => `jsonb_to_recordset(${p.add(JSON.stringify(values), 'jsonb')}) AS t (${columns})`;
  const zones = rows(
    z.map((x) => ({ lot: x.lotId, zone: x.zoneId, kinds: x.kinds, free: x.free, occ: x.occupied, unk: x.unknown, wend: x.windowEndMs, seq: x.seq })),
    'lot text, zone text, kinds jsonb, free bigint, occ bigint, unk bigint, wend bigint, seq bigint',
  );
  const history = rows(extra.history, 'b bigint, z jsonb');
  const devices = rows(
    d.map((x) => ({
      id: x.deviceId,
      st: x.status,
      ok: x.okCount,
      tmo: x.timeoutCount,
      crc: x.crcErrorCount,
      exc: x.exceptionCount,
      good: x.lastGoodMs,
      rep: x.reportedMs,
    })),
    'id text, st text, ok bigint, tmo bigint, crc bigint, exc bigint, good bigint, rep bigint',
  );
  const signs = rows(
    s.map((x) => ({ id: x.signId, lines: x.lines, fb: x.isFallback ? 1 : 0, rep: x.reportedMs })),
    'id text, lines jsonb, fb bigint, rep bigint',
  );
  const gates = rows(
    g.map((x) => ({ lot: x.lotId, gate: x.gateId, ent: x.entriesTotal, ex: x.exitsTotal, rep: x.reportedMs })),
    'lot text, gate text, ent bigint, ex bigint, rep bigint',
  );
  const received = p.add(extra.receivedMs, 'bigint');
  const firstSeq = p.add(plan.storedSeqRange?.[0] ?? 0, 'bigint');
  const version = p.add(extra.directivesVersion, 'bigint');
  // The edge row is claimed first (only if nobody moved it on since it was read); every write below happens
  // only when that claim succeeded, so the statement stores the whole batch or nothing.
  return `
WITH u AS (
  UPDATE edges SET acked_seq = ${p.add(plan.next.ackedSeq, 'bigint')}, gaps_json = ${p.add(JSON.stringify(plan.next.gaps), 'text')},
    bay_states = ${p.add(extra.bayStates, 'bytea')}, bays_seq = ${p.add(plan.next.baysSeq, 'bigint')},
    zones_json = ${p.add(extra.zonesJson, 'text')}, zones_seq = ${p.add(plan.next.zonesSeq, 'bigint')},
    last_seen_ms = ${received}, software_version = ${p.add(extra.softwareVersion, 'text')},
    config_version = ${p.add(extra.configVersion, 'text')}, directives_applied = ${p.add(extra.directivesApplied, 'bigint')},
    directives_sent = ${version},
    sync_version = sync_version + 1
  WHERE edge_id = ${edge} AND sync_version = ${p.add(extra.syncVersion, 'bigint')}
  RETURNING 1
), z AS (
  INSERT INTO zone_state (site_id, lot_id, zone_id, kinds_json, free, occupied, unknown, window_end_ms, edge_id, seq)
  SELECT ${site}, t.lot, t.zone, t.kinds::text, t.free, t.occ, t.unk, t.wend, ${edge}, t.seq FROM ${zones} WHERE EXISTS (SELECT 1 FROM u)
  ON CONFLICT (site_id, lot_id, zone_id) DO UPDATE SET kinds_json = excluded.kinds_json, free = excluded.free,
    occupied = excluded.occupied, unknown = excluded.unknown, window_end_ms = excluded.window_end_ms,
    edge_id = excluded.edge_id, seq = excluded.seq
  WHERE excluded.window_end_ms >= zone_state.window_end_ms
), h AS (
  INSERT INTO zone_history (site_id, bucket_ms, edge_id, zones_json) SELECT ${site}, t.b, ${edge}, t.z::text FROM ${history} WHERE EXISTS (SELECT 1 FROM u)
  ON CONFLICT (site_id, bucket_ms, edge_id) DO UPDATE SET zones_json = excluded.zones_json
), d AS (
  INSERT INTO device_health (site_id, device_id, edge_id, status, ok_count, timeout_count, crc_error_count, exception_count, last_good_ms, reported_ms)
  SELECT ${site}, t.id, ${edge}, t.st, t.ok, t.tmo, t.crc, t.exc, t.good, t.rep FROM ${devices} WHERE EXISTS (SELECT 1 FROM u)
  ON CONFLICT (site_id, device_id) DO UPDATE SET edge_id = excluded.edge_id, status = excluded.status,
    ok_count = excluded.ok_count, timeout_count = excluded.timeout_count, crc_error_count = excluded.crc_error_count,
    exception_count = excluded.exception_count, last_good_ms = excluded.last_good_ms, reported_ms = excluded.reported_ms
  WHERE excluded.reported_ms >= device_health.reported_ms
), s AS (
  INSERT INTO sign_faces (site_id, sign_id, edge_id, lines_json, is_fallback, reported_ms)
  SELECT ${site}, t.id, ${edge}, t.lines::text, t.fb, t.rep FROM ${signs} WHERE EXISTS (SELECT 1 FROM u)
  ON CONFLICT (site_id, sign_id) DO UPDATE SET edge_id = excluded.edge_id, lines_json = excluded.lines_json,
    is_fallback = excluded.is_fallback, reported_ms = excluded.reported_ms
  WHERE excluded.reported_ms >= sign_faces.reported_ms
), g AS (
  INSERT INTO gate_counts (site_id, lot_id, gate_id, entries_total, exits_total, reported_ms)
  SELECT ${site}, t.lot, t.gate, t.ent, t.ex, t.rep FROM ${gates} WHERE EXISTS (SELECT 1 FROM u)
  ON CONFLICT (site_id, lot_id, gate_id) DO UPDATE SET entries_total = excluded.entries_total,
    exits_total = excluded.exits_total, reported_ms = excluded.reported_ms
  WHERE excluded.reported_ms >= gate_counts.reported_ms
), b AS (
  INSERT INTO sync_batches (site_id, edge_id, first_seq, last_seq, received_ms, body)
  SELECT ${site}, ${edge}, ${firstSeq}, ${p.add(plan.storedSeqRange?.[1] ?? 0, 'bigint')}, ${received}, ${p.add(extra.rawBody, 'bytea')}
  WHERE ${firstSeq} > 0 AND EXISTS (SELECT 1 FROM u)
), l AS (
  INSERT INTO directives_log (site_id, edge_id, version, sent_ms) SELECT ${site}, ${edge}, ${version}, ${received}
  WHERE ${p.add(extra.isNewDirectives, 'boolean')} AND EXISTS (SELECT 1 FROM u)
)
SELECT count(*) AS claimed FROM u`;
}

interface IngestExtra {
  /** `edges.sync_version` as read: the write happens only if it is unchanged. */
  syncVersion: number;
  receivedMs: number;
  rawBody: Buffer;
  /** Merged history buckets: `b` the minute, `z` its zones. */
  history: Array<{ b: number; z: HistoryBucket }>;
  directivesVersion: number;
  isNewDirectives: boolean;
  bayStates: Buffer | null;
  zonesJson: string | null;
  softwareVersion: string;
  configVersion: string;
  directivesApplied: number;
}

/** The shared store: many stateless central instances on one PostgreSQL database. */
export class PostgresStore implements CentralStore {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly schema: string;
  private readonly directivesCache = new Map<string, { version: number; doc: DirectivesDoc }>();
  private readonly pendingIngests: PendingIngest[] = [];
  private activeFlushes = 0;
  /** Edges with a batch in a group being committed. */
  private readonly busyEdges = new Set<string>();
  /** Groups being committed at once; the rest of the pool serves reads. */
  private readonly maxFlushes: number;

  constructor(options: PostgresStoreOptions) {
    this.schema = options.schema ?? 'public';
    this.maxFlushes = Math.max(1, Math.floor((options.poolSize ?? 8) / 2));
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.schema))
      throw errors.CB_CONFIG_INVALID(`bad schema name "${this.schema}"`);
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 8,
      options: `-c search_path=${this.schema}`,
      types,
      connectionTimeoutMillis: 5_000,
    });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
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

  /**
   * Stores batches with group commit: a batch that finds a free flusher goes alone (one autocommit
   * statement), and batches arriving while every flusher waits on a commit are stored together in one
   * transaction, so many edges share one WAL flush. Each promise settles after its commit.
   */
  ingest(request: SyncRequest, rawBody: Uint8Array, receivedMs: number): Promise<IngestResult> {
    return new Promise<IngestResult>((resolve, reject) => {
      this.pendingIngests.push({ request, rawBody, receivedMs, resolve, reject });
      this.startFlushes();
    });
  }

  private startFlushes(): void {
    while (this.pendingIngests.length > 0 && this.activeFlushes < this.maxFlushes) {
      // An edge's batches stay in order: while one of them is being committed, its later ones wait for the
      // next group (inside one group they run in arrival order, in one transaction).
      const group: PendingIngest[] = [];
      const waiting: PendingIngest[] = [];
      for (const item of this.pendingIngests) {
        if (group.length < MAX_GROUP_COMMIT && !this.busyEdges.has(item.request.edgeId ?? '')) group.push(item);
        else waiting.push(item);
      }
      if (group.length === 0) return;
      this.pendingIngests.splice(0, this.pendingIngests.length, ...waiting);
      const edges = new Set(group.map((item) => item.request.edgeId ?? ''));
      for (const edge of edges) this.busyEdges.add(edge);
      this.activeFlushes += 1;
      void this.flushGroup(group).finally(() => {
        for (const edge of edges) this.busyEdges.delete(edge);
        this.activeFlushes -= 1;
        this.startFlushes();
      });
    }
  }

  private async flushGroup(group: PendingIngest[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.connect();
    } catch (error) {
      for (const item of group) item.reject(error);
      return;
    }
    try {
      if (group.length === 1) {
        const item = group[0]!;
        await this.ingestOnce(client, item.request, item.rawBody, item.receivedMs).then(item.resolve, item.reject);
        return;
      }
      const outcomes: Array<{ result?: IngestResult; error?: unknown }> = [];
      try {
        await client.query('BEGIN');
        for (const item of group) {
          try {
            outcomes.push({ result: await this.ingestOnce(client, item.request, item.rawBody, item.receivedMs) });
          } catch (error) {
            // A batch refused before writing (another site, a bad zone index) leaves the transaction intact.
            if (!isCitybayError(error)) throw error;
            outcomes.push({ error });
          }
        }
        await client.query('COMMIT');
      } catch {
        // A database error (a deadlock with another instance, say) aborts the group: store each batch alone.
        await client.query('ROLLBACK').catch(() => undefined);
        for (const item of group) {
          await this.ingestOnce(client, item.request, item.rawBody, item.receivedMs).then(item.resolve, item.reject);
        }
        return;
      }
      group.forEach((item, i) => {
        const outcome = outcomes[i]!;
        if (outcome.result) item.resolve(outcome.result);
        else item.reject(outcome.error);
      });
    } finally {
      client.release();
    }
  }

  /**
   * Two round trips: read the edge's state, plan, then one statement that claims the edge row by its
   * `sync_version` and writes everything. If another instance stored a batch of the same edge in between,
   * the claim fails, nothing is written, and the batch is planned again on fresh state.
   */
  private async ingestOnce(
    client: pg.PoolClient,
    request: SyncRequest,
    rawBody: Uint8Array,
    receivedMs: number,
  ): Promise<IngestResult> {
    const siteId = request.siteId ?? '';
    const edgeId = request.edgeId ?? '';
    // Minutes this batch may touch; their stored history rows come back with the edge's state.
    const buckets = [
      ...new Set((request.summaries ?? []).map((x) => Math.floor((x.windowEndMs ?? 0) / HISTORY_BUCKET_MS) * HISTORY_BUCKET_MS)),
    ];
    for (let attempt = 1; ; attempt++) {
      const r = await client.query({ name: 'citybay_ingest_read', text: INGEST_READ_SQL, values: [edgeId, buckets] });
      const row = r.rows[0] as Row | undefined;
      if (!row || row.site_id !== siteId) {
        throw errors.CB_SYNC_FORBIDDEN(`edge "${edgeId}" does not belong to site "${siteId}"`);
      }
      const bayBlob = row.bay_states as Buffer | null;
      const plan = planIngest(syncStateFromRow(row), request);
      const doc =
        row.directives_version === null
          ? emptyDirectivesDoc()
          : await this.directivesAt(client, siteId, Number(row.directives_version));
      const stored = new Map(((row.history ?? []) as Array<[number, string]>).map(([b, z]) => [Number(b), z]));
      const history = [...pointsByBucket(plan.history)].map(([bucketMs, points]) => {
        const before = stored.get(bucketMs);
        return { b: bucketMs, z: mergeHistoryBucket(before === undefined ? undefined : JSON.parse(before), points) };
      });
      const params = new Params();
      const text = ingestStatement(params, siteId, edgeId, plan, {
        syncVersion: Number(row.sync_version),
        receivedMs,
        rawBody: Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength),
        history,
        directivesVersion: doc.version,
        isNewDirectives: doc.version !== Number(row.directives_sent),
        bayStates: plan.hasBayChange && plan.next.bayStates ? Buffer.from(plan.next.bayStates) : bayBlob,
        zonesJson: plan.hasZoneTableChange ? JSON.stringify(plan.next.zoneTable) : (row.zones_json as string | null),
        softwareVersion: plan.softwareVersion ?? String(row.software_version),
        configVersion: plan.configVersion ?? String(row.config_version),
        directivesApplied: request.directivesVersion ?? 0,
      });
      const written = await client.query({ name: 'citybay_ingest_write', text, values: params.values });
      if (Number(written.rows[0]?.claimed) !== 1) {
        if (attempt >= INGEST_ATTEMPTS) {
          throw errors.CB_STORE_UNAVAILABLE(`edge "${edgeId}": ${attempt} concurrent writers in a row; retry the batch`);
        }
        continue;
      }
      return {
        ackedSeq: plan.next.ackedSeq,
        missingSeqs: missingSeqsOf(plan.next.gaps),
        stored: plan.stored,
        duplicates: plan.duplicates,
        directives: directivesForWire(siteId, doc, receivedMs),
      };
    }
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
    return this.tx(async (c) => {
      if ((await c.query('SELECT 1 FROM sites WHERE site_id = $1', [siteId])).rows.length === 0) {
        throw errors.CB_SITE_UNKNOWN(`site "${siteId}" is not known`);
      }
      const before = await this.loadDirectives(c, siteId, true);
      const after = change(before);
      if (after !== before) await this.saveDirectives(c, siteId, after);
      return directivesForWire(siteId, after, 0);
    });
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
    const rows = await this.rows('SELECT * FROM appointment_days WHERE site_id = $1 AND day_start_ms = $2', [siteId, dayStartMs]);
    return rows[0] ? appointmentDayFromRow(rows[0]) : undefined;
  }

  async saveAppointmentDay(day: AppointmentDay, nowMs: number): Promise<void> {
    const values = [day.siteId, day.dayStartMs, day.version, JSON.stringify(day.appointments), JSON.stringify(day.assignments), nowMs];
    // Insert for version 1, conditional update otherwise: either way exactly one row changes or we lost a race.
    const result =
      day.version === 1
        ? await this.rows(
            `INSERT INTO appointment_days (site_id, day_start_ms, version, appointments_json, assignments_json, updated_ms)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING version`,
            values,
          )
        : await this.rows(
            `UPDATE appointment_days SET version = $3, appointments_json = $4, assignments_json = $5, updated_ms = $6
             WHERE site_id = $1 AND day_start_ms = $2 AND version = $3 - 1 RETURNING version`,
            values,
          );
    if (result.length === 0) {
      throw errors.CB_APPOINTMENTS_CONFLICT(
        `appointments of ${day.siteId} for ${new Date(day.dayStartMs).toISOString()} changed concurrently (expected version ${day.version - 1})`,
      );
    }
  }

  async prune(rawBeforeMs: number, historyBeforeMs: number) {
    return this.tx(async (c) => ({
      rawBatches: (await c.query('DELETE FROM sync_batches WHERE received_ms < $1', [rawBeforeMs])).rowCount ?? 0,
      historyPoints: (await c.query('DELETE FROM zone_history WHERE bucket_ms < $1', [historyBeforeMs])).rowCount ?? 0,
    }));
  }
}
