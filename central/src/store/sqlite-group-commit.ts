import type Database from 'better-sqlite3';

interface Pending<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite: items submitted in the same turn of the event loop are written in one transaction, each in
 * its own savepoint (the `write` function runs nested, so a failing item is rolled back alone), and every promise
 * settles only after the shared COMMIT. One commit per group instead of per item is what lets SQLite keep up with
 * many edges' sync batches.
 */
export class SqliteGroupCommit<I, R> {
  private readonly pending: Array<Pending<I, R>> = [];

  constructor(
    private readonly db: Database.Database,
    private readonly write: (item: I) => R,
    private readonly maxGroup: number,
  ) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    // A cold-path transaction of `SqliteRunner` ends within its turn, so this never waits in practice; were one
    // still open, these batches would commit (or roll back) with it as a savepoint of its transaction.
    if (this.db.inTransaction) {
      setImmediate(() => this.flush());
      return;
    }
    const group = this.pending.splice(0, this.maxGroup);
    if (this.pending.length > 0) setImmediate(() => this.flush());
    const outcomes: Array<{ result?: R; error?: unknown }> = [];
    try {
      this.db.transaction(() => {
        for (const { item } of group) {
          try {
            outcomes.push({ result: this.write(item) });
          } catch (error) {
            outcomes.push({ error });
          }
        }
      })();
    } catch (error) {
      for (const pending of group) pending.reject(error);
      return;
    }
    group.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if ('result' in outcome) pending.resolve(outcome.result as R);
      else pending.reject(outcome.error);
    });
  }
}
