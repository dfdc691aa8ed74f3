import type { PreparedStatements } from './sqlite-prepared.js';
import type { DriverLink } from './store.js';

type Row = Record<string, unknown>;

const SQL = {
  insert: `INSERT OR IGNORE INTO driver_links (token, site_id, day_start_ms, appointment_id, created_ms)
    VALUES (?, ?, ?, ?, ?)`,
  tokenOf: `SELECT token FROM driver_links WHERE site_id = ? AND day_start_ms = ? AND appointment_id = ?`,
  get: `SELECT token, site_id, day_start_ms, appointment_id FROM driver_links WHERE token = ?`,
} as const;

/** Drivers' links of the SQLite store (see `CentralStore`). */
export class SqliteDriverLinks {
  constructor(private readonly prepared: PreparedStatements) {}

  ensure(
    siteId: string,
    dayStartMs: number,
    appointmentIds: readonly string[],
    makeToken: () => string,
    nowMs: number,
  ): Map<string, string> {
    const insert = this.prepared.get(SQL.insert);
    const tokenOf = this.prepared.get(SQL.tokenOf);
    return this.prepared.db.transaction(() => {
      const tokens = new Map<string, string>();
      for (const id of appointmentIds) {
        let row = tokenOf.get(siteId, dayStartMs, id) as Row | undefined;
        // A new token, tried again in the (2^-128) case that another appointment has it already.
        for (let attempt = 0; row === undefined && attempt < 3; attempt++) {
          insert.run(makeToken(), siteId, dayStartMs, id, nowMs);
          row = tokenOf.get(siteId, dayStartMs, id) as Row | undefined;
        }
        if (row !== undefined) tokens.set(id, String(row.token));
      }
      return tokens;
    })();
  }

  get(token: string): DriverLink | undefined {
    const row = this.prepared.get(SQL.get).get(token) as Row | undefined;
    return row === undefined
      ? undefined
      : {
          token: String(row.token),
          siteId: String(row.site_id),
          dayStartMs: Number(row.day_start_ms),
          appointmentId: String(row.appointment_id),
        };
  }
}
