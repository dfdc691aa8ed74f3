import { isCitybayError } from '@citybay/common';
import type { SyncRequest } from '@citybay/proto';
import type pg from 'pg';
import { type DirectivesDoc, emptyDirectivesDoc } from '../core/directives-doc.js';
import { type HistoryBucket, mergeHistoryBucket, pointsByBucket } from '../core/history-bucket.js';
import { HISTORY_BUCKET_MS, type IngestPlan, ingestResultOf, planIngest } from '../core/ingest-plan.js';
import { errors } from '../errors.js';
import { syncStateFromRow } from './rows.js';
import type { IngestResult } from './store.js';

type Row = Record<string, unknown>;

/** Most batches committed in one transaction. */
const MAX_GROUP_COMMIT = 32;
/** Times a batch is planned again when other instances keep storing batches of the same edge meanwhile. */
const INGEST_ATTEMPTS = 5;

interface PendingIngest {
  request: SyncRequest;
  rawBody: Uint8Array;
  receivedMs: number;
  resolve: (result: IngestResult) => void;
  reject: (error: unknown) => void;
}

// The PostgreSQL ingest statements: one read of an edge's state, and one write that stores a whole batch.

/** Reads an edge's sync state, the site's directives version and the history rows of the batch's minutes. */
export const INGEST_READ_SQL = `SELECT e.*, d.version AS directives_version,
    (SELECT json_agg(json_build_array(h.bucket_ms, h.zones_json)) FROM zone_history h
      WHERE h.site_id = e.site_id AND h.edge_id = e.edge_id AND h.bucket_ms = ANY($2::bigint[])) AS history
  FROM edges e LEFT JOIN site_directives d ON d.site_id = e.site_id WHERE e.edge_id = $1`;

/** Collects query parameters and hands out typed placeholders, so the big ingest statement stays readable. */
export class Params {
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
export function ingestStatement(
  p: Params,
  siteId: string,
  edgeId: string,
  plan: IngestPlan,
  extra: IngestExtra,
): string {
  const site = p.add(siteId, 'text');
  const edge = p.add(edgeId, 'text');
  const z = plan.zoneStates;
  const d = plan.devices;
  const s = plan.signs;
  const g = plan.gates;
  // Rows travel as one JSON document per table: cheaper to build than typed arrays, and PostgreSQL unpacks them.
  const rows = (values: unknown[], columns: string) =>
    `jsonb_to_recordset(${p.add(JSON.stringify(values), 'jsonb')}) AS t (${columns})`;
  const zones = rows(
    z.map((x) => ({
      lot: x.lotId,
      zone: x.zoneId,
      kinds: x.kinds,
      free: x.free,
      occ: x.occupied,
      unk: x.unknown,
      wend: x.windowEndMs,
      seq: x.seq,
    })),
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

export interface IngestExtra {
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

/** Writes sync batches to PostgreSQL with group commit, keeping each edge's batches in order. */
export class PostgresIngester {
  private readonly pendingIngests: PendingIngest[] = [];
  private activeFlushes = 0;
  /** Edges with a batch in a group being committed. */
  private readonly busyEdges = new Set<string>();

  /**
   * @param maxFlushes groups being committed at once; the rest of the pool serves reads.
   */
  constructor(
    private readonly connect: () => Promise<pg.PoolClient>,
    private readonly directivesAt: (client: pg.PoolClient, siteId: string, version: number) => Promise<DirectivesDoc>,
    private readonly maxFlushes: number,
  ) {}

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
      ...new Set(
        (request.summaries ?? []).map((x) => Math.floor((x.windowEndMs ?? 0) / HISTORY_BUCKET_MS) * HISTORY_BUCKET_MS),
      ),
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
          throw errors.CB_STORE_UNAVAILABLE(
            `edge "${edgeId}": ${attempt} concurrent writers in a row; retry the batch`,
          );
        }
        continue;
      }
      return ingestResultOf(plan, siteId, doc, receivedMs);
    }
  }
}
