// Cold-path SQL is written once, with named parameters (`:siteId`) and the few constructs where SQLite and
// PostgreSQL spell things differently asked of a `Dialect`. Each statement is compiled once per store, when the
// store is made, so a call costs what a hand-written positional statement costs (docs/adr/0014).

/** How one engine spells what the two engines spell differently. */
export interface Dialect {
  readonly kind: 'sqlite' | 'postgres';
  /** The larger of two values (SQLite's scalar `max`, PostgreSQL's `GREATEST`). */
  greatest(a: string, b: string): string;
  /** A hidden column in insertion order, to break ties between rows written in the same millisecond. */
  readonly insertionOrder: string;
  /** Row lock for a read that precedes a write in the same transaction; SQLite needs none (one writer). */
  readonly forUpdate: string;
  /** A subquery of the strings of a JSON array parameter (`[ "a", "b" ]`), for `IN (...)`. */
  jsonStrings(param: string): string;
  /** A subquery of rows from a JSON array of string arrays (`[["t1","a1"], ...]`), columns named in order. */
  jsonStringRows(param: string, columns: readonly string[]): string;
  /** The next value of an ordering column in an upsert's `DO UPDATE` (a sequence's next value on PostgreSQL). */
  nextSeq(table: string, column: string): string;
  /** A text the engine stores as bytes (`BYTEA` on PostgreSQL, text in SQLite: see migrations 004). */
  bytes(text: string): unknown;
  /** Placeholder of the `index`-th (0-based) distinct parameter. */
  placeholder(index: number): string;
  /** True when a parameter used twice takes one placeholder (`$1` twice) instead of being bound twice. */
  readonly reusesPlaceholders: boolean;
}

export const SQLITE_DIALECT: Dialect = {
  kind: 'sqlite',
  greatest: (a, b) => `max(${a}, ${b})`,
  insertionOrder: 'rowid',
  forUpdate: '',
  jsonStrings: (param) => `(SELECT value FROM json_each(${param}))`,
  jsonStringRows: (param, columns) =>
    `(SELECT ${columns.map((c, i) => `json_extract(value, '$[${i}]') AS ${c}`).join(', ')} FROM json_each(${param}))`,
  nextSeq: (table, column) => `(SELECT max(${column}) + 1 FROM ${table})`,
  bytes: (text) => text,
  placeholder: () => '?',
  reusesPlaceholders: false,
};

export const POSTGRES_DIALECT: Dialect = {
  kind: 'postgres',
  greatest: (a, b) => `GREATEST(${a}, ${b})`,
  insertionOrder: 'ctid',
  forUpdate: ' FOR UPDATE',
  jsonStrings: (param) => `(SELECT json_array_elements_text(${param}::json))`,
  jsonStringRows: (param, columns) =>
    `(SELECT ${columns.map((c, i) => `r->>${i} AS ${c}`).join(', ')} FROM json_array_elements(${param}::json) AS r)`,
  nextSeq: () => 'DEFAULT',
  bytes: (text) => Buffer.from(text, 'utf8'),
  placeholder: (index) => `$${index + 1}`,
  reusesPlaceholders: true,
};

/** A statement for one engine: its text with positional placeholders and the parameter name of each. */
export interface CompiledSql {
  readonly text: string;
  readonly names: readonly string[];
}

// `:name` outside quoted text, not part of PostgreSQL's `::type` cast.
const TOKEN = /'(?:[^']|'')*'|"(?:[^"]|"")*"|::|:([A-Za-z_][A-Za-z0-9_]*)/g;

/** Turns `:name` parameters into the dialect's placeholders. */
export function compileSql(text: string, dialect: Dialect): CompiledSql {
  const names: string[] = [];
  const compiled = text.replace(TOKEN, (match, name: string | undefined) => {
    if (name === undefined) return match;
    const known = dialect.reusesPlaceholders ? names.indexOf(name) : -1;
    if (known >= 0) return dialect.placeholder(known);
    names.push(name);
    return dialect.placeholder(names.length - 1);
  });
  return { text: compiled, names };
}

/** Compiles a repository's statements (written as a function of the dialect) for one engine. */
export function compileStatements<K extends string>(
  statements: (d: Dialect) => Record<K, string>,
  dialect: Dialect,
): Record<K, CompiledSql> {
  const texts = statements(dialect);
  const out = {} as Record<K, CompiledSql>;
  for (const key of Object.keys(texts) as K[]) out[key] = compileSql(texts[key], dialect);
  return out;
}

/** Named parameters of one call. */
export type SqlParams = Readonly<Record<string, unknown>>;

/** The positional values of a call; a name the statement uses but the call lacks is a programming error. */
export function bindParams(statement: CompiledSql, params: SqlParams): unknown[] {
  return statement.names.map((name) => {
    if (!(name in params)) throw new Error(`SQL parameter :${name} is missing (${statement.text.slice(0, 60)}…)`);
    return params[name] ?? null;
  });
}
