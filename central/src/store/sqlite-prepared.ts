import type Database from 'better-sqlite3';

/** Statements of one SQLite connection, prepared on first use and reused (preparing is the costly part). */
export class PreparedStatements {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database) {}

  get(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
