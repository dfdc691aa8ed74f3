import type Database from 'better-sqlite3';
import type { PreparedStatements } from './sqlite-prepared.js';
import { WHATIF_SUMMARY_COLUMNS, whatIfSummaryFromRow } from './rows.js';
import type { WhatIfScenario, WhatIfScenarioSummary } from './store.js';

type Row = Record<string, unknown>;

const SQL = {
  // Deleting first gives the scenario offered again a new, highest seq (one past the largest left): the newest.
  remove: `DELETE FROM whatif_scenarios WHERE scenario_id = ?`,
  insert: `INSERT INTO whatif_scenarios (scenario_id, name, description, policies_json, bundle_json)
    VALUES (?, ?, ?, ?, ?)`,
  // Deletes the (keep + 1)-th newest scenario and every older one.
  deleteOld: `DELETE FROM whatif_scenarios WHERE seq <=
    (SELECT seq FROM whatif_scenarios ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
  list: `SELECT ${WHATIF_SUMMARY_COLUMNS} FROM whatif_scenarios ORDER BY seq`,
  get: `SELECT bundle_json FROM whatif_scenarios WHERE scenario_id = ?`,
} as const;

/** The what-if catalogue of the SQLite store (see `CentralStore`), on the store's database connection. */
export class SqliteWhatIfScenarios {
  private readonly db: Database.Database;

  constructor(private readonly prepared: PreparedStatements) {
    this.db = prepared.db;
  }

  private st(sql: string): Database.Statement {
    return this.prepared.get(sql);
  }

  put(scenario: WhatIfScenario, keepNewest: number): number {
    const bundleJson = JSON.stringify(scenario);
    const policiesJson = JSON.stringify(scenario.policies);
    return this.db.transaction(() => {
      this.st(SQL.remove).run(scenario.id);
      this.st(SQL.insert).run(scenario.id, scenario.name, scenario.description ?? null, policiesJson, bundleJson);
      return this.st(SQL.deleteOld).run(keepNewest).changes;
    })();
  }

  list(): WhatIfScenarioSummary[] {
    return (this.st(SQL.list).all() as Row[]).map(whatIfSummaryFromRow);
  }

  get(id: string): WhatIfScenario | undefined {
    const row = this.st(SQL.get).get(id) as Row | undefined;
    return row ? (JSON.parse(String(row.bundle_json)) as WhatIfScenario) : undefined;
  }
}
