import type { ErrorFactory } from '@citybay/common';
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CST, Lexer, parse as parseYaml } from 'yaml';

/** Turns a TypeBox JSON pointer (`/lots/0/zones/1`) into the dotted form users read (`lots[0].zones[1]`). */
export function pointerToPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out === '' ? '(root)' : out;
}

/** Most anchors plus aliases a YAML document may hold (100): real files use a few; a bomb needs thousands. */
export const MAX_YAML_ANCHORS_AND_ALIASES = 100;

/**
 * Whether the text holds more than `max` anchors (`&a`) and aliases (`*a`), read with yaml's lexer, which is
 * linear in the text and stops at the first one too many: yaml's composer resolves them super-linearly (60 KB of
 * chained anchors took seconds before its own alias limit fired).
 */
function hasMoreAnchorsAndAliases(text: string, max: number): boolean {
  let count = 0;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if ((type === 'anchor' || type === 'alias') && ++count > max) return true;
  }
  return false;
}

/**
 * Parses YAML or JSON text (JSON is YAML), reporting a syntax error with the file name and line.
 * Throws with `errorFactory` so each file kind keeps its own error code. Refuses, before composing, a document
 * with more than {@link MAX_YAML_ANCHORS_AND_ALIASES} anchors and aliases, and expands at most 100 aliases.
 */
export function parseYamlText(text: string, fileName: string, errorFactory: ErrorFactory): unknown {
  if (hasMoreAnchorsAndAliases(text, MAX_YAML_ANCHORS_AND_ALIASES)) {
    throw errorFactory(
      `${fileName}: (root): more than ${MAX_YAML_ANCHORS_AND_ALIASES} YAML anchors and aliases (a resource exhaustion attack?)`,
      { path: '(root)' },
    );
  }
  try {
    return parseYaml(text, { prettyErrors: true, maxAliasCount: 100 });
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw errorFactory(`${fileName}: not valid YAML/JSON: ${detail}`, { path: '(root)', cause });
  }
}

/** Checks `value` against `schema` and throws the first problem as `file: path: message (got …)`. */
export function checkSchema<T extends TSchema>(
  schema: T,
  value: unknown,
  fileName: string,
  errorFactory: ErrorFactory,
  pathPrefix = '',
): Static<T> {
  if (Value.Check(schema, value)) return value;
  const first = Value.Errors(schema, value).First();
  const inner = first === undefined ? '(root)' : pointerToPath(first.path);
  const path = pathPrefix === '' ? inner : inner === '(root)' ? pathPrefix : joinPath(pathPrefix, inner);
  const got = first === undefined ? '' : ` (got ${describeValue(first.value)})`;
  throw errorFactory(`${fileName}: ${path}: ${first?.message ?? 'does not match the schema'}${got}`, { path });
}

/** Appends a dotted/indexed path to a prefix: `joinPath('a', 'b[0]')` → `a.b[0]`, `joinPath('a', '[0]')` → `a[0]`. */
export function joinPath(prefix: string, path: string): string {
  if (prefix === '') return path;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
