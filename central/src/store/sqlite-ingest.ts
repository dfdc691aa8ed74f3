import type { SyncRequest } from '@citybay/proto';
import { type DirectivesDoc, emptyDirectivesDoc } from '../core/directives-doc.js';
import { mergeHistoryBucket, pointsByBucket } from '../core/history-bucket.js';
import { ingestResultOf, planIngest } from '../core/ingest-plan.js';
import type { IngestResult } from '../core/sync-records.js';
import { errors } from '../errors.js';
import type { DirectivesCache } from './directives-cache.js';
import { syncStateFromRow } from './rows.js';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import type { PreparedStatements } from './sqlite-prepared.js';
import { MAX_ROWS_PER_UPSERT, SQL, UPSERT, type UpsertSpec } from './sqlite-statements.js';

type Row = Record<string, unknown>;

/** Most sync batches committed together. */
const MAX_GROUP_COMMIT = 64;

interface IngestItem {
  request: SyncRequest;
  rawBody: Uint8Array;
  receivedMs: number;
}

/**
 * The SQLite store's tuned ingest path: batches arriving in the same turn of the event loop share one commit
 * (`SqliteGroupCommit`), each in its own savepoint; multi-row upserts of what the pure planner decided.
 */
export class SqliteIngest {
  private readonly group: SqliteGroupCommit<IngestItem, IngestResult>;

  constructor(
    private readonly prepared: PreparedStatements,
    private readonly directives: DirectivesCache,
  ) {
    this.group = new SqliteGroupCommit(
      prepared.db,
      ({ request, rawBody, receivedMs }: IngestItem) => this.ingestOne(request, rawBody, receivedMs),
      MAX_GROUP_COMMIT,
    );
  }

  ingest(request: SyncRequest, rawBody: Uint8Array, receivedMs: number): Promise<IngestResult> {
    return this.group.submit({ request, rawBody, receivedMs });
  }

  private st(sql: string) {
    return this.prepared.get(sql);
  }

  private upsertMany(spec: UpsertSpec, rows: unknown[][]): void {
    for (let i = 0; i < rows.length; i += MAX_ROWS_PER_UPSERT) {
      const chunk = rows.slice(i, i + MAX_ROWS_PER_UPSERT);
      const values = Array.from({ length: chunk.length }, () => `(${Array(spec.width).fill('?').join(', ')})`);
      this.st(`${spec.head}${values.join(', ')} ${spec.tail}`).run(...chunk.flat());
    }
  }

  private loadDirectives(siteId: string): DirectivesDoc {
    const versionRow = this.st(SQL.directivesVersion).get(siteId) as Row | undefined;
    if (!versionRow) return emptyDirectivesDoc();
    const cached = this.directives.get(siteId, Number(versionRow.version));
    if (cached) return cached;
    const row = this.st(SQL.directivesDoc).get(siteId) as Row;
    const doc = JSON.parse(String(row.doc_json)) as DirectivesDoc;
    this.directives.set(siteId, doc);
    return doc;
  }

  private ingestOne(request: SyncRequest, rawBody: Uint8Array, receivedMs: number): IngestResult {
    // Nested inside the group's transaction, this is a savepoint.
    return this.prepared.db.transaction((): IngestResult => {
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
}
