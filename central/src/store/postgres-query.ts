import type pg from 'pg';

type Row = Record<string, unknown>;

/** One statement on a connection of its own from the store's pool, released whatever happens. */
export async function queryOnce(
  connect: () => Promise<pg.PoolClient>,
  sql: string,
  params: unknown[],
): Promise<pg.QueryResult<Row>> {
  const client = await connect();
  try {
    return await client.query<Row>(sql, params);
  } finally {
    client.release();
  }
}
