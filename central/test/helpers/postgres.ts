import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The CI database (trust auth on loopback); `CITYBAY_TEST_DATABASE_URL` points the tests elsewhere. */
export const TEST_DATABASE_URL = process.env.CITYBAY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** True when the test PostgreSQL answers. With `CI` set the caller must fail instead of skipping. */
export async function isPostgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A schema name no other run uses, so parallel test runs never collide. */
export function uniqueSchema(prefix = 't'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}
