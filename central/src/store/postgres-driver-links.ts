import type pg from 'pg';
import { queryOnce } from './postgres-query.js';
import type { DriverLink } from './store.js';

type Row = Record<string, unknown>;

const SQL = {
  // Two instances planning the same day at once both insert; the first token stays (either conflict is ignored).
  insert: `INSERT INTO driver_links (token, site_id, day_start_ms, appointment_id, created_ms)
    SELECT token, $1, $2, appointment_id, $3 FROM unnest($4::text[], $5::text[]) AS t(token, appointment_id)
    ON CONFLICT DO NOTHING`,
  tokens: `SELECT appointment_id, token FROM driver_links
    WHERE site_id = $1 AND day_start_ms = $2 AND appointment_id = ANY($3::text[])`,
  get: `SELECT token, site_id, day_start_ms, appointment_id FROM driver_links WHERE token = $1`,
} as const;

/** Drivers' links of the PostgreSQL store (see `CentralStore`). */
export class PostgresDriverLinks {
  constructor(private readonly connect: () => Promise<pg.PoolClient>) {}

  async ensure(
    siteId: string,
    dayStartMs: number,
    appointmentIds: readonly string[],
    makeToken: () => string,
    nowMs: number,
  ): Promise<Map<string, string>> {
    const tokens = new Map<string, string>();
    let missing = [...new Set(appointmentIds)];
    // A new token is tried again in the (2^-128) case that another appointment has it already.
    for (let attempt = 0; attempt < 3 && missing.length > 0; attempt++) {
      const found = await queryOnce(this.connect, SQL.tokens, [siteId, dayStartMs, missing]);
      for (const row of found.rows) tokens.set(String(row.appointment_id), String(row.token));
      missing = missing.filter((id) => !tokens.has(id));
      if (missing.length === 0) break;
      await queryOnce(this.connect, SQL.insert, [siteId, dayStartMs, nowMs, missing.map(() => makeToken()), missing]);
    }
    if (missing.length > 0) {
      const found = await queryOnce(this.connect, SQL.tokens, [siteId, dayStartMs, missing]);
      for (const row of found.rows) tokens.set(String(row.appointment_id), String(row.token));
    }
    return tokens;
  }

  async get(token: string): Promise<DriverLink | undefined> {
    const row = (await queryOnce(this.connect, SQL.get, [token])).rows[0] as Row | undefined;
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
