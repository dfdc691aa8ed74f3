import { describe, expect, it } from 'vitest';
import { bindParams, compileSql, POSTGRES_DIALECT, SQLITE_DIALECT } from '../../src/store/sql-dialect.js';

describe('compileSql', () => {
  const text = `UPDATE t SET a = :a, b = :b::bigint WHERE id = :id AND note <> 'x:y :notAParam' AND a <= :a`;

  it('gives SQLite one ? per use, PostgreSQL one $n per name, and leaves casts and quoted text alone', () => {
    const sqlite = compileSql(text, SQLITE_DIALECT);
    expect(sqlite.text).toBe(`UPDATE t SET a = ?, b = ?::bigint WHERE id = ? AND note <> 'x:y :notAParam' AND a <= ?`);
    expect(sqlite.names).toEqual(['a', 'b', 'id', 'a']);
    const pg = compileSql(text, POSTGRES_DIALECT);
    expect(pg.text).toBe(`UPDATE t SET a = $1, b = $2::bigint WHERE id = $3 AND note <> 'x:y :notAParam' AND a <= $1`);
    expect(pg.names).toEqual(['a', 'b', 'id']);
  });

  it('binds by name in placeholder order, null for undefined, and refuses a missing name', () => {
    const pg = compileSql(text, POSTGRES_DIALECT);
    expect(bindParams(pg, { id: 'e1', b: 2, a: undefined })).toEqual([null, 2, 'e1']);
    expect(() => bindParams(pg, { a: 1, b: 2 })).toThrow(/:id is missing/);
  });
});
