import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The CI database (trust auth on loopback); `CITYBAY_TEST_DATABASE_URL` points the tests elsewhere. */
export const TEST_DATABASE_URL = process.env.CITYBAY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Runs SQL on a connection of its own; fails (never skips) naming the URL when PostgreSQL does not answer. */
export async function testSql(text: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not ready at ${TEST_DATABASE_URL} (${(err as Error).message}): run \`npm run provision\`; ` +
        'CITYBAY_TEST_DATABASE_URL points the tests elsewhere',
      { cause: err },
    );
  }
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A queue schema no other test run uses. */
export function uniqueQueueSchema(): string {
  return `q_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function dropSchema(schema: string): Promise<void> {
  await testSql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}
