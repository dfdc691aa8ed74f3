import type { DriverLink } from '../core/driver-link.js';
import { compileStatements, type Dialect } from './sql-dialect.js';
import type { SqlRunner } from './sql-runner.js';
import type { DriverLinkRepository } from './store.js';

const statements = (d: Dialect) => ({
  // Two instances planning the same day at once both insert; the first token stays (either conflict is ignored).
  insert: `INSERT INTO driver_links (token, site_id, day_start_ms, appointment_id, created_ms)
    SELECT t.token, :siteId, :dayStartMs, t.appointment_id, :nowMs FROM ${d.jsonStringRows(':rowsJson', ['token', 'appointment_id'])} AS t
    WHERE true ON CONFLICT DO NOTHING`,
  tokens: `SELECT appointment_id, token FROM driver_links
    WHERE site_id = :siteId AND day_start_ms = :dayStartMs AND appointment_id IN ${d.jsonStrings(':idsJson')}`,
  get: `SELECT token, site_id, day_start_ms, appointment_id FROM driver_links WHERE token = :token`,
  prune: 'DELETE FROM driver_links WHERE day_start_ms < :beforeDayStartMs',
});

/** Drivers' links (see `DriverLinkRepository`), written once for both engines. */
export class SqlDriverLinkRepository implements DriverLinkRepository {
  private readonly sql;

  constructor(private readonly db: SqlRunner) {
    this.sql = compileStatements(statements, db.dialect);
  }

  async ensureDriverLinks(
    siteId: string,
    dayStartMs: number,
    appointmentIds: readonly string[],
    makeToken: () => string,
    nowMs: number,
  ): Promise<Map<string, string>> {
    const tokens = new Map<string, string>();
    const found = async (ids: string[]) => {
      const rows = await this.db.all(this.sql.tokens, { siteId, dayStartMs, idsJson: JSON.stringify(ids) });
      for (const row of rows) tokens.set(String(row.appointment_id), String(row.token));
      return ids.filter((id) => !tokens.has(id));
    };
    let missing = await found([...new Set(appointmentIds)]);
    // A new token is tried again in the (2^-128) case that another appointment has it already.
    for (let attempt = 0; attempt < 3 && missing.length > 0; attempt++) {
      const rowsJson = JSON.stringify(missing.map((id) => [makeToken(), id]));
      await this.db.run(this.sql.insert, { siteId, dayStartMs, nowMs, rowsJson });
      missing = await found(missing);
    }
    return tokens;
  }

  async pruneDriverLinks(beforeDayStartMs: number): Promise<number> {
    return this.db.run(this.sql.prune, { beforeDayStartMs });
  }

  async getDriverLink(token: string): Promise<DriverLink | undefined> {
    const row = await this.db.get(this.sql.get, { token });
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
