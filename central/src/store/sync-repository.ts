import { historyPointsOf } from '../core/history-bucket.js';
import type {
  DeviceHealthRecord,
  GateCountRecord,
  HistoryPoint,
  HistoryQuery,
  SignFaceRecord,
  ZoneState,
} from '../core/sync-records.js';
import { deviceFromRow, gateFromRow, historyRowFromRow, signFromRow, zoneStateFromRow } from './rows.js';
import { compileStatements } from './sql-dialect.js';
import type { SqlRunner } from './sql-runner.js';
import type { SyncRepository } from './store.js';

const statements = () => ({
  zones: 'SELECT * FROM zone_state WHERE site_id = :siteId ORDER BY lot_id, zone_id',
  history: `SELECT site_id, bucket_ms, zones_json FROM zone_history
    WHERE site_id = :siteId AND bucket_ms >= :fromMs AND bucket_ms < :toMs ORDER BY bucket_ms, edge_id LIMIT :limit`,
  devices: 'SELECT * FROM device_health WHERE site_id = :siteId ORDER BY device_id',
  signs: 'SELECT * FROM sign_faces WHERE site_id = :siteId ORDER BY sign_id',
  gates: 'SELECT * FROM gate_counts WHERE site_id = :siteId ORDER BY lot_id, gate_id',
  rawBatches: 'SELECT first_seq, last_seq FROM sync_batches WHERE edge_id = :edgeId ORDER BY id',
  pruneRaw: 'DELETE FROM sync_batches WHERE received_ms < :beforeMs',
  pruneHistory: 'DELETE FROM zone_history WHERE bucket_ms < :beforeMs',
});

/**
 * What sync stored, read back, and its retention; written once for both engines. Storing a batch (`ingest`) is
 * each engine's own tuned path (`sqlite-ingest.ts`, `postgres-ingest.ts`) behind the pure planner.
 */
export class SqlSyncReads implements Omit<SyncRepository, 'ingest'> {
  private readonly sql;

  constructor(private readonly db: SqlRunner) {
    this.sql = compileStatements(statements, db.dialect);
  }

  async listZoneStates(siteId: string): Promise<ZoneState[]> {
    return (await this.db.all(this.sql.zones, { siteId })).map(zoneStateFromRow);
  }

  async listHistory(q: HistoryQuery): Promise<HistoryPoint[]> {
    const rows = await this.db.all(this.sql.history, {
      siteId: q.siteId,
      fromMs: q.fromMs,
      toMs: q.toMs,
      limit: q.limit,
    });
    return historyPointsOf(rows.map(historyRowFromRow), q.lotId, q.zoneId, q.limit);
  }

  async listDevices(siteId: string): Promise<DeviceHealthRecord[]> {
    return (await this.db.all(this.sql.devices, { siteId })).map(deviceFromRow);
  }

  async listSigns(siteId: string): Promise<SignFaceRecord[]> {
    return (await this.db.all(this.sql.signs, { siteId })).map(signFromRow);
  }

  async listGates(siteId: string): Promise<GateCountRecord[]> {
    return (await this.db.all(this.sql.gates, { siteId })).map(gateFromRow);
  }

  async listRawBatches(edgeId: string): Promise<Array<[number, number]>> {
    const rows = await this.db.all(this.sql.rawBatches, { edgeId });
    return rows.map((r) => [Number(r.first_seq), Number(r.last_seq)]);
  }

  async prune(rawBeforeMs: number, historyBeforeMs: number): Promise<{ rawBatches: number; historyPoints: number }> {
    return this.db.transaction(async (tx) => ({
      rawBatches: await tx.run(this.sql.pruneRaw, { beforeMs: rawBeforeMs }),
      historyPoints: await tx.run(this.sql.pruneHistory, { beforeMs: historyBeforeMs }),
    }));
  }
}
