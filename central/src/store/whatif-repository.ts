import type { WhatIfScenario, WhatIfScenarioSummary } from '../core/whatif-scenario.js';
import { WHATIF_SUMMARY_COLUMNS, whatIfSummaryFromRow } from './rows.js';
import { compileStatements, type Dialect } from './sql-dialect.js';
import type { SqlRunner } from './sql-runner.js';
import type { WhatIfRepository } from './store.js';

const statements = (d: Dialect) => ({
  // An upsert: two instances offering the same id at once both succeed (the later wins) instead of one failing on
  // the unique id; the scenario offered again takes the next seq, so it is the newest.
  put: `INSERT INTO whatif_scenarios (scenario_id, name, description, policies_json, bundle_json)
    VALUES (:id, :name, :description, :policiesJson, :bundleJson)
    ON CONFLICT (scenario_id) DO UPDATE SET seq = ${d.nextSeq('whatif_scenarios', 'seq')}, name = excluded.name,
      description = excluded.description, policies_json = excluded.policies_json, bundle_json = excluded.bundle_json`,
  // Deletes the (keep + 1)-th newest scenario and every older one.
  deleteOld: `DELETE FROM whatif_scenarios WHERE seq <=
    (SELECT seq FROM whatif_scenarios ORDER BY seq DESC LIMIT 1 OFFSET :keep)`,
  list: `SELECT ${WHATIF_SUMMARY_COLUMNS} FROM whatif_scenarios ORDER BY seq`,
  get: `SELECT bundle_json FROM whatif_scenarios WHERE scenario_id = :id`,
});

/** The what-if catalogue (see `WhatIfRepository`), written once for both engines. */
export class SqlWhatIfRepository implements WhatIfRepository {
  private readonly sql;

  constructor(private readonly db: SqlRunner) {
    this.sql = compileStatements(statements, db.dialect);
  }

  async putWhatIfScenario(scenario: WhatIfScenario, keepNewest: number): Promise<number> {
    const params = {
      id: scenario.id,
      name: scenario.name,
      description: scenario.description ?? null,
      policiesJson: JSON.stringify(scenario.policies),
      bundleJson: JSON.stringify(scenario),
    };
    return this.db.transaction(async (tx) => {
      await tx.run(this.sql.put, params);
      return tx.run(this.sql.deleteOld, { keep: keepNewest });
    });
  }

  async listWhatIfScenarios(): Promise<WhatIfScenarioSummary[]> {
    return (await this.db.all(this.sql.list)).map(whatIfSummaryFromRow);
  }

  async getWhatIfScenario(id: string): Promise<WhatIfScenario | undefined> {
    const row = await this.db.get(this.sql.get, { id });
    return row ? (JSON.parse(String(row.bundle_json)) as WhatIfScenario) : undefined;
  }
}
