// The SQLite store's statements, prepared once and reused (see store-sqlite.ts).

// Multi-row upserts: one statement per table per batch keeps native calls few on the ingest path.
export const UPSERT = {
  zone: {
    head: `INSERT INTO zone_state (site_id, lot_id, zone_id, kinds_json, free, occupied, unknown, window_end_ms, edge_id, seq) VALUES `,
    width: 10,
    tail: `ON CONFLICT (site_id, lot_id, zone_id) DO UPDATE SET kinds_json = excluded.kinds_json, free = excluded.free,
      occupied = excluded.occupied, unknown = excluded.unknown, window_end_ms = excluded.window_end_ms,
      edge_id = excluded.edge_id, seq = excluded.seq
    WHERE excluded.window_end_ms >= zone_state.window_end_ms`,
  },
  device: {
    head: `INSERT INTO device_health (site_id, device_id, edge_id, status, ok_count, timeout_count, crc_error_count,
      exception_count, last_good_ms, reported_ms) VALUES `,
    width: 10,
    tail: `ON CONFLICT (site_id, device_id) DO UPDATE SET edge_id = excluded.edge_id, status = excluded.status,
      ok_count = excluded.ok_count, timeout_count = excluded.timeout_count, crc_error_count = excluded.crc_error_count,
      exception_count = excluded.exception_count, last_good_ms = excluded.last_good_ms, reported_ms = excluded.reported_ms
    WHERE excluded.reported_ms >= device_health.reported_ms`,
  },
  sign: {
    head: `INSERT INTO sign_faces (site_id, sign_id, edge_id, lines_json, is_fallback, reported_ms) VALUES `,
    width: 6,
    tail: `ON CONFLICT (site_id, sign_id) DO UPDATE SET edge_id = excluded.edge_id, lines_json = excluded.lines_json,
      is_fallback = excluded.is_fallback, reported_ms = excluded.reported_ms
    WHERE excluded.reported_ms >= sign_faces.reported_ms`,
  },
  gate: {
    head: `INSERT INTO gate_counts (site_id, lot_id, gate_id, entries_total, exits_total, reported_ms) VALUES `,
    width: 6,
    tail: `ON CONFLICT (site_id, lot_id, gate_id) DO UPDATE SET entries_total = excluded.entries_total,
      exits_total = excluded.exits_total, reported_ms = excluded.reported_ms
    WHERE excluded.reported_ms >= gate_counts.reported_ms`,
  },
} as const;
export interface UpsertSpec {
  head: string;
  width: number;
  tail: string;
}
/** Rows per upsert statement (SQLite allows 32,766 parameters). */
export const MAX_ROWS_PER_UPSERT = 200;

export const SQL = {
  historyGet: 'SELECT zones_json FROM zone_history WHERE site_id = ? AND bucket_ms = ? AND edge_id = ?',
  historyPut: `INSERT INTO zone_history (site_id, bucket_ms, edge_id, zones_json) VALUES (?, ?, ?, ?)
    ON CONFLICT (site_id, bucket_ms, edge_id) DO UPDATE SET zones_json = excluded.zones_json`,
  edge: 'SELECT * FROM edges WHERE edge_id = ?',
  edgeUpdate: `UPDATE edges SET acked_seq = ?, gaps_json = ?, bay_states = ?, bays_seq = ?, zones_json = ?, zones_seq = ?, last_seen_ms = ?,
      software_version = ?, config_version = ?, directives_applied = ?, directives_sent = ? WHERE edge_id = ?`,
  batch:
    'INSERT INTO sync_batches (site_id, edge_id, first_seq, last_seq, received_ms, body) VALUES (?, ?, ?, ?, ?, ?)',
  directivesVersion: 'SELECT version FROM site_directives WHERE site_id = ?',
  directivesDoc: 'SELECT doc_json FROM site_directives WHERE site_id = ?',
  logInsert: 'INSERT INTO directives_log (site_id, edge_id, version, sent_ms) VALUES (?, ?, ?, ?)',
} as const;
