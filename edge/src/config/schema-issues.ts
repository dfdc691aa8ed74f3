import type { TSchema } from '@sinclair/typebox';
import { type ValueError, ValueErrorType } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';

/** One problem in an input file: the path of the bad field (`lots[0].zones[1].bays[3].kind`) and what was expected. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** `/lots/0/zones/1` → `lots[0].zones[1]`. */
export function toDottedPath(pointer: string): string {
  let out = '';
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(key) ? `[${key}]` : out === '' ? key : `.${key}`;
  }
  return out;
}

// Bounded whatever the value: a schema error on a list of thousands of entries must not print them all.
function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value !== null && typeof value === 'object') return 'an object';
  if (typeof value === 'string' && value.length > 57) return `${JSON.stringify(value.slice(0, 57))}...`;
  return JSON.stringify(value) ?? String(value);
}

/** Variant errors examined when choosing what a union's author meant. */
const MAX_VARIANT_ERRORS = 100;

// A union reports one "Expected union value"; the variant with the fewest errors is what the author meant.
function flatten(error: ValueError): ValueError[] {
  if (error.type !== ValueErrorType.Union || error.errors.length === 0) return [error];
  // A union of literals is an enumeration: "expected one of …" says it best.
  if ((error.schema.anyOf as TSchema[] | undefined)?.every((s) => 'const' in s)) return [error];
  let best: ValueError[] | undefined;
  for (const iterator of error.errors) {
    const list: ValueError[] = [];
    for (const e of iterator) if (list.push(e) >= MAX_VARIANT_ERRORS) break;
    if (list.length > 0 && (best === undefined || list.length < best.length)) best = list;
  }
  return best === undefined ? [error] : best.flatMap(flatten);
}

function messageFor(error: ValueError): string {
  const got = `got ${describeValue(error.value)}`;
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'is required';
    case ValueErrorType.ObjectAdditionalProperties:
    case ValueErrorType.Never:
      return 'is not a known field';
    case ValueErrorType.Union: {
      const options = (error.schema.anyOf as TSchema[] | undefined)
        ?.map((s) => ('const' in s ? JSON.stringify(s.const) : undefined))
        .filter((s): s is string => s !== undefined);
      return options && options.length > 0
        ? `expected one of ${options.join(', ')}, ${got}`
        : `${error.message}, ${got}`;
    }
    case ValueErrorType.StringPattern: {
      const description = error.schema.description as string | undefined;
      return `expected ${description ?? `a string matching ${error.schema.pattern}`}, ${got}`;
    }
    default:
      return `${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}, ${got}`;
  }
}

/**
 * Every schema violation of `data` (the first `limit`), each with a dotted path and a message naming the
 * expected value.
 */
export function schemaIssues(schema: TSchema, data: unknown, limit = Number.POSITIVE_INFINITY): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, data)) {
    if (issues.length >= limit) break;
    for (const leaf of flatten(error)) {
      // An unknown field also fails `additionalProperties` at the parent; report the field only once.
      const path = toDottedPath(leaf.path);
      const message = messageFor(leaf);
      const key = `${path}|${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      issues.push({ path, message });
    }
  }
  return issues;
}
