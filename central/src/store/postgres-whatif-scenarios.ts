import type pg from 'pg';
import { queryOnce } from './postgres-query.js';
import { WHATIF_SUMMARY_COLUMNS, whatIfSummaryFromRow } from './rows.js';
import type { WhatIfScenario, WhatIfScenarioSummary } from './store.js';

type Row = Record<string, unknown>;

const SQL = {
  // An upsert rather than delete-then-insert: two instances offering the same id at once both succeed (the later
  // wins) instead of one failing on the unique id. `seq = DEFAULT` makes the scenario offered again the newest.
  put: `INSERT INTO whatif_scenarios (scenario_id, name, description, policies_json, bundle_json)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (scenario_id) DO UPDATE SET seq = DEFAULT, name = excluded.name, description = excluded.description,
      policies_json = excluded.policies_json, bundle_json = excluded.bundle_json`,
  // Deletes the (keep + 1)-th newest scenario and every older one.
  deleteOld: `DELETE FROM whatif_scenarios WHERE seq <=
    (SELECT seq FROM whatif_scenarios ORDER BY seq DESC LIMIT 1 OFFSET $1)`,
  list: `SELECT ${WHATIF_SUMMARY_COLUMNS} FROM whatif_scenarios ORDER BY seq`,
  get: `SELECT bundle_json FROM whatif_scenarios WHERE scenario_id = $1`,
} as const;

/** The what-if catalogue of the PostgreSQL store (see `CentralStore`), on the store's pool. */
export class PostgresWhatIfScenarios {
  constructor(private readonly connect: () => Promise<pg.PoolClient>) {}

  private query(sql: string, params: unknown[]): Promise<pg.QueryResult<Row>> {
    return queryOnce(this.connect, sql, params);
  }

  async put(scenario: WhatIfScenario, keepNewest: number): Promise<number> {
    const values = [
      scenario.id,
      scenario.name,
      scenario.description ?? null,
      JSON.stringify(scenario.policies),
      JSON.stringify(scenario),
    ];
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      await client.query(SQL.put, values);
      const deleted = await client.query(SQL.deleteOld, [keepNewest]);
      await client.query('COMMIT');
      return deleted.rowCount ?? 0;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async list(): Promise<WhatIfScenarioSummary[]> {
    return (await this.query(SQL.list, [])).rows.map(whatIfSummaryFromRow);
  }

  async get(id: string): Promise<WhatIfScenario | undefined> {
    const row = (await this.query(SQL.get, [id])).rows[0];
    return row ? (JSON.parse(String(row.bundle_json)) as WhatIfScenario) : undefined;
  }
}
