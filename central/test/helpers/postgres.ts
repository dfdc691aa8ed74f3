import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The CI database (trust auth on loopback); `CITYBAY_TEST_DATABASE_URL` points the tests elsewhere. */
export const TEST_DATABASE_URL = process.env.CITYBAY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Fails (never skips) when the test PostgreSQL does not answer, naming the URL, the error and what to do.
 * `npm test` provisions the machine first (scripts/src/provision), so this fires only when a file runs on its own.
 */
export async function requirePostgres(): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new Error(
      `PostgreSQL is not ready at ${TEST_DATABASE_URL} (${(err as Error).message}): run \`npm test\` (as root it ` +
        'installs and starts it) or `npm run provision` for what to do; CITYBAY_TEST_DATABASE_URL points the tests elsewhere',
      { cause: err },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A schema name no other run uses, so parallel test runs never collide. */
export function uniqueSchema(prefix = 't'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}
