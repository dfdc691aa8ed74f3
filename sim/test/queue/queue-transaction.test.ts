import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_QUEUE, SimQueue } from '../../src/queue/index.js';
import { dropSchema, TEST_DATABASE_URL, testSql, uniqueQueueSchema } from './queue-postgres.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SimQueue.transaction on PostgreSQL', () => {
  const schema = uniqueQueueSchema();
  let queue: SimQueue;

  beforeAll(async () => {
    await testSql('SELECT 1');
    queue = await SimQueue.open({ databaseUrl: TEST_DATABASE_URL, schema });
    await queue.sql(`CREATE TABLE ${schema}.pair (id int PRIMARY KEY, n int NOT NULL)`);
    await queue.sql(`INSERT INTO ${schema}.pair VALUES (1, 0), (2, 0)`);
  });

  afterAll(async () => {
    await queue?.close();
    await dropSchema(schema);
  });

  it('runs a deadlock victim again from the start, and commits it once', async () => {
    // The queue's transaction locks row 1 then row 2; another session locks row 2 then row 1. The queue's waits first,
    // so PostgreSQL's deadlock check (after deadlock_timeout, 1 s by default) aborts it; the retry then succeeds.
    const other = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`UPDATE ${schema}.pair SET n = n + 10 WHERE id = 2`);
      let attempts = 0;
      const errors: string[] = [];
      const done = queue.transaction(async (sql) => {
        attempts++;
        await sql(`UPDATE ${schema}.pair SET n = n + 1 WHERE id = 1`);
        await sql(`UPDATE ${schema}.pair SET n = n + 1 WHERE id = 2`);
        return attempts;
      });
      await sleep(200);
      const otherSide = other
        .query(`UPDATE ${schema}.pair SET n = n + 10 WHERE id = 1`)
        .then(() => other.query('COMMIT'))
        .catch((err: { code?: string }) => {
          errors.push(String(err.code));
          return other.query('ROLLBACK');
        });
      expect(await done).toBe(2);
      await otherSide;
      expect(errors).toEqual([]);
      const rows = await queue.sql<{ id: number; n: number }>(`SELECT id, n FROM ${schema}.pair ORDER BY id`);
      // Both committed, the queue's work once: no increment of the aborted attempt survived.
      expect(rows).toEqual([
        { id: 1, n: 11 },
        { id: 2, n: 11 },
      ]);
    } finally {
      await other.end();
    }
  });

  it('does not run again work that failed for any other reason', async () => {
    let attempts = 0;
    await expect(
      queue.transaction(async (sql) => {
        attempts++;
        await sql(`UPDATE ${schema}.pair SET n = n + 1 WHERE id = 1`);
        await sql('SELECT no_such_column FROM pg_class');
      }),
    ).rejects.toMatchObject({ code: '42703' });
    expect(attempts).toBe(1);
    expect(await queue.sql(`SELECT n FROM ${schema}.pair WHERE id = 1`)).toEqual([{ n: 11 }]);
  });

  it('completes run jobs with the transaction: a rolled-back one leaves them active, with no output', async () => {
    await queue.boss.send(RUN_QUEUE, { sweepId: 'none', index: 0 });
    const [job] = await queue.boss.fetch(RUN_QUEUE);
    const jobState = async () =>
      (
        await queue.sql<{ state: string; output: unknown }>(
          `SELECT state::text, output FROM ${schema}.job WHERE id = $1`,
          [job!.id],
        )
      )[0];
    await expect(
      queue.transaction(async (_sql, db) => {
        await queue.completeRunJobs([job!.id], db);
        throw new Error('the results could not be stored');
      }),
    ).rejects.toThrow('could not be stored');
    // Completed on a connection of its own (pg-boss's typed `complete(name, ids, { db })`), it was committed anyway.
    expect(await jobState()).toEqual({ state: 'active', output: null });
    await queue.transaction(async (_sql, db) => queue.completeRunJobs([job!.id], db));
    expect(await jobState()).toEqual({ state: 'completed', output: null });
  });
});
