import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCitybayError } from '@citybay/common';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresRunner } from '../../src/store/postgres-runner.js';
import { compileSql } from '../../src/store/sql-dialect.js';
import type { SqlRunner } from '../../src/store/sql-runner.js';
import { PreparedStatements } from '../../src/store/sqlite-prepared.js';
import { SqliteRunner } from '../../src/store/sqlite-runner.js';
import { requirePostgres, TEST_DATABASE_URL, uniqueSchema } from '../helpers/postgres.js';

await requirePostgres();

/** The same cases on both engines' runners. */
function runnerCases(name: string, open: () => Promise<{ runner: SqlRunner; close: () => Promise<void> }>) {
  describe(`SqlRunner: ${name}`, () => {
    let runner: SqlRunner;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ runner, close } = await open());
      await runner.exec('CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
    });
    afterAll(async () => close());
    const sql = (text: string) => compileSql(text, runner.dialect);

    it('commits a transaction whose work resolves, joining nested ones, and rolls back one that throws', async () => {
      const put = sql('INSERT INTO kv (k, v) VALUES (:k, :v)');
      await runner.transaction(async (tx) => {
        await tx.run(put, { k: 'a', v: 1 });
        await tx.transaction(async (inner) => inner.run(put, { k: 'b', v: 2 }));
      });
      const failed = runner.transaction(async (tx) => {
        await tx.run(put, { k: 'c', v: 3 });
        throw new Error('refused');
      });
      await expect(failed).rejects.toThrow('refused');
      const rows = await runner.all(sql('SELECT k, v FROM kv ORDER BY k'));
      expect(rows.map((r) => [r.k, Number(r.v)])).toEqual([
        ['a', 1],
        ['b', 2],
      ]);
    });

    it('keeps concurrent transactions apart: each read-modify-write sees the one before it', async () => {
      await runner.run(sql('INSERT INTO kv (k, v) VALUES (:k, 0)'), { k: 'n' });
      const read = sql(`SELECT v FROM kv WHERE k = 'n'${runner.dialect.forUpdate}`);
      const write = sql(`UPDATE kv SET v = :v WHERE k = 'n'`);
      await Promise.all(
        Array.from({ length: 20 }, () =>
          runner.transaction(async (tx) => {
            const row = await tx.get(read);
            await tx.run(write, { v: Number(row?.v) + 1 });
          }),
        ),
      );
      expect(Number((await runner.get(sql(`SELECT v FROM kv WHERE k = 'n'`)))?.v)).toBe(20);
    });

    it('reports how many rows a write changed', async () => {
      expect(await runner.run(sql('UPDATE kv SET v = v + 1 WHERE k IN (:x, :y)'), { x: 'a', y: 'b' })).toBe(2);
      expect(await runner.run(sql('DELETE FROM kv WHERE k = :k'), { k: 'none' })).toBe(0);
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'citybay-runner-'));
runnerCases('SQLite', async () => {
  const db = new Database(join(dir, 'runner.db'));
  return {
    runner: new SqliteRunner(new PreparedStatements(db)),
    close: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

runnerCases('PostgreSQL', async () => {
  const schema = uniqueSchema('runner');
  const admin = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 4, options: `-c search_path=${schema}` });
  return {
    runner: new PostgresRunner(pool),
    close: async () => {
      await pool.end();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
});

describe('PostgresRunner without a database', () => {
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e,
    );

  // Port 1 on loopback: nothing listens, so the connection is refused at once. A database that does not exist:
  // the server refuses the session with a FATAL error.
  it.each([
    ['refused', 'postgres://postgres@127.0.0.1:1/test'],
    ['no such database', `${TEST_DATABASE_URL.replace(/\/[^/]*$/, '')}/citybay_no_such_database`],
  ])('answers CB_STORE_UNAVAILABLE for a statement and for a transaction (%s)', async (_case, url) => {
    const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 2_000 });
    pool.on('error', () => undefined);
    const runner = new PostgresRunner(pool);
    const select = compileSql('SELECT 1', runner.dialect);
    expect(isCitybayError(await codeOf(runner.all(select)), 'CB_STORE_UNAVAILABLE')).toBe(true);
    expect(isCitybayError(await codeOf(runner.transaction((tx) => tx.all(select))), 'CB_STORE_UNAVAILABLE')).toBe(true);
    await pool.end();
  });

  it('leaves a statement error as the database reported it', async () => {
    const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
    const runner = new PostgresRunner(pool);
    const err = await codeOf(runner.all(compileSql('SELECT * FROM citybay_no_such_table', runner.dialect)));
    expect(err).toBeInstanceOf(pg.DatabaseError);
    expect((err as pg.DatabaseError).code).toBe('42P01');
    await pool.end();
  });
});

describe('PostgresRunner when a held connection breaks', () => {
  // The server ends the session while a transaction's work runs between statements (an administrator's
  // pg_terminate_backend, a failover, a network cut): the client emits 'error' with no query to take it. Unheard,
  // that event would end the whole process.
  it('fails that transaction with CB_STORE_UNAVAILABLE, keeps the process, and serves the next one', async () => {
    const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
    pool.on('error', () => undefined);
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    const runner = new PostgresRunner(pool);
    const select = compileSql('SELECT pg_backend_pid() AS pid', runner.dialect);
    try {
      const broken = runner.transaction(async (tx) => {
        const { pid } = (await tx.get(select))!;
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        // Wait until the termination has reached this connection as an event.
        await new Promise((resolve) => setTimeout(resolve, 300));
        return tx.get(select);
      });
      const err = await broken.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isCitybayError(err, 'CB_STORE_UNAVAILABLE'), String(err)).toBe(true);
      expect(await runner.get(select)).toHaveProperty('pid');
      expect(await runner.transaction((tx) => tx.get(select))).toHaveProperty('pid');
    } finally {
      await admin.end();
      await pool.end();
    }
  });
});
